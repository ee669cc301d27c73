package legacy

// Comments: YAML comments carried to the source.

import (
	"bytes"
	"strings"

	"github.com/regc/regc/legacy/yaml"
)

// commentLines turns YAML comment text into source comment lines: `# x`
// becomes `// x`; an empty line stays a blank line.
func commentLines(text string) []string {
	if text == "" {
		return nil
	}
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			out = append(out, "")
			continue
		}
		l = strings.TrimPrefix(l, "#")
		if l != "" && l[0] != ' ' && l[0] != '\t' {
			l = " " + l
		}
		out = append(out, "//"+strings.TrimRight(l, " \t"))
	}
	// no blank lines at the ends of a comment block
	for len(out) > 0 && out[0] == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// headOf is a node's head comment (unless it is written elsewhere).
func (g *importer) headOf(n *yaml.Node) []string {
	if n == nil || g.taken[n] {
		return nil
	}
	return commentLines(n.HeadComment())
}

func (g *importer) footOf(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	return commentLines(n.FootComment())
}

// lineOf is a node's line comment, as one source comment.
func lineOf(n *yaml.Node) string {
	if n == nil || n.LineComment() == "" {
		return ""
	}
	ls := commentLines(n.LineComment())
	var parts []string
	for _, l := range ls {
		if l != "" {
			parts = append(parts, strings.TrimSpace(strings.TrimPrefix(l, "//")))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "// " + strings.Join(parts, "; ")
}

func joinLine(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + strings.TrimSpace(strings.TrimPrefix(b, "//"))
}

// commentsOf is every comment of one node (not its children), as lines.
func (g *importer) commentsOf(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	out := g.headOf(n)
	if l := lineOf(n); l != "" {
		out = append(out, l)
	}
	return append(out, commentLines(n.FootComment())...)
}

// gather collects every comment in a subtree that is written on one line
// (a transition): head comments before it, line comments after it, foot
// comments below it.
func (g *importer) gather(n *yaml.Node) (head []string, line string, foot []string) {
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		if n == nil || depth > 50 {
			return
		}
		head = append(head, commentLines(n.HeadComment())...)
		line = joinLine(line, lineOf(n))
		if n.Kind != yaml.Alias {
			for _, it := range n.Items() {
				walk(it, depth+1)
			}
			for _, p := range n.Pairs() {
				walk(p.Key, depth+1)
				walk(p.Value, depth+1)
			}
		}
		foot = append(foot, commentLines(n.FootComment())...)
	}
	walk(n, 0)
	return head, line, foot
}

// blankBefore reports whether the YAML has a blank line before a key (and
// its head comment).
func (g *importer) blankBefore(key *yaml.Node) bool {
	l := key.Range().Start.Line - 1
	if hc := key.HeadComment(); hc != "" {
		l -= strings.Count(hc, "\n") + 1
	}
	if l < 1 || l > len(g.lines) {
		return false
	}
	end := len(g.src)
	if l < len(g.lines) {
		end = g.lines[l] - 1 // before the line's "\n"
	}
	return len(bytes.TrimSpace(g.src[g.lines[l-1]:end])) == 0
}
