package graph

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// maxPixels bounds the PNG's size (about 200 MB of memory at most): a
// larger drawing is refused, with the advice to draw part of it.
const maxPixels = 50_000_000

// WritePNG draws g as a PNG image, with the same layout as WriteSVG and a
// bitmap font.
func WritePNG(w io.Writer, g *Graph) error {
	d := layout(g)
	if d.w*d.h > maxPixels {
		return fmt.Errorf("the picture would be %gx%g pixels, too large for a PNG: draw part of it with --stage and --depth, or use --format svg", d.w, d.h)
	}
	img := image.NewRGBA(image.Rect(0, 0, int(d.w), int(d.h)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, s := range d.shapes {
		switch s.kind {
		case boxShape:
			if s.fill != "" {
				fillPolygon(img, rectPoints(s.x, s.y, s.w, s.h), parseColour(s.fill))
			}
			if s.stroke != "" {
				p := rectPoints(s.x, s.y, s.w, s.h)
				strokeLine(img, append(p, p[0]), s.strokeW, s.dashed, parseColour(s.stroke))
			}
		case dotShape:
			var circle []pt
			for k := 0; k < 16; k++ {
				a := float64(k) * math.Pi / 8
				circle = append(circle, pt{s.x + s.w*math.Cos(a), s.y + s.w*math.Sin(a)})
			}
			fillPolygon(img, circle, parseColour(s.fill))
		case lineShape:
			c := parseColour(s.stroke)
			strokeLine(img, s.points, s.strokeW, s.dashed, c)
			if s.arrow && len(s.points) >= 2 {
				h := arrowhead(s.points[len(s.points)-2], s.points[len(s.points)-1])
				fillPolygon(img, h[:], c)
			}
		case textShape:
			x := s.x
			switch s.anchor {
			case anchorMiddle:
				x -= textWidth(s.text) / 2
			case anchorEnd:
				x -= textWidth(s.text)
			}
			dr := &font.Drawer{Dst: img, Src: image.NewUniform(parseColour(s.fill)), Face: basicfont.Face7x13,
				Dot: fixed.P(int(math.Round(x)), int(math.Round(s.y)))}
			dr.DrawString(s.text)
			if s.bold { // a bitmap font has no bold: draw it again a pixel over
				dr.Dot = fixed.P(int(math.Round(x))+1, int(math.Round(s.y)))
				dr.DrawString(s.text)
			}
		}
	}
	return png.Encode(w, img)
}

func rectPoints(x, y, w, h float64) []pt {
	return []pt{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
}

// maxCoord bounds the coordinates fillPolygon draws (a layout stays far
// within it): beyond, the squares and slopes its coverage takes could
// overflow float64. A polygon with a point beyond is not drawn.
const maxCoord = 1 << 40

// fillPolygon fills the polygon p with c, anti-aliased (non-zero rule).
func fillPolygon(img *image.RGBA, p []pt, c color.Color) {
	if len(p) < 3 {
		return
	}
	x0, y0, x1, y1 := p[0].X, p[0].Y, p[0].X, p[0].Y
	for _, q := range p {
		if !(math.Abs(q.X) <= maxCoord && math.Abs(q.Y) <= maxCoord) { // or not a number
			return
		}
		x0, y0, x1, y1 = math.Min(x0, q.X), math.Min(y0, q.Y), math.Max(x1, q.X), math.Max(y1, q.Y)
	}
	// coverage the size of the polygon's bounds within the image, not of
	// the image (clamped as floats, before any conversion to int could
	// overflow; a literal, as image.Rect would swap the corners of a
	// polygon wholly outside)
	b := img.Bounds()
	within := func(v float64, lo, hi int) int { return int(math.Min(math.Max(v, float64(lo)), float64(hi))) }
	box := image.Rectangle{
		Min: image.Pt(within(math.Floor(x0), b.Min.X, b.Max.X), within(math.Floor(y0), b.Min.Y, b.Max.Y)),
		Max: image.Pt(within(math.Ceil(x1), b.Min.X, b.Max.X), within(math.Ceil(y1), b.Min.Y, b.Max.Y)),
	}
	if box.Empty() {
		return
	}
	cov := newCoverage(box.Dx(), box.Dy())
	o := pt{float64(box.Min.X), float64(box.Min.Y)}
	for k, a := range p {
		z := p[(k+1)%len(p)]
		cov.edge(pt{a.X - o.X, a.Y - o.Y}, pt{z.X - o.X, z.Y - o.Y})
	}
	cov.drawOver(img, box, c)
}

// strokeLine draws the polyline p, width wide, dashed or not.
func strokeLine(img *image.RGBA, p []pt, width float64, dashed bool, c color.Color) {
	for _, q := range strokeQuads(p, width, dashed) {
		fillPolygon(img, q[:], c)
	}
}

// strokeQuads are the quads that draw the polyline p, width wide (1 at
// least), dashed or not: one per segment, or per dash.
func strokeQuads(p []pt, width float64, dashed bool) [][4]pt {
	var out [][4]pt
	h := math.Max(width, 1) / 2
	for k := 1; k < len(p); k++ {
		a, b := p[k-1], p[k]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		if l == 0 {
			continue
		}
		ux, uy := (b.X-a.X)/l, (b.Y-a.Y)/l
		seg := func(t0, t1 float64) {
			s, e := pt{a.X + ux*t0, a.Y + uy*t0}, pt{a.X + ux*t1, a.Y + uy*t1}
			out = append(out, [4]pt{{s.X - uy*h, s.Y + ux*h}, {e.X - uy*h, e.Y + ux*h}, {e.X + uy*h, e.Y - ux*h}, {s.X + uy*h, s.Y - ux*h}})
		}
		if !dashed {
			seg(0, l)
			continue
		}
		for t := 0.0; t < l; t += 8 {
			seg(t, math.Min(t+5, l))
		}
	}
	return out
}

// parseColour reads "#rrggbb".
func parseColour(s string) color.Color {
	if len(s) != 7 || s[0] != '#' {
		return color.Black
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.Black
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}
