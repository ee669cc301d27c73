package main

import (
	"github.com/regc/regc/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNeovimClient runs editors/nvim/headless_check.lua: Neovim's own LSP
// client, headless, opens a file with an error through editors/nvim/regc.lua
// and must receive regc's diagnostic and a stage's hover.
func TestNeovimClient(t *testing.T) {
	nvim := testtool.Need(t, "nvim", "the Neovim client check cannot run (apt-get install -y neovim)")
	if testing.Short() {
		t.Skip("builds regc and runs Neovim")
	}
	bin := buildRegc(t)
	dir := t.TempDir()
	for _, f := range []string{"task1a.regimen", "common.regimen"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "regimens", "visual_behavior", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "task1a.regimen" {
			b = []byte(strings.Replace(string(b), "params: gratings {", "params: gratingz {", 1))
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	out := filepath.Join(dir, "out.txt")
	script, _ := filepath.Abs(filepath.Join("..", "..", "editors", "nvim", "headless_check.lua"))
	cmd := exec.Command(nvim, "--headless", "-u", "NONE", "-c", "luafile "+script)
	cmd.Env = append(os.Environ(), "REGC="+bin, "FILE="+filepath.Join(dir, "task1a.regimen"), "LINE=38", "COL=8", "OUT="+out)
	cmdOut, err := cmd.CombinedOutput()
	got, _ := os.ReadFile(out)
	if err != nil {
		t.Fatalf("nvim: %v\n%s\n%s", err, cmdOut, got)
	}
	for _, want := range []string{
		"filetype regimen\n",
		"diagnostic 45:12-45:20 undefined: gratingz (did you mean Grating?) [undefined-name]\n",
		"hover **stage TRAINING_0_gratings_autorewards_15min**",
		"`start_stop_padding`: `20.0 (written 20 s)` — override in stage TRAINING_0_gratings_autorewards_15min",
	} {
		if !strings.Contains(string(got), want) {
			t.Errorf("nvim received no %q:\n%s", want, got)
		}
	}
	t.Logf("nvim received:\n%.600s", got)
}
