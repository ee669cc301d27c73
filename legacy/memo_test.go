package legacy

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/regc/regc/emit"
	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// TestRememberedValuesBuildAlike holds the importer's memo of converted
// values (legacyBuilder.remember) to what it promises: a build that finds
// every node's value remembered builds the document it builds without, and
// reports and counts the same. The files are the importer's pinned inputs,
// the historic corpus when present, and values that the build reports
// (a timestamp, behind an alias and not) and a string that nears the text
// bound.
func TestRememberedValuesBuildAlike(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(importDir, "*.yml"))
	srcs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = b
	}
	if dir := corpustest.Seeds(t, "yaml"); dir != "" {
		more, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
		for _, f := range more {
			if b, err := os.ReadFile(f); err == nil {
				srcs[f] = b
			}
		}
	}
	srcs["reported.yml"] = []byte("t: &t 2001-12-14\nname: A_v1.0.0\nstages:\n  A:\n    script: a.py\n    parameters: {stage: A, when: *t, at: 2002-01-01, k: &k {x: 1}, j: *k}\n  B:\n    script: b.py\n    parameters: {stage: B, when: *t}\ntransitions:\n  - {trigger: progress, source: A, dest: B, conditions: x}\n")
	// 1 MiB behind aliases: 128 MiB of parameters, so that the build,
	// after the importer's conversions, passes the text bound midway
	srcs["text.yml"] = []byte("s: &s " + strings.Repeat("x", 1<<20) + "\na: &a [" + strings.Repeat("*s, ", 15) + "*s]\nb: &b [*a, *a, *a, *a]\nbig: &big {stage: A, p: *b, q: *b}\nname: A_v1.0.0\nstages:\n  A:\n    script: a.py\n    parameters: *big\ntransitions: []\n")
	for path, src := range srcs {
		root, rd := yaml.Read(path, src)
		if root == nil || rd.HasErrors() {
			continue
		}
		// both builders first convert every node once, as the importer
		// does (before it remembered them, it kept each node's first value)
		var plainDiags, memoDiags lang.Diagnostics
		plain := &legacyBuilder{path: path, diags: &plainDiags}
		memo := &legacyBuilder{path: path, diags: &memoDiags, memo: newValueMemo(root)}
		remembered := 0
		var walk func(n *yaml.Node)
		walk = func(n *yaml.Node) {
			if n == nil || n.Alias() != nil {
				return
			}
			// all but the document itself; in text.yml the anchored nodes
			// and scalars only, which keeps its text short of the bound
			if n != root.Target() && (path != "text.yml" || n.Anchor() != "" || n.Kind == yaml.Scalar) {
				plain.value(n)
				memo.remember(n)
				remembered++
			}
			for _, it := range n.Items() {
				walk(it)
			}
			for _, p := range n.Pairs() {
				walk(p.Key)
				walk(p.Value)
			}
		}
		walk(root.Target())
		if !reflect.DeepEqual(memoDiags, plainDiags) || memo.values != plain.values || memo.text != plain.text {
			t.Fatalf("%s: remembering converts otherwise: %v, %d values, %d bytes; without %v, %d, %d", path, memoDiags, memo.values, memo.text, plainDiags, plain.values, plain.text)
		}
		plainBefore, pv, pt := len(plainDiags), plain.values, plain.text
		want := plain.regimen(root)
		if path == "text.yml" && !strings.Contains(fmt.Sprint(plainDiags[plainBefore:]), "MiB of text") {
			t.Fatalf("text.yml does not reach the text bound in the build: %v", plainDiags)
		}
		values, text, before := memo.values, memo.text, len(memoDiags)
		got := memo.regimen(root)
		if (got == nil) != (want == nil) {
			t.Fatalf("%s: the build with values remembered has a regimen: %v, without: %v", path, got != nil, want != nil)
		}
		if want != nil {
			if diff := valueDiff(emit.DocumentValue(got), emit.DocumentValue(want), ""); diff != "" {
				t.Errorf("%s: with values remembered (%d nodes) the build makes another document: %s", path, remembered, diff)
			}
		}
		if !reflect.DeepEqual(memoDiags[before:], plainDiags[plainBefore:]) {
			t.Errorf("%s: with values remembered the build reports\n%v\nwithout\n%v", path, memoDiags[before:], plainDiags[plainBefore:])
		}
		if memo.values-values != plain.values-pv || memo.text-text != plain.text-pt {
			t.Errorf("%s: with values remembered the build counts %d values and %d bytes, without %d and %d", path, memo.values-values, memo.text-text, plain.values-pv, plain.text-pt)
		}
	}
}
