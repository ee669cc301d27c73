package graph

import (
	"image"
	"image/color"
	"math"
)

// The PNG's shapes are filled by this small anti-aliasing rasterizer rather
// than golang.org/x/image/vector: that package's init function executes a
// CPUID instruction (to choose its SIMD code), which traps to the hypervisor
// on virtual machines and cost every regc command, whatever it is, about
// 15-20 µs before main.
//
// The method is signed-area accumulation: each edge of the outline adds, to
// the cells of the rows it crosses, how much the coverage changes from one
// pixel to the next because of it; a running sum along a row then gives the
// winding-weighted area of each pixel that lies inside the outline. With
// |sum| clamped to 1 this is the non-zero fill rule, exact for the simple
// polygons drawn here (overlapping parts of a self-intersecting one count
// once).

// coverage is the area an outline covers in each pixel of a w×h box,
// accumulated edge by edge: cell is row-major, one float32 per pixel, and
// holds differences until sum turns each row into coverage.
type coverage struct {
	w, h int
	cell []float32
}

func newCoverage(w, h int) *coverage {
	return &coverage{w: w, h: h, cell: make([]float32, w*h)}
}

// edge adds the edge from a to b, in the box's coordinates (pixel (i, j)
// spans [i, i+1]×[j, j+1]); an edge going down adds, one going up removes.
//
// Parts of the edge outside the box are clipped: above and below by
// visiting only the box's rows; left of it by adding what would go to cells
// left of the box to the row's first cell (coverage is a running sum along
// the row, so every pixel of the box sees the same total: an edge left of
// the box covers the whole row's width, as it should); right of it by
// dropping what would go to cells right of the box (a running sum never
// brings it back into the box).
func (c *coverage) edge(a, b pt) {
	sign := float64(1)
	if a.Y > b.Y {
		a, b, sign = b, a, -1
	}
	if !(b.Y > a.Y) { // horizontal (or not a number): no change of coverage
		return
	}
	dxdy := (b.X - a.X) / (b.Y - a.Y)
	xAt := func(y float64) float64 {
		switch y {
		case a.Y:
			return a.X
		case b.Y:
			return b.X
		}
		return a.X + (y-a.Y)*dxdy
	}
	first := int(math.Max(math.Floor(a.Y), 0))
	last := int(math.Min(math.Ceil(b.Y), float64(c.h))) // rows first..last-1
	for j := first; j < last; j++ {
		top, bottom := math.Max(a.Y, float64(j)), math.Min(b.Y, float64(j+1))
		if bottom <= top {
			continue
		}
		c.span(c.cell[j*c.w:(j+1)*c.w], xAt(top), xAt(bottom), sign*(bottom-top))
	}
}

// span adds to row the part of an edge that crosses it from x0 to x1 over
// a height dy (negative for an edge going up).
//
// The coverage that the edge brings to pixel i is dy times the mean, over
// the pixel's width, of the fraction of the edge that lies left of the
// point: ramp(i+1) - ramp(i), where ramp is the integral of that fraction.
// The cells take the differences from pixel to pixel, which are nonzero
// only from the pixel where the edge starts to one past where it ends.
func (c *coverage) span(row []float32, x0, x1, dy float64) {
	lo, hi := math.Min(x0, x1), math.Max(x0, x1)
	ramp := func(x float64) float64 {
		switch {
		case x <= lo:
			return 0
		case x >= hi:
			return (hi-lo)/2 + (x - hi)
		}
		return (x - lo) / (hi - lo) * (x - lo) / 2
	}
	// pixels from start to end; what is left of the box goes to cell 0, as
	// the sum of the differences up to pixel start is start's coverage
	// (at least that cell, for an edge wholly left of the box); what right
	// of it is dropped
	start := int(math.Max(math.Floor(lo), 0))
	end := int(math.Min(math.Max(math.Floor(hi)+1, float64(start)), float64(c.w-1)))
	prev := 0.0
	for i := start; i <= end; i++ {
		v := ramp(float64(i+1)) - ramp(float64(i))
		row[i] += float32(dy * (v - prev))
		prev = v
	}
}

// drawOver composites colour col over img's box r (of the coverage's size),
// with each pixel's coverage as the alpha of a mask: Porter-Duff "over",
// by the arithmetic of image/draw's DrawMask.
func (c *coverage) drawOver(img *image.RGBA, r image.Rectangle, col color.Color) {
	sr, sg, sb, sa := col.RGBA()
	for j := 0; j < c.h; j++ {
		pix := img.Pix[img.PixOffset(r.Min.X, r.Min.Y+j):]
		sum := float32(0)
		for i, d := range c.cell[j*c.w : (j+1)*c.w] {
			sum += d
			m := sum
			if m < 0 {
				m = -m
			}
			ma := uint32(min(m, 1)*0xffff + 0.5)
			if ma == 0 {
				continue
			}
			p := pix[4*i : 4*i+4 : 4*i+4]
			if ma == 0xffff && sa == 0xffff {
				p[0], p[1], p[2], p[3] = uint8(sr>>8), uint8(sg>>8), uint8(sb>>8), 0xff
				continue
			}
			a := 0xffff - sa*ma/0xffff
			p[0] = uint8((uint32(p[0])*0x101*a + sr*ma) / 0xffff >> 8)
			p[1] = uint8((uint32(p[1])*0x101*a + sg*ma) / 0xffff >> 8)
			p[2] = uint8((uint32(p[2])*0x101*a + sb*ma) / 0xffff >> 8)
			p[3] = uint8((uint32(p[3])*0x101*a + sa*ma) / 0xffff >> 8)
		}
	}
}
