package legacy

// Names: the identifiers declarations get.

import (
	"fmt"
	"sort"
	"strings"

	"github.com/regc/regc/internal/lazyre"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// reservedName reports whether a declaration may not take name: a
// keyword, or a builtin value name (inf, nan), which it would shadow.
func reservedName(name string) bool {
	return name == "inf" || name == "nan" || lang.IsKeyword(name)
}

var (
	nonWord    = lazyre.New(`[^A-Za-z0-9_]+`)
	underscore = lazyre.New(`__+`)
)

// sanitize turns an anchor or key into an identifier.
func sanitize(s string) string {
	s = nonWord.Re().ReplaceAllString(s, "_")
	s = underscore.Re().ReplaceAllString(s, "_")
	s = strings.Trim(s, "_")
	if s == "" {
		return "value"
	}
	if s[0] >= '0' && s[0] <= '9' {
		s = "_" + s
	}
	return s
}

// unique returns name, or name_2, name_3, ... whichever is free, and takes it.
func (g *importer) unique(name string) string {
	if reservedName(name) {
		name += "_"
	}
	out := name
	for i := 2; g.used[out]; i++ {
		out = fmt.Sprintf("%s_%d", name, i)
	}
	g.used[out] = true
	return out
}

func trimSuffixes(s string, suffixes ...string) string {
	for _, suf := range suffixes {
		if strings.HasSuffix(s, suf) && len(s) > len(suf) {
			return strings.TrimSuffix(s, suf)
		}
	}
	return s
}

func anchorOf(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if t := n.Target(); t != nil {
		return t.Anchor()
	}
	return ""
}

func (g *importer) nameAll() {
	for _, s := range g.scripts {
		var base string
		switch {
		case anchorOf(s.urlNode) != "":
			base = sanitize(trimSuffixes(sanitize(anchorOf(s.urlNode)), "_script_url", "_script", "_url"))
		case anchorOf(s.md5Node) != "":
			base = sanitize(trimSuffixes(sanitize(anchorOf(s.md5Node)), "_script_md5", "_md5"))
		default:
			u := s.url
			if i := strings.IndexAny(u, "?#"); i >= 0 {
				u = u[:i]
			}
			u = strings.TrimRight(u, "/")
			if i := strings.LastIndexAny(u, "/\\"); i >= 0 {
				u = u[i+1:]
			}
			if i := strings.LastIndexByte(u, '.'); i > 0 {
				u = u[:i]
			}
			base = sanitize(u)
			if base == "value" {
				base = "script"
			}
		}
		s.name = g.unique(base)
	}
	sort.SliceStable(g.declList, func(i, j int) bool { return g.declList[i].pos < g.declList[j].pos })
	for _, d := range g.declList {
		var base string
		if d.node.Kind != yaml.Alias && d.node.Anchor() != "" {
			base = d.node.Anchor()
		} else if d.holder != nil {
			base = jsonKey(d.holder.Construct())
		}
		d.name = g.unique(sanitize(base))
	}
}
