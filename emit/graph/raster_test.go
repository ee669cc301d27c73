package graph

import (
	"bytes"
	"fmt"
	"github.com/regc/regc/internal/testtool"
	"image"
	"image/color"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/vector"
)

// fillBound is how far, in any 8-bit channel, fillPolygon may differ from
// golang.org/x/image/vector filling the same polygon in floating point (see
// fillVector). Both compute the exact area of each pixel the polygon covers
// and composite it with image/draw's "over" arithmetic; they differ in
// float rounding (vector in float32 throughout, fillPolygon in float64 per
// edge, summed in float32) and in turning coverage into a 16-bit alpha
// (vector truncates, fillPolygon rounds to nearest), so an alpha can differ
// by one 16-bit step, and a channel, truncated to 8 bits after compositing,
// by one step when the exact value lies on a boundary. Hence 1, and the
// tests see 1 at most.
const fillBound = 1

// fillVector is how fillPolygon drew before: with x/image/vector, the
// reference it is compared with (only this test links vector; regc does
// not, see TestVectorNotLinked).
func fillVector(img *image.RGBA, p []pt, c color.Color) {
	if len(p) < 3 {
		return
	}
	x0, y0, x1, y1 := p[0].X, p[0].Y, p[0].X, p[0].Y
	for _, q := range p[1:] {
		x0, y0, x1, y1 = math.Min(x0, q.X), math.Min(y0, q.Y), math.Max(x1, q.X), math.Max(y1, q.Y)
	}
	box := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1)
	if box = box.Intersect(img.Bounds()); box.Empty() {
		return
	}
	// wider than 512 pixels, so that vector works in floating point: in
	// fixed point (which it would use for these boxes) it is off by up to
	// 10 of 255 at the slanted edges of shapes regc draws (a pixel exactly
	// 32.8/255 covered came out 40), where in floating point it agrees
	// with the exact coverage
	r := vector.NewRasterizer(max(box.Dx(), 513), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	r.MoveTo(float32(p[0].X-ox), float32(p[0].Y-oy))
	for _, q := range p[1:] {
		r.LineTo(float32(q.X-ox), float32(q.Y-oy))
	}
	r.ClosePath()
	r.Draw(img, box, image.NewUniform(c), image.Point{})
}

// background is a w×h image with a pattern of colours to composite over,
// some of its pixels translucent (premultiplied, as image.RGBA is).
func background(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := uint8(255)
			if (x+y)%5 == 0 {
				a = uint8(60 + 7*x%150)
			}
			v := func(k int) uint8 { return uint8(int(a) * ((x*k + y*(k+3)) % 256) / 255) }
			img.SetRGBA(x, y, color.RGBA{v(3), v(11), v(29), a})
		}
	}
	return img
}

var fillColours = []color.Color{
	parseColour("#4c78a8"), color.Black, color.RGBA{0xff, 0xff, 0xff, 0xff},
	color.RGBA{60, 20, 100, 128}, // translucent, premultiplied
}

// fillDiff draws p in c with fillPolygon and with vector on two copies of
// the same w×h background, and says by how much they differ at most, and
// where.
func fillDiff(w, h int, p []pt, c color.Color) (worst int, at image.Point) {
	bg := background(w, h)
	ours, theirs := bg, image.NewRGBA(bg.Rect)
	copy(theirs.Pix, bg.Pix)
	fillPolygon(ours, p, c)
	fillVector(theirs, p, c)
	for i := range ours.Pix {
		d := int(ours.Pix[i]) - int(theirs.Pix[i])
		if d < 0 {
			d = -d
		}
		if d > worst {
			worst, at = d, image.Pt(i%ours.Stride/4, i/ours.Stride)
		}
	}
	return worst, at
}

type fillCase struct {
	name string
	w, h int
	p    []pt
}

func quad(q [4]pt) []pt { return q[:] }

// fillCases are the polygons the PNG draws, and ones at its limits.
func fillCases() []fillCase {
	var cases []fillCase
	add := func(w, h int, p []pt, format string, args ...any) {
		cases = append(cases, fillCase{fmt.Sprintf(format, args...), w, h, p})
	}
	// the quads strokeLine makes, at many angles, widths and offsets
	for deg := 0; deg < 360; deg += 3 {
		a := float64(deg) * math.Pi / 180
		for _, width := range []float64{0.5, 1, 1.5, 2, 2.5, 3, 4} {
			for _, off := range []float64{0, 0.25, 0.5, 0.73} {
				s := pt{20 + off, 15 + off*0.7}
				e := pt{s.X + 17*math.Cos(a), s.Y + 17*math.Sin(a)}
				for _, dashed := range []bool{false, true} {
					for k, q := range strokeQuads([]pt{s, e}, width, dashed) {
						add(48, 40, quad(q), "stroke %d° width %g offset %g dashed %v quad %d", deg, width, off, dashed, k)
					}
				}
			}
			// the arrowhead at the end of such a line
			h := arrowhead(pt{20, 15}, pt{20 + 12*math.Cos(a) + 0.3, 15 + 12*math.Sin(a) + 0.6})
			add(48, 40, h[:], "arrowhead %d°", deg)
		}
	}
	// axis-aligned boxes, on and off the pixel grid, filled and stroked
	for _, o := range []float64{0, 0.5, 0.2, 0.9} {
		for _, size := range []pt{{10, 6}, {0.5, 3}, {3, 0.5}, {30.3, 20.7}} {
			add(48, 40, rectPoints(5+o, 7+o/2, size.X, size.Y), "box %v at +%g", size, o)
			r := rectPoints(5+o, 7+o/2, size.X, size.Y)
			for k, q := range strokeQuads(append(r, r[0]), 1, o > 0.3) {
				add(48, 40, quad(q), "box %v at +%g stroke %d", size, o, k)
			}
		}
	}
	// the dots of the initial state, and triangles both ways round
	for _, r := range []float64{0.3, 2, 5.5} {
		var circle []pt
		for k := 0; k < 16; k++ {
			a := float64(k) * math.Pi / 8
			circle = append(circle, pt{20.4 + r*math.Cos(a), 17.8 + r*math.Sin(a)})
		}
		add(48, 40, circle, "dot of radius %g", r)
	}
	tri := []pt{{3.2, 4.1}, {40.7, 12.9}, {11.5, 35.3}}
	add(48, 40, tri, "triangle")
	add(48, 40, []pt{tri[2], tri[1], tri[0]}, "triangle, counter-clockwise")
	add(48, 40, []pt{{0, 0}, {48, 0.4}, {47.6, 40}}, "long thin triangle")
	// partly outside the image on each side and corner, and wholly outside
	for _, d := range []pt{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, 1}, {-1, 1}, {1, -1}} {
		for _, by := range []float64{3.3, 10.5, 21.7, 60} {
			mv := func(p []pt) []pt {
				out := make([]pt, len(p))
				for k, q := range p {
					out[k] = pt{q.X + d.X*by, q.Y + d.Y*by}
				}
				return out
			}
			add(48, 40, mv(rectPoints(2.5, 3.5, 43, 33)), "box moved %g by %v", by, d)
			add(48, 40, mv(tri), "triangle moved %g by %v", by, d)
			for k, q := range strokeQuads([]pt{{1.3, 2.2}, {46.1, 37.4}}, 3, false) {
				add(48, 40, mv(quad(q)), "diagonal stroke moved %g by %v quad %d", by, d, k)
			}
			for k, q := range strokeQuads([]pt{{46.1, 2.2}, {1.3, 37.4}}, 2, true) {
				add(48, 40, mv(quad(q)), "dashed anti-diagonal moved %g by %v quad %d", by, d, k)
			}
		}
	}
	add(48, 40, []pt{{-30, -20}, {80, 5}, {20, 90}}, "triangle around the image")
	add(48, 40, []pt{{-1e4, 10}, {1e4, 12.5}, {0, 30.25}}, "triangle far out both sides")
	// tiny and degenerate ones
	add(48, 40, rectPoints(7.3, 8.6, 0.01, 0.02), "tiny box")
	add(48, 40, rectPoints(7.3, 8.6, 0, 5), "zero-width box")
	add(48, 40, rectPoints(7.3, 8.6, 5, 0), "zero-height box")
	add(48, 40, []pt{{5, 5}, {10, 10}, {20, 20}}, "collinear triangle")
	add(48, 40, []pt{{5.5, 5.5}, {5.5, 5.5}, {5.5, 5.5}}, "one point")
	add(48, 40, []pt{{5, 5}, {9, 9}}, "two points")
	add(48, 40, []pt{{2, 2}, {30, 2}, {2, 30}, {30, 30}}, "bow tie")
	// wider than 512 pixels: vector then works in floating point
	for k, q := range strokeQuads([]pt{{3.3, 4.1}, {590.2, 30.6}}, 2, false) {
		add(600, 36, quad(q), "long stroke quad %d", k)
	}
	add(600, 36, rectPoints(-3.5, 4.5, 700, 20.25), "wide box")
	return cases
}

// TestFillMatchesVector: fillPolygon draws what golang.org/x/image/vector
// drew, to fillBound in every channel of every pixel, over a background of
// many colours, in opaque and translucent colours.
func TestFillMatchesVector(t *testing.T) {
	cases := fillCases()
	if len(cases) < 5000 {
		t.Fatalf("only %d cases", len(cases))
	}
	worst := 0
	for _, fc := range cases {
		for _, c := range fillColours {
			d, at := fillDiff(fc.w, fc.h, fc.p, c)
			if d > fillBound {
				t.Errorf("%s in %v: fillPolygon and vector differ by %d at %v (polygon %v)", fc.name, c, d, at, fc.p)
			}
			worst = max(worst, d)
		}
	}
	t.Logf("%d polygons in %d colours: the largest difference is %d", len(cases), len(fillColours), worst)
}

// FuzzFillMatchesVector: any triangle or quad within 100 pixels of a 40×30
// image, convex or not, is drawn as vector draws it, to fillBound.
func FuzzFillMatchesVector(f *testing.F) {
	f.Add(1.5, 2.5, 30.0, 4.0, 28.5, 25.25, 3.0, 20.0, true, uint8(0))
	f.Add(-5.0, 3.0, 20.0, -7.0, 45.0, 10.0, 0.0, 0.0, false, uint8(3))
	f.Add(10.0, 10.0, 10.5, 10.0, 10.5, 10.01, 10.0, 10.01, true, uint8(1))
	f.Fuzz(func(t *testing.T, x0, y0, x1, y1, x2, y2, x3, y3 float64, four bool, colour uint8) {
		p := []pt{{x0, y0}, {x1, y1}, {x2, y2}}
		if four {
			p = append(p, pt{x3, y3})
		}
		for _, q := range p {
			if !(math.Abs(q.X) <= 100 && math.Abs(q.Y) <= 100) {
				return
			}
		}
		c := fillColours[int(colour)%len(fillColours)]
		if d, at := fillDiff(40, 30, p, c); d > fillBound {
			t.Errorf("fillPolygon and vector differ by %d at %v (polygon %v, colour %v)", d, at, p, c)
		}
	})
}

// TestFillClipsLikeALargerImage: a polygon that leaves the image on any
// side is drawn, on the pixels inside it, as it is on an image large
// enough to hold it whole (what lies left of the image still covers the
// pixels right of it; what lies right, above or below does not count).
// This does not rely on vector.
func TestFillClipsLikeALargerImage(t *testing.T) {
	const w, h, margin = 30, 20, 40
	shapes := map[string][]pt{
		"box":      rectPoints(-5.5, -4.25, 18.3, 11.6),
		"triangle": []pt{{-9.3, 2.2}, {14.8, -6.1}, {6.6, 13.7}},
		"stroke":   quad(strokeQuads([]pt{{-7.2, -3.1}, {12.4, 9.9}}, 3, false)[0]),
		"sliver":   []pt{{-20, 0.5}, {15.25, 6}, {-20, 11.5}},
	}
	for name, p := range shapes {
		// the shape placed over each side and corner of the small image
		for _, at := range []pt{{0, 7}, {23, 7}, {12, 0}, {12, 15}, {0, 0}, {25, 16}, {0, 16}, {25, 0}, {12, 7}} {
			q := make([]pt, len(p))
			big := make([]pt, len(p))
			for k, v := range p {
				q[k] = pt{v.X + at.X, v.Y + at.Y}
				big[k] = pt{q[k].X + margin, q[k].Y + margin}
			}
			small := background(w, h)
			fillPolygon(small, q, fillColours[0])
			large := image.NewRGBA(image.Rect(0, 0, w+2*margin, h+2*margin))
			for y := 0; y < h; y++ {
				copy(large.Pix[large.PixOffset(margin, margin+y):], small.Pix[small.PixOffset(0, y):small.PixOffset(w, y)])
			}
			// the same background under the image's part of the large one
			fresh := background(w, h)
			for y := 0; y < h; y++ {
				copy(large.Pix[large.PixOffset(margin, margin+y):], fresh.Pix[fresh.PixOffset(0, y):fresh.PixOffset(w, y)])
			}
			fillPolygon(large, big, fillColours[0])
			worst, changed := 0, 0
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					a, b := small.RGBAAt(x, y), large.RGBAAt(x+margin, y+margin)
					for _, d := range []int{int(a.R) - int(b.R), int(a.G) - int(b.G), int(a.B) - int(b.B), int(a.A) - int(b.A)} {
						worst = max(worst, d, -d)
					}
					if a != fresh.RGBAAt(x, y) {
						changed++
					}
				}
			}
			// moved by whole pixels, the coverage differs only by rounding
			if worst > 1 {
				t.Errorf("%s at %v: the clipped drawing differs from the whole one by %d", name, at, worst)
			}
			if changed == 0 {
				t.Errorf("%s at %v: nothing drawn on the image", name, at)
			}
		}
	}
}

// TestFillExactCoverage: a box on the pixel grid fills its pixels with the
// colour and leaves the others alone; a box edge halfway across a pixel
// covers it half; a polygon wholly outside the image, or with a point not
// a finite number within maxCoord, changes nothing.
func TestFillExactCoverage(t *testing.T) {
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	img := image.NewRGBA(image.Rect(0, 0, 10, 8))
	fill := func() {
		for i := range img.Pix {
			img.Pix[i] = 0xff
		}
	}
	fill()
	fillPolygon(img, rectPoints(2, 3, 4, 2), color.Black)
	for y := 0; y < 8; y++ {
		for x := 0; x < 10; x++ {
			want := white
			if x >= 2 && x < 6 && y >= 3 && y < 5 {
				want = color.RGBA{0, 0, 0, 0xff}
			}
			if have := img.RGBAAt(x, y); have != want {
				t.Errorf("box on the grid: pixel (%d, %d) is %v, want %v", x, y, have, want)
			}
		}
	}
	fill()
	fillPolygon(img, rectPoints(2.5, 3, 4, 2), color.Black)
	// half of white left: 0xff * 0x101 * 0x7fff / 0xffff >> 8 = 127
	for _, c := range []struct {
		x    int
		want uint8
	}{{1, 0xff}, {2, 127}, {3, 0}, {5, 0}, {6, 127}, {7, 0xff}} {
		if have := img.RGBAAt(c.x, 4).R; have != c.want {
			t.Errorf("box half a pixel over: pixel (%d, 4) has red %d, want %d", c.x, have, c.want)
		}
	}
	for _, p := range [][]pt{rectPoints(-9, 2, 5, 3), rectPoints(12, 2, 5, 3), rectPoints(2, -9, 5, 3), rectPoints(2, 10, 5, 3),
		rectPoints(1e300, 2, 5, 3), rectPoints(2, 1e300, 5, 3), rectPoints(-1e300, 2, 5, 3), rectPoints(2, -1e300, 5, 3),
		{{-1e300, 1}, {9, 1}, {9, 5}}, {{2, 3}, {2, 3 + 1e-300}, {1e300, 3}}, // beyond maxCoord: not drawn
		{{math.NaN(), 1}, {3, 4}, {5, 1}}, {{math.Inf(-1), 1}, {3, 4}, {5, 1}}} {
		fill()
		fillPolygon(img, p, color.Black)
		for i, v := range img.Pix {
			if v != 0xff {
				t.Fatalf("polygon %v changed pixel (%d, %d)", p, i%img.Stride/4, i/img.Stride)
			}
		}
	}
}

// TestVectorNotLinked: golang.org/x/image/vector is not linked into regc
// (its init function executes CPUID, which traps to the hypervisor on a
// virtual machine, in every command); only this test uses it.
func TestVectorNotLinked(t *testing.T) {
	gobin := testtool.Need(t, "go", "the packages cannot be listed")
	var out, stderr bytes.Buffer
	cmd := exec.Command(gobin, "list", "-deps", filepath.Join("..", "..", "cmd", "regc"))
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	deps := strings.Fields(out.String())
	if len(deps) < 50 || !slices.Contains(deps, "github.com/regc/regc/emit/graph") {
		t.Fatalf("go list -deps named %d packages, without emit/graph: not regc's", len(deps))
	}
	if slices.Contains(deps, "golang.org/x/image/vector") {
		t.Errorf("regc links golang.org/x/image/vector; fill with this package's coverage instead")
	}
}

// BenchmarkFill and BenchmarkFillVector fill the quads of a dashed
// diagonal line and a box, as the PNG does.
func BenchmarkFill(b *testing.B)       { benchmarkFill(b, fillPolygon) }
func BenchmarkFillVector(b *testing.B) { benchmarkFill(b, fillVector) }

func benchmarkFill(b *testing.B, fill func(*image.RGBA, []pt, color.Color)) {
	img := background(320, 60)
	quads := strokeQuads([]pt{{3.3, 4.1}, {310.2, 50.6}}, 1.5, true)
	box := rectPoints(10.5, 10.5, 290, 28)
	c := fillColours[0]
	b.ResetTimer()
	for range b.N {
		for _, q := range quads {
			fill(img, q[:], c)
		}
		fill(img, box, c)
	}
}

// BenchmarkWritePNG draws task1a's stage machine as `regc graph --format
// png` does.
func BenchmarkWritePNG(b *testing.B) {
	g := Build(compileClean(b, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen")))
	var out bytes.Buffer
	b.ResetTimer()
	for range b.N {
		out.Reset()
		if err := WritePNG(&out, g); err != nil {
			b.Fatal(err)
		}
	}
}
