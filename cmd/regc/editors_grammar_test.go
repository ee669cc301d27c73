package main

import (
	"fmt"
	"github.com/regc/regc/internal/testtool"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// grammarTool is the npm grammar test tool, installed by `npm install` in
// editors/vscode; "" when it is not there.
func grammarTool(t *testing.T) string {
	t.Helper()
	testtool.Need(t, "node", "the TextMate grammar test cannot run (apt-get install nodejs npm)")
	tool := filepath.Join("..", "..", "editors", "vscode", "node_modules", ".bin", "vscode-tmgrammar-test")
	if _, err := os.Stat(tool); err != nil {
		testtool.Missing(t, "vscode-tmgrammar-test is not installed: run `npm ci` in editors/vscode (.ci/run does) to run the grammar test")
	}
	abs, _ := filepath.Abs(tool)
	return abs
}

// TestGrammarSamples runs the grammar's hand-written sample tests.
func TestGrammarSamples(t *testing.T) {
	tool := grammarTool(t)
	cmd := exec.Command(tool, "-g", "syntaxes/regimen.tmLanguage.json", "test/sample.regimen")
	cmd.Dir = filepath.Join("..", "..", "editors", "vscode")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vscode-tmgrammar-test: %v\n%s", err, out)
	}
}

// TestGrammarRepositoryFiles checks the TextMate grammar against every
// .regimen file in the repository: each comment, string, reserved word,
// number and unit regc's scanner sees gets the scope the grammar promises,
// asserted in a copy of the file written for vscode-tmgrammar-test.
func TestGrammarRepositoryFiles(t *testing.T) {
	tool := grammarTool(t)
	root := filepath.Join("..", "..")
	dir := t.TempDir()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == ".git") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".regimen") || strings.Contains(path, filepath.Join("editors", "vscode", "test")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		n++
		out := filepath.Join(dir, fmt.Sprintf("%03d_%s", n, filepath.Base(path)))
		return os.WriteFile(out, []byte(grammarAssertions(rel, string(src))), 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 9 {
		t.Fatalf("found %d .regimen files, want at least the 9 of examples/ and regimens/", n)
	}
	cmd := exec.Command(tool, "-g", filepath.Join(root, "editors", "vscode", "syntaxes", "regimen.tmLanguage.json"), filepath.Join(dir, "*.regimen"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("vscode-tmgrammar-test on %d files: %v\n%s", n, err, out)
	}
	if got := strings.Count(string(out), "run successfuly"); got != n {
		t.Errorf("%d of %d files passed:\n%s", got, n, out)
	}
	t.Logf("grammar test passed on %d .regimen files", n)
}

var (
	grammarNumberRE = regexp.MustCompile(`^[0-9][0-9_]*(?:\.[0-9]+)*(?:[eE][+-]?[0-9]+)?`)
	grammarKeyAfter = regexp.MustCompile(`^\s*\??\s*[:.]`)
)

// grammarAssertions is src with the header vscode-tmgrammar-test wants
// and, after each line, a line asserting the scope of each token on it.
func grammarAssertions(name, src string) string {
	units := map[string]bool{}
	for _, u := range compiler.Units() {
		units[u.Name] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "// SYNTAX TEST \"source.regimen\" %q\n", name)
	for _, line := range strings.Split(src, "\n") {
		b.WriteString(line + "\n")
		for _, tok := range lineTokens(line, units) {
			col := utf8.RuneCountInString(line[:tok.off])
			width := utf8.RuneCountInString(line[tok.off : tok.off+tok.n])
			if col < 2 {
				fmt.Fprintf(&b, "// <%s%s %s\n", strings.Repeat("~", col), strings.Repeat("-", width), tok.scope)
			} else {
				fmt.Fprintf(&b, "//%s%s %s\n", strings.Repeat(" ", col-2), strings.Repeat("^", width), tok.scope)
			}
		}
	}
	return b.String()
}

type grammarToken struct {
	off, n int
	scope  string
}

// lineTokens finds, as regc's scanner does, the comment, strings, reserved
// words (not used as record keys), numbers and units of one line.
func lineTokens(line string, units map[string]bool) []grammarToken {
	var out []grammarToken
	isWord := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	for i := 0; i < len(line); {
		c := line[i]
		switch {
		case strings.HasPrefix(line[i:], "//"):
			return append(out, grammarToken{i, len(line) - i, "comment.line.double-slash.regimen"})
		case c == '"':
			j := i + 1
			for j < len(line) && line[j] != '"' {
				if line[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(line))
			out = append(out, grammarToken{i, j - i, "string.quoted.double.regimen"})
			i = j
		case isWord(c) && (c < '0' || c > '9'):
			j := i
			for j < len(line) && isWord(line[j]) {
				j++
			}
			w := line[i:j]
			keyed := grammarKeyAfter.MatchString(line[j:]) || (i > 0 && line[i-1] == '.')
			if lang.IsKeyword(w) && !keyed {
				scope := "keyword.other.regimen"
				if w == "true" || w == "false" || w == "null" {
					scope = "constant.language.regimen"
				}
				out = append(out, grammarToken{i, j - i, scope})
			}
			i = j
		case c >= '0' && c <= '9':
			m := grammarNumberRE.FindString(line[i:])
			j := i + len(m)
			if j < len(line) && isWord(line[j]) {
				// 0x10, 0o17, 1_000x: an error to the scanner, not a number
				for j < len(line) && isWord(line[j]) {
					j++
				}
				i = j
				continue
			}
			out = append(out, grammarToken{i, len(m), "constant.numeric.regimen"})
			k := j
			for k < len(line) && line[k] == ' ' {
				k++
			}
			e := k
			for e < len(line) && isWord(line[e]) {
				e++
			}
			if e > k && units[line[k:e]] && strings.Count(m, ".") <= 1 {
				out = append(out, grammarToken{k, e - k, "keyword.other.unit.regimen"})
				j = e
			}
			i = j
		default:
			i++
		}
	}
	return out
}
