package graph

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// regimenFiles are the examples and the ports that are regimens (not
// libraries), relative to the module root.
func regimenFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"examples/*.regimen", "regimens/*/*.regimen"} {
		files, err := filepath.Glob(filepath.Join("..", "..", pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if res := compiler.Compile(f, nil); !res.IsLibrary {
				out = append(out, f)
			}
		}
	}
	if len(out) < 7 {
		t.Fatalf("found only %d regimens: %v", len(out), out)
	}
	return out
}

func compileClean(t testing.TB, path string) *compiler.Regimen {
	t.Helper()
	res := compiler.Compile(path, nil)
	if res.Regimen == nil || len(res.Diagnostics) > 0 {
		t.Fatalf("%s: %v", path, res.Diagnostics)
	}
	return res.Regimen
}

func compileSource(t testing.TB, src string) *compiler.Regimen {
	t.Helper()
	res := compiler.CompileSource("gen.regimen", []byte(src), nil)
	if res.Regimen == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("%v", res.Diagnostics)
	}
	return res.Regimen
}

// TestGolden pins the DOT and Mermaid of every example and port
// (`go test ./emit/graph -run Golden -update` rewrites them).
func TestGolden(t *testing.T) {
	for _, path := range regimenFiles(t) {
		reg := compileClean(t, path)
		name := strings.TrimSuffix(filepath.Base(path), ".regimen")
		for ext, write := range map[string]func(io.Writer, *Graph) error{"dot": WriteDOT, "mmd": WriteMermaid} {
			var b bytes.Buffer
			if err := write(&b, Build(reg)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", name+"."+ext)
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./emit/graph -run Golden -update writes it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from the %s output of %s (-update rewrites it):\n%s", golden, ext, path, b.String())
			}
		}
	}
}

// generated is a regimen of n stages in three groups: a progress chain,
// a lapse back every seventh stage, a skip ahead every eleventh, and manual
// transitions every tenth.
func generated(n int) string {
	var b strings.Builder
	b.WriteString("regimen Generated version 1.0.0\ncriterion passed, lapsed\nscript s { url: \"http://example.org/s.py\" }\n")
	name := func(i int) string {
		switch {
		case i < n/2:
			return fmt.Sprintf("TRAINING_%d", i)
		case i < n*5/6:
			return fmt.Sprintf("OPHYS_%d_images", i)
		}
		return fmt.Sprintf("EPHYS_%d_recording", i)
	}
	for i := 0; i < n; i++ {
		if i == n-1 {
			b.WriteString("final ")
		}
		fmt.Fprintf(&b, "stage %s { script: s, params: { level: %d } }\n", name(i), i)
	}
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "progress %s -> %s when passed\n", name(i), name(i+1))
		if i%7 == 6 {
			fmt.Fprintf(&b, "progress %s -> %s when lapsed\n", name(i), name(i-3))
		}
		if i%11 == 0 && i+4 < n {
			fmt.Fprintf(&b, "manual %s -> %s\n", name(i), name(i+4))
		}
		if i%10 == 9 {
			fmt.Fprintf(&b, "manual %s -> %s\n", name(i+1), name(i))
		}
	}
	return b.String()
}

// svgTexts parses an SVG document (failing on XML that is not well-formed)
// and returns the content of its text elements.
func svgTexts(t *testing.T, svg []byte) []string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var texts []string
	var in []string
	root := ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = x.Name.Space + " " + x.Name.Local
			}
			in = append(in, x.Name.Local)
			if x.Name.Local == "text" {
				texts = append(texts, "")
			}
		case xml.EndElement:
			in = in[:len(in)-1]
		case xml.CharData:
			if len(in) > 0 && in[len(in)-1] == "text" {
				texts[len(texts)-1] += string(x)
			}
		}
	}
	if root != "http://www.w3.org/2000/svg svg" {
		t.Fatalf("the root element is %q, want an svg element", root)
	}
	return texts
}

// TestSVGWellFormed draws task1a and a regimen of 300 stages: each SVG is
// well-formed XML and holds every stage's name as a text element of its own.
func TestSVGWellFormed(t *testing.T) {
	regs := map[string]*compiler.Regimen{
		"task1a":    compileClean(t, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen")),
		"generated": compileSource(t, generated(300)),
	}
	for name, reg := range regs {
		var b bytes.Buffer
		if err := WriteSVG(&b, Build(reg)); err != nil {
			t.Fatal(err)
		}
		texts := map[string]int{}
		for _, s := range svgTexts(t, b.Bytes()) {
			texts[s]++
		}
		for _, s := range reg.Stages {
			if texts[s.Name] < 1 {
				t.Errorf("%s: the SVG has no text %q", name, s.Name)
			}
		}
		if name == "generated" && len(reg.Stages) != 300 {
			t.Errorf("the generated regimen has %d stages", len(reg.Stages))
		}
	}
}

// TestSVGEscapes: names and criteria that XML must escape are drawn as
// written.
func TestSVGEscapes(t *testing.T) {
	reg := compileSource(t, `regimen "a<b>&\"c\"" 
criterion "x<y"
script s { url: "http://example.org/s.py" }
stage "A&B" { script: s, params: {} }
final stage "C'D" { script: s, params: {} }
progress "A&B" -> "C'D" when "x<y"
`)
	var b bytes.Buffer
	if err := WriteSVG(&b, Build(reg)); err != nil {
		t.Fatal(err)
	}
	texts := strings.Join(svgTexts(t, b.Bytes()), "\n")
	for _, want := range []string{"A&B", "C'D", "when x<y", `a<b>&"c"`} {
		if !strings.Contains(texts, want) {
			t.Errorf("no text %q in\n%s", want, texts)
		}
	}
}

// TestPNG draws task1a as a PNG of the layout's size, with ink on it.
func TestPNG(t *testing.T) {
	g := Build(compileClean(t, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen")))
	var b bytes.Buffer
	if err := WritePNG(&b, g); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	d := layout(g)
	if img.Bounds().Dx() != int(d.w) || img.Bounds().Dy() != int(d.h) {
		t.Errorf("the PNG is %v, the layout %gx%g", img.Bounds().Size(), d.w, d.h)
	}
	fill := parseColour(palette[0])
	inked, filled := 0, 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			c := img.At(x, y)
			r, g, b, _ := c.RGBA()
			if r < 0x8000 && g < 0x8000 && b < 0x8000 {
				inked++
			}
			if fr, fg, fb, _ := fill.RGBA(); r == fr && g == fg && b == fb {
				filled++
			}
		}
	}
	// 8 TRAINING boxes of about 290x28 pixels, and text and lines
	if filled < 8*200*20 || inked < 5000 {
		t.Errorf("the PNG has %d pixels of the TRAINING fill and %d dark ones", filled, inked)
	}
}

// TestNeighbourhoodAndHighlight: --stage/--depth keeps the stages within
// depth transitions either way, with the transitions between them, in
// order; --highlight marks one; an unknown stage says what was meant.
func TestNeighbourhoodAndHighlight(t *testing.T) {
	g := Build(compileClean(t, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen")))
	sub, err := g.Neighbourhood("TRAINING_5_images_A_handoff_ready", 1)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, n := range sub.Nodes {
		names = append(names, n.Name)
	}
	want := "TRAINING_5_images_A_epilogue TRAINING_5_images_A_handoff_ready TRAINING_5_images_A_handoff_lapsed OPHYS_0_images_A_habituation"
	if strings.Join(names, " ") != want {
		t.Errorf("depth 1: %v\nwant %s", names, want)
	}
	if len(sub.Edges) != 4 {
		t.Errorf("depth 1: %d edges, want 4", len(sub.Edges))
	}
	if sub, _ := g.Neighbourhood("OPHYS_3_images_A", 0); len(sub.Nodes) != 1 || len(sub.Edges) != 0 {
		t.Errorf("depth 0: %d nodes, %d edges", len(sub.Nodes), len(sub.Edges))
	}
	if err := g.Highlight("OPHYS_3_images_A"); err != nil || !g.Node("OPHYS_3_images_A").Highlight {
		t.Errorf("highlight: %v", err)
	}
	var dot bytes.Buffer
	_ = WriteDOT(&dot, g)
	if !strings.Contains(dot.String(), `"OPHYS_3_images_A" [fillcolor="`+highlightFill+`"`) {
		t.Errorf("the DOT does not fill the highlighted stage:\n%s", dot.String())
	}
	if _, err := g.Neighbourhood("OPHYS_3_images", 1); err == nil || !strings.Contains(err.Error(), "did you mean OPHYS_3_images_A?") {
		t.Errorf("unknown stage: %v", err)
	}
}

// TestEdgeOrder: transitions of one trigger leaving one stage are numbered
// in the order mtrain tries them; a lone one is not.
func TestEdgeOrder(t *testing.T) {
	reg := compileSource(t, `regimen T version 1.0.0
criterion a, b
script s { url: "http://example.org/s.py" }
stage A { script: s, params: {} }
stage B { script: s, params: {} }
final stage C { script: s, params: {} }
progress A -> B when a
progress A -> C unless b
manual A -> C
progress B -> C
`)
	var labels []string
	for _, e := range Build(reg).Edges {
		labels = append(labels, strings.Join(e.Label(), "/"))
	}
	want := "1. progress/when a | 2. progress/unless b | manual | progress"
	if got := strings.Join(labels, " | "); got != want {
		t.Errorf("labels %s\nwant %s", got, want)
	}
}

// TestMissingStage: a transition to a stage that is not declared (a
// legacy defect, drawn with --force) gets a node of its own, dashed and
// red, after the declared ones.
func TestMissingStage(t *testing.T) {
	reg := &compiler.Regimen{Name: "X",
		Stages:      []*compiler.Stage{{Name: "A"}, {Name: "B"}},
		Transitions: []*compiler.Transition{{Trigger: "progress", Source: "A", Dest: "B"}, {Trigger: "progress", Source: "B", Dest: "Z"}},
	}
	g := Build(reg)
	if len(g.Nodes) != 3 || g.Nodes[2].Name != "Z" || !g.Nodes[2].Missing || g.Nodes[1].Missing {
		t.Fatalf("nodes %+v %+v %+v", g.Nodes[0], g.Nodes[1], g.Nodes[len(g.Nodes)-1])
	}
	var b bytes.Buffer
	_ = WriteDOT(&b, g)
	if !strings.Contains(b.String(), `"Z" [fillcolor="`+missingFill+`", style="rounded,filled,dashed", tooltip="Z: not declared"]`) {
		t.Errorf("the DOT does not mark Z:\n%s", b.String())
	}
}
