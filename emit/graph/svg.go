package graph

import (
	"fmt"
	"io"
	"strings"
)

// WriteSVG draws g as a standalone SVG document: every stage's name is a
// text element of its own.
func WriteSVG(w io.Writer, g *Graph) error {
	d := layout(g)
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="11.6">
<title>%s</title>
<rect x="0" y="0" width="%g" height="%g" fill="#ffffff"/>
`, d.w, d.h, d.w, d.h, xmlText(g.Name), d.w, d.h)
	for _, s := range d.shapes {
		switch s.kind {
		case boxShape:
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s"`, num(s.x), num(s.y), num(s.w), num(s.h))
			if s.round > 0 {
				fmt.Fprintf(&b, ` rx="%s"`, num(s.round))
			}
			b.WriteString(paint(s))
			b.WriteString("/>\n")
		case dotShape:
			fmt.Fprintf(&b, "<circle cx=\"%s\" cy=\"%s\" r=\"%s\" fill=\"%s\"/>\n", num(s.x), num(s.y), num(s.w), s.fill)
		case lineShape:
			pts := make([]string, len(s.points))
			for i, p := range s.points {
				pts[i] = num(p.X) + "," + num(p.Y)
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%s" stroke-linejoin="round"`, strings.Join(pts, " "), s.stroke, num(s.strokeW))
			if s.dashed {
				b.WriteString(` stroke-dasharray="5,3"`)
			}
			b.WriteString("/>\n")
			if s.arrow && len(s.points) >= 2 {
				h := arrowhead(s.points[len(s.points)-2], s.points[len(s.points)-1])
				fmt.Fprintf(&b, "<polygon points=\"%s,%s %s,%s %s,%s\" fill=\"%s\"/>\n", num(h[0].X), num(h[0].Y), num(h[1].X), num(h[1].Y), num(h[2].X), num(h[2].Y), s.stroke)
			}
		case textShape:
			anchor := [...]string{"start", "middle", "end"}[s.anchor]
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="%s" fill="%s"`, num(s.x), num(s.y), anchor, s.fill)
			if s.bold {
				b.WriteString(` font-weight="bold"`)
			}
			fmt.Fprintf(&b, ">%s</text>\n", xmlText(s.text))
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func paint(s shape) string {
	fill := s.fill
	if fill == "" {
		fill = "none"
	}
	out := fmt.Sprintf(` fill="%s"`, fill)
	if s.stroke != "" {
		out += fmt.Sprintf(` stroke="%s" stroke-width="%s"`, s.stroke, num(s.strokeW))
		if s.dashed {
			out += ` stroke-dasharray="5,3"`
		}
	}
	return out
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	s := fmt.Sprintf("%.1f", f)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		s = "0"
	}
	return s
}

func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			b.WriteRune('\uFFFD') // not allowed in XML 1.0
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
