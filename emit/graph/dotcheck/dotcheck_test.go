package dotcheck

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-graphviz"
	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit/graph"
)

// TestDOTParses reads the DOT of every example and port with graphviz's own
// parser and checks that it holds one node per stage, in order, and one edge
// per transition, each stage's transitions in order, each labelled with its
// trigger and criteria; manual ones dashed.
func TestDOTParses(t *testing.T) {
	var files []string
	for _, pattern := range []string{"examples/*.regimen", "regimens/*/*.regimen"} {
		fs, err := filepath.Glob(filepath.Join("..", "..", "..", pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	checked := 0
	for _, path := range files {
		res := compiler.Compile(path, nil)
		if res.IsLibrary {
			continue
		}
		if res.Regimen == nil || res.Diagnostics.HasErrors() {
			t.Fatalf("%s: %v", path, res.Diagnostics)
		}
		checkDOT(t, path, res.Regimen)
		checked++
	}
	if checked < 7 {
		t.Fatalf("checked only %d regimens", checked)
	}
}

func checkDOT(t *testing.T, path string, reg *compiler.Regimen) {
	t.Helper()
	var b bytes.Buffer
	if err := graph.WriteDOT(&b, graph.Build(reg)); err != nil {
		t.Fatal(err)
	}
	g, err := graphviz.ParseBytes(b.Bytes())
	if err != nil {
		t.Fatalf("%s: graphviz cannot read the DOT: %v\n%s", path, err, b.String())
	}
	defer g.Close()
	// nodes, in the order graphviz holds them (the order they were written)
	var nodes []string
	n, err := g.FirstNode()
	for ; err == nil && n != nil; n, err = g.NextNode(n) {
		name, err := n.Name()
		if err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, name)
	}
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, s := range reg.Stages {
		want = append(want, s.Name)
	}
	if strings.Join(nodes, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s: graphviz reads the nodes\n%v\nwant the stages\n%v", path, nodes, want)
	}
	// edges: each node's out-edges in the order they were written, against
	// the transitions of that stage in the order mtrain tries them
	total := 0
	for n, err := g.FirstNode(); err == nil && n != nil; n, err = g.NextNode(n) {
		src, _ := n.Name()
		var wantEdges []string
		for _, tr := range reg.Transitions {
			if tr.Source == src {
				label := tr.Trigger
				if len(tr.When) > 0 {
					label += " when " + strings.Join(tr.When, ", ")
				}
				if len(tr.Unless) > 0 {
					label += " unless " + strings.Join(tr.Unless, ", ")
				}
				wantEdges = append(wantEdges, tr.Dest+" ["+label+"]")
			}
		}
		var got []string
		e, err := g.FirstOut(n)
		for ; err == nil && e != nil; e, err = g.NextOut(e) {
			head, err := e.Head()
			if err != nil {
				t.Fatal(err)
			}
			dst, _ := head.Name()
			label := strings.ReplaceAll(e.GetStr("label"), `\n`, " ")
			// "1. progress" numbers transitions of one trigger from one stage
			if i := strings.Index(label, ". "); i > 0 && strings.Trim(label[:i], "0123456789") == "" {
				label = label[i+2:]
			}
			if (e.GetStr("style") == "dashed") != strings.HasPrefix(label, "manual") {
				t.Errorf("%s: edge %s -> %s [%s] has style %q", path, src, dst, label, e.GetStr("style"))
			}
			got = append(got, dst+" ["+label+"]")
		}
		if err != nil {
			t.Fatal(err)
		}
		total += len(got)
		if strings.Join(got, "\n") != strings.Join(wantEdges, "\n") {
			t.Errorf("%s: from %s graphviz reads the edges\n%v\nwant\n%v", path, src, got, wantEdges)
		}
	}
	if total != len(reg.Transitions) {
		t.Errorf("%s: %d edges, %d transitions", path, total, len(reg.Transitions))
	}
}
