package mtrain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"strconv"
	"strings"

	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/internal/safetext"
)

// Sentinel errors, matched with errors.Is on what the client returns.
var (
	// ErrNotFound: the server has no such object (404, or no match).
	ErrNotFound = errors.New("not found")
	// ErrExists: the object is already on the server (409).
	ErrExists = errors.New("already exists")
	// ErrLoginRefused: the server did not confirm the login.
	ErrLoginRefused = errors.New("login refused")
	// ErrNotLoggedIn: a write was refused for want of a session (401, or a
	// redirect to the login page), even after logging in again.
	ErrNotLoggedIn = errors.New("not logged in")
	// ErrBadAnswer: the server answered something the client cannot use:
	// HTML, another content type, truncated or invalid JSON, a wrong shape.
	ErrBadAnswer = errors.New("unusable answer")
	// ErrOutcomeUnknown: a write may or may not have been applied, and
	// reading the server back could not settle which.
	ErrOutcomeUnknown = errors.New("outcome unknown")
	// ErrServer: the server answered with a 5xx status.
	ErrServer = errors.New("server error")
	// ErrRefused: the server refused the request as invalid (400, 403, ...).
	ErrRefused = errors.New("request refused")
)

// Error describes a failed request: what was asked, and what came back. It
// never holds a password or a session cookie; body excerpts are scrubbed of
// the client's password in case a server echoes it.
type Error struct {
	Method      string // HTTP method
	Path        string // path and query of the request (no host, no credentials)
	Status      int    // HTTP status; 0 when no answer came
	ContentType string // Content-Type of the answer
	Size        int    // bytes of body read
	Snippet     string // the first bytes of the body, or its visible text for HTML
	Message     string // the server's own message ("message" key), if any
	Reason      string // what went wrong, in words
	Unreachable string // the server, when no connection to it could be made
	Attempts    int    // how many times the request was sent
	Kind        error  // one of the sentinel errors, or nil
	Err         error  // the underlying transport or decoding error, or nil
}

// Error formats e as one line: "mtrain: METHOD PATH: reason: got STATUS TYPE, N bytes: "snippet"",
// or "cannot connect to SERVER: METHOD PATH: reason: ..." when no
// connection could be made.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Unreachable != "" {
		fmt.Fprintf(&b, "cannot connect to %s: ", e.Unreachable)
	} else {
		b.WriteString("mtrain: ")
	}
	b.WriteString(e.Method)
	b.WriteByte(' ')
	b.WriteString(shorten(e.Path, 160))
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Message != "" {
		fmt.Fprintf(&b, ": server says %q", shorten(e.Message, 200))
	}
	if e.Status != 0 {
		ct := e.ContentType
		if ct == "" {
			ct = "no content type"
		}
		fmt.Fprintf(&b, " (got %d %s, %d bytes", e.Status, ct, e.Size)
		if e.Snippet != "" && e.Message == "" {
			fmt.Fprintf(&b, ": %s", strconv.Quote(e.Snippet))
		}
		b.WriteByte(')')
	} else if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	return b.String()
}

// Unwrap returns the sentinel kind and the underlying error.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// shorten hides the passwords of URLs in s (safetext.Redact), then cuts
// it to n bytes: what this package quotes of a server's answer or of a
// document is never cut inside a URL's password.
func shorten(s string, n int) string { return safetext.RedactCut(s, n) }

const snippetLen = 120

var (
	tagRE    = lazyre.New(`(?s)<(script|style)\b.*?</(script|style)>|<!--.*?-->|<[^>]*>`)
	spaceRE  = lazyre.New(`\s+`)
	pwFormRE = lazyre.New(`(?i)<input[^>]*type\s*=\s*["']?password`)
)

// visibleText strips tags from an HTML page and collapses whitespace.
func visibleText(body []byte) string {
	s := tagRE.Re().ReplaceAllString(string(body), " ")
	s = html.UnescapeString(s)
	return strings.TrimSpace(spaceRE.Re().ReplaceAllString(s, " "))
}

// maxQuoted is how much of an answer is scrubbed to quote from it.
const maxQuoted = 64 << 10

// quote returns what an error shows of an answer body: for an HTML page
// its visible text, else the body with blank space collapsed, at most
// snippetLen bytes. scrub hides the secrets in a text; it runs on the body
// before anything is cut or changed, and again on the text to show (which
// collapsing blank space may have changed) before it is cut.
func quote(ctype string, body []byte, scrub func(string) string) string {
	if len(body) == 0 {
		return ""
	}
	html := looksHTML(ctype, body)
	if len(body) > maxQuoted {
		body = body[:maxQuoted]
	}
	text := scrub(strings.ToValidUTF8(string(body), "\uFFFD"))
	if html {
		if t := visibleText([]byte(text)); t != "" {
			return safetext.Cut(scrub(t), snippetLen)
		}
	}
	if len(text) > snippetLen*4 {
		text = safetext.Cut(text, snippetLen*4)
	}
	text = strings.TrimSpace(spaceRE.Re().ReplaceAllString(text, " "))
	return safetext.Cut(scrub(text), snippetLen)
}

func looksHTML(ctype string, body []byte) bool {
	if strings.Contains(ctype, "html") {
		return true
	}
	t := bytes.TrimSpace(body)
	if len(t) > 512 {
		t = t[:512]
	}
	lower := bytes.ToLower(t)
	return bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) ||
		bytes.Contains(lower, []byte("<body")) || bytes.Contains(lower, []byte("<head"))
}

func looksLoginPage(body []byte) bool { return pwFormRE.Re().Match(body) }

// isJSONType reports whether a Content-Type names JSON.
func isJSONType(ctype string) bool {
	mt, _, err := mime.ParseMediaType(ctype)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// checkJSON checks that an answer is JSON: its content type, when strict,
// and always its syntax, and decodes it into v (with numbers kept as
// json.Number when v is an *any). It returns a reason and kind when it is
// not usable; the caller wraps them in an *Error.
func checkJSON(ctype string, body []byte, strict bool, v any) (reason string, err error) {
	trimmed := bytes.TrimSpace(body)
	if looksHTML("", body) {
		if looksLoginPage(body) {
			return "expected JSON, got an HTML login page (wrong server address, or a login is needed)", nil
		}
		return "expected JSON, got an HTML page", nil
	}
	if len(trimmed) == 0 {
		return "expected JSON, got an empty body", nil
	}
	if !isJSONType(ctype) {
		if strict || (trimmed[0] != '{' && trimmed[0] != '[') {
			if ctype == "" {
				return "expected JSON, got a body with no content type", nil
			}
			return "expected JSON, got content type " + strconv.Quote(ctype), nil
		}
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return "truncated JSON", err
		}
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return fmt.Sprintf("invalid JSON at byte %d", syn.Offset), err
		}
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return fmt.Sprintf("unexpected JSON shape: %s where %s was expected", ute.Value, ute.Type), err
		}
		return "unexpected JSON content: " + strings.TrimPrefix(err.Error(), "json: "), err
	}
	if dec.More() {
		return "invalid JSON: data after the value", nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return "invalid JSON: data after the value", nil
	}
	return "", nil
}

// serverMessage extracts a "message" from a JSON error body, if there is one.
func serverMessage(ctype string, body []byte) string {
	t := bytes.TrimSpace(body)
	if len(t) == 0 || t[0] != '{' {
		return ""
	}
	var m struct {
		Message any `json:"message"`
	}
	if json.Unmarshal(t, &m) != nil || m.Message == nil {
		return ""
	}
	if s, ok := m.Message.(string); ok {
		return s
	}
	b, _ := json.Marshal(m.Message)
	return string(b)
}
