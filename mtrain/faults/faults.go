package faults

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Kind is what an injected fault does.
type Kind int

const (
	// Status500 answers 500 without running the handler: nothing applied.
	Status500 Kind = iota
	// Status500After runs the handler (a write commits), then answers 500.
	Status500After
	// Drop closes the connection without an answer, without running the handler.
	Drop
	// DropAfter runs the handler (a write commits), then closes the
	// connection without an answer.
	DropAfter
	// Slow waits Delay before running the handler; if the client gives up
	// first, the handler does not run.
	Slow
)

// String returns the kind's name as Parse reads it.
func (k Kind) String() string {
	switch k {
	case Status500:
		return "500"
	case Status500After:
		return "500-after"
	case Drop:
		return "drop"
	case DropAfter:
		return "drop-after"
	case Slow:
		return "slow"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Rule says which requests get a fault.
type Rule struct {
	Kind   Kind
	Nth    int           // the first matching request to fault, counting from 1; 0 faults every one
	Times  int           // how many matching requests from the Nth on are faulted; 0 means 1
	Method string        // only requests of this method; "" for any
	Path   string        // only paths starting with this (after collapsing "//"); "" for any
	Delay  time.Duration // for Slow
}

// String writes the rule in Parse's syntax.
func (r Rule) String() string {
	s := r.Kind.String()
	if r.Kind == Slow {
		s += "=" + r.Delay.String()
	}
	s += "@" + strconv.Itoa(r.Nth)
	if r.Times > 1 {
		s += "x" + strconv.Itoa(r.Times)
	}
	if r.Method != "" {
		s += ":" + r.Method
	}
	if r.Path != "" {
		s += ":" + r.Path
	}
	return s
}

// Injected records one fault applied.
type Injected struct {
	Rule   Rule
	Method string
	Path   string
	Seq    int // the request's number among all requests, from 1
}

type ruleState struct {
	Rule
	seen int
}

// Injector wraps a handler and injects faults by rule. It is safe for
// concurrent use; rules may be added while it serves.
type Injector struct {
	next http.Handler

	mu       sync.Mutex
	rules    []*ruleState
	requests int
	injected []Injected
}

// New wraps next with the given rules.
func New(next http.Handler, rules ...Rule) *Injector {
	in := &Injector{next: next}
	for _, r := range rules {
		in.Add(r)
	}
	return in
}

// Add adds a rule; it counts matching requests from now on.
func (in *Injector) Add(r Rule) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules = append(in.rules, &ruleState{Rule: r})
}

// Reset removes every rule and forgets the counts.
func (in *Injector) Reset() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rules, in.requests, in.injected = nil, 0, nil
}

// Requests returns how many requests the injector has seen.
func (in *Injector) Requests() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.requests
}

// Injected returns the faults applied so far, in order.
func (in *Injector) Injected() []Injected {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]Injected(nil), in.injected...)
}

func cleanPath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

func (r *ruleState) matches(req *http.Request) bool {
	if r.Method != "" && !strings.EqualFold(r.Method, req.Method) {
		return false
	}
	return r.Path == "" || strings.HasPrefix(cleanPath(req.URL.Path), r.Path)
}

// pick counts the request against every matching rule and returns the
// first rule that faults it.
func (in *Injector) pick(req *http.Request) (*Rule, int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.requests++
	var chosen *Rule
	for _, r := range in.rules {
		if !r.matches(req) {
			continue
		}
		r.seen++
		times := max(r.Times, 1)
		hit := r.Nth == 0 || (r.seen >= r.Nth && r.seen < r.Nth+times)
		if hit && chosen == nil {
			rule := r.Rule
			chosen = &rule
			in.injected = append(in.injected, Injected{Rule: rule, Method: req.Method, Path: req.URL.Path, Seq: in.requests})
		}
	}
	return chosen, in.requests
}

// ServeHTTP applies the first rule that picks the request, if any.
func (in *Injector) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	rule, _ := in.pick(req)
	if rule == nil {
		in.next.ServeHTTP(w, req)
		return
	}
	switch rule.Kind {
	case Status500:
		fail500(w)
	case Status500After:
		in.next.ServeHTTP(&discard{h: http.Header{}}, req)
		fail500(w)
	case Drop:
		panic(http.ErrAbortHandler) // the server closes the connection unanswered
	case DropAfter:
		in.next.ServeHTTP(&discard{h: http.Header{}}, req)
		panic(http.ErrAbortHandler)
	case Slow:
		// Read the body first: only then does the server watch the
		// connection and cancel the request when the client goes away.
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		t := time.NewTimer(rule.Delay)
		defer t.Stop()
		select {
		case <-t.C:
			in.next.ServeHTTP(w, req)
		case <-req.Context().Done():
			// The client gave up: like a server that notices, do nothing.
		}
	default:
		in.next.ServeHTTP(w, req)
	}
}

func fail500(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprint(w, "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1><p>injected fault</p></body></html>\n")
}

// discard is a ResponseWriter that throws the answer away.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// Parse reads rules written as a comma-separated list of
//
//	KIND[=DELAY]@N[xTIMES][:METHOD][:/PATH]
//
// where KIND is 500, 500-after, drop, drop-after or slow (which needs
// =DELAY, a Go duration); N counts matching requests from 1 (0: every one).
// For example "500@3,drop-after@5:POST:/set_state,slow=2s@1x2:GET".
func Parse(spec string) ([]Rule, error) {
	var rules []Rule
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		r, err := parseRule(item)
		if err != nil {
			return nil, fmt.Errorf("fault %q: %w", item, err)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func parseRule(item string) (Rule, error) {
	var r Rule
	head, rest, ok := strings.Cut(item, "@")
	if !ok {
		return r, fmt.Errorf("want KIND@N")
	}
	kind, delay, hasDelay := strings.Cut(head, "=")
	found := false
	for _, k := range [...]Kind{Status500, Status500After, Drop, DropAfter, Slow} {
		if k.String() == kind {
			r.Kind, found = k, true
		}
	}
	if !found {
		return r, fmt.Errorf("unknown kind %q (want 500, 500-after, drop, drop-after or slow)", kind)
	}
	if r.Kind == Slow {
		if !hasDelay {
			return r, fmt.Errorf("slow needs a delay, as in slow=2s@1")
		}
		d, err := time.ParseDuration(delay)
		if err != nil || d <= 0 {
			return r, fmt.Errorf("bad delay %q", delay)
		}
		r.Delay = d
	} else if hasDelay {
		return r, fmt.Errorf("only slow takes a delay")
	}
	parts := strings.Split(rest, ":")
	count, times, hasTimes := strings.Cut(parts[0], "x")
	n, err := strconv.Atoi(count)
	if err != nil || n < 0 {
		return r, fmt.Errorf("bad request number %q", count)
	}
	r.Nth = n
	if hasTimes {
		t, err := strconv.Atoi(times)
		if err != nil || t < 1 {
			return r, fmt.Errorf("bad count %q", times)
		}
		r.Times = t
	}
	for _, p := range parts[1:] {
		switch {
		case strings.HasPrefix(p, "/"):
			r.Path = p
		case p != "" && strings.ToUpper(p) == p:
			r.Method = p
		default:
			return r, fmt.Errorf("bad qualifier %q (want an upper-case METHOD or a /path)", p)
		}
	}
	return r, nil
}
