// Package safetext makes text safe to show: Redact removes secrets and URL
// passwords from messages, Terminal escapes what could act on a terminal,
// and CSVCell keeps a spreadsheet from reading a cell as a formula.
package safetext

import (
	"encoding/json"
	"html"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Marker replaces what Redact removes.
const Marker = "[redacted]"

// MinPart is the shortest part of a secret that Redact removes at either
// end of a text (a text may have been cut inside a secret). A shorter
// part is left: it says too little to matter, and removing every 1-3 byte
// prefix of a password would blank ordinary text.
const MinPart = 4

// Redact returns text with
//   - every occurrence of each secret replaced by Marker, in each form a
//     server or a URL may give it (raw, URL query and path escaped, HTML
//     escaped, JSON escaped);
//   - a part of a secret of at least MinPart bytes at the very start or end
//     of text (where text was cut), or making up all of it, replaced by
//     Marker;
//   - the password of every URL userinfo (`scheme://user:password@host`)
//     replaced by Marker, even when the password holds `/`, `?` or `#`.
//
// This is the one function regc uses before a message that may hold a
// secret or a URL reaches output, a log or a journal.
func Redact(text string, secrets ...string) string {
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms := Forms(s)
		for _, f := range forms {
			text = strings.ReplaceAll(text, f, Marker)
		}
		for _, f := range forms {
			text = redactEdges(text, f)
		}
	}
	return redactURLPasswords(text)
}

// RedactCut is Redact, then text shortened to at most n bytes (cut at a
// character boundary, "..." added). Redacting first means the cut never
// splits a secret.
func RedactCut(text string, n int, secrets ...string) string {
	return Cut(Redact(text, secrets...), n)
}

// Cut shortens s to at most n bytes at a character boundary and adds
// "..." when it cut.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

// Forms lists the ways a secret may appear in text: raw, and as a form, a
// URL path, HTML and a JSON string would encode it.
func Forms(secret string) []string {
	forms := []string{secret}
	add := func(f string) {
		for _, g := range forms {
			if g == f {
				return
			}
		}
		forms = append(forms, f)
	}
	add(url.QueryEscape(secret))
	add(url.PathEscape(secret))
	add(html.EscapeString(secret))
	if j, err := json.Marshal(secret); err == nil && len(j) >= 2 {
		add(string(j[1 : len(j)-1]))
	}
	// longest first, so that a form is never partly replaced by a shorter
	// one it contains
	for i := 1; i < len(forms); i++ {
		for j := i; j > 0 && len(forms[j]) > len(forms[j-1]); j-- {
			forms[j], forms[j-1] = forms[j-1], forms[j]
		}
	}
	return forms
}

// redactEdges replaces the longest prefix of form (at least MinPart bytes)
// that ends text, and the longest suffix of form that starts it; a text
// that is a part of form, cut at both ends, is replaced whole.
func redactEdges(text, form string) string {
	if len(text) >= MinPart && len(text) < len(form) && strings.Contains(form, text) {
		return Marker
	}
	for k := min(len(text), len(form)-1); k >= MinPart; k-- {
		if strings.HasSuffix(text, form[:k]) {
			text = text[:len(text)-k] + Marker
			break
		}
	}
	for k := min(len(text), len(form)-1); k >= MinPart; k-- {
		if strings.HasPrefix(text, form[len(form)-k:]) {
			text = Marker + text[k:]
			break
		}
	}
	return text
}

// redactURLPasswords replaces the password of every URL userinfo in text.
func redactURLPasswords(text string) string {
	var b strings.Builder
	rest := text
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		start := i + 3
		token := rest[start:]
		if end := strings.IndexAny(token, " \t\r\n\"'<>`"); end >= 0 {
			token = token[:end]
		}
		user, pass := userinfoSpan(token)
		if pass < 0 {
			b.WriteString(rest[:start])
			rest = rest[start:]
			continue
		}
		b.WriteString(rest[:start+user])
		b.WriteString(Marker)
		b.WriteByte('@')
		rest = rest[start+pass+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// userinfoSpan finds the userinfo at the start of token, the text after a
// URL's "://": it returns the end of the user name and of the password
// (the index of the '@' that ends the userinfo), or -1 for the password
// when the userinfo holds none. The userinfo ends at the last '@' before
// the first '/', '?' or '#'; when there is none there but the text before
// them holds a ':' (`u:pa/ss@host`: a password with one of them), at the
// last '@' of the token. That may take a port and a path for a password
// (`host:8080/a@b`): more is hidden, never less.
func userinfoSpan(token string) (userEnd, at int) {
	auth := token
	if end := strings.IndexAny(token, "/?#"); end >= 0 {
		auth = token[:end]
	}
	at = strings.LastIndexByte(auth, '@')
	if at < 0 {
		if !strings.Contains(auth, ":") || len(auth) == len(token) {
			return 0, -1
		}
		at = strings.LastIndexByte(token, '@')
		if at < 0 {
			return 0, -1
		}
	}
	colon := strings.IndexByte(token[:at], ':')
	if colon < 0 {
		return 0, -1 // a user name alone
	}
	return colon + 1, at
}

// WithoutUserinfo returns a URL with its user name and password removed
// (found as Redact finds them), for messages that name a URL.
func WithoutUserinfo(loc string) string {
	i := strings.Index(loc, "://")
	if i < 0 {
		return loc
	}
	token := loc[i+3:]
	_, at := userinfoSpan(token)
	if at < 0 {
		// a user name without a password
		auth := token
		if end := strings.IndexAny(token, "/?#"); end >= 0 {
			auth = token[:end]
		}
		at = strings.LastIndexByte(auth, '@')
	}
	if at < 0 {
		return loc
	}
	return loc[:i+3] + token[at+1:]
}
