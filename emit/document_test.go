package emit

import (
	"encoding/json"
	"os"
	"path/filepath"
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

func TestDocumentValueCriteria(t *testing.T) {
	reg := &compiler.Regimen{Name: "T_v1.0.0", NullStages: true, Transitions: []*compiler.Transition{
		{Trigger: "a", Source: "x", Dest: "y"},
		{Trigger: "b", Source: "x", Dest: "y", When: []string{"c1"}, WhenForm: compiler.CriteriaString, UnlessForm: compiler.CriteriaList},
		{Trigger: "c", Source: "x", Dest: "y", When: []string{"c1"}, Unless: []string{"c2", "c3"}, WhenForm: compiler.CriteriaNull},
	}}
	got := string(JSON(DocumentValue(reg)))
	want := `{"name": "T_v1.0.0", "stages": null, "transitions": [` +
		`{"dest": "y", "source": "x", "trigger": "a"}, ` +
		`{"conditions": "c1", "dest": "y", "source": "x", "trigger": "b", "unless": []}, ` +
		`{"conditions": null, "dest": "y", "source": "x", "trigger": "c", "unless": ["c2", "c3"]}]}`
	if flat := strings.Join(strings.Fields(got), ""); flat != strings.Join(strings.Fields(want), "") {
		t.Errorf("DocumentValue =\n%s\nwant\n%s", got, want)
	}
	null := compiler.NullValue()
	reg = &compiler.Regimen{Name: "ignored", NameValue: &null, NullTransitions: true}
	if got, want := string(JSON(DocumentValue(reg))), "{\n    \"name\": null,\n    \"stages\": {},\n    \"transitions\": null\n}"; got != want {
		t.Errorf("DocumentValue with a null name = %q, want %q", got, want)
	}
}

// FuzzDocumentValue compiles arbitrary source and, when it compiles
// without errors, builds its document: one entry per stage and transition
// of the model, written as valid JSON and as YAML that reads back to the
// same value. Seeds: the examples and the regimens.
func FuzzDocumentValue(f *testing.F) {
	for _, pattern := range []string{
		filepath.Join("..", "examples", "*.regimen"),
		filepath.Join("..", "examples", "*", "*.regimen"),
		filepath.Join("..", "regimens", "*", "*.regimen"),
	} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(string(b))
		}
	}
	lib := []byte("criterion c1, c2\nschema L { x: int, ... }\nparams lp: L { x: 1 }\n")
	opts := &compiler.Options{ReadFile: func(string) ([]byte, error) { return lib, nil }}
	f.Fuzz(func(t *testing.T, src string) {
		res := compiler.CompileSource("fuzz.regimen", []byte(src), opts)
		if res.Regimen == nil || res.Diagnostics.HasErrors() {
			return
		}
		doc := DocumentValue(res.Regimen)
		stages, _ := doc.Get("stages")
		trans, _ := doc.Get("transitions")
		if len(stages.Map) != len(res.Regimen.Stages) || len(trans.List) != len(res.Regimen.Transitions) {
			t.Fatalf("document has %d stages and %d transitions, the model %d and %d",
				len(stages.Map), len(trans.List), len(res.Regimen.Stages), len(res.Regimen.Transitions))
		}
		if out := JSON(doc); !json.Valid(out) {
			t.Fatalf("JSON of the document is not valid JSON:\n%s", out)
		}
		out := YAML(doc)
		if back, err := ParseYAMLValue(out); err != nil || !sameValue(back, doc) {
			t.Fatalf("YAML of the document reads back as %s (%v), want %s", JSON(back), err, JSON(doc))
		}
	})
}
