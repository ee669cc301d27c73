package lang

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// Parse parses one .regimen file. On a syntax error it returns a nil File and
// one diagnostic with code "syntax" at the offending token; participle stops
// at the first error, so the compiler does the checks that can be collected.
func Parse(filename string, src []byte) (f *File, diags Diagnostics) {
	if !utf8.Valid(src) {
		off := 0
		for off < len(src) {
			r, size := utf8.DecodeRune(src[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		p := PosAt(src, off)
		diags.Errorf("syntax", Range{File: filename, Start: p, End: Pos{p.Line, p.Column + 1, off + 1}}, "the file is not valid UTF-8 (byte 0x%02x at offset %d)", src[off], off)
		return nil, diags
	}
	defer func() {
		// participle should never panic on input; if it does, the answer
		// is still a diagnostic rather than a stack trace.
		if r := recover(); r != nil {
			f = nil
			diags = Diagnostics{{Code: "syntax", Severity: Error, Range: Range{File: filename, Start: Pos{1, 1, 0}, End: Pos{1, 1, 0}},
				Message: fmt.Sprintf("internal parser failure: %v", r)}}
		}
	}()
	file, err := parser.ParseBytes(filename, src)
	if err != nil {
		return nil, Diagnostics{syntaxDiagnostic(filename, src, err)}
	}
	return file, nil
}

// PosAt returns the position of byte offset off in src.
func PosAt(src []byte, off int) Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return Pos{Line: line, Column: 1 + utf8.RuneCount(src[start:off]), Offset: off}
}

// RangeOf turns a node's participle positions into a Range.
func RangeOf(pos, end lexer.Position) Range {
	return Range{
		File:  pos.Filename,
		Start: Pos{pos.Line, pos.Column, pos.Offset},
		End:   Pos{end.Line, end.Column, end.Offset},
	}
}

func syntaxDiagnostic(filename string, src []byte, err error) Diagnostic {
	d := Diagnostic{Code: "syntax", Severity: Error}
	var ute *participle.UnexpectedTokenError
	var perr participle.Error
	switch {
	case errors.As(err, &ute):
		tok := ute.Unexpected
		d.Range = tokenRange(filename, src, tok)
		expect := describeExpected(ute.Message())
		if tok.EOF() {
			d.Message = "unexpected end of file"
		} else {
			d.Message = "unexpected " + describeToken(tok)
		}
		if expect != "" {
			d.Message += "; expected " + expect
		}
	case errors.As(err, &perr):
		pos := perr.Position()
		p := Pos{pos.Line, pos.Column, pos.Offset}
		if !p.IsValid() {
			p = Pos{1, 1, 0}
		}
		d.Range = Range{File: filename, Start: p, End: Pos{p.Line, p.Column + 1, p.Offset + 1}}
		msg := perr.Message()
		if strings.HasPrefix(msg, "invalid input text") && p.Offset < len(src) {
			r, _ := utf8.DecodeRune(src[p.Offset:])
			if r == '"' {
				msg = "unterminated string (a string ends on the line it starts)"
			} else {
				msg = fmt.Sprintf("unexpected character %q", r)
			}
		} else {
			msg = rewordParticiple(msg)
		}
		d.Message = msg
	default:
		d.Range = Range{File: filename, Start: Pos{1, 1, 0}, End: Pos{1, 1, 0}}
		d.Message = err.Error()
	}
	return d
}

func tokenRange(filename string, src []byte, tok lexer.Token) Range {
	start := Pos{tok.Pos.Line, tok.Pos.Column, tok.Pos.Offset}
	if !start.IsValid() {
		start = PosAt(src, len(src))
	}
	if tok.EOF() || tok.Value == "" {
		return Range{File: filename, Start: start, End: Pos{start.Line, start.Column + 1, start.Offset + 1}}
	}
	end := start
	end.Offset += len(tok.Value)
	if i := strings.LastIndexByte(tok.Value, '\n'); i >= 0 {
		end.Line += strings.Count(tok.Value, "\n")
		end.Column = 1 + utf8.RuneCountInString(tok.Value[i+1:])
	} else {
		end.Column += utf8.RuneCountInString(tok.Value)
	}
	return Range{File: filename, Start: start, End: end}
}

func describeToken(tok lexer.Token) string {
	switch TokenName(tok.Type) {
	case "Keyword":
		return fmt.Sprintf("keyword %q", tok.Value)
	case "Ident":
		return fmt.Sprintf("name %q", tok.Value)
	case "String":
		return "string " + tok.Value
	case "Number", "Quantity", "Version":
		return fmt.Sprintf("number %q", tok.Value)
	default:
		return fmt.Sprintf("%q", tok.Value)
	}
}

// describeExpected pulls participle's "(expected X)" out of its message and
// says it in our words.
func describeExpected(msg string) string {
	i := strings.LastIndex(msg, "(expected ")
	if i < 0 || !strings.HasSuffix(msg, ")") {
		return ""
	}
	return rewordParticiple(msg[i+len("(expected ") : len(msg)-1])
}

var participleWords = strings.NewReplacer(
	"<ident>", "a name", "<string>", "a quoted string", "<number>", "a number",
	"<quantity>", "a number with a unit", "<version>", "a version", "<keyword>", "a keyword",
	"<EOF>", "end of file", "Decl", "a declaration",
)

func rewordParticiple(s string) string { return participleWords.Replace(s) }

// Unquote decodes a quoted string literal as written in source: Go's escapes
// (\n, \t, \", \\, \uXXXX, ...).
func Unquote(raw string) (string, error) {
	s, err := strconv.Unquote(raw)
	if err != nil {
		return "", fmt.Errorf("invalid escape in string %s", raw)
	}
	return s, nil
}

// Quote writes s as a string literal that Unquote reads back.
func Quote(s string) string { return strconv.Quote(s) }

// Value returns the name as it means: the identifier, or the quoted string
// decoded (a bad escape gives the raw text).
func (n *Name) Value() string {
	if n.Quoted != "" {
		if s, err := Unquote(n.Quoted); err == nil {
			return s
		}
		return n.Quoted
	}
	return n.Ident
}

// Range returns the name's range.
func (n *Name) Range() Range { return RangeOf(n.Pos, n.EndPos) }

// Value returns the key as it means.
func (k *Key) Value() string {
	if k.Quoted != "" {
		if s, err := Unquote(k.Quoted); err == nil {
			return s
		}
		return k.Quoted
	}
	return k.Ident
}

// Range returns the key's range.
func (k *Key) Range() Range { return RangeOf(k.Pos, k.EndPos) }

// Range returns the identifier's range.
func (i *Ident) Range() Range { return RangeOf(i.Pos, i.EndPos) }
