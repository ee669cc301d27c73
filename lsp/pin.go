package lsp

// The "pin md5" quick fix: for a script declaration without an md5 (or
// with one that is not 32 hex digits), the md5 of what its url serves,
// written as regc freeze writes it (scripts.PinMD5s). The script is fetched
// only when the client asks for code actions on the declaration, within
// pinTimeout, and what a url served (or why it failed) is remembered for
// pinMemory so that a client asking again as the cursor moves does not
// fetch again.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/scripts"
)

const (
	// pinTimeout bounds one fetch: the server answers nothing else
	// meanwhile.
	pinTimeout = 10 * time.Second
	// pinMemory is how long a fetch's outcome is reused.
	pinMemory = 5 * time.Minute
)

type pinFetch struct {
	md5 string
	err error
	at  time.Time
}

// fetcher returns the server's script fetcher: Options.Fetcher, else one
// with the script cache ($REGC_CACHE_DIR) and a fetch timeout of pinTimeout.
func (s *Server) fetcher() *scripts.Fetcher {
	if s.opts.Fetcher != nil {
		return s.opts.Fetcher
	}
	if s.defaultFetcher == nil {
		dir, _ := scripts.ScriptCacheDir(os.Getenv) // no cache folder only costs a later download
		s.defaultFetcher = &scripts.Fetcher{CacheDir: dir, Timeout: pinTimeout}
	}
	return s.defaultFetcher
}

// pinActions returns a "pin md5" action for each script declared in d,
// touching the requested range, whose url could be fetched and that has no
// md5, a malformed one, or one a script-md5 diagnostic of the request's
// context (regc check --verify-scripts) says is wrong.
func (s *Server) pinActions(d *document, rng Range, diags []Diagnostic) []CodeAction {
	if !hasSuffixFold(d.path, ".regimen") {
		return nil
	}
	res := s.compile(d.path)
	if res.Regimen == nil {
		return nil
	}
	t := newText(d.src)
	from, to := t.offset(rng.Start), t.offset(rng.End)
	var out []CodeAction
	for _, sc := range res.Regimen.Scripts {
		if sc == nil || filepath.Clean(sc.Range.File) != d.path || sc.URL == "" || !sc.URLRange.IsValid() {
			continue
		}
		if sc.MD5 != "" && compiler.IsMD5(sc.MD5) && !saidWrong(t, sc, diags) {
			continue
		}
		start, end := sc.Range.Start.Offset, max(sc.Range.End.Offset, sc.BodyRange.End.Offset)
		start = bytes.LastIndexByte(d.src[:min(start, len(d.src))], '\n') + 1 // the `script` keyword
		if to < start || from > end {
			continue
		}
		sum, err := s.fetchMD5(sc, scripts.ScriptDir(sc, res.Regimen))
		if err != nil {
			s.logf("pin md5 of script %s: %v", sc.Name, err)
			continue
		}
		edit, err := pinEdit(d, res, sc, sum)
		if err != nil {
			s.logf("pin md5 of script %s: %v", sc.Name, err)
			continue
		}
		out = append(out, CodeAction{
			Title: fmt.Sprintf("pin md5 %s (as regc freeze would)", sum), Kind: "quickfix",
			Edit: &WorkspaceEdit{Changes: map[string][]TextEdit{d.uri: {edit}}},
		})
	}
	return out
}

// saidWrong reports whether one of diags is a script-md5 error on sc's md5.
func saidWrong(t *text, sc *compiler.Script, diags []Diagnostic) bool {
	for _, dg := range diags {
		if dg.Code == lang.CodeScriptMD5 && dg.Severity == severityError && sc.MD5Range.IsValid() {
			at := t.offset(dg.Range.Start)
			if at >= sc.MD5Range.Start.Offset && at <= sc.MD5Range.End.Offset {
				return true
			}
		}
	}
	return false
}

// fetchMD5 returns the md5 of what sc's url serves, fetched within
// pinTimeout, or remembered from a fetch of the last pinMemory.
func (s *Server) fetchMD5(sc *compiler.Script, dir string) (string, error) {
	key := sc.URL
	if !scripts.IsURL(key) {
		key = filepath.Join(dir, key)
	}
	if p, ok := s.pins[key]; ok && time.Since(p.at) < pinMemory {
		return p.md5, p.err
	}
	f := s.fetcher()
	ctx, cancel := context.WithTimeout(context.Background(), pinTimeout)
	defer cancel()
	got, err := f.Get(ctx, sc.URL, dir)
	p := pinFetch{err: err, at: time.Now()}
	if err == nil {
		p.md5 = got.MD5
		if scripts.IsURL(sc.URL) {
			if cerr := f.Store(got.MD5, got.Body); cerr != nil {
				s.logf("script cache: %v", cerr)
			}
		}
	}
	s.pins[key] = p
	return p.md5, p.err
}

// pinEdit is the text edit that writes sum into sc's declaration exactly as
// scripts.PinMD5s does: the smallest replacement between the document's
// text and PinMD5s's. The new text is compiled again to check that the
// script then has that md5 and no error appeared.
func pinEdit(d *document, res *compiler.Result, sc *compiler.Script, sum string) (TextEdit, error) {
	src := res.Sources[sc.Range.File]
	if src == nil || string(src) != string(d.src) {
		return TextEdit{}, fmt.Errorf("the document changed while it was compiled")
	}
	pinned, err := scripts.PinMD5s(src, []scripts.Pin{{Script: sc, MD5: sum}})
	if err != nil {
		return TextEdit{}, err
	}
	after := compiler.CompileSource(d.path, pinned, &compiler.Options{ReadFile: func(p string) ([]byte, error) {
		if t, ok := res.Sources[p]; ok {
			return t, nil
		}
		return compiler.ReadSource(p)
	}})
	if after.Regimen == nil || after.Diagnostics.Count(lang.Error) > res.Diagnostics.Count(lang.Error) {
		return TextEdit{}, fmt.Errorf("writing md5 %s into the declaration would not compile", sum)
	}
	for _, a := range after.Regimen.Scripts {
		if a.Name == sc.Name && a.MD5 != sum {
			return TextEdit{}, fmt.Errorf("after writing md5 %s the script has md5 %q", sum, a.MD5)
		}
	}
	pre := 0
	for pre < len(src) && pre < len(pinned) && src[pre] == pinned[pre] {
		pre++
	}
	suf := 0
	for suf < len(src)-pre && suf < len(pinned)-pre && src[len(src)-1-suf] == pinned[len(pinned)-1-suf] {
		suf++
	}
	t := newText(src)
	return TextEdit{
		Range:   Range{Start: t.position(pre), End: t.position(len(src) - suf)},
		NewText: string(pinned[pre : len(pinned)-suf]),
	}, nil
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, format+"\n", args...)
	}
}
