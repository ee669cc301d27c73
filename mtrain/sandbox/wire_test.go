package sandbox_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/mtrain/sandbox/sandboxtest"
)

// The read API writes mtrain's wire types, and every field the client
// reads is there: active and default given (not left out), the stages in
// upload order with their states.
func TestReadAPIWritesWireRegimen(t *testing.T) {
	r := sandboxtest.NewRig(t)
	c := r.Client(t)
	states := r.Upload(t, c, "Wire_v1.0.0")
	raw, err := c.Get(context.Background(), "regimens", strconv.Itoa(states["TRAINING_0"].RegimenID))
	if err != nil {
		t.Fatal(err)
	}
	var w mtrain.WireRegimen
	if err := json.Unmarshal(raw, &w); err != nil {
		t.Fatal(err)
	}
	if w.Name != "Wire_v1.0.0" || w.Active == nil || !*w.Active || w.Default == nil || *w.Default {
		t.Errorf("regimen %s: active %v, default %v; want given, true and false (%s)", w.Name, w.Active, w.Default, raw)
	}
	if len(w.Stages) != 3 || w.Stages[0].Name != "TRAINING_0" || w.Stages[2].Name != "OPHYS_0" || len(w.States) != 3 {
		t.Fatalf("stages %+v, states %+v", w.Stages, w.States)
	}
	for _, st := range w.States {
		if st.RegimenID != states["TRAINING_0"].RegimenID || st.ID == 0 || st.StageID == 0 {
			t.Errorf("state %s does not belong to the regimen", st.JSON())
		}
	}
	if s := w.Stages[0]; s.Script == nil || *s.Script != "http://example.invalid/a.py" || s.ScriptMD5 == nil || len(s.Parameters) == 0 {
		t.Errorf("stage %+v: want its script, md5 and parameters", s)
	}
}
