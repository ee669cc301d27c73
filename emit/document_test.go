package emit

import (
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
)

func TestStageDocument(t *testing.T) {
	params := func(n int64) compiler.Value {
		return compiler.MapValue(compiler.Field{Key: "level", Value: compiler.IntValue(n)})
	}
	reg := &compiler.Regimen{Name: "T_v1.0.0", File: "t.regimen", Stages: []*compiler.Stage{
		{Name: "gratings", Params: params(1)},
		{Name: "gratings", Params: params(2)}, // written twice: the later one, as PyYAML kept it
	}}
	got, err := StageDocument(reg, "gratings", "json")
	if want := "{\n    \"parameters\": {\n        \"level\": 2\n    }\n}\n"; err != nil || string(got) != want {
		t.Errorf("StageDocument json = %q, %v; want %q", got, err, want)
	}
	got, err = StageDocument(reg, "gratings", "yaml")
	if want := "parameters:\n    level: 2\n"; err != nil || string(got) != want {
		t.Errorf("StageDocument yaml = %q, %v; want %q", got, err, want)
	}
	_, err = StageDocument(reg, "gratngs", "json")
	if err == nil || err.Error() != "t.regimen has no stage gratngs (did you mean gratings?)" {
		t.Errorf("StageDocument of a missing stage: %v", err)
	}
	if _, err := StageDocument(reg, "zzz", "json"); err == nil || strings.Contains(err.Error(), "did you mean") {
		t.Errorf("StageDocument of a far name: %v", err)
	}
}
