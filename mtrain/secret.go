package mtrain

import (
	"fmt"

	"github.com/regc/regc/internal/safetext"
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

// scrub hides the secret in text with safetext.Redact: every occurrence,
// raw and as a form, a URL, HTML or JSON would encode it, a part of it at
// either end of text, and the passwords of URLs. Used on server answers
// that are quoted in errors, in case a server echoes a submitted password
// back.
func (s Secret) scrub(text string) string { return safetext.Redact(text, s.reveal()) }
