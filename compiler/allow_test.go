package compiler

import (
	"strings"
	"testing"
)

// `// regc:allow CODE` on the line before a declaration (or after its first
// line) silences that warning for that declaration, and nothing else.
func TestAllowDirective(t *testing.T) {
	const head = "regimen Allow version 1.0.0\nscript s { url: \"https://example.org/s.py\", md5: \"410d697d666405eed63f72e4d3e189bb\" }\n"
	const tail = "progress A -> B\nmanual A -> C\n"
	for _, tc := range []struct {
		name, stages string
		want         []string // the codes left, in order
	}{
		{"no directive", "stage A { script: s, params: { n: 1 } }\nstage B { script: s, params: { n: 2 } }\nstage C { script: s, params: { n: 3 } }\n",
			[]string{"trap-stage", "trap-stage"}},
		{"the line before", "stage A { script: s, params: { n: 1 } }\n// regc:allow trap-stage\nstage B { script: s, params: { n: 2 } }\nstage C { script: s, params: { n: 3 } }\n",
			[]string{"trap-stage"}},
		{"after the first line", "stage A { script: s, params: { n: 1 } }\nstage B { script: s, params: { n: 2 } }\nstage C { script: s, params: { n: 3 } }  // regc:allow trap-stage: ends here for now\n",
			[]string{"trap-stage"}},
		{"two codes", "stage A { script: s, params: { n: 1 } }\n// regc:allow unused, trap-stage\nstage B { script: s, params: { n: 2 } }\n// regc:allow trap-stage\nstage C { script: s, params: { n: 3 } }\n",
			nil},
		{"another code", "stage A { script: s, params: { n: 1 } }\n// regc:allow unreachable-stage\nstage B { script: s, params: { n: 2 } }\nstage C { script: s, params: { n: 3 } }\n",
			[]string{"trap-stage", "trap-stage"}},
		{"a blank line between", "stage A { script: s, params: { n: 1 } }\n// regc:allow trap-stage\n\nstage B { script: s, params: { n: 2 } }\nstage C { script: s, params: { n: 3 } }\n",
			[]string{"trap-stage", "trap-stage"}},
	} {
		res := CompileSource("allow.regimen", []byte(head+tc.stages+tail), nil)
		var got []string
		for _, d := range res.Diagnostics {
			got = append(got, d.Code)
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: codes %v, want %v\n%v", tc.name, got, tc.want, res.Diagnostics)
		}
	}
}

// An error cannot be silenced, and a directive naming no known code is a
// warning that says so.
func TestAllowDirectiveLimits(t *testing.T) {
	src := "regimen Allow version 1.0.0\n// regc:allow undefined-name\nlet x = qqq\n// regc:allow trap-stages\nlet z = 1\n"
	res := CompileSource("allow.regimen", []byte(src), nil)
	var got []string
	for _, d := range res.Diagnostics {
		got = append(got, d.Severity.String()+" "+d.Code+" "+d.Message)
	}
	want := []string{
		"warning unused constant x is declared but never used",
		"error undefined-name undefined: qqq",
		`warning syntax regc:allow names no warning code trap-stages (did you mean trap-stage?)`,
		"warning unused constant z is declared but never used",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
