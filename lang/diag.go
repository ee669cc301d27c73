package lang

import (
	"fmt"
	"sort"
)

// Severity says how bad a diagnostic is.
type Severity int

// The severities, from worst to mildest.
const (
	Error Severity = iota
	Warning
	Info
)

// String returns the severity as diagnostics print it: error, warning or
// info.
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "info"
	}
}

// Related points at a second place a diagnostic concerns, such as the first
// definition of a duplicated name.
type Related struct {
	Range   Range
	Message string
}

// Diagnostic is one finding about a program: what is wrong (Message), where
// (Range), how bad (Severity), its stable Code, and optionally what to write
// instead (Suggestion) and a second place it concerns (Related).
type Diagnostic struct {
	Code       string
	Severity   Severity
	Range      Range
	Message    string
	Suggestion string
	Related    *Related
}

// String returns the diagnostic on one line: range, severity, message and
// code.
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", d.Range, d.Severity, d.Message, d.Code)
}

// Diagnostics is a list of findings, collected across a run.
type Diagnostics []Diagnostic

// Add appends a diagnostic.
func (ds *Diagnostics) Add(d Diagnostic) { *ds = append(*ds, d) }

// Errorf appends an error with the given code at r.
func (ds *Diagnostics) Errorf(code string, r Range, format string, args ...any) *Diagnostic {
	*ds = append(*ds, Diagnostic{Code: code, Severity: Error, Range: r, Message: fmt.Sprintf(format, args...)})
	return &(*ds)[len(*ds)-1]
}

// Warnf appends a warning with the given code at r.
func (ds *Diagnostics) Warnf(code string, r Range, format string, args ...any) *Diagnostic {
	*ds = append(*ds, Diagnostic{Code: code, Severity: Warning, Range: r, Message: fmt.Sprintf(format, args...)})
	return &(*ds)[len(*ds)-1]
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns how many diagnostics have severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders diagnostics by file, position, severity, code and message.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Range.File != b.Range.File {
			return a.Range.File < b.Range.File
		}
		if a.Range.Start != b.Range.Start {
			return a.Range.Start.Before(b.Range.Start) || (a.Range.Start.Line == b.Range.Start.Line && a.Range.Start.Column == b.Range.Start.Column && a.Range.Start.Offset < b.Range.Start.Offset)
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
}

// Normalize sorts the list and removes exact repeats (same code, range and
// message), returning the shortened list.
func (ds Diagnostics) Normalize() Diagnostics {
	ds.Sort()
	out := ds[:0]
	for i, d := range ds {
		if i > 0 {
			p := out[len(out)-1]
			if p.Code == d.Code && p.Range == d.Range && p.Message == d.Message {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}
