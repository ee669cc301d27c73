package lang

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// A UTF-8 byte order mark at the start of a file (editors on Windows write
// one) is not part of the text: the file parses, and positions after it are
// the positions in the file as written (the mark is column 1 of line 1).
func TestParseAcceptsByteOrderMark(t *testing.T) {
	src := []byte("\ufeffregimen X version 1.0.0\ncriterion done\n")
	f, diags := Parse("bom.regimen", src)
	if len(diags) > 0 || f == nil {
		t.Fatalf("a file starting with a byte order mark: %v", diags)
	}
	if len(f.Decls) != 2 {
		t.Fatalf("got %d declarations, want 2", len(f.Decls))
	}
	h, ok := f.Decls[0].(*RegimenDecl)
	if !ok {
		t.Fatalf("first declaration is %T", f.Decls[0])
	}
	if h.Pos.Line != 1 || h.Pos.Column != 2 || h.Pos.Offset != 3 {
		t.Errorf("regimen header at %v, want line 1 column 2 offset 3 (after the mark)", h.Pos)
	}
	// a mark anywhere else is still a character the language does not have
	_, diags = Parse("mid.regimen", []byte("regimen X version 1.0.0\n\ufeffcriterion done\n"))
	if len(diags) != 1 || diags[0].Code != "syntax" || diags[0].Range.Start.Line != 2 {
		t.Errorf("a mark inside the file: got %v, want one syntax error on line 2", diags)
	}
}

// Escapes of UTF-16 surrogate pairs (`\ud83d\ude00`, as JSON and Python
// write a character outside the Basic Multilingual Plane) decode to the one
// character they encode; half a pair is an error at its escape.
func TestUnquoteSurrogatePairs(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`"\ud83d\ude00"`, "\U0001F600"},
		{`"a\uD83D\uDE00b"`, "a\U0001F600b"},
		{`"\U0001F600"`, "\U0001F600"},
		{`"\u00e9"`, "é"},
		{`"\\ud83d\\ude00"`, `\ud83d\ude00`}, // escaped backslashes, no escapes
		{`"\\\ud83d\ude00"`, `\` + "\U0001F600"},
		{`"plain"`, "plain"},
	} {
		got, err := Unquote(tc.raw)
		if err != nil || got != tc.want {
			t.Errorf("Unquote(%s) = %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		raw    string
		offset int // the byte offset of the bad escape in raw
		msg    string
	}{
		{`"\ud83d"`, 1, "half of a surrogate pair"},
		{`"ab\ude00\ud83d"`, 3, "half of a surrogate pair"},
		{`"\ud83dx"`, 1, "half of a surrogate pair"},
		{`"\ud83d\u0041"`, 1, "half of a surrogate pair"},
		{`"x\q"`, 2, "invalid escape"},
	} {
		_, err := Unquote(tc.raw)
		var ue *UnquoteError
		if !errors.As(err, &ue) {
			t.Errorf("Unquote(%s): got %v, want an *UnquoteError", tc.raw, err)
			continue
		}
		if ue.Offset != tc.offset || !strings.Contains(ue.Msg, tc.msg) {
			t.Errorf("Unquote(%s): got %q at offset %d, want %q at %d", tc.raw, ue.Msg, ue.Offset, tc.msg, tc.offset)
		}
	}
}

// Apart from surrogate pairs, Unquote reads what strconv.Unquote reads.
func FuzzUnquoteMatchesStrconv(f *testing.F) {
	for _, s := range []string{`"a"`, `"\u00e9\x41\377\n"`, `"\xff"`, `"é\t"`, `"\q"`, `"a"b"`, `"\u12"`, `"\U0001F600"`, `"\ud83d\ude00"`, `"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := Unquote(raw)
		want, werr := strconv.Unquote(raw)
		if werr == nil && (raw[0] != '"' || strings.Contains(raw, "\n")) {
			return // a raw or single-quoted literal: the scanner makes none
		}
		if werr == nil {
			if err != nil || got != want {
				t.Fatalf("Unquote(%s) = %q, %v; strconv reads %q", raw, got, err, want)
			}
			return
		}
		var ue *UnquoteError
		if err != nil && !errors.As(err, &ue) {
			t.Fatalf("Unquote(%s): error %v is not an *UnquoteError", raw, err)
		}
		if err == nil && !strings.Contains(strings.ToLower(raw), `\ud`) {
			t.Fatalf("Unquote(%s) = %q, but strconv refuses it: %v", raw, got, werr)
		}
		if ue != nil && (ue.Offset < 0 || ue.Offset+ue.Len > len(raw)) {
			t.Fatalf("Unquote(%s): error range %d+%d outside the literal", raw, ue.Offset, ue.Len)
		}
	})
}
