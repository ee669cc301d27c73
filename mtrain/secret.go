package mtrain

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
)

// Secret holds a password in memory. Printing it in any way (%v, %+v, %#v,
// %s, %q, JSON) shows "[redacted]"; only this package reads the value.
type Secret struct {
	// A pointer, so that even reflection-driven printing of a struct that
	// holds a Secret in an unexported field shows an address, not the text.
	p *string
}

// NewSecret wraps a password.
func NewSecret(password string) Secret { return Secret{p: &password} }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.p == nil || *s.p == "" }

func (s Secret) reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

const redacted = "[redacted]"

// String returns "[redacted]".
func (s Secret) String() string { return redacted }

// GoString returns "[redacted]".
func (s Secret) GoString() string { return redacted }

// Format prints "[redacted]" for every verb.
func (s Secret) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redacted)) }

// MarshalJSON writes "[redacted]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText writes "[redacted]".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// scrub replaces every occurrence of the secret (raw, and as a form or URL
// would encode it) in text with "[redacted]". Used on server answers that are
// quoted in errors, in case a server echoes a submitted password back.
func (s Secret) scrub(text string) string {
	pw := s.reveal()
	if len(pw) < 1 {
		return text
	}
	for _, form := range secretForms(pw) {
		if form != "" {
			text = strings.ReplaceAll(text, form, redacted)
		}
	}
	return text
}

// secretForms lists the ways a password may appear in a server's answer.
func secretForms(pw string) []string {
	j, _ := json.Marshal(pw)
	forms := []string{pw, url.QueryEscape(pw), url.PathEscape(pw), html.EscapeString(pw)}
	if len(j) >= 2 {
		forms = append(forms, string(j[1:len(j)-1]))
	}
	return forms
}
