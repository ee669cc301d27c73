package legacy

import (
	"bytes"
	"fmt"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit"
	"github.com/regc/regc/lang"
)

// keptDefect reports the errors an imported source may have: the legacy
// file's defects, kept so that the document stays the same, and what the
// language requires where YAML did not.
func keptDefect(code string) bool {
	switch code {
	case "duplicate-key", // a key written twice in a mapping
		"duplicate-stage", // a stage written twice
		"undefined-stage",
		"stage-param-mismatch",
		"duplicate-transition",
		"missing-field",     // a stage without a script
		"out-of-range",      // an empty script URL
		"unsafe-stage-name": // a stage name that cannot name a file
		return true
	}
	return false
}

// verify compiles the imported source and compares its document with the
// legacy file's (*legacyBuild, the legacy build of the file at path). It returns
// an internal diagnostic when the source has an error that is not one of
// the legacy file's defects, or builds another document. It is a function
// of what it needs, not a method, so that the importer's node tree and
// tables can be collected while the source compiles.
func verify(path string, legacyBuild **compiler.Regimen, text []byte) (*compiler.Result, *lang.Diagnostic) {
	// the legacy file's document does not depend on the compile: it is
	// built on the other core meanwhile, and kept as bytes, so that the
	// legacy build's values are garbage while the source compiles
	// (legacyDocument takes the caller's reference to the build, and
	// verify's frame never holds one)
	hasLegacy := *legacyBuild != nil
	want := legacyDocument(legacyBuild, 2*len(text))
	res := compiler.CompileSource(ImportedPath(path), text, &compiler.Options{ReadFile: func(p string) ([]byte, error) {
		return nil, fmt.Errorf("imported source has no imports")
	}})
	legacyDoc := <-want
	if verifyCompiled != nil {
		verifyCompiled()
	}
	if legacyDoc.panic != nil {
		panic(legacyDoc.panic) // in this goroutine, where the import recovers it
	}
	at := lang.Range{File: path, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}
	for _, d := range res.Diagnostics {
		if d.Severity == lang.Error && !keptDefect(d.Code) {
			return nil, &lang.Diagnostic{Code: lang.CodeInternal, Severity: lang.Error, Range: at,
				Message: fmt.Sprintf("internal error: the imported source does not compile (%s at %s: %s); please report this with the input", d.Code, d.Range.Start, d.Message)}
		}
	}
	if res.Regimen == nil || !hasLegacy {
		return nil, &lang.Diagnostic{Code: lang.CodeInternal, Severity: lang.Error, Range: at, Message: "internal error: the imported source has no regimen; please report this with the input"}
	}
	if diff := documentDiff(emit.DocumentValue(res.Regimen), legacyDoc.doc); diff != "" {
		return nil, &lang.Diagnostic{Code: lang.CodeInternal, Severity: lang.Error, Range: at,
			Message: fmt.Sprintf("internal error: the imported source builds a different document (%s); please report this with the input", diff)}
	}
	return res, nil
}

// verifyCompiled, when set (by a test), is called when verify has compiled
// the source and holds the legacy document as bytes.
var verifyCompiled func()

// documentDiff is valueDiff of a document and one kept as bytes
// (appendValue): "" when they are Equal. Equal bytes without a record
// with a key written twice are Equal documents; otherwise the bytes are
// decoded for valueDiff to say.
func documentDiff(got compiler.Value, want []byte) string {
	w := docWriter{b: make([]byte, 0, len(want))}
	w.value(got)
	if !w.twice && bytes.Equal(w.b, want) {
		return ""
	}
	back, _ := decodeValue(want)
	return valueDiff(got, back, "")
}

// legacyDocument makes the bytes of the document of *legacyBuild in
// another goroutine, and takes the reference (so that the build is garbage
// once they are made).
func legacyDocument(legacyBuild **compiler.Regimen, size int) <-chan documentOrPanic {
	legacy := *legacyBuild
	*legacyBuild = nil
	want := make(chan documentOrPanic, 1)
	go func(legacy *compiler.Regimen) {
		var r documentOrPanic
		defer func() {
			r.panic = recover()
			want <- r
		}()
		if legacy != nil {
			r.doc = appendValue(make([]byte, 0, size), emit.DocumentValue(legacy))
		}
	}(legacy)
	return want
}

// documentOrPanic is a document's bytes (appendValue) made in another
// goroutine, or the panic that stopped it.
type documentOrPanic struct {
	doc   []byte
	panic any
}

// valueDiff describes the first difference between two document values, or
// returns "" when they are Equal.
func valueDiff(a, b compiler.Value, path string) string {
	if compiler.Equal(a, b) {
		return ""
	}
	if a.Kind == compiler.Map && b.Kind == compiler.Map {
		for _, f := range a.Map {
			g, ok := b.Get(f.Key)
			if !ok {
				return fmt.Sprintf("%s.%s is extra", path, f.Key)
			}
			if d := valueDiff(f.Value, g, path+"."+f.Key); d != "" {
				return d
			}
		}
		for _, f := range b.Map {
			if _, ok := a.Get(f.Key); !ok {
				return fmt.Sprintf("%s.%s is missing", path, f.Key)
			}
		}
	}
	if a.Kind == compiler.List && b.Kind == compiler.List && len(a.List) == len(b.List) {
		for i := range a.List {
			if d := valueDiff(a.List[i], b.List[i], fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	}
	if path == "" {
		path = "the document"
	}
	return fmt.Sprintf("%s is %s, want %s", path, describeValue(a), describeValue(b))
}
