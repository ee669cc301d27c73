package legacy

import (
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// findDiag returns the first diagnostic with code, or nil.
func findDiag(ds lang.Diagnostics, code string) *lang.Diagnostic {
	for i := range ds {
		if ds[i].Code == code {
			return &ds[i]
		}
	}
	return nil
}

// What cannot be verified or served is refused (an error) or flagged (a
// warning) where a legacy file writes it (compiler.TestRefuseUnverifiable
// for .regimen sources).
func TestRefuseUnverifiableLegacy(t *testing.T) {
	const stages = "stages:\n  A:\n    script: http://example.org/a.py\n    script_md5: %s\n    parameters: {stage: A}\ntransitions: []\n"
	for _, tc := range []struct {
		name, src, code string
		sev             lang.Severity
		line            int
		msg             string
	}{
		{"an md5 YAML reads as an int", "name: R_v1.0.0\n" + strings.Replace(stages, "%s", "00000000000000000000000000000000", 1),
			"type-mismatch", lang.Error, 5, `quote it: "00000000000000000000000000000000"`},
		{"an md5 YAML reads as a float", "name: R_v1.0.0\n" + strings.Replace(stages, "%s", "1.0e+10", 1),
			"type-mismatch", lang.Error, 5, "float"},
		{"no name", strings.Replace(stages, "%s", "410d697d666405eed63f72e4d3e189bb", 1),
			"missing-field", lang.Error, 1, "no name"},
		{"a null name", "name: null\n" + strings.Replace(stages, "%s", "410d697d666405eed63f72e4d3e189bb", 1),
			"missing-field", lang.Error, 1, "no name"},
		{"a local script path", "name: R_v1.0.0\n" + strings.Replace(strings.Replace(stages, "%s", "410d697d666405eed63f72e4d3e189bb", 1), "http://example.org/a.py", "C:/scripts/a.py", 1),
			"script-url-not-http", lang.Warning, 4, "no rig can fetch"},
	} {
		res := CompileSource("r.yml", []byte(tc.src))
		d := findDiag(append(res.Diagnostics, compiler.LintScriptURLs(res.Regimen)...), tc.code)
		if d == nil || d.Severity != tc.sev || d.Range.Start.Line != tc.line || !strings.Contains(d.Message, tc.msg) {
			t.Errorf("%s: got %v; want a %s %s on line %d saying %q", tc.name, res.Diagnostics, tc.sev, tc.code, tc.line, tc.msg)
		}
	}
}
