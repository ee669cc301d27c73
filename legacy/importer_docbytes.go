package legacy

// A document value as bytes: what verify keeps of the legacy file's
// document while the imported source compiles, so that the legacy build's
// values need not stay alive beside the compile's. The bytes hold a value
// as Equal sees it: each kind with what its kind means (a float's bits, an
// int's digits, a string's bytes, a list's items in order) and a record's
// fields sorted by key, as Equal matches them. A record with a key written
// twice, where Equal looks at the first of the other record's (so that
// such a record may not even equal itself), is written as written and
// marked: bytes without the mark that are equal are Equal values. Decoding
// gives back a value that compares as the one written, for valueDiff to
// describe a difference.

import (
	"encoding/binary"
	"math"
	"math/big"
	"slices"
	"strings"

	"github.com/regc/regc/compiler"
)

// twiceKind marks a record with a key written twice.
const twiceKind = 0xff

// docWriter writes values as bytes; twice says whether it wrote a record
// with a key written twice.
type docWriter struct {
	b     []byte
	twice bool
}

// appendValue appends the bytes of v to b.
func appendValue(b []byte, v compiler.Value) []byte {
	w := docWriter{b: b}
	w.value(v)
	return w.b
}

func (w *docWriter) value(v compiler.Value) {
	kindAt := len(w.b)
	w.b = append(w.b, byte(v.Kind))
	switch v.Kind {
	case compiler.Null:
	case compiler.Bool:
		if v.Bool {
			w.b = append(w.b, 1)
		} else {
			w.b = append(w.b, 0)
		}
	case compiler.Int:
		if v.Int == nil {
			w.b = append(w.b, 0)
			return
		}
		w.b = append(w.b, 1)
		w.b = v.Int.Append(w.b, 36)
		w.b = append(w.b, ';') // no digit of base 36
	case compiler.Float:
		w.b = binary.LittleEndian.AppendUint64(w.b, math.Float64bits(v.Float))
	case compiler.String:
		w.b = appendText(w.b, v.Str)
	case compiler.List:
		w.b = binary.AppendUvarint(w.b, uint64(len(v.List)))
		for _, x := range v.List {
			w.value(x)
		}
	default: // a record
		w.b = binary.AppendUvarint(w.b, uint64(len(v.Map)))
		var small [32]int
		order := small[:0]
		if len(v.Map) > len(small) {
			order = make([]int, 0, len(v.Map))
		}
		for i := range v.Map {
			order = append(order, i)
		}
		slices.SortFunc(order, func(i, j int) int { return strings.Compare(v.Map[i].Key, v.Map[j].Key) })
		for k := 1; k < len(order); k++ {
			if v.Map[order[k]].Key == v.Map[order[k-1]].Key {
				for i := range order {
					order[i] = i
				}
				w.b[kindAt] = twiceKind
				w.b = append(w.b, byte(v.Kind))
				w.twice = true
				break
			}
		}
		for _, i := range order {
			w.b = appendText(w.b, v.Map[i].Key)
			w.value(v.Map[i].Value)
		}
	}
}

func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeValue reads a value appendValue wrote at the start of b, and
// returns it and the bytes after it. The bytes are ours, so a malformed
// one is a panic (which the import reports as an internal error).
func decodeValue(b []byte) (compiler.Value, []byte) {
	kind := compiler.Kind(b[0])
	b = b[1:]
	switch kind {
	case compiler.Null:
		return compiler.NullValue(), b
	case compiler.Bool:
		return compiler.BoolValue(b[0] == 1), b[1:]
	case compiler.Int:
		if b[0] == 0 {
			return compiler.Value{Kind: compiler.Int}, b[1:]
		}
		b = b[1:]
		end := 0
		for b[end] != ';' {
			end++
		}
		i, ok := new(big.Int).SetString(string(b[:end]), 36)
		if !ok {
			panic("verify: a malformed int in a document's bytes")
		}
		return compiler.BigIntValue(i), b[end+1:]
	case compiler.Float:
		return compiler.FloatValue(math.Float64frombits(binary.LittleEndian.Uint64(b))), b[8:]
	case compiler.String:
		s, rest := decodeText(b)
		return compiler.StringValue(s), rest
	case compiler.List:
		n, rest := decodeLen(b)
		out := make([]compiler.Value, n)
		for i := range out {
			out[i], rest = decodeValue(rest)
		}
		return compiler.Value{Kind: compiler.List, List: out}, rest
	default:
		n, rest := decodeLen(b)
		if kind == twiceKind {
			kind, rest = compiler.Kind(rest[0]), rest[1:]
		}
		out := make([]compiler.Field, n)
		for i := range out {
			out[i].Key, rest = decodeText(rest)
			out[i].Value, rest = decodeValue(rest)
		}
		return compiler.Value{Kind: kind, Map: out}, rest
	}
}

func decodeLen(b []byte) (int, []byte) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)) {
		panic("verify: a malformed length in a document's bytes")
	}
	return int(n), b[w:]
}

func decodeText(b []byte) (string, []byte) {
	n, rest := decodeLen(b)
	return string(rest[:n]), rest[n:]
}
