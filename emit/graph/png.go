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
	"golang.org/x/image/vector"
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

// fillPolygon fills the polygon p with c, anti-aliased.
func fillPolygon(img *image.RGBA, p []pt, c color.Color) {
	if len(p) < 3 {
		return
	}
	x0, y0, x1, y1 := p[0].X, p[0].Y, p[0].X, p[0].Y
	for _, q := range p[1:] {
		x0, y0, x1, y1 = math.Min(x0, q.X), math.Min(y0, q.Y), math.Max(x1, q.X), math.Max(y1, q.Y)
	}
	// a rasterizer the size of the polygon's bounds, not of the image
	box := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1)
	if box = box.Intersect(img.Bounds()); box.Empty() {
		return
	}
	r := vector.NewRasterizer(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	r.MoveTo(float32(p[0].X-ox), float32(p[0].Y-oy))
	for _, q := range p[1:] {
		r.LineTo(float32(q.X-ox), float32(q.Y-oy))
	}
	r.ClosePath()
	r.Draw(img, box, image.NewUniform(c), image.Point{})
}

// strokeLine draws the polyline p, width wide, dashed or not, as a quad per
// segment (and per dash).
func strokeLine(img *image.RGBA, p []pt, width float64, dashed bool, c color.Color) {
	for k := 1; k < len(p); k++ {
		a, b := p[k-1], p[k]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		if l == 0 {
			continue
		}
		ux, uy := (b.X-a.X)/l, (b.Y-a.Y)/l
		seg := func(t0, t1 float64) {
			s, e := pt{a.X + ux*t0, a.Y + uy*t0}, pt{a.X + ux*t1, a.Y + uy*t1}
			h := math.Max(width, 1) / 2
			fillPolygon(img, []pt{{s.X - uy*h, s.Y + ux*h}, {e.X - uy*h, e.Y + ux*h}, {e.X + uy*h, e.Y - ux*h}, {s.X + uy*h, s.Y - ux*h}}, c)
		}
		if !dashed {
			seg(0, l)
			continue
		}
		for t := 0.0; t < l; t += 8 {
			seg(t, math.Min(t+5, l))
		}
	}
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
