package compiler

import (
	"fmt"

	"github.com/regc/regc/lang"
)

// The bounds on values. A constant or parameter set is written once and
// repeated wherever it is named, so a small source can mean an enormous
// document ("billion laughs": `let a1 = [a0, a0]` forty times over); these
// bounds turn that into an error at the value that grows too large, before
// anything is expanded. Text is counted as the document's JSON spells it,
// indentation included, so deep nesting costs what it costs there.
const (
	// MaxValueNodes is how many values (each scalar, list and record
	// counts one) one value may expand to; the legacy reader allows as many.
	MaxValueNodes = 1 << 20
	// MaxValueText is how much text one value may expand to.
	MaxValueText = 64 << 20
	// MaxDocumentNodes and MaxDocumentText bound the stages' parameters
	// together: twice the values of a 100,000-stage regimen.
	MaxDocumentNodes = 1 << 22
	MaxDocumentText  = 256 << 20
	// MaxValueDepth is how deeply lists and records may nest in a value,
	// as brackets may in a source file.
	MaxValueDepth = lang.MaxNesting
)

// indentText is what one level of nesting adds to each value's line.
const indentText = 4

// size is what a value expands to: its values, its text, and its depth
// (a scalar is 0, a list or record one more than its deepest item).
type size struct {
	nodes, text int64
	depth       int
}

// sizeOf measures v, once: an ival is not changed after it is made, and a
// value named in many places is one ival, so measuring every value of a
// file costs one visit of each.
func sizeOf(v *ival) size {
	if v.size.nodes > 0 {
		return v.size
	}
	s := size{nodes: 1, text: 8}
	switch v.kind {
	case iString:
		s.text += int64(len(v.s))
	case iInt, iFloat, iQuantity:
		s.text += int64(len(v.text))
	case iList:
		s.depth = 1
		for _, x := range v.list {
			s = s.add(sizeOf(x), 0)
		}
	case iMap:
		s.depth = 1
		for _, f := range v.fields {
			s = s.add(sizeOf(f.val), len(f.key))
		}
	}
	v.size = s
	return s
}

// add counts an item (with a key of keyLen bytes) into its list or record.
func (s size) add(item size, keyLen int) size {
	s.nodes += item.nodes
	s.text += item.text + indentText*item.nodes + int64(keyLen)
	s.depth = max(s.depth, item.depth+1)
	return s
}

// bounded returns v, or an invalid value (with an error at v) when v
// expands past the bounds on one value.
func (c *checker) bounded(v *ival) *ival {
	if v.kind != iList && v.kind != iMap {
		return v
	}
	s := sizeOf(v)
	var msg string
	switch {
	case s.depth > MaxValueDepth:
		c.diags.Errorf(lang.CodeTooLarge, v.rng, "this value nests lists and records more than %d deep", MaxValueDepth)
		return &ival{kind: iBad, rng: v.rng}
	case s.nodes > MaxValueNodes:
		msg = fmt.Sprintf("more than %d values", MaxValueNodes)
	case s.text > MaxValueText:
		msg = fmt.Sprintf("more than %d MiB of text", MaxValueText>>20)
	default:
		return v
	}
	c.diags.Errorf(lang.CodeTooLarge, v.rng, "this value expands to %s: each use of a constant or parameter set repeats all of it", msg)
	return &ival{kind: iBad, rng: v.rng}
}

// admitStage counts a stage's parameters into the document, and reports
// false (with an error at the stage, once) when the document grows past
// its bounds: regc then leaves the stage's parameters out.
func (c *checker) admitStage(params *ival, at lang.Range) bool {
	if c.docFull {
		return false
	}
	// the parameters sit three levels down: {stages: {NAME: {parameters: ...}}}
	s := sizeOf(params)
	c.docNodes += s.nodes
	c.docText += s.text + 3*indentText*s.nodes
	if c.docNodes <= MaxDocumentNodes && c.docText <= MaxDocumentText {
		return true
	}
	c.docFull = true
	c.diags.Errorf(lang.CodeTooLarge, at, "the document expands to more than %d values or %d MiB of text by this stage; regc stops here", MaxDocumentNodes, MaxDocumentText>>20)
	return false
}
