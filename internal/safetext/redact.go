package safetext

import (
	"encoding/json"
	"html"
	"net/url"
	"sort"
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
	return redactURLPasswords(redactSecrets(text, secrets))
}

// redactSecrets finds every span of text that shows a secret (see Redact),
// overlapping or not, in the text as given, and replaces each run of
// overlapping or touching spans by one Marker: no replacement can hide
// another occurrence from being found.
func redactSecrets(text string, secrets []string) string {
	type span struct{ start, end int }
	var spans []span
	for _, s := range secrets {
		if s == "" {
			continue
		}
		for _, f := range Forms(s) {
			for i := 0; i <= len(text)-len(f); {
				j := strings.Index(text[i:], f)
				if j < 0 {
					break
				}
				spans = append(spans, span{i + j, i + j + len(f)})
				i += j + 1
			}
			if len(text) >= MinPart && len(text) < len(f) && strings.Contains(f, text) {
				spans = append(spans, span{0, len(text)}) // cut at both ends
			}
			for k := min(len(text), len(f)-1); k >= MinPart; k-- {
				if strings.HasSuffix(text, f[:k]) {
					spans = append(spans, span{len(text) - k, len(text)}) // cut after
					break
				}
			}
			for k := min(len(text), len(f)-1); k >= MinPart; k-- {
				if strings.HasPrefix(text, f[len(f)-k:]) {
					spans = append(spans, span{0, k}) // cut before
					break
				}
			}
		}
	}
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(a, b int) bool { return spans[a].start < spans[b].start })
	var b strings.Builder
	at := 0 // the end of what was written or hidden
	for i := 0; i < len(spans); {
		start, end := spans[i].start, spans[i].end
		for i++; i < len(spans) && spans[i].start <= end; i++ {
			end = max(end, spans[i].end)
		}
		b.WriteString(text[at:start])
		b.WriteString(Marker)
		at = end
	}
	b.WriteString(text[at:])
	return b.String()
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
	return forms
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
