package mtrain

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/regc/regc/internal/safetext"
)

// BodyStyle is how the client encodes the bodies of set_state/ and
// add_subject/; the real server accepts both.
type BodyStyle int

const (
	// FormBody sends form fields, the state as a JSON string (variant A).
	FormBody BodyStyle = iota
	// JSONBody sends a raw JSON object (variant B).
	JSONBody
)

// Defaults for Config fields left zero.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultAttempts   = 4
	DefaultBackoff    = 250 * time.Millisecond
	DefaultMaxBackoff = 5 * time.Second
	MaxPageSize       = 100
)

// Config says how to reach and log in to an mtrain server.
type Config struct {
	Server     string        // base URL, e.g. http://mtrain:5000; must not carry credentials
	User       string        // login name
	Password   Secret        // login password, never printed
	Timeout    time.Duration // for one attempt of one request; DefaultTimeout when zero
	Attempts   int           // tries for requests whose repeat is harmless; DefaultAttempts when zero
	Backoff    time.Duration // wait before the second try, doubled each time; DefaultBackoff when zero
	MaxBackoff time.Duration // longest wait between tries; DefaultMaxBackoff when zero
	PageSize   int           // results_per_page for reads, at most MaxPageSize (the default)
	BodyStyle  BodyStyle     // how set_state/ and add_subject/ bodies are sent
	// HTTPClient supplies the transport; the client uses a copy with its own
	// cookie jar and redirect policy. nil means http.DefaultTransport.
	HTTPClient *http.Client
	// Logf, when set, receives one line per attempt (method, path, status,
	// duration) and per retry. Bodies, cookies and passwords are never logged.
	Logf func(format string, args ...any)
}

// Client talks to one mtrain server as one user. It is safe for concurrent
// use. Reads need no login; the first write logs in, and a write refused for
// want of a session logs in again once.
type Client struct {
	cfg  Config
	base *url.URL
	hc   *http.Client

	mu       sync.Mutex
	loggedIn bool
}

// New checks cfg and returns a client; it sends nothing.
func New(cfg Config) (*Client, error) {
	if strings.TrimSpace(cfg.Server) == "" {
		return nil, errors.New("mtrain: no server address")
	}
	raw := cfg.Server
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("mtrain: bad server address %q", safetext.Redact(cfg.Server))
	}
	if u.User != nil {
		return nil, errors.New("mtrain: the server address must not carry a user or password")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("mtrain: server address %q: want http or https", safetext.Redact(cfg.Server))
	}
	if u.Host == "" {
		return nil, fmt.Errorf("mtrain: server address %q has no host", safetext.Redact(cfg.Server))
	}
	u.RawQuery, u.Fragment = "", ""
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = DefaultAttempts
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.PageSize <= 0 || cfg.PageSize > MaxPageSize {
		cfg.PageSize = MaxPageSize
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		*hc = *cfg.HTTPClient
	}
	hc.Timeout = 0 // per attempt, through the context
	jar, _ := cookiejar.New(nil)
	hc.Jar = jar
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// Only reads follow redirects, and only within the server: a write
		// that is redirected (to a login page) has not been applied.
		if via[0].Method != http.MethodGet || req.URL.Host != u.Host || len(via) >= 5 {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return &Client{cfg: cfg, base: u, hc: hc}, nil
}

// Server returns the base URL.
func (c *Client) Server() string { return c.base.String() }

// User returns the login name.
func (c *Client) User() string { return c.cfg.User }

// String describes the client without its password.
func (c *Client) String() string {
	c.mu.Lock()
	in := c.loggedIn
	c.mu.Unlock()
	return fmt.Sprintf("mtrain.Client{server: %s, user: %q, logged in: %v}", c.base, c.cfg.User, in)
}

// GoString is String.
func (c *Client) GoString() string { return c.String() }

// String describes the config without its password.
func (cfg Config) String() string {
	return fmt.Sprintf("mtrain.Config{Server: %s, User: %q, Password: %s, Timeout: %v, Attempts: %d}",
		safetext.Redact(cfg.Server), cfg.User, redacted, cfg.Timeout, cfg.Attempts)
}

// GoString is String.
func (cfg Config) GoString() string { return cfg.String() }

func (c *Client) logf(format string, args ...any) {
	if c.cfg.Logf != nil {
		c.cfg.Logf(format, args...)
	}
}

// request is one HTTP exchange the client makes.
type request struct {
	method string
	route  string // relative to the base URL ("api/v1/subjects"), or absolute
	query  string // encoded query, without "?"
	body   []byte
	ctype  string
	// safe: repeating the request is harmless, so transport errors and 5xx
	// answers are retried with backoff.
	safe bool
}

// response is a fully read answer.
type response struct {
	attempts int // how many times the request was sent
	status   int
	ctype    string
	location string
	body     []byte
}

func (c *Client) url(route string) string {
	if strings.HasPrefix(route, "http://") || strings.HasPrefix(route, "https://") {
		return route
	}
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + strings.TrimLeft(route, "/")
	u.RawPath = ""
	return u.String()
}

func (rq request) path() string {
	p := "/" + strings.TrimLeft(rq.route, "/")
	if u, err := url.Parse(rq.route); err == nil && u.IsAbs() {
		p = u.EscapedPath()
	}
	if rq.query != "" {
		if q, err := url.QueryUnescape(rq.query); err == nil {
			return p + "?" + q
		}
		return p + "?" + rq.query
	}
	return p
}

// errFor builds an *Error for a request.
func (c *Client) errFor(rq request, resp *response, kind error, reason string, err error) *Error {
	e := &Error{Method: rq.method, Path: c.cfg.Password.scrub(rq.path()), Reason: reason, Kind: kind, Err: err}
	if resp != nil {
		e.Status = resp.status
		e.ContentType = resp.ctype
		e.Size = len(resp.body)
		e.Snippet = quote(resp.ctype, resp.body, c.cfg.Password.scrub)
		e.Message = c.cfg.Password.scrub(serverMessage(resp.ctype, resp.body))
	}
	if err != nil {
		// Transport errors name the URL; ours carries no credentials, but
		// scrub anyway.
		e.Err = scrubbedError{err: err, text: c.cfg.Password.scrub(err.Error())}
	}
	return e
}

// scrubbedError keeps the chain of an error while replacing its text.
type scrubbedError struct {
	err  error
	text string
}

func (s scrubbedError) Error() string { return s.text }
func (s scrubbedError) Unwrap() error { return s.err }

const maxBody = 64 << 20

// once sends one attempt of rq. A transport failure returns a nil response
// and an *Error with Status 0; sent reports whether the request may have
// reached the server.
func (c *Client) once(ctx context.Context, rq request) (resp *response, sent bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var body io.Reader
	if rq.body != nil {
		body = bytes.NewReader(rq.body)
	}
	u := c.url(rq.route)
	if rq.query != "" {
		u += "?" + rq.query
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, u, body)
	if err != nil {
		return nil, false, c.errFor(rq, nil, nil, "cannot build the request", err)
	}
	if rq.ctype != "" {
		req.Header.Set("Content-Type", rq.ctype)
	}
	req.Header.Set("Accept", "application/json, text/html;q=0.5, */*;q=0.1")
	req.Header.Set("User-Agent", "regc-mtrain")
	start := time.Now()
	hr, err := c.hc.Do(req)
	if err != nil {
		reason := "no answer"
		if ctx.Err() == context.DeadlineExceeded {
			reason = fmt.Sprintf("no answer within %v", c.cfg.Timeout)
		}
		c.logf("mtrain: %s %s: %s (%v)", rq.method, rq.path(), reason, time.Since(start).Round(time.Millisecond))
		if notSent(err) {
			// No connection: the server is what to name first, and the
			// request's URL, already named by the path, is left out.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			e := c.errFor(rq, nil, nil, reason, err)
			e.Unreachable = c.Server()
			return nil, false, e
		}
		return nil, true, c.errFor(rq, nil, nil, reason, err)
	}
	defer hr.Body.Close()
	data, rerr := io.ReadAll(io.LimitReader(hr.Body, maxBody+1))
	resp = &response{status: hr.StatusCode, ctype: hr.Header.Get("Content-Type"), location: hr.Header.Get("Location"), body: data}
	if hr.Request != nil && hr.Request.URL != nil && hr.Request.URL.String() != u {
		c.logf("mtrain: %s %s: redirected to %s", rq.method, rq.path(), hr.Request.URL.Path)
	}
	c.logf("mtrain: %s %s: %d (%v)", rq.method, rq.path(), hr.StatusCode, time.Since(start).Round(time.Millisecond))
	if rerr != nil {
		reason := "the answer was cut off"
		if ctx.Err() == context.DeadlineExceeded {
			reason = fmt.Sprintf("the answer did not arrive within %v", c.cfg.Timeout)
		}
		return resp, true, c.errFor(rq, resp, nil, reason, rerr)
	}
	if len(data) > maxBody {
		return resp, true, c.errFor(rq, resp, ErrBadAnswer, "the answer is larger than 64 MiB", nil)
	}
	return resp, true, nil
}

// notSent reports whether a transport error happened before any of the
// request could reach the server (so a write was certainly not applied).
func notSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// retryable reports whether an answer of this status may be retried for a
// safe request.
func retryable(status int) bool {
	switch status {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout, http.StatusTooManyRequests:
		return true
	}
	return false
}

// do sends rq, retrying with backoff when rq.safe and the failure is a
// transport error or a retryable status. Whatever the status of the final
// answer, it is returned with a nil error; only a final transport failure is
// an error.
func (c *Client) do(ctx context.Context, rq request) (*response, error) {
	attempts := 1
	if rq.safe {
		attempts = c.cfg.Attempts
	}
	var lastErr error
	for i := 1; ; i++ {
		resp, _, err := c.once(ctx, rq)
		if err == nil && !(rq.safe && retryable(resp.status) && i < attempts) {
			resp.attempts = i
			return resp, nil
		}
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				e.Attempts = i
			}
			lastErr = err
			if ctx.Err() != nil || i >= attempts {
				return nil, lastErr
			}
		}
		wait := c.backoff(i)
		c.logf("mtrain: %s %s: retry %d of %d in %v", rq.method, rq.path(), i, attempts-1, wait.Round(time.Millisecond))
		if err := sleep(ctx, wait); err != nil {
			if lastErr == nil {
				lastErr = c.errFor(rq, resp, nil, "cancelled while waiting to retry", err)
			}
			return nil, lastErr
		}
	}
}

func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.Backoff << (attempt - 1)
	if d > c.cfg.MaxBackoff || d <= 0 {
		d = c.cfg.MaxBackoff
	}
	// ±25% jitter, so that clients retrying together spread out.
	j := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return d + j
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// statusErr turns a non-2xx answer into an *Error of the right kind.
func (c *Client) statusErr(rq request, resp *response, attempts int) *Error {
	var kind error
	reason := fmt.Sprintf("the server answered %d %s", resp.status, http.StatusText(resp.status))
	switch {
	case resp.status == http.StatusNotFound:
		kind = ErrNotFound
		reason = "not found on the server"
	case resp.status == http.StatusConflict:
		kind = ErrExists
		reason = "already on the server"
	case resp.status == http.StatusUnauthorized:
		kind = ErrNotLoggedIn
		reason = "the server wants a login"
	case resp.status >= 300 && resp.status < 400:
		kind = ErrBadAnswer
		reason = fmt.Sprintf("unexpected redirect to %q", resp.location)
		if looksLoginLocation(resp.location) {
			kind = ErrNotLoggedIn
			reason = fmt.Sprintf("redirected to the login page %q", resp.location)
		}
	case resp.status >= 500:
		kind = ErrServer
	case resp.status >= 400:
		kind = ErrRefused
	default:
		kind = ErrBadAnswer
		reason = fmt.Sprintf("unexpected status %d", resp.status)
	}
	e := c.errFor(rq, resp, kind, reason, nil)
	e.Attempts = attempts
	return e
}

func looksLoginLocation(loc string) bool {
	u, err := url.Parse(loc)
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	return p == "" || p == "/" || strings.Contains(p, "login") || strings.Contains(p, "signin")
}

// getJSON sends a safe request and decodes its JSON answer into v. strict
// demands a JSON content type (the Flask-Restless routes always send one);
// otherwise a body that parses as a JSON object or list is accepted whatever
// its content type (custom Flask routes may answer text/html).
func (c *Client) getJSON(ctx context.Context, rq request, strict bool, v any) error {
	rq.safe = true
	resp, err := c.do(ctx, rq)
	if err != nil {
		return err
	}
	if resp.status < 200 || resp.status > 299 {
		return c.statusErr(rq, resp, resp.attempts)
	}
	if reason, err := checkJSON(resp.ctype, resp.body, strict, v); reason != "" {
		return c.errFor(rq, resp, ErrBadAnswer, reason, err)
	}
	return nil
}
