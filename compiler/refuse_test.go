package compiler

import (
	"testing"

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
// warning) where it is written.
func TestRefuseUnverifiable(t *testing.T) {
	for _, tc := range []struct {
		name, src, code string
		sev             lang.Severity
		line            int
	}{
		{"regimen null", "regimen null\nscript s { url: \"http://example.org/a.py\" }\nstage A { script: s, params: {} }\n", "missing-field", lang.Error, 1},
		{"a local script path", "regimen R version 1.0.0\nscript s { url: \"scripts/a.py\" }\nstage A { script: s, params: {} }\n", "script-url-not-http", lang.Warning, 2},
		{"a file url", "regimen R version 1.0.0\nscript s { url: \"file:///scripts/a.py\" }\nstage A { script: s, params: {} }\n", "script-url-not-http", lang.Warning, 2},
	} {
		res := CompileSource("r.regimen", []byte(tc.src), nil)
		d := findDiag(append(res.Diagnostics, LintScriptURLs(res.Regimen)...), tc.code)
		if d == nil || d.Severity != tc.sev || d.Range.Start.Line != tc.line {
			t.Errorf("%s: got %v; want a %s %s on line %d", tc.name, res.Diagnostics, tc.sev, tc.code, tc.line)
		}
	}
	// an http(s) url is not flagged
	res := CompileSource("r.regimen", []byte("regimen R version 1.0.0\nscript s { url: \"HTTPS://example.org/a.py\" }\nstage A { script: s, params: {} }\n"), nil)
	if d := findDiag(LintScriptURLs(res.Regimen), "script-url-not-http"); d != nil {
		t.Errorf("an https url: %v", d)
	}
}
