package graph

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/regc/regc/emit"
)

// docParams reads the stages' names and parameters from the compiled JSON
// document,
// flattened to key paths (numbers kept as written, so 5 and 5.0 differ),
// without `stage`.
func docParams(t *testing.T, doc []byte) (stages []string, params []map[string]string) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	// the stages object, in document order
	var raw struct {
		Stages json.RawMessage `json:"stages"`
	}
	if err := dec.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	sd := json.NewDecoder(bytes.NewReader(raw.Stages))
	sd.UseNumber()
	if tok, err := sd.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("stages: %v %v", tok, err)
	}
	for sd.More() {
		tok, _ := sd.Token()
		var st struct {
			Parameters map[string]any `json:"parameters"`
		}
		if err := sd.Decode(&st); err != nil {
			t.Fatal(err)
		}
		flat := map[string]string{}
		var walk func(v any, path string)
		walk = func(v any, path string) {
			if m, ok := v.(map[string]any); ok && (len(m) > 0 || path == "") {
				for k, x := range m {
					p := k
					if path != "" {
						p = path + "." + k
					}
					walk(x, p)
				}
				return
			}
			if path != "stage" {
				b, _ := json.Marshal(v)
				flat[path] = string(b)
			}
		}
		walk(st.Parameters, "")
		stages = append(stages, tok.(string))
		params = append(params, flat)
	}
	return stages, params
}

// TestParamsTask1A: the stage × parameter table of task1a lists exactly
// the parameters whose values are not the same in every stage of the
// compiled document, a row per stage in order, a cell present exactly where
// the stage has the parameter, and each change from the stage above marked.
func TestParamsTask1A(t *testing.T) {
	reg := compileClean(t, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen"))
	doc, err := emit.Document(reg, "json")
	if err != nil {
		t.Fatal(err)
	}
	names, byName := docParams(t, doc)
	// the JSON document sorts its keys: the rows follow the declarations
	var stages []string
	var params []map[string]string
	for _, s := range reg.Stages {
		stages = append(stages, s.Name)
		i := slices.Index(names, s.Name)
		if i < 0 {
			t.Fatalf("the document has no stage %s", s.Name)
		}
		params = append(params, byName[i])
	}
	differs := map[string]bool{}
	for _, p := range params {
		for k := range p {
			for _, q := range params {
				if v, ok := q[k]; !ok || v != p[k] {
					differs[k] = true
				}
			}
		}
	}
	table := Params(reg)
	got := map[string]bool{}
	for _, c := range table.Columns {
		if got[c] {
			t.Errorf("column %s twice", c)
		}
		got[c] = true
	}
	if !reflect.DeepEqual(got, differs) {
		for k := range differs {
			if !got[k] {
				t.Errorf("the table lacks %s, which differs between stages", k)
			}
		}
		for k := range got {
			if !differs[k] {
				t.Errorf("the table has %s, which is the same in every stage", k)
			}
		}
	}
	if len(table.Rows) != len(stages) {
		t.Fatalf("%d rows, %d stages", len(table.Rows), len(stages))
	}
	for i, r := range table.Rows {
		if r.Stage != stages[i] {
			t.Errorf("row %d is %s, want %s", i, r.Stage, stages[i])
		}
		for j, c := range r.Cells {
			col := table.Columns[j]
			v, ok := params[i][col]
			if c.Present != ok {
				t.Errorf("%s %s: present %v, document %v", r.Stage, col, c.Present, ok)
			}
			changed := false
			if i > 0 {
				pv, pok := params[i-1][col]
				changed = ok != pok || v != pv
			}
			if c.Changed != changed {
				t.Errorf("%s %s: changed %v, document %v", r.Stage, col, c.Changed, changed)
			}
		}
	}
	// values are written in the source's units
	cell := func(stage, col string) string {
		for _, r := range table.Rows {
			for j, c := range r.Cells {
				if r.Stage == stage && table.Columns[j] == col {
					return c.Text
				}
			}
		}
		return "(none)"
	}
	for _, w := range [][3]string{
		{"TRAINING_1_gratings", "reward_volume", "10 uL"},
		{"TRAINING_4_images_A_training", "reward_volume", "7 uL"},
		{"TRAINING_2_gratings_flashed", "response_window", "[150 ms, 750 ms]"},
		{"TRAINING_1_gratings", "max_task_duration_min", "60 min"},
	} {
		if got := cell(w[0], w[1]); got != w[2] {
			t.Errorf("%s %s: %q, want %q", w[0], w[1], got, w[2])
		}
	}
}

// TestParamsFormats: the HTML is one page that loads nothing, the CSV reads
// back with a row per stage and a changed column, Markdown has a row per
// stage.
func TestParamsFormats(t *testing.T) {
	reg := compileClean(t, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen"))
	table := Params(reg)
	var h, m, c bytes.Buffer
	for format, b := range map[string]*bytes.Buffer{"html": &h, "markdown": &m, "csv": &c} {
		if err := WriteParams(b, table, format); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []string{"<link", "<script", "src=", "url(", "@import"} {
		if strings.Contains(h.String(), bad) {
			t.Errorf("the HTML loads something: %s", bad)
		}
	}
	if n := strings.Count(h.String(), `class="changed"`); n == 0 {
		t.Error("the HTML marks no changed cell")
	}
	if n := strings.Count(m.String(), "\n"); n != len(reg.Stages)+2 {
		t.Errorf("markdown: %d lines, want %d", n, len(reg.Stages)+2)
	}
	recs, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != len(reg.Stages)+1 || len(recs[0]) != len(table.Columns)+2 || recs[0][len(recs[0])-1] != "changed" {
		t.Fatalf("csv: %d records, header %v", len(recs), recs[0])
	}
	if recs[2][0] != "TRAINING_1_gratings" || !strings.Contains(recs[2][len(recs[2])-1], "reward_volume") {
		t.Errorf("csv row 2: %v", recs[2])
	}
	if err := WriteParams(&h, table, "pdf"); err == nil {
		t.Error("pdf: no error")
	}
}
