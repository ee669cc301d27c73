package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// makeRegimenJSON is what the old make_regimen_json.py printed for a
// regimen.yml: the three keys of PyYAML's load, json.dumps with sorted keys
// and a 4-space indent, and print's newline. It prints one JSON object
// mapping each file given to that text (or null when PyYAML rejects it).
const makeRegimenJSON = `
import json, sys, yaml
out = {}
for p in sys.argv[1:]:
    try:
        doc = yaml.safe_load(open(p, encoding="utf-8"))
        out[p] = json.dumps({k: doc[k] for k in ("name", "stages", "transitions")}, sort_keys=True, indent=4) + "\n"
    except Exception:
        out[p] = None
json.dump(out, sys.stdout)
`

// pyyamlReference runs makeRegimenJSON over files with python3, or returns
// nil when python3 with PyYAML is not there.
func pyyamlReference(t *testing.T, files []string) map[string]*string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		return nil
	}
	if exec.Command(py, "-c", "import yaml").Run() != nil {
		return nil
	}
	out, err := exec.Command(py, append([]string{"-c", makeRegimenJSON}, files...)...).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	ref := map[string]*string{}
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatalf("python3's output: %v", err)
	}
	return ref
}

// Every loadable historic regimen.yml builds to the bytes the old
// make_regimen_json.py printed, and so does its imported source: a
// criterion written as one string stays a string, a list stays a list.
// Where python3 with PyYAML is missing, the documents are compared with the
// corpus's expected JSON under its rules instead (which cannot tell a
// string from a list).
func TestLegacyCorpusBytes(t *testing.T) {
	dir := corpusDir(t)
	names := corpusNames(t, dir, ".json")
	files := make([]string, len(names))
	for i, name := range names {
		files[i] = filepath.Join(dir, "yaml", name+".yml")
	}
	ref := pyyamlReference(t, files)
	if ref == nil {
		t.Logf("python3 with PyYAML is not available: comparing with expected/*.json under the corpus's rules")
	}
	out := t.TempDir()
	same, bytewise, strings1 := 0, 0, 0
	for i, name := range names {
		force := []string{}
		if corpusDefective(t, dir, name) {
			force = append(force, "--force")
		}
		src := filepath.Join(out, name+".regimen")
		if code, _, stderr := invokeRegc("import", "--color", "never", files[i], "-o", src); code != exitOK {
			t.Errorf("%s: regc import: exit %d:\n%s", name, code, stderr)
			continue
		}
		ok := true
		for _, f := range []string{files[i], src} {
			_, stdout, stderr := invokeRegc(append([]string{"build", "--color", "never", "--format", "json", f}, force...)...)
			if stdout == "" {
				t.Errorf("%s: regc build wrote nothing:\n%s", f, stderr)
				ok = false
				continue
			}
			want := ref[files[i]]
			if want == nil {
				// no reference bytes: python3 is missing, or the old
				// tool crashed on the file (no name, no transitions)
				got, err := parseJSONDoc([]byte(stdout))
				if err != nil {
					t.Errorf("%s: %v", f, err)
					ok = false
				} else if diff := docDiff(normalizeDoc(got), normalizeDoc(readExpected(t, dir, name)), ""); diff != "" {
					t.Errorf("%s: %s", f, diff)
					ok = false
				}
				continue
			}
			if stdout != *want {
				t.Errorf("%s: not what make_regimen_json.py printed: %s", f, firstDifference(stdout, *want))
				ok = false
			}
		}
		if ok {
			same++
			if want := ref[files[i]]; want != nil {
				bytewise++
				if strings.Contains(*want, `"conditions": "`) || strings.Contains(*want, `"unless": "`) {
					strings1++
				}
			}
		}
	}
	t.Logf("%d of %d loadable corpus files build (directly and imported) as expected; %d of them byte-identical to make_regimen_json.py (%d with a criterion written as one string), the other %d compared under the corpus's rules (the old tool crashed on them)", same, len(names), bytewise, strings1, same-bytewise)
	if same != len(names) {
		t.Errorf("%d of %d files differ", len(names)-same, len(names))
	}
}

// firstDifference shows where two texts first differ, with a little of each.
func firstDifference(got, want string) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	line := strings.Count(got[:i], "\n") + 1
	clip := func(s string) string {
		s = s[i:]
		if len(s) > 60 {
			s = s[:60]
		}
		return s
	}
	return "line " + itoa(line) + ": got " + quote(clip(got)) + ", want " + quote(clip(want))
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// makeRegimenJSONStage is make_regimen_json.py --stage: one stage's mapping,
// for every stage of each file given ({file: {stage: text}}).
const makeRegimenJSONStage = `
import json, sys, yaml
out = {}
for p in sys.argv[1:]:
    doc = yaml.safe_load(open(p, encoding="utf-8"))
    out[p] = {s: json.dumps(st, sort_keys=True, indent=4) + "\n" for s, st in doc["stages"].items()}
json.dump(out, sys.stdout)
`

// regc build FILE.yml --stage S prints what make_regimen_json.py --stage S
// printed, for every stage of a dozen historic files; an unknown stage is
// exit 1 with a suggestion.
func TestLegacyCorpusStageBytes(t *testing.T) {
	dir := corpusDir(t)
	names := corpusNames(t, dir, ".json")
	var files []string
	for _, name := range names {
		if !strings.HasPrefix(name, "unnamed") && len(files) < 12 {
			files = append(files, filepath.Join(dir, "yaml", name+".yml"))
		}
	}
	py, err := exec.LookPath("python3")
	if err != nil || exec.Command(py, "-c", "import yaml").Run() != nil {
		t.Skip("python3 with PyYAML is not available to print the reference")
	}
	raw, err := exec.Command(py, append([]string{"-c", makeRegimenJSONStage}, files...)...).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	var ref map[string]map[string]string
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		for stage, want := range ref[f] {
			_, stdout, stderr := invokeRegc("build", "--color", "never", f, "--stage", stage, "--force")
			if stdout != want {
				t.Errorf("%s --stage %s: %s\n%s", f, stage, firstDifference(stdout, want), stderr)
				continue
			}
			n++
		}
	}
	t.Logf("%d stages of %d files print as make_regimen_json.py --stage printed them", n, len(files))
	if n == 0 {
		t.Fatal("no stage compared")
	}
	code, stdout, stderr := invokeRegc("build", "--color", "never", files[0], "--stage", "no_such_stage_x")
	if code != exitFail || stdout != "" || !strings.Contains(stderr, "has no stage no_such_stage_x") {
		t.Errorf("an unknown stage: exit %d, stdout %q, stderr %q; want exit 1 naming the stage", code, stdout, stderr)
	}
}
