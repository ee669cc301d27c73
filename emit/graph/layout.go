package graph

import (
	"math"
	"slices"
	"unicode/utf8"
)

// The drawing: stages stacked top to bottom in declaration order (a
// regimen is mostly a sequence, so most transitions join neighbours and are
// short straight arrows), transitions that skip stages routed in lanes to
// the right (forward) or left (backward) of the column. SVG and PNG draw the
// same shapes.

const (
	charW    = 7.0  // the width of a character of the monospaced font
	lineH    = 14.0 // the height of a line of text
	nodeH    = 28.0
	nodePadX = 14.0
	laneGap  = 16.0
	margin   = 16.0
	minGap   = 30.0
)

type pt struct{ X, Y float64 }

// shape is one thing drawn: a box, a line (with an arrowhead at its end),
// or a text.
type shape struct {
	kind         int
	x, y, w, h   float64 // box
	points       []pt    // line
	text         string  // text at (x, y): y is the baseline
	anchor       int     // text: anchorStart, anchorMiddle, anchorEnd
	fill, stroke string
	strokeW      float64
	dashed       bool
	arrow        bool    // line: an arrowhead at the last point
	round        float64 // box: corner radius
	bold         bool
}

const (
	boxShape = iota
	lineShape
	textShape
	dotShape // a filled circle of radius w at (x, y)
)

const (
	anchorStart = iota
	anchorMiddle
	anchorEnd
)

type drawing struct {
	w, h   float64
	shapes []shape
}

func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * charW }

// textBox is the extent of a label placed at x (by anchor) with its first
// baseline at y.
func textBox(lines []string, x, y float64, anchor int) (x0, y0, x1, y1 float64) {
	w := 0.0
	for _, l := range lines {
		w = math.Max(w, textWidth(l))
	}
	switch anchor {
	case anchorMiddle:
		x0 = x - w/2
	case anchorEnd:
		x0 = x - w
	default:
		x0 = x
	}
	return x0, y - lineH + 3, x0 + w, y - lineH + 3 + float64(len(lines))*lineH
}

// layout places g's nodes and edges.
func layout(g *Graph) *drawing {
	d := &drawing{}
	idx := map[*Node]int{}
	nodeW := 120.0
	for i, n := range g.Nodes {
		idx[n] = i
		nodeW = math.Max(nodeW, textWidth(n.Name)+2*nodePadX)
	}
	// straight edges join a stage to the next; the rest go round
	var straight [][]*Edge // by upper node
	straight = make([][]*Edge, len(g.Nodes))
	var right, left []*Edge
	for _, e := range g.Edges {
		i, j := idx[e.From], idx[e.To]
		switch {
		case j == i+1:
			straight[i] = append(straight[i], e)
		case j > i || j == i:
			right = append(right, e)
		default:
			left = append(left, e)
		}
	}
	// the title, the legend of groups, and room for the start marker
	top := margin + lineH
	d.shapes = append(d.shapes, shape{kind: textShape, x: 0, y: top, text: g.Name, bold: true, fill: "#111827"})
	groups := g.Groups()
	if len(groups) > 0 {
		top += lineH + 6
		x := 0.0
		for _, grp := range groups {
			d.shapes = append(d.shapes,
				shape{kind: boxShape, x: x, y: top - 10, w: 12, h: 12, fill: g.fill(&Node{Group: grp}), stroke: "#6b7280", strokeW: 1},
				shape{kind: textShape, x: x + 16, y: top, text: grp, fill: "#374151"})
			x += 16 + textWidth(grp) + 18
		}
	}
	top += 36
	ys := make([]float64, len(g.Nodes)) // the top of each node
	y := top
	for i := range g.Nodes {
		ys[i] = y
		gap := minGap
		lines := 0
		for _, e := range straight[i] {
			lines += len(e.Label())
		}
		gap = math.Max(gap, float64(lines)*lineH+12)
		y += nodeH + gap
	}
	cx := nodeW / 2
	left0, right0 := 0.0, nodeW
	// the start marker
	if len(g.Nodes) > 0 && g.Nodes[0].First {
		d.shapes = append(d.shapes,
			shape{kind: dotShape, x: cx, y: ys[0] - 24, w: 5, fill: "#111827"},
			shape{kind: lineShape, points: []pt{{cx, ys[0] - 24}, {cx, ys[0]}}, stroke: autoColour, strokeW: 1.2, arrow: true})
	}
	var labels []shape
	// the labels placed so far, by band of height bandH that they touch:
	// a label is compared only with those near it
	const bandH = 200.0
	placed := map[int][][4]float64{}
	clashes := func(x0, y0, x1, y1 float64) bool {
		for band := int(y0 / bandH); band <= int(y1/bandH); band++ {
			for _, p := range placed[band] {
				if x0 < p[2] && p[0] < x1 && y0 < p[3] && p[1] < y1 {
					return true
				}
			}
		}
		return false
	}
	place := func(lines []string, x, y float64, anchor int, colour string, lo, hi float64) {
		// move the label down (within [lo, hi]) until it overlaps no other
		for try := 0; try < 40; try++ {
			if !clashes(textBox(lines, x, y, anchor)) || y+lineH > hi {
				break
			}
			y += lineH / 2
		}
		if y < lo {
			y = lo
		}
		x0, y0, x1, y1 := textBox(lines, x, y, anchor)
		for band := int(y0 / bandH); band <= int(y1/bandH); band++ {
			placed[band] = append(placed[band], [4]float64{x0, y0, x1, y1})
		}
		labels = append(labels, shape{kind: boxShape, x: x0 - 2, y: y0, w: x1 - x0 + 4, h: y1 - y0, fill: "#ffffff"})
		for k, l := range lines {
			labels = append(labels, shape{kind: textShape, x: x, y: y + float64(k)*lineH, text: l, anchor: anchor, fill: colour})
		}
	}
	edgeStyle := func(e *Edge, s shape) shape {
		s.kind, s.strokeW, s.arrow = lineShape, 1.2, true
		s.stroke = autoColour
		if e.Manual() {
			s.stroke, s.dashed = manualColour, true
		}
		return s
	}
	colour := func(e *Edge) string {
		if e.Manual() {
			return manualColour
		}
		return autoColour
	}
	// straight edges, side by side when several join the same two stages
	for i, es := range straight {
		ly := ys[i] + nodeH + lineH
		for k, e := range es {
			x := cx + (float64(k)-float64(len(es)-1)/2)*14
			d.shapes = append(d.shapes, edgeStyle(e, shape{points: []pt{{x, ys[i] + nodeH}, {x, ys[i+1]}}}))
			place(e.Label(), cx+float64(len(es))*7+6, ly, anchorStart, colour(e), ly, ys[i+1])
			ly += float64(len(e.Label())) * lineH
		}
	}
	// edges that go round: shorter spans nearer the column; ports spread
	// along each node's side
	route := func(es []*Edge, side float64) float64 {
		span := func(e *Edge) (int, int) {
			a, b := idx[e.From], idx[e.To]
			return min(a, b), max(a, b)
		}
		order := slices.Clone(es)
		slices.SortStableFunc(order, func(a, b *Edge) int {
			a0, a1 := span(a)
			b0, b1 := span(b)
			return (a1 - a0) - (b1 - b0)
		})
		var lanes [][][2]int
		lane := map[*Edge]int{}
		for _, e := range order {
			lo, hi := span(e)
			l := 0
			for ; l < len(lanes); l++ {
				free := true
				for _, iv := range lanes[l] {
					if lo <= iv[1] && iv[0] <= hi {
						free = false
						break
					}
				}
				if free {
					break
				}
			}
			if l == len(lanes) {
				lanes = append(lanes, nil)
			}
			lanes[l] = append(lanes[l], [2]int{lo, hi})
			lane[e] = l
		}
		ports := map[int]int{}
		for _, e := range es {
			ports[idx[e.From]]++
			ports[idx[e.To]]++
		}
		used := map[int]int{}
		port := func(i int) float64 {
			used[i]++
			return ys[i] + nodeH*float64(used[i])/float64(ports[i]+1)
		}
		edgeX := right0
		if side < 0 {
			edgeX = left0
		}
		for _, e := range es {
			i, j := idx[e.From], idx[e.To]
			y0, y1 := port(i), port(j)
			lx := edgeX + side*(20+float64(lane[e])*laneGap)
			d.shapes = append(d.shapes, edgeStyle(e, shape{points: []pt{{edgeX, y0}, {lx, y0}, {lx, y1}, {edgeX, y1}}}))
			anchor := anchorStart
			if side < 0 {
				anchor = anchorEnd
			}
			mid := (y0+y1)/2 - float64(len(e.Label()))*lineH/2 + lineH
			place(e.Label(), lx+side*5, mid, anchor, colour(e), math.Min(y0, y1), math.Max(y0, y1)+nodeH)
		}
		return float64(len(lanes))
	}
	route(right, 1)
	route(left, -1)
	// the nodes, over the lines' ends
	for i, n := range g.Nodes {
		box := shape{kind: boxShape, x: 0, y: ys[i], w: nodeW, h: nodeH, round: 6, fill: g.fill(n), stroke: "#374151", strokeW: 1}
		if n.First {
			box.strokeW = 2.5
		}
		if n.Missing {
			box.dashed = true
		}
		if n.Highlight {
			box.stroke, box.strokeW = "#b91c1c", 3
		}
		d.shapes = append(d.shapes, box)
		if n.Final {
			d.shapes = append(d.shapes, shape{kind: boxShape, x: 3, y: ys[i] + 3, w: nodeW - 6, h: nodeH - 6, round: 4, stroke: "#374151", strokeW: 1})
		}
		d.shapes = append(d.shapes, shape{kind: textShape, x: cx, y: ys[i] + nodeH/2 + 4, text: n.Name, anchor: anchorMiddle, fill: "#111827", bold: n.First || n.Highlight})
	}
	d.shapes = append(d.shapes, labels...)
	d.fit()
	return d
}

// fit moves the drawing so that everything is at least margin from the
// origin, and sets its size.
func (d *drawing) fit() {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	grow := func(ax, ay, bx, by float64) {
		x0, y0, x1, y1 = math.Min(x0, ax), math.Min(y0, ay), math.Max(x1, bx), math.Max(y1, by)
	}
	for _, s := range d.shapes {
		switch s.kind {
		case boxShape:
			grow(s.x, s.y, s.x+s.w, s.y+s.h)
		case dotShape:
			grow(s.x-s.w, s.y-s.w, s.x+s.w, s.y+s.w)
		case lineShape:
			for _, p := range s.points {
				grow(p.X-5, p.Y-5, p.X+5, p.Y+5)
			}
		case textShape:
			a, b, c, e := textBox([]string{s.text}, s.x, s.y, s.anchor)
			grow(a, b, c, e)
		}
	}
	dx, dy := margin-x0, margin-y0
	for i := range d.shapes {
		s := &d.shapes[i]
		s.x += dx
		s.y += dy
		for k := range s.points {
			s.points[k].X += dx
			s.points[k].Y += dy
		}
	}
	d.w, d.h = math.Ceil(x1-x0+2*margin), math.Ceil(y1-y0+2*margin)
}

// arrowhead returns the triangle at the end of a line from a to b.
func arrowhead(a, b pt) [3]pt {
	dx, dy := b.X-a.X, b.Y-a.Y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return [3]pt{b, b, b}
	}
	ux, uy := dx/l, dy/l
	const size, half = 8.0, 3.5
	base := pt{b.X - ux*size, b.Y - uy*size}
	return [3]pt{b, {base.X - uy*half, base.Y + ux*half}, {base.X + uy*half, base.Y - ux*half}}
}
