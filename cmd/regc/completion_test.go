package main

import (
	"context"
	"github.com/regc/regc/internal/testtool"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// shell runs a script in a shell with the regc binary bin first on PATH.
func shell(t *testing.T, bin, sh string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, sh, args...)
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"), "HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", sh, args, err, out)
	}
	return string(out)
}

var task1a = filepath.Join("..", "..", "regimens", "visual_behavior", "task1a.regimen")

// The completion scripts load in bash and zsh, and complete commands,
// flags, flag values and stage names from the file on the line.
func TestCompletionScripts(t *testing.T) {
	bin := buildBinary(t)
	file, err := filepath.Abs(task1a)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("bash", func(t *testing.T) {
		testtool.Need(t, "bash", "its completion script is not tried")
		out := shell(t, bin, "bash", "-c", `source <(regc completion bash) && complete -p regc
c() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _regc; echo "${COMPREPLY[*]}"; }
c regc fm
c regc emit `+file+` --stage OPHYS_1
m() { COMP_WORDS=("$@"); COMP_CWORD=3; COMPREPLY=(); _regc; echo "${COMPREPLY[*]}"; }
m regc graph --highlight TRAINING_5_images_A_h `+file+`
c regc build --format ""
c regc fmt --ch
c regc sync mi`)
		want := "complete -o bashdefault -o default -F _regc regc\n" +
			"fmt\n" +
			"OPHYS_1_images_A\n" +
			"TRAINING_5_images_A_handoff_ready TRAINING_5_images_A_handoff_lapsed\n" +
			"yaml json\n" +
			"--check\n" +
			"mice migrate\n"
		if out != want {
			t.Errorf("bash:\n%s\nwant\n%s", out, want)
		}
	})
	t.Run("zsh", func(t *testing.T) {
		if _, err := exec.LookPath("zsh"); err != nil {
			t.Skip("zsh is not installed (apt-get install zsh): its script is not tried")
		}
		// compadd is the completion system's; here it prints what it is given
		out := shell(t, bin, "zsh", "-fc", `autoload -U compinit && compinit -u -d "$HOME/.zcompdump"
source <(regc completion zsh) && print -r -- "loaded $_comps[regc]"
compadd() { shift; print -r -- "$@" }
c() { words=("$@"); CURRENT=$#; _regc }
c regc emit `+file+` --stage OPH
c regc build --format ""`)
		if !strings.HasPrefix(out, "loaded _regc\n") || !strings.Contains(out, "\nTRAINING_0_gratings_autorewards_15min TRAINING_1_gratings ") ||
			!strings.Contains(out, " OPHYS_7_receptive_field_mapping\n") || !strings.HasSuffix(out, "\nyaml json\n") {
			t.Errorf("zsh:\n%s", out)
		}
	})
}

func TestCompletionCommand(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		r := runRegc(t, "completion", sh)
		if r.code != 0 || !strings.Contains(r.stdout, "__complete-stages") || !strings.Contains(r.stdout, "fmt") {
			t.Errorf("completion %s: exit %d\n%s", sh, r.code, r.stderr)
		}
	}
	// fish: every line a completion, a comment or part of the stage function
	r := runRegc(t, "completion", "fish")
	for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(l, "complete -c regc ") && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, " ") && l != "end" && l != "function __regc_stages" {
			t.Errorf("fish: %q", l)
		}
	}
	if !strings.Contains(r.stdout, "complete -c regc -n '__fish_seen_subcommand_from emit' -l stage -x -a '(__regc_stages)'") {
		t.Errorf("fish does not complete emit --stage:\n%s", r.stdout)
	}
	if _, err := exec.LookPath("fish"); err == nil {
		cmd := exec.Command("fish", "--no-execute")
		cmd.Stdin = strings.NewReader(r.stdout)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("fish --no-execute: %v\n%s", err, out)
		}
	}
	for _, args := range [][]string{{"completion"}, {"completion", "powershell"}, {"completion", "bash", "zsh"}} {
		if r := runRegc(t, args...); r.code != 2 {
			t.Errorf("%v: exit %d", args, r.code)
		}
	}
	// stage names, one a line; nothing for a file that cannot be read
	r = runRegc(t, "__complete-stages", task1a)
	if lines := strings.Split(r.stdout, "\n"); r.code != 0 || len(lines) != 17 || lines[0] != "TRAINING_0_gratings_autorewards_15min" {
		t.Errorf("__complete-stages: exit %d\n%s", r.code, r.stdout)
	}
	if r = runRegc(t, "__complete-stages", "nope.regimen"); r.code != 1 || r.stdout != "" || r.stderr != "" {
		t.Errorf("__complete-stages on a missing file: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	// hidden from help and from "did you mean"
	if r = runRegc(t, "help"); strings.Contains(r.stdout, "__complete") || !strings.Contains(r.stdout, "completion") {
		t.Errorf("help:\n%s", r.stdout)
	}
	if r = runRegc(t, "__complete-stage"); strings.Contains(r.stderr, "__complete-stages") {
		t.Errorf("a hidden command suggested: %s", r.stderr)
	}
}
