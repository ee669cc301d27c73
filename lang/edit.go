package lang

import (
	"fmt"
	"sort"
)

// Edit replaces the source text in Range (by its byte offsets) with Text;
// an empty range inserts Text there.
type Edit struct {
	Range Range
	Text  string
}

// Insert is the edit that writes text at byte offset off of src.
func Insert(src []byte, off int, text string) Edit {
	p := PosAt(src, off)
	return Edit{Range: Range{Start: p, End: p}, Text: text}
}

// Apply returns src with the edits made; src itself is not changed. The
// edits may come in any order, but must lie within src and not overlap
// (insertions at one offset are made in the order given, and an insertion
// may touch a replacement's ends).
func Apply(src []byte, edits []Edit) ([]byte, error) {
	order := make([]int, len(edits))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ea, eb := edits[order[a]].Range, edits[order[b]].Range
		if ea.Start.Offset != eb.Start.Offset {
			return ea.Start.Offset < eb.Start.Offset
		}
		// at one offset, insertions before the replacement that starts there
		return ea.End.Offset == ea.Start.Offset && eb.End.Offset != eb.Start.Offset
	})
	out := make([]byte, 0, len(src))
	done := 0 // the bytes of src copied or replaced so far
	for _, i := range order {
		e := edits[i]
		start, end := e.Range.Start.Offset, e.Range.End.Offset
		switch {
		case start < 0 || end > len(src) || start > end:
			return nil, fmt.Errorf("an edit at bytes %d-%d lies outside the %d bytes of the source", start, end, len(src))
		case start < done:
			return nil, fmt.Errorf("two edits overlap at byte %d", start)
		}
		out = append(out, src[done:start]...)
		out = append(out, e.Text...)
		done = end
	}
	return append(out, src[done:]...), nil
}
