package mtrain

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// Login logs in with the configured user and password and confirms it: the
// real server answers 200 whether or not a login succeeded, so the client
// follows the answer to the page it leads to and requires that page to say
// "Logged in as USER". Login is repeated on transport errors and 5xx answers
// (logging in twice is harmless). A refusal wraps ErrLoginRefused and never
// carries the password.
func (c *Client) Login(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loginLocked(ctx)
}

func (c *Client) loginLocked(ctx context.Context) error {
	c.loggedIn = false
	rq := request{method: http.MethodPost, route: "/", ctype: "application/x-www-form-urlencoded", safe: true}
	if c.cfg.User == "" {
		return c.errFor(rq, nil, ErrLoginRefused, "no user name given", nil)
	}
	if c.cfg.Password.IsZero() {
		return c.errFor(rq, nil, ErrLoginRefused, "no password given for user "+c.cfg.User, nil)
	}
	form := url.Values{"username": {c.cfg.User}, "password": {c.cfg.Password.reveal()}}
	rq.body = []byte(form.Encode())
	resp, err := c.do(ctx, rq)
	if err != nil {
		return err
	}
	page, pageRq := resp, rq
	switch {
	case resp.status >= 300 && resp.status < 400:
		loc, err := url.Parse(resp.location)
		if err != nil || resp.location == "" {
			return c.errFor(rq, resp, ErrLoginRefused, "the login answer redirects nowhere", nil)
		}
		target := c.base.ResolveReference(loc)
		if target.Host != c.base.Host {
			return c.errFor(rq, resp, ErrLoginRefused, fmt.Sprintf("the login answer redirects to another host %q", target.Host), nil)
		}
		pageRq = request{method: http.MethodGet, route: target.String(), safe: true}
		page, err = c.do(ctx, pageRq)
		if err != nil {
			return err
		}
	case resp.status >= 500:
		return c.statusErr(rq, resp, resp.attempts)
	}
	if page.status < 200 || page.status > 299 {
		e := c.statusErr(pageRq, page, page.attempts)
		e.Kind = ErrLoginRefused
		e.Reason = "the server did not confirm the login of " + c.cfg.User + ": " + e.Reason
		return e
	}
	if confirmsLogin(page.body, c.cfg.User) {
		c.loggedIn = true
		c.logf("mtrain: logged in to %s as %s", c.base.Host, c.cfg.User)
		return nil
	}
	reason := fmt.Sprintf("the server did not confirm the login of %s (no %q on the page it showed)", c.cfg.User, "Logged in as "+c.cfg.User)
	if looksLoginPage(page.body) {
		reason = fmt.Sprintf("the server showed the login form again: wrong user or password for %s?", c.cfg.User)
	}
	return c.errFor(pageRq, page, ErrLoginRefused, reason, nil)
}

// confirmsLogin reports whether an HTML page says "Logged in as USER".
func confirmsLogin(body []byte, user string) bool {
	text := visibleText(body)
	lower := strings.ToLower(text)
	const marker = "logged in as"
	for i := 0; ; {
		j := strings.Index(lower[i:], marker)
		if j < 0 {
			return false
		}
		rest := strings.TrimLeftFunc(text[i+j+len(marker):], unicode.IsSpace)
		rest = strings.TrimLeft(rest, `"'“:`)
		if strings.HasPrefix(strings.ToLower(rest), strings.ToLower(user)) {
			after := rest[len(user):]
			if after == "" || !isNameRune([]rune(after)[0]) {
				return true
			}
		}
		i += j + len(marker)
	}
}

func isNameRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.' || r == '@'
}

// LoggedIn reports whether the client holds a confirmed session.
func (c *Client) LoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loggedIn
}

func (c *Client) ensureLogin(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loggedIn {
		return nil
	}
	return c.loginLocked(ctx)
}

// outcome is what is known about a write after one attempt.
type outcome int

const (
	applied    outcome = iota // 2xx
	notApplied                // certainly not applied: the request never left, or a login was wanted
	refused                   // a definitive 4xx answer
	unknown                   // sent, but no usable answer: 5xx, timeout, dropped connection
)

// writeOnce sends a write once (after logging in), logging in again once if
// the server wants a session.
func (c *Client) writeOnce(ctx context.Context, rq request) (outcome, error) {
	for relogin := 0; ; relogin++ {
		if err := c.ensureLogin(ctx); err != nil {
			return notApplied, err
		}
		resp, sent, err := c.once(ctx, rq)
		if err != nil {
			if !sent {
				return notApplied, err
			}
			return unknown, err
		}
		wantsLogin := resp.status == http.StatusUnauthorized ||
			(resp.status >= 300 && resp.status < 400 && looksLoginLocation(resp.location)) ||
			(resp.status >= 200 && resp.status < 300 && looksLoginPage(resp.body))
		if wantsLogin {
			c.mu.Lock()
			c.loggedIn = false
			c.mu.Unlock()
			if relogin == 0 {
				c.logf("mtrain: %s %s: the server wants a login; logging in again", rq.method, rq.path())
				continue
			}
			e := c.statusErr(rq, resp, 1)
			e.Kind = ErrNotLoggedIn
			e.Reason = "the server refused the session even after logging in again"
			return notApplied, e
		}
		switch {
		case resp.status >= 200 && resp.status < 300:
			return applied, nil
		case resp.status >= 500:
			return unknown, c.statusErr(rq, resp, 1)
		default:
			return refused, c.statusErr(rq, resp, 1)
		}
	}
}

// verifyFunc reads the server back after a write whose outcome is unknown:
// done reports that the server already holds what the write meant to do.
type verifyFunc func(ctx context.Context) (done bool, err error)

// write sends a write that is harmless to repeat once the server has been
// read back: after an answer that leaves the outcome unknown (5xx, timeout,
// dropped connection), verify says whether it was applied; only if it was
// not is the write sent again. A write that certainly never reached the
// server is sent again too. So a write is never applied twice by the client.
func (c *Client) write(ctx context.Context, rq request, verify verifyFunc) error {
	ambiguous := false
	var last error
	for i := 1; i <= c.cfg.Attempts; i++ {
		out, err := c.writeOnce(ctx, rq)
		setAttempts(err, i)
		switch out {
		case applied:
			return nil
		case refused:
			if ambiguous && errors.Is(err, ErrExists) {
				// An earlier attempt may have landed after all.
				done, verr := verify(ctx)
				if verr != nil {
					return verr
				}
				if done {
					c.logf("mtrain: %s %s: an earlier attempt was applied", rq.method, rq.path())
					return nil
				}
			}
			return err
		case notApplied:
			if errors.Is(err, ErrLoginRefused) || errors.Is(err, ErrNotLoggedIn) {
				return err
			}
			last = err
		case unknown:
			ambiguous = true
			last = err
			done, verr := verify(ctx)
			if verr != nil {
				return c.errFor(rq, nil, ErrOutcomeUnknown,
					fmt.Sprintf("the write may or may not have been applied (%v), and reading the server back failed", err), verr)
			}
			if done {
				c.logf("mtrain: %s %s: the write was applied despite the failed answer", rq.method, rq.path())
				return nil
			}
		}
		if ctx.Err() != nil || i == c.cfg.Attempts {
			break
		}
		wait := c.backoff(i)
		c.logf("mtrain: %s %s: not applied; retry %d of %d in %v", rq.method, rq.path(), i, c.cfg.Attempts-1, wait)
		if err := sleep(ctx, wait); err != nil {
			break
		}
	}
	return last
}

func setAttempts(err error, n int) {
	var e *Error
	if errors.As(err, &e) {
		e.Attempts = n
	}
}
