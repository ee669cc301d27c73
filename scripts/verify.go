package scripts

// Verifying scripts: fetching every script of a regimen to check the md5s
// its source gives (check --verify-scripts), and refusing scripts no rig
// can fetch (sync upload).

import (
	"context"
	"net/url"
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// VerifyScripts fetches every script of res's regimen (never from the
// cache) and reports, at the script's declaration, one that cannot be
// fetched (script-unreachable), one whose content does not have its
// declared md5 (script-md5, an error) and one that declares no md5
// (script-md5, a warning that gives the md5 to write). A legacy file's
// scripts, one per stage, are reported at each stage; each url is fetched
// once. Verified scripts fetched over the network are stored in f's cache.
func VerifyScripts(ctx context.Context, f *Fetcher, res *compiler.Result) lang.Diagnostics {
	if res == nil || res.Regimen == nil {
		return nil
	}
	reg := res.Regimen
	at := func(rs ...lang.Range) lang.Range { return scriptRange(res, rs...) }
	type fetchResult struct {
		got *Fetched
		err error
	}
	fetched := map[string]fetchResult{}
	var ds lang.Diagnostics
	for _, ls := range labelledScripts(reg) {
		s := ls.script
		if s.URL == "" {
			continue // the compiler has reported it
		}
		dir := ScriptDir(s, reg)
		key := dir + "\x00" + s.URL
		r, ok := fetched[key]
		if !ok {
			r.got, r.err = f.Get(ctx, s.URL, dir)
			fetched[key] = r
		}
		if r.err != nil {
			ds.Errorf(lang.CodeScriptUnreachable, at(s.URLRange, s.Range), "%s: %v", ls.label, r.err)
			continue
		}
		got := r.got
		switch want := strings.ToLower(s.MD5); {
		case want == "":
			d := ds.Warnf(lang.CodeScriptMD5, at(s.Range), "%s declares no md5; what %s serves has md5 %s", ls.label, got.Source, got.MD5)
			d.Suggestion = `md5: "` + got.MD5 + `"`
			if s.Name != "" {
				d.Message += " (regc freeze writes it)"
			} else {
				d.Suggestion = "script_md5: " + got.MD5
			}
		case want != got.MD5:
			d := ds.Errorf(lang.CodeScriptMD5, at(s.MD5Range, s.Range), "%s: %s has md5 %s, but the declaration says %s", ls.label, got.Source, got.MD5, want)
			d.Suggestion = `"` + got.MD5 + `"`
			if s.Name == "" {
				d.Suggestion = got.MD5
			}
		default:
			if IsURL(s.URL) {
				f.Store(want, got.Body) // a cache that cannot be written only costs a later download
			}
		}
	}
	return ds
}

// scriptRange is the first valid range of rs, narrowed to the string it
// starts with (the url or the md5, without its key), or the regimen file.
func scriptRange(res *compiler.Result, rs ...lang.Range) lang.Range {
	for _, r := range rs {
		if !r.IsValid() {
			continue
		}
		if src, ok := res.Sources[r.File]; ok && r.Start.Offset < len(src) && src[r.Start.Offset] == '"' {
			if start, end, err := valueSpan(src, r); err == nil {
				r.Start, r.End = lang.PosAt(src, start), lang.PosAt(src, end)
			}
		}
		return r
	}
	return lang.Range{File: res.Regimen.File}
}

// RemoteScripts reports, at its declaration (script-unreachable), every
// script of res's regimen whose url is not an http(s) URL with a host: a
// file path or another scheme builds, and emit reads it on this machine,
// but no rig can fetch it from the mtrain server's document.
func RemoteScripts(res *compiler.Result) lang.Diagnostics {
	if res == nil || res.Regimen == nil {
		return nil
	}
	var ds lang.Diagnostics
	for _, ls := range labelledScripts(res.Regimen) {
		s := ls.script
		if s.URL == "" {
			continue // the compiler has reported it
		}
		if u, err := url.Parse(s.URL); err == nil && IsURL(s.URL) && u.Host != "" {
			continue
		}
		d := ds.Errorf(lang.CodeScriptUnreachable, scriptRange(res, s.URLRange, s.Range),
			"%s: %q is not an http(s) URL, so no rig can fetch it from the uploaded regimen", ls.label, s.URL)
		d.Suggestion = "serve the script over http(s) and give its URL (with its md5)"
	}
	return ds
}

type labelledScript struct {
	script *compiler.Script
	label  string // how messages name it
}

// labelledScripts lists the scripts of reg: those declared, then those of
// stages (a legacy file's, which have no names and are not declared).
func labelledScripts(reg *compiler.Regimen) []labelledScript {
	var out []labelledScript
	seen := map[*compiler.Script]bool{}
	for _, s := range uniqueScripts(reg) {
		seen[s] = true
		out = append(out, labelledScript{s, "script " + s.Name})
	}
	for _, st := range reg.Stages {
		if s := st.Script; s != nil && !seen[s] {
			seen[s] = true
			label := "script " + s.Name
			if s.Name == "" {
				label = "the script of stage " + st.Name
			}
			out = append(out, labelledScript{s, label})
		}
	}
	return out
}
