package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// The picture of task1a that the README shows is generated: it must be
// what `regc graph` draws today.
const (
	task1aSource  = "regimens/visual_behavior/task1a.regimen"
	task1aPicture = "regimens/visual_behavior/task1a.svg"
	mermaidSource = "examples/quickstart.regimen"
)

func TestReadmePictureIsCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	r := runRegc(t, "graph", filepath.Join(root, task1aSource))
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("regc graph %s: exit %d\n%s", task1aSource, r.code, r.stderr)
	}
	have, err := os.ReadFile(filepath.Join(root, task1aPicture))
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != r.stdout {
		t.Errorf("%s is stale: regenerate it with\n  go run ./cmd/regc graph %s -o %s", task1aPicture, task1aSource, task1aPicture)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "]("+task1aPicture+")") {
		t.Errorf("the README does not show %s", task1aPicture)
	}
}

// The README's Mermaid block is what `regc graph --format mermaid` writes
// for the quickstart.
func TestReadmeMermaidIsCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	r := runRegc(t, "graph", "--format", "mermaid", filepath.Join(root, mermaidSource))
	if r.code != exitOK || r.stderr != "" {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```mermaid\n"+r.stdout+"```\n") {
		t.Errorf("the README has no mermaid block with the graph of %s; it is\n```mermaid\n%s```", mermaidSource, r.stdout)
	}
}

func TestGraphCommand(t *testing.T) {
	root := filepath.Join("..", "..")
	task1a := filepath.Join(root, task1aSource)
	legacy := writeTemp(t, "r.yml", "name: L_v1.0.0\nstages:\n  A: {script: s.py, parameters: {stage: A, x: 1}}\n  B: {script: s.py, parameters: {stage: B, x: 2}}\ntransitions:\n  - {trigger: progress, source: A, dest: B}\n")
	lib := writeTemp(t, "lib.regimen", "criterion x\n")
	defective := writeTemp(t, "d.yml", "name: D_v1.0.0\nstages: {A: {script: s.py, parameters: {stage: A}}}\ntransitions:\n  - {trigger: progress, source: A, dest: Z}\n")
	for _, tc := range []struct {
		args   []string
		code   int
		stdout string // a part of it
		stderr string
	}{
		{[]string{"graph", "--format", "dot", task1a}, exitOK, `"TRAINING_0_gratings_autorewards_15min" -> "TRAINING_1_gratings"`, ""},
		{[]string{"graph", "--format", "mermaid", "--highlight", "OPHYS_1_images_A", task1a}, exitOK, "class s9 highlight", ""},
		{[]string{"graph", "--format", "dot", "--stage", "OPHYS_3_images_A", "--depth", "1", task1a}, exitOK, `"OPHYS_2_images_A_passive" -> "OPHYS_3_images_A"`, ""},
		{[]string{"graph", "--params", "--format", "csv", task1a}, exitOK, "stage,task_id,", ""},
		{[]string{"graph", "--params", legacy}, exitOK, `<td class="changed">2</td>`, ""},
		{[]string{"graph", "--format", "dot", legacy}, exitOK, `"A" -> "B" [label="progress"`, ""},
		{[]string{"graph", "--format", "pdf", task1a}, exitUsage, "", "--format must be svg, png, dot or mermaid here, not \"pdf\""},
		{[]string{"graph", "--params", "--format", "svg", task1a}, exitUsage, "", "--format must be html, markdown or csv here"},
		{[]string{"graph", "--params", "--highlight", "X", task1a}, exitUsage, "", "do not apply to --params"},
		{[]string{"graph", "--depth", "2", task1a}, exitUsage, "", "--depth needs --stage"},
		{[]string{"graph"}, exitUsage, "", "give exactly one file"},
		{[]string{"graph", "--stage", "OPHYS_3_image", task1a}, exitFail, "", "no stage OPHYS_3_image (did you mean OPHYS_3_images_A?)"},
		{[]string{"graph", lib}, exitFail, "", "it has no stages to draw"},
		{[]string{"graph", "--format", "dot", defective}, exitFail, "", "[undefined-stage]"},
		{[]string{"graph", "--format", "dot", "--force", defective}, exitFail, `"Z" [fillcolor=`, "[undefined-stage]"},
	} {
		r := runRegc(t, tc.args...)
		// a failure without output writes nothing
		quiet := tc.code == exitOK || tc.stdout != "" || r.stdout == ""
		if r.code != tc.code || !quiet || !strings.Contains(r.stdout, tc.stdout) || !strings.Contains(r.stderr, tc.stderr) {
			t.Errorf("regc %s: exit %d, stdout %.300q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				strings.Join(tc.args, " "), r.code, r.stdout, r.stderr, tc.code, tc.stdout, tc.stderr)
		}
	}
	// -o writes a PNG atomically
	out := filepath.Join(t.TempDir(), "t.png")
	if r := runRegc(t, "graph", "--format", "png", "-o", out, task1a); r.code != exitOK {
		t.Fatalf("png: exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil || img.Bounds().Dx() < 300 || img.Bounds().Dy() < 800 {
		t.Fatalf("png: %v %v", err, img)
	}
}

// regc draws its pictures itself: graphviz compiled to WebAssembly
// (go-graphviz, and the wazero runtime it compiles its module with in a
// package init function, on every start) must not be linked into it, or
// every command would start slower. Only emit/graph/dotcheck's test uses it.
func TestNoWebAssemblyRuntimeLinked(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this test binary")
	}
	if len(info.Deps) == 0 {
		t.Fatal("the build information lists no modules")
	}
	for _, m := range info.Deps {
		if m.Path == "github.com/goccy/go-graphviz" || m.Path == "github.com/tetratelabs/wazero" {
			t.Errorf("regc links %s %s", m.Path, m.Version)
		}
	}
}

// A stage name given to --highlight or --stage comes back in the error
// escaped: it cannot act on the terminal.
func TestGraphUnknownStageEscaped(t *testing.T) {
	task1a := filepath.Join("..", "..", task1aSource)
	for _, flag := range []string{"--highlight", "--stage"} {
		r := runRegc(t, "graph", "--format", "dot", flag, "X\x1b]0;owned\x07\u202e", task1a)
		if r.code != exitFail || strings.ContainsAny(r.stderr, "\x1b\x07\u202e") || !strings.Contains(r.stderr, `no stage X\x1b]0;owned\x07\u202e`) {
			t.Errorf("graph %s: exit %d, stderr %q; want exit 1 and the stage name escaped", flag, r.code, r.stderr)
		}
	}
}
