package safetext

import (
	"strings"
	"testing"
)

// secretPiece returns a substring of secret of MinPart bytes or more that
// text holds outside the markers, or "".
func secretPiece(text, secret string) string {
	for _, piece := range strings.Split(text, Marker) {
		for i := 0; i+MinPart <= len(secret); i++ {
			if strings.Contains(piece, secret[i:i+MinPart]) {
				return secret[i : i+MinPart]
			}
		}
	}
	return ""
}

func TestRedactSecret(t *testing.T) {
	const pw = `s3cr3t "pw" &+%<x>/?#`
	for _, f := range Forms(pw) {
		for _, text := range []string{
			"before " + f + " after",
			"cut here: " + f[:len(f)-3],    // the text was cut inside it
			f[5:] + " (the start was cut)", // or before it
			f[2 : len(f)-2],                // or both
			f + f + f,                      // repeated
		} {
			got := Redact(text, pw)
			if p := secretPiece(got, f); p != "" {
				t.Errorf("Redact(%q) = %q shows %q", text, got, p)
			}
		}
	}
	// the end of one form and the start of another overlap: both hidden
	if got := Redact("0000000 000", "000000 0000"); got != Marker {
		t.Errorf("overlapping forms: got %q, want %q", got, Marker)
	}
	if got := Redact("nothing to hide", ""); got != "nothing to hide" {
		t.Errorf("an empty secret changed the text: %q", got)
	}
}

// checkCases runs fn on each case's input and compares with its want.
func checkCases(t *testing.T, name string, fn func(string) string, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		if got := fn(in); got != want {
			t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
		}
	}
}

func TestRedactURLPasswords(t *testing.T) {
	checkCases(t, "Redact", func(s string) string { return Redact(s) }, map[string]string{
		"http://example.org/a.py":               "http://example.org/a.py",
		"get https://u:pw@h/a?x=1 failed":       "get https://u:[redacted]@h/a?x=1 failed",
		"http://u:p/w?d#x@h:5000/a":             "http://u:[redacted]@h:5000/a",
		`script: got "http://u:a/1@h/x", want`:  `script: got "http://u:[redacted]@h/x", want`,
		"http://user@h/a (a user, no password)": "http://user@h/a (a user, no password)",
		"http://h/a@b.py":                       "http://h/a@b.py",
		"two: ftp://a:b@h and http://c:d/e@f/":  "two: ftp://a:[redacted]@h and http://c:[redacted]@f/",
		"http://u:p@h?x=a@b":                    "http://u:[redacted]@h?x=a@b",
	})
}

func TestWithoutUserinfo(t *testing.T) {
	checkCases(t, "WithoutUserinfo", WithoutUserinfo, map[string]string{
		"https://user:pw@example.org/a.py?at=1": "https://example.org/a.py?at=1",
		"http://user@example.org":               "http://example.org",
		"http://example.org/a@b.py":             "http://example.org/a@b.py",
		"http://u:p@h?x=a@b":                    "http://h?x=a@b",
		"http://u:p/w?#1@stash/a.py":            "http://stash/a.py",
		"scripts/a.py":                          "scripts/a.py",
	})
}

func TestRedactCut(t *testing.T) {
	const pw = "hunter22secret"
	text := strings.Repeat("y", 10) + pw + " tail"
	for n := 0; n < len(text)+2; n++ {
		if got := RedactCut(text, n, pw); secretPiece(got, pw) != "" {
			t.Errorf("RedactCut(%d) = %q", n, got)
		}
	}
}

// urlPassword keeps the characters a URL's password may hold unescaped
// in a message: not '@' (it must be %40 in a URL), not blank space or
// quotes and angle brackets (which end a URL in a text).
func urlPassword(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '@' || r <= ' ' || strings.ContainsRune("\"'<>`", r) || Unsafe(r) {
			return -1
		}
		return r
	}, s)
}

// FuzzRedact checks Redact's two promises on random input:
//  1. a secret (in one of its forms) inside random text, the text then cut
//     at random at both ends: no piece of the secret of MinPart bytes or
//     more survives outside the markers (the surrounding text must not
//     hold such pieces itself, nor make one with the fewer than MinPart
//     bytes of the secret next to it: then they are not the secret's);
//  2. a URL with a random user and password inside random text: the
//     result is the text with just the password replaced.
func FuzzRedact(f *testing.F) {
	f.Add("s3cr3t/pw?#", "before ", " after", uint16(0), uint16(200), byte(0), "user", "p/w?d#1")
	f.Add("hunter22", "yyyy", "", uint16(2), uint16(9), byte(1), "", "x")
	f.Add(`pw "with" &+% <chars>`, "{\"message\": \"", "\"}", uint16(5), uint16(30), byte(4), "u", "a://b")
	f.Fuzz(func(t *testing.T, secret, prefix, suffix string, from, length uint16, form byte, user, pass string) {
		if len(secret) > 256 || len(prefix) > 1024 || len(suffix) > 1024 {
			return
		}
		// 1. the secret
		if secret != "" {
			forms := Forms(secret)
			shown := forms[int(form)%len(forms)]
			// the surrounding text, with the fewer than MinPart bytes of
			// the secret it touches, must hold no piece of the secret
			n := min(MinPart-1, len(shown))
			if secretPiece(prefix+shown[:n], shown) == "" && secretPiece(shown[len(shown)-n:]+suffix, shown) == "" {
				text := prefix + shown + suffix
				a := int(from) % (len(text) + 1)
				b := a + int(length)%(len(text)-a+1)
				got := Redact(text[a:b], secret)
				if p := secretPiece(got, shown); p != "" {
					t.Fatalf("Redact(%q, %q) = %q shows %q", text[a:b], secret, got, p)
				}
			}
		}
		// 2. a URL's password
		pass = urlPassword(pass)
		user = strings.Map(func(r rune) rune {
			if strings.ContainsRune(":@/?#", r) {
				return -1
			}
			return r
		}, urlPassword(user))
		if pass == "" || strings.Contains(prefix, "://") || strings.Contains(suffix, "://") {
			return
		}
		if suffix != "" {
			suffix = " " + suffix
		}
		host := "stash.example.org:7990/scripts/a.py?at=5adfa6e2"
		text := prefix + "https://" + user + ":" + pass + "@" + host + suffix
		want := prefix + "https://" + user + ":" + Marker + "@" + host + suffix
		if got := Redact(text); got != want {
			t.Fatalf("Redact(%q) = %q, want %q", text, got, want)
		}
	})
}
