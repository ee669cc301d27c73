package compiler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/regc/regc/lang"
)

func stageNameErrors(res *Result) []string {
	var out []string
	for _, d := range res.Diagnostics {
		if d.Code == lang.CodeUnsafeStageName {
			out = append(out, d.Message)
		}
	}
	return out
}

// Stage names that cannot be file names on a rig are errors in .regimen
// sources (legacy files: legacy.TestUnsafeLegacyStageNames); safe ones pass.
func TestUnsafeStageNames(t *testing.T) {
	for _, name := range []string{"a:b", "a*b", "why?", `a\b`, "a/b", "CON", "nul.txt", "Com1", "a\nb", "\x1b[2J", "x\u202ey", "a\tb", "", strings.Repeat("x", 238)} {
		src := fmt.Sprintf("regimen T version 1.0.0\nstage %q { params: { a: 1 } }\n", name)
		if errs := stageNameErrors(CompileSource("t.regimen", []byte(src), nil)); len(errs) != 1 {
			t.Errorf("stage %q in a .regimen: %d %s errors, want 1", name, len(errs), lang.CodeUnsafeStageName)
		}
	}
	for _, name := range []string{"TRAINING_0_gratings", "4_images_a", "0_habituation-v2", "consoles", "COM10", "café", strings.Repeat("x", 237)} {
		src := fmt.Sprintf("regimen T version 1.0.0\nstage %q { params: { a: 1 } }\n", name)
		if errs := stageNameErrors(CompileSource("t.regimen", []byte(src), nil)); len(errs) != 0 {
			t.Errorf("stage %q: %v, want no error", name, errs)
		}
	}
}
