package scripts

// Freezing: fetching every script of a regimen to write its md5 into the
// source (regc freeze). The source editing is all in this file.

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// Pin is one script's md5 to write into its declaration.
type Pin struct {
	Script *compiler.Script
	MD5    string
}

// PinMD5s returns src, the text of the file that declares the pins'
// scripts, with each pin's md5 written into its declaration: the md5's
// string replaced when the declaration has one, or `md5: "..."` added after
// the url when it has none (on a line of its own below the url's when the
// url ends its line, else as `, md5: "..."` right after the url). Nothing
// else in the text changes. The edits are made by the ranges the tree gives
// the url and md5 literals (lang.Apply).
func PinMD5s(src []byte, pins []Pin) ([]byte, error) {
	var edits []lang.Edit
	for _, p := range pins {
		s := p.Script
		if !md5Hex.Re().MatchString(p.MD5) {
			return nil, fmt.Errorf("script %s: %q is not an md5 in lowercase hex", s.Name, p.MD5)
		}
		lit := `"` + p.MD5 + `"`
		if s.MD5Range.IsValid() {
			start, end, err := valueSpan(src, s.MD5Range)
			if err != nil {
				return nil, fmt.Errorf("script %s: its md5: %w", s.Name, err)
			}
			if string(src[start:end]) != lit {
				edits = append(edits, lang.Edit{Range: s.MD5Range, Text: lit})
			}
			continue
		}
		if !s.URLRange.IsValid() {
			return nil, fmt.Errorf("script %s has no url to write its md5 after", s.Name)
		}
		_, end, err := valueSpan(src, s.URLRange)
		if err != nil {
			return nil, fmt.Errorf("script %s: its url: %w", s.Name, err)
		}
		lineEnd := bytes.IndexByte(src[end:], '\n')
		if lineEnd < 0 {
			lineEnd = len(src)
		} else {
			lineEnd += end
		}
		rest := strings.TrimSpace(string(src[end:lineEnd]))
		comma := strings.HasPrefix(rest, ",")
		if comma {
			rest = strings.TrimSpace(rest[1:])
		}
		if rest != "" && !strings.HasPrefix(rest, "//") {
			// something follows the url on its line: `{ url: "x" }`
			edits = append(edits, lang.Insert(src, end, ", md5: "+lit))
			continue
		}
		lineStart := bytes.LastIndexByte(src[:end], '\n') + 1
		line := src[lineStart:end]
		indent := string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
		if s.BodyRange.IsValid() && s.BodyRange.Start.Offset >= lineStart && s.BodyRange.Start.Offset < end {
			indent += "    " // the url shares its line with the opening brace
		}
		entry := indent + "md5: " + lit
		if comma {
			entry += ","
		}
		newline := "\n"
		if lineEnd > 0 && lineEnd <= len(src) && lineEnd > lineStart && src[lineEnd-1] == '\r' {
			newline = "\r\n"
		}
		if lineEnd == len(src) {
			edits = append(edits, lang.Insert(src, lineEnd, newline+entry))
		} else {
			edits = append(edits, lang.Insert(src, lineEnd+1, entry+newline))
		}
	}
	return lang.Apply(src, edits)
}

// valueSpan returns the byte offsets of the value at r in src: the tree's
// range of a one-line literal, exactly.
func valueSpan(src []byte, r lang.Range) (start, end int, err error) {
	start, end = r.Start.Offset, r.End.Offset
	if start < 0 || end > len(src) || start > end {
		return 0, 0, fmt.Errorf("its place %s is outside the file", r)
	}
	return start, end, nil
}

// PinResult says what freezing did to one script.
type PinResult struct {
	Script *compiler.Script
	Old    string // the md5 the source gave, or ""
	New    string // the md5 of what its url serves
}

// Changed reports whether the source had to change for this script (an
// md5 written in capitals is not wrong).
func (p PinResult) Changed() bool { return !strings.EqualFold(p.Old, p.New) }

// Source is a file's new text.
type Source struct {
	Path string
	Text []byte
}

// Freeze fetches every script of the compiled regimen res (never from the
// cache: what matters is what each url serves now) and returns, for each
// script, the md5 it had and has, and the new text of every file whose
// declarations change. Errors in res stop it, except those about a
// malformed md5, which freezing corrects. The new texts are compiled again
// to check that they say what was meant and nothing else changed; nothing
// is written. Scripts whose content was fetched over the network are stored
// in f's cache under their new md5.
func Freeze(ctx context.Context, f *Fetcher, res *compiler.Result) ([]PinResult, []Source, error) {
	reg := res.Regimen
	if reg == nil {
		return nil, nil, fmt.Errorf("there is no regimen to freeze")
	}
	scripts := uniqueScripts(reg)
	if blockingErrors(res, scripts) > 0 {
		return nil, nil, fmt.Errorf("the regimen has errors other than malformed md5s; fix them first")
	}
	var results []PinResult
	byFile := map[string][]Pin{}
	var files []string
	var fetched []*Fetched
	for _, s := range scripts {
		if s.URL == "" {
			return nil, nil, fmt.Errorf("script %s has no url", s.Name)
		}
		got, err := f.Get(ctx, s.URL, ScriptDir(s, reg))
		if err != nil {
			return nil, nil, fmt.Errorf("script %s: %w", s.Name, err)
		}
		r := PinResult{Script: s, Old: s.MD5, New: got.MD5}
		results = append(results, r)
		if IsURL(s.URL) {
			fetched = append(fetched, got)
		}
		if !r.Changed() {
			continue
		}
		file := s.Range.File
		if _, ok := res.Sources[file]; !ok {
			return nil, nil, fmt.Errorf("script %s: the source of %s was not read", s.Name, file)
		}
		if byFile[file] == nil {
			files = append(files, file)
		}
		byFile[file] = append(byFile[file], Pin{Script: s, MD5: got.MD5})
	}
	var out []Source
	texts := map[string][]byte{}
	for _, file := range files {
		text, err := PinMD5s(res.Sources[file], byFile[file])
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", file, err)
		}
		texts[filepath.Clean(file)] = text
		out = append(out, Source{Path: file, Text: text})
	}
	if len(out) > 0 {
		if err := checkFrozen(reg.File, res, texts, results); err != nil {
			return nil, nil, err
		}
	}
	for _, got := range fetched {
		f.Store(got.MD5, got.Body) // a cache that cannot be written only costs a later download
	}
	return results, out, nil
}

// checkFrozen compiles the regimen again with the new texts and checks that
// every script now has its new md5 and that no new diagnostic appeared.
func checkFrozen(path string, before *compiler.Result, texts map[string][]byte, results []PinResult) error {
	after := compiler.Compile(path, &compiler.Options{ReadFile: func(p string) ([]byte, error) {
		if t, ok := texts[filepath.Clean(p)]; ok {
			return t, nil
		}
		if t, ok := before.Sources[p]; ok {
			return t, nil
		}
		return compiler.ReadSource(p)
	}})
	if after.Regimen == nil {
		return fmt.Errorf("internal error: the frozen regimen does not compile (please report this with the input)")
	}
	md5s := map[string]string{}
	for _, s := range after.Regimen.Scripts {
		md5s[s.Name] = s.MD5
	}
	for _, r := range results {
		if md5s[r.Script.Name] != r.New {
			return fmt.Errorf("internal error: after freezing, script %s has md5 %q, not %s (please report this with the input)", r.Script.Name, md5s[r.Script.Name], r.New)
		}
	}
	if n, m := after.Diagnostics.Count(lang.Error), before.Diagnostics.Count(lang.Error); n > m {
		return fmt.Errorf("internal error: the frozen regimen has %d errors, the original %d (please report this with the input)", n, m)
	}
	if n, m := after.Diagnostics.Count(lang.Warning), before.Diagnostics.Count(lang.Warning); n > m {
		return fmt.Errorf("internal error: the frozen regimen has %d warnings, the original %d (please report this with the input)", n, m)
	}
	return nil
}

// blockingErrors counts the errors of res other than those inside a
// script's md5 (a malformed md5 is what freeze corrects).
func blockingErrors(res *compiler.Result, scripts []*compiler.Script) int {
	n := 0
	for _, d := range res.Diagnostics {
		if d.Severity != lang.Error {
			continue
		}
		inMD5 := false
		for _, s := range scripts {
			r := s.MD5Range
			if r.IsValid() && d.Range.File == r.File && d.Range.Start.Offset >= r.Start.Offset && d.Range.Start.Offset < max(r.End.Offset, r.Start.Offset+1) {
				inMD5 = true
				break
			}
		}
		if !inMD5 {
			n++
		}
	}
	return n
}

func uniqueScripts(reg *compiler.Regimen) []*compiler.Script {
	seen := map[*compiler.Script]bool{}
	var out []*compiler.Script
	for _, s := range reg.Scripts {
		if s != nil && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
