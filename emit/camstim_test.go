package emit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regc/regc/compiler"
)

func TestCamstimNames(t *testing.T) {
	at := time.Date(2024, 1, 31, 9, 3, 7, 0, time.Local)
	for _, tc := range []struct {
		stage, script, params, err string
	}{
		{"TRAINING_0_gratings", "240131090307_TRAINING_0_gratings.py", "240131090307_TRAINING_0_gratings.json", ""},
		{"4_images_a", "240131090307_4_images_a.py", "240131090307_4_images_a.json", ""},
		{"a b", "240131090307_a b.py", "240131090307_a b.json", ""},
		{"", "", "", "cannot be part of a file name"},
		{"a/b", "", "", "cannot be part of a file name"},
		{`a\b`, "", "", "cannot be part of a file name"},
	} {
		s, p, err := CamstimNames(at, tc.stage)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.stage, err, tc.err)
			}
			continue
		}
		if err != nil || s != tc.script || p != tc.params {
			t.Errorf("%q: got %q, %q, %v", tc.stage, s, p, err)
		}
	}
	// two-digit year, 24-hour clock
	s, _, _ := CamstimNames(time.Date(2009, 12, 5, 23, 59, 59, 0, time.UTC), "X")
	if s != "091205235959_X.py" {
		t.Errorf("got %q", s)
	}
}

func TestMouseDir(t *testing.T) {
	for _, tc := range []struct {
		tmpl, id, want, err string
	}{
		{DefaultMouseDir, "123456", "/allen/programs/braintv/workgroups/neuralcoding/Behavior/Data/123456", ""},
		{"/data/{mouse}/x/{mouse}", "M1", "/data/M1/x/M1", ""},
		{"/data/{mouse}/", "M1", "/data/M1", ""},
		{"/data/{mouse}", "", "", "cannot be part of a folder name"},
		{"/data/{mouse}", "..", "", "cannot be part of a folder name"},
		{"/data/{mouse}", "a/b", "", "cannot be part of a folder name"},
		{"/data/mice", "M1", "", "has no {mouse}"},
	} {
		got, err := MouseDir(tc.tmpl, tc.id)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q %q: error %v, want %q", tc.tmpl, tc.id, err, tc.err)
			}
			continue
		}
		if err != nil || got != filepath.FromSlash(tc.want) {
			t.Errorf("%q %q: got %q, %v", tc.tmpl, tc.id, got, err)
		}
	}
}

const camstimRegimen = `regimen Tiny version 1.0.0
criterion done
script s { url: "s.py", md5: "%s" }
stage A { script: s, params: { reward_volume: 0.007, flash: [0.25, 0.5], name: "é" } }
stage B { script: s, params: { x: 1 } }
progress A -> B when done
`

func compileTiny(t *testing.T, dir, md5 string) *compiler.Regimen {
	t.Helper()
	path := filepath.Join(dir, "tiny.regimen")
	if err := os.WriteFile(path, []byte(strings.Replace(camstimRegimen, "%s", md5, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res := compiler.Compile(path, nil)
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	return res.Regimen
}

// fakeScripts is a ScriptSource that serves one body for every stage and
// records the stages asked for.
type fakeScripts struct {
	body     string
	warnings []string
	asked    []string
}

func (f *fakeScripts) StageScript(_ context.Context, _ *compiler.Regimen, stage *compiler.Stage) ([]byte, []string, error) {
	f.asked = append(f.asked, stage.Name)
	return []byte(f.body), f.warnings, nil
}

func TestCamstim(t *testing.T) {
	const script = "# a camstim script\nprint('hello')\n"
	reg := compileTiny(t, t.TempDir(), "00112233445566778899aabbccddeeff")
	at := time.Date(2024, 1, 31, 9, 3, 7, 0, time.Local)
	src := &fakeScripts{body: script}
	out, err := Camstim(context.Background(), reg, reg.Stage("A"), CamstimOptions{Time: at, ScriptDir: "sd", ParamsDir: "pd", Scripts: src})
	if err != nil {
		t.Fatal(err)
	}
	wantParams := `{
    "flash": [
        0.25,
        0.5
    ],
    "name": "\u00e9",
    "reward_volume": 0.007,
    "stage": "A"
}`
	if len(out.Files) != 2 || out.Files[0].Path != filepath.Join("sd", "240131090307_A.py") || string(out.Files[0].Data) != script ||
		out.Files[1].Path != filepath.Join("pd", "240131090307_A.json") || string(out.Files[1].Data) != wantParams {
		t.Errorf("got %+v", out.Files)
	}
	if len(out.Warnings) != 0 || len(src.asked) != 1 || src.asked[0] != "A" {
		t.Errorf("warnings: %v; stages asked for: %v", out.Warnings, src.asked)
	}

	// the source's warnings are passed on
	src.warnings = []string{"not verified"}
	if out, err := Camstim(context.Background(), reg, reg.Stage("A"), CamstimOptions{Time: at, Scripts: src}); err != nil || len(out.Warnings) != 1 || out.Warnings[0] != "not verified" {
		t.Errorf("warnings: %+v, %v", out, err)
	}

	// a stage without a script (a legacy file's): only its parameters can be emitted
	noScript := &compiler.Stage{Name: "B", Params: reg.Stage("B").Params}
	if _, err := Camstim(context.Background(), reg, noScript, CamstimOptions{Time: at, Scripts: src}); err == nil || !strings.Contains(err.Error(), "names no script") {
		t.Errorf("stage without a script: %v", err)
	}
	out, err = Camstim(context.Background(), reg, noScript, CamstimOptions{Time: at, ParamsOnly: true, ParamsDir: "pd"})
	if err != nil || len(out.Files) != 1 || string(out.Files[0].Data) != "{\n    \"stage\": \"B\",\n    \"x\": 1\n}" {
		t.Errorf("params only: %+v, %v", out, err)
	}
}

func TestStageParamsOfLegacyStages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stage *compiler.Stage
		want  string
	}{
		{"none", &compiler.Stage{Name: "A"}, "null"},
		{"a list", &compiler.Stage{Name: "A", Extra: []compiler.Field{{Key: "parameters", Value: compiler.ListValue(compiler.IntValue(1), compiler.FloatValue(2))}}}, "[\n    1,\n    2.0\n]"},
		{"a string", &compiler.Stage{Name: "A", Extra: []compiler.Field{{Key: "other", Value: compiler.IntValue(1)}, {Key: "parameters", Value: compiler.StringValue("x")}}}, `"x"`},
		{"an empty record", &compiler.Stage{Name: "A", Params: compiler.MapValue()}, "{}"},
	} {
		if got := string(StageParams(tc.stage)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
