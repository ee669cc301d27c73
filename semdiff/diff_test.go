package semdiff_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/mtrain"
	"github.com/regc/regc/semdiff"
)

const base = `regimen Demo version 1.0.0

criterion one_complete, engaged

schema Task {
    reward_volume: volume(mL)
    response_window: [time(s), time(s)]
    warm_up_trials: int
    ...
}

script cd: Task {
    url: "http://stash.example.org/cd.py"
    md5: "410d697d666405eed63f72e4d3e189bb"
}

params base: Task {
    reward_volume: 7 uL
    response_window: [150 ms, 750 ms]
    warm_up_trials: 5
}

stage gratings { script: cd, params: base }
stage flashed { script: cd, params: base { warm_up_trials: 0 } }
stage images { script: cd, params: base { warm_up_trials: 1 } }

progress gratings -> flashed when one_complete
progress flashed -> images when engaged
progress flashed -> gratings unless engaged
`

// compile compiles a .regimen source; it fails the test on an error.
func compile(t *testing.T, name, src string) semdiff.Input {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	res := compiler.CompileSource(path, []byte(src), nil)
	if res.Diagnostics.HasErrors() || res.Regimen == nil {
		t.Fatalf("%s does not compile: %v", name, res.Diagnostics)
	}
	return semdiff.Input{Regimen: res.Regimen, Sources: res.Sources, Label: name}
}

// edit applies old→new replacements to base; each old must be there.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := base
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("edit: %q is not in the base source", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func textOf(t *testing.T, d *semdiff.Diff) string {
	var b bytes.Buffer
	if err := semdiff.Write(&b, d, "text", nil, nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestRules checks each rule of the policy: the bump a change requires and
// the lines the text format prints for it.
func TestRules(t *testing.T) {
	cases := []struct {
		name  string
		edits []string
		bump  semdiff.Bump
		want  []string // lines (trimmed) the text must hold
	}{
		{"rename a stage", []string{
			"stage images {", "stage images_a {",
			"flashed -> images when", "flashed -> images_a when",
		}, semdiff.Major, []string{"renamed images -> images_a", "major  stage images renamed to images_a"}},
		{"remove a stage", []string{
			"stage images { script: cd, params: base { warm_up_trials: 1 } }\n", "",
			"progress flashed -> images when engaged\n", "",
		}, semdiff.Major, []string{"removed images", "removed        progress flashed -> images when engaged", "major  stage images removed"}},
		{"add a stage", []string{
			"progress gratings", "stage extra { script: cd, params: base }\n\nprogress gratings",
			"progress flashed -> gratings unless engaged\n", "progress flashed -> gratings unless engaged\nmanual images -> extra\n",
		}, semdiff.Minor, []string{"added   extra", "added          manual images -> extra", "minor  stage extra added"}},
		{"change a parameter", []string{"warm_up_trials: 5", "warm_up_trials: 6"},
			semdiff.Minor, []string{"changed gratings", "warm_up_trials: 5 -> 6", "minor  stage gratings: warm_up_trials changed"}},
		{"change a unit-converted value", []string{"reward_volume: 7 uL", "reward_volume: 10 uL"},
			semdiff.Minor, []string{"reward_volume: 0.007 mL -> 0.01 mL", "minor  stage images: reward_volume changed"}},
		{"change a tuple of quantities", []string{"[150 ms, 750 ms]", "[150 ms, 1 s]"},
			semdiff.Minor, []string{"response_window: [0.15, 0.75] s -> [0.15, 1.0] s"}},
		{"spell a value another way", []string{"reward_volume: 7 uL", "reward_volume: 0.007 mL"},
			semdiff.None, []string{"no differences: the documents are the same, apart from the version in the name"}},
		{"change a script md5", []string{`md5: "410d697d666405eed63f72e4d3e189bb"`, `md5: "5d41402abc4b2a76b9719d911017c592"`},
			semdiff.Patch, []string{"script md5: 410d697d666405eed63f72e4d3e189bb -> 5d41402abc4b2a76b9719d911017c592", "patch  stage gratings: script md5 changed"}},
		{"change a script url", []string{"cd.py", "cd2.py"},
			semdiff.Patch, []string{"script url: http://stash.example.org/cd.py -> http://stash.example.org/cd2.py"}},
		{"add a transition", []string{"progress flashed -> gratings unless engaged\n", "progress flashed -> gratings unless engaged\nmanual images -> gratings\n"},
			semdiff.Minor, []string{"added          manual images -> gratings", "minor  transition manual images -> gratings added"}},
		{"remove a transition", []string{"progress flashed -> gratings unless engaged\n", ""},
			semdiff.Minor, []string{"removed        progress flashed -> gratings unless engaged"}},
		{"reorder transitions of one source and trigger", []string{
			"progress flashed -> images when engaged\nprogress flashed -> gratings unless engaged",
			"progress flashed -> gratings unless engaged\nprogress flashed -> images when engaged",
		}, semdiff.Minor, []string{"reordered      progress flashed -> gratings unless engaged", "minor  transition progress flashed -> gratings unless engaged reordered"}},
		{"reorder transitions of different sources", []string{
			"progress gratings -> flashed when one_complete\nprogress flashed -> images when engaged\nprogress flashed -> gratings unless engaged",
			"progress flashed -> images when engaged\nprogress flashed -> gratings unless engaged\nprogress gratings -> flashed when one_complete",
		}, semdiff.Patch, []string{"the transitions are listed in another order (within each source and trigger the order is kept, so mtrain tries them as before)"}},
		{"re-condition a transition", []string{"flashed -> images when engaged", "flashed -> images when engaged, one_complete"},
			semdiff.Minor, []string{"re-conditioned progress flashed -> images when engaged, one_complete (was: when engaged)"}},
		{"list stages in another order", []string{
			"stage flashed { script: cd, params: base { warm_up_trials: 0 } }\nstage images { script: cd, params: base { warm_up_trials: 1 } }",
			"stage images { script: cd, params: base { warm_up_trials: 1 } }\nstage flashed { script: cd, params: base { warm_up_trials: 0 } }",
		}, semdiff.None, []string{"no differences: the documents are the same, apart from the version in the name"}},
		{"comments and layout only", []string{
			"stage gratings { script: cd, params: base }", "// the first stage\nstage gratings {\n    script: cd\n    params: base\n}",
			"criterion one_complete, engaged", "criterion one_complete   // from mtrain\ncriterion engaged",
		}, semdiff.None, []string{"no differences: the documents are the same, apart from the version in the name", "required bump: none"}},
	}
	old := compile(t, "old.regimen", base)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := edit(t, append(tc.edits, "version 1.0.0", "version 1.0.1")...)
			d := semdiff.Compare(old, compile(t, "new.regimen", src))
			if d.Required != tc.bump {
				t.Errorf("required bump %s, want %s; reasons %v", d.Required, tc.bump, d.Reasons)
			}
			if same := tc.bump == semdiff.None; d.Same() != same {
				t.Errorf("Same() = %v, want %v", d.Same(), same)
			}
			text := textOf(t, d)
			lines := map[string]bool{}
			for _, l := range strings.Split(text, "\n") {
				lines[strings.TrimSpace(l)] = true
			}
			for _, w := range tc.want {
				if !lines[w] {
					t.Errorf("the text lacks the line %q; it is:\n%s", w, text)
				}
			}
		})
	}
}

// TestVerdict checks what the version must be, against the bump made.
func TestVerdict(t *testing.T) {
	old := compile(t, "old.regimen", base)
	cases := []struct {
		version string
		edits   []string
		ok      bool
		higher  bool
		text    string
	}{
		{"1.0.1", []string{"warm_up_trials: 5", "warm_up_trials: 6"}, false, false, "version 1.0.0 → 1.0.1 is a patch bump; the change requires a minor bump"},
		{"1.1.0", []string{"warm_up_trials: 5", "warm_up_trials: 6"}, true, false, "version 1.0.0 → 1.1.0 is a minor bump, as the change requires"},
		{"2.0.0", []string{"warm_up_trials: 5", "warm_up_trials: 6"}, true, true, "version 1.0.0 → 2.0.0 is a major bump; a minor bump would do"},
		{"1.0.0", []string{"warm_up_trials: 5", "warm_up_trials: 6"}, false, false, "version 1.0.0 is not above 1.0.0; the change requires a minor bump"},
		{"0.9.0", []string{"cd.py", "cd2.py"}, false, false, "version 0.9.0 is not above 1.0.0; the change requires a patch bump"},
		{"1.0.0", nil, true, false, "the documents are the same and so is the version (1.0.0)"},
		{"1.0.1", nil, true, true, "version 1.0.0 → 1.0.1 is a patch bump; a no bump would do"},
	}
	for _, tc := range cases {
		d := semdiff.Compare(old, compile(t, "new.regimen", edit(t, append(tc.edits, "version 1.0.0", "version "+tc.version)...)))
		if d.Verdict.OK != tc.ok || d.Verdict.Higher != tc.higher || d.Verdict.Text != tc.text {
			t.Errorf("%s %v: verdict %+v, want ok %v higher %v %q", tc.version, tc.edits, d.Verdict, tc.ok, tc.higher, tc.text)
		}
	}
}

// TestGolden writes one diff with several changes, and mice counts, in
// each format and compares with testdata/golden (-update rewrites).
func TestGolden(t *testing.T) {
	old := compile(t, "old.regimen", base)
	src := edit(t,
		"version 1.0.0", "version 2.0.0",
		"reward_volume: 7 uL", "reward_volume: 10 uL",
		`md5: "410d697d666405eed63f72e4d3e189bb"`, `md5: "5d41402abc4b2a76b9719d911017c592"`,
		"stage images {", "stage images_a {",
		"flashed -> images when engaged", "flashed -> images_a when engaged, one_complete",
		"progress flashed -> gratings unless engaged\n", "progress flashed -> gratings unless engaged\nmanual images_a -> gratings\n",
	)
	newIn := compile(t, "new.regimen", src)
	d := semdiff.Compare(old, newIn)
	d.Mice = map[string]int{"gratings": 3, "images": 1}
	sugg := semdiff.Suggest(old.Regimen, newIn.Regimen)
	for _, f := range semdiff.Formats {
		var b bytes.Buffer
		if err := semdiff.Write(&b, d, f, sugg, &old); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "golden", "diff."+f)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update to write it)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from %s (-update rewrites it):\n%s", f, golden, b.String())
		}
	}
}

// TestFromDocument: a document read back from a server compares as the
// same as the source it was built from (floats stay floats, ints ints),
// and a changed value read back is found.
func TestFromDocument(t *testing.T) {
	in := compile(t, "base.regimen", base)
	for _, tc := range []struct {
		name, from, to string
		same           bool
	}{
		{"as built", "", "", true},
		{"an int for a float", `"reward_volume": 0.007`, `"reward_volume": 7`, false},
		{"a float for an int", `"warm_up_trials": 5`, `"warm_up_trials": 5.0`, false},
	} {
		doc, err := emit.Document(in.Regimen, "json")
		if err != nil {
			t.Fatal(err)
		}
		text := string(doc)
		if tc.from != "" {
			if !strings.Contains(text, tc.from) {
				t.Fatalf("%s: the document lacks %s", tc.name, tc.from)
			}
			text = strings.Replace(text, tc.from, tc.to, 1)
		}
		parsed, err := mtrain.ParseDocument([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		reg, err := semdiff.FromDocument(parsed)
		if err != nil {
			t.Fatal(err)
		}
		d := semdiff.Compare(in, semdiff.Input{Regimen: reg, Label: "server"})
		if d.Same() != tc.same {
			t.Errorf("%s: Same() = %v, want %v\n%s", tc.name, d.Same(), tc.same, textOf(t, d))
		}
	}
}
