package graph

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/regc/regc/compiler"
)

// browser returns a headless-capable Chromium on PATH, or skips the test:
// a real browser is optional (Debian: apt-get install chromium).
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on PATH (chromium, chromium-browser or google-chrome): the SVGs are not rendered in a real browser; on Debian, apt-get install chromium")
	return ""
}

// TestSVGInChromium renders the SVG of task1a and of a regimen of 300
// stages in headless Chromium and checks the screenshot: the size asked
// for, and the group colours filling the stages' boxes (the browser drew
// the document, not an error page). REGC_SCREENSHOT_DIR keeps the
// screenshots.
func TestSVGInChromium(t *testing.T) {
	chrome := browser(t)
	cases := []struct {
		name  string
		reg   *compiler.Regimen
		boxes int // stages of the first group inside the window
	}{
		{"task1a", compileClean(t, filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen")), 8},
		{"generated300", compileSource(t, generated(300)), 30},
	}
	dir := t.TempDir()
	for _, c := range cases {
		g := Build(c.reg)
		d := layout(g)
		svg := filepath.Join(dir, c.name+".svg")
		var b bytes.Buffer
		if err := WriteSVG(&b, g); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(svg, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		w, h := int(d.w), min(int(d.h), 3000)
		shot := filepath.Join(dir, c.name+".png")
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		cmd := exec.CommandContext(ctx, chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot,
			"--window-size="+itoa(w)+","+itoa(h), "file://"+svg)
		out, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, out)
		}
		f, err := os.Open(shot)
		if err != nil {
			t.Fatalf("%s: no screenshot: %v\n%s", c.name, err, out)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			t.Errorf("%s: the screenshot is %v, want %dx%d", c.name, img.Bounds().Size(), w, h)
		}
		fr, fg, fb, _ := parseColour(palette[0]).RGBA()
		filled, white := 0, 0
		for y := 0; y < img.Bounds().Dy(); y++ {
			for x := 0; x < img.Bounds().Dx(); x++ {
				r, g, b, _ := img.At(x, y).RGBA()
				if r>>8 == fr>>8 && g>>8 == fg>>8 && b>>8 == fb>>8 {
					filled++
				}
				if r == 0xffff && g == 0xffff && b == 0xffff {
					white++
				}
			}
		}
		// each box of the first group is about (width-2) x 26 pixels of fill,
		// less its text
		nodeW := 0.0
		for _, s := range d.shapes {
			if s.kind == boxShape && s.round == 6 { // a stage's box
				nodeW = s.w
				break
			}
		}
		if min := c.boxes * int(nodeW-30) * 18; filled < min {
			t.Errorf("%s: %d pixels of the first group's fill in the screenshot, want at least %d", c.name, filled, min)
		}
		t.Logf("%s: SVG %s is %gx%g (%d bytes); Chromium's screenshot %dx%d: %d pixels of the first group's fill, %d white",
			c.name, filepath.Base(svg), d.w, d.h, b.Len(), img.Bounds().Dx(), img.Bounds().Dy(), filled, white)
		if keep := os.Getenv("REGC_SCREENSHOT_DIR"); keep != "" {
			data, _ := os.ReadFile(shot)
			if err := os.WriteFile(filepath.Join(keep, c.name+".png"), data, 0o644); err != nil {
				t.Error(err)
			}
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
