package compiler

import (
	"strings"

	"github.com/regc/regc/lang"
)

// LintScriptURLs warns, once per url where it is first written, about each
// script url of r that is not an http or https URL (`regc check` runs it;
// emit and build do not, as a local script is fine for a stage run by hand).
func LintScriptURLs(r *Regimen) lang.Diagnostics {
	var diags lang.Diagnostics
	if r == nil {
		return nil
	}
	seen := map[string]bool{}
	scripts := append([]*Script(nil), r.Scripts...)
	for _, st := range r.Stages {
		if st.Script != nil {
			scripts = append(scripts, st.Script)
		}
	}
	for _, sc := range scripts {
		lower := strings.ToLower(sc.URL)
		if seen[sc.URL] || sc.URL == "" || strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
			continue
		}
		seen[sc.URL] = true
		diags.Warnf(lang.CodeScriptURLNotHTTP, sc.URLRange, "script url %q is not an http(s) URL: regc emit reads it as a local file, but mtrain hands the url to the rigs and no rig can fetch a local path: publish the script and give its http(s) URL", sc.URL)
	}
	return diags
}

// NoName is noName, for the legacy build.
func NoName(diags *lang.Diagnostics, at lang.Range, what string) *lang.Diagnostic {
	return noName(diags, at, what)
}

// noName reports a regimen without a name (a legacy file without `name`,
// or `name: null`; `regimen null` in source): the old tools crashed on it
// and mtrain holds a regimen by its name.
func noName(diags *lang.Diagnostics, at lang.Range, what string) *lang.Diagnostic {
	return diags.Errorf(lang.CodeMissingField, at, "this regimen has no name (%s): the old tools crashed on it and mtrain holds a regimen by its name; give it one", what)
}
