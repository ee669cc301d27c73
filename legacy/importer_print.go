package legacy

// The importer's printer: source the way a person writes it. A record or
// list goes on one line when it fits (and holds no comments), in a block
// otherwise; declarations are separated by blank lines, except runs of
// one-line declarations of one kind; a stage goes on one line when it is
// short.

import (
	"strings"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// importWidth is the line length the printer keeps to where it can.
const importWidth = 100

// irValue is a value as the importer writes it.
type irValue struct {
	// lit is a literal or a reference; on a record, the base it overrides.
	lit     string
	isList  bool
	list    []*irEntry
	isRec   bool
	entries []*irEntry
	// foot are comments at the end of a record's block.
	foot []string
}

// irEntry is one entry of a record (with a key) or one item of a list.
type irEntry struct {
	key   string
	val   *irValue
	head  []string // comment lines before it ("" for a blank line)
	line  string   // a comment at the end of its line
	foot  []string // comment lines after it
	blank bool     // a blank line before it
}

func (e *irEntry) hasComments() bool {
	return len(e.head) > 0 || e.line != "" || len(e.foot) > 0
}

// flat is a value on one line, when it has no comments.
func flat(v *irValue) (string, bool) {
	switch {
	case v.isList:
		if len(v.list) == 0 {
			return "[]", true
		}
		parts := make([]string, len(v.list))
		for i, it := range v.list {
			if it.hasComments() {
				return "", false
			}
			s, ok := flat(it.val)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case v.isRec:
		if len(v.foot) > 0 {
			return "", false
		}
		if len(v.entries) == 0 {
			if v.lit != "" {
				return v.lit, true
			}
			return "{}", true
		}
		parts := make([]string, len(v.entries))
		for i, e := range v.entries {
			if e.hasComments() {
				return "", false
			}
			s, ok := flat(e.val)
			if !ok {
				return "", false
			}
			parts[i] = e.key + ": " + s
		}
		body := "{ " + strings.Join(parts, ", ") + " }"
		if v.lit != "" {
			body = v.lit + " " + body
		}
		return body, true
	}
	return v.lit, true
}

// lines collects the source, one line at a time.
type lines struct {
	out []string
}

func (l *lines) add(text, comment string) {
	if comment != "" {
		if text == "" || strings.TrimSpace(text) == "" {
			text += comment
		} else {
			text += "  " + comment
		}
	}
	l.out = append(l.out, strings.TrimRight(text, " "))
}

func (l *lines) blank() {
	if len(l.out) > 0 && l.out[len(l.out)-1] != "" {
		l.out = append(l.out, "")
	}
}

func (l *lines) comments(ind string, cs []string) {
	for _, c := range cs {
		if c == "" {
			l.blank()
			continue
		}
		l.out = append(l.out, ind+c)
	}
}

// value writes prefix and v at indentation ind, then suffix; comment goes at
// the end of the first line. maxEntries caps how many entries a record may
// have and still go on one line (-1: no cap).
func (l *lines) value(ind, prefix string, v *irValue, suffix, comment string, maxEntries int) {
	if s, ok := flat(v); ok && (maxEntries < 0 || !v.isRec || len(v.entries) <= maxEntries) &&
		len(ind)+len(prefix)+len(s)+len(suffix) <= importWidth {
		l.add(ind+prefix+s+suffix, comment)
		return
	}
	inner := ind + "    "
	switch {
	case v.isRec:
		open := "{"
		if v.lit != "" {
			open = v.lit + " {"
		}
		l.add(ind+prefix+open, comment)
		l.entries(inner, v.entries, false)
		l.comments(inner, v.foot)
		l.add(ind+"}"+suffix, "")
	case v.isList:
		l.add(ind+prefix+"[", comment)
		l.entries(inner, v.list, true)
		l.add(ind+"]"+suffix, "")
	default:
		l.add(ind+prefix+v.lit+suffix, comment)
	}
}

func (l *lines) entries(ind string, es []*irEntry, items bool) {
	for i, e := range es {
		if e.blank && i > 0 {
			l.blank()
		}
		l.comments(ind, e.head)
		if items {
			l.value(ind, "", e.val, ",", e.line, -1)
		} else {
			l.value(ind, e.key+": ", e.val, "", e.line, -1)
		}
		l.comments(ind, e.foot)
	}
}

// decl is one printed declaration.
type decl struct {
	kind  string
	lines []string
	head  bool // it starts with a comment
}

// print writes the whole source.
func (g *importer) print() []byte {
	var decls []decl
	add := func(kind string, head []string, f func(l *lines)) {
		var l lines
		l.comments("", head)
		f(&l)
		for len(l.out) > 0 && l.out[0] == "" {
			l.out = l.out[1:]
		}
		decls = append(decls, decl{kind: kind, lines: l.out, head: len(head) > 0})
	}
	add("regimen", g.header.head, func(l *lines) { l.add(g.header.text, g.header.line) })
	if len(g.criteria) > 0 {
		add("criterion", nil, func(l *lines) { wrapNames(l, "criterion ", g.criteria) })
	}
	if len(g.triggers) > 0 {
		add("trigger", nil, func(l *lines) { wrapNames(l, "trigger ", g.triggers) })
	}
	scripts := append([]*impScript(nil), g.scripts...)
	for _, s := range scripts {
		s := s
		add("script", s.head, func(l *lines) {
			body := &irValue{isRec: true, entries: []*irEntry{{key: "url", val: &irValue{lit: quote(s.url)}}}}
			switch {
			case s.md5Null:
				body.entries = append(body.entries, &irEntry{key: "md5", val: &irValue{lit: "null"}})
			case s.md5 != "":
				// an empty md5 is left out: the document has no script_md5
				// then, as with the legacy file
				body.entries = append(body.entries, &irEntry{key: "md5", val: &irValue{lit: quote(s.md5)}})
			}
			l.value("", "script "+s.name+" ", body, "", "", 2)
		})
	}
	// constants and parameter sets: each after the ones it uses
	var order []*impDecl
	var visit func(d *impDecl)
	visit = func(d *impDecl) {
		if d.done {
			return
		}
		d.done = true
		for _, dep := range d.deps {
			visit(dep)
		}
		order = append(order, d)
	}
	for _, d := range g.declList {
		visit(d)
	}
	for _, d := range order {
		d := d
		kind := "let"
		if d.params {
			kind = "params"
		}
		add(kind, d.head, func(l *lines) {
			switch {
			case kind == "let":
				l.value("", "let "+d.name+" = ", d.value, "", d.line, 3)
			case d.value.isRec && d.value.lit == "":
				l.value("", "params "+d.name+" ", d.value, "", d.line, 3)
			default:
				l.value("", "params "+d.name+" = ", d.value, "", d.line, 3)
			}
			l.comments("", d.foot)
		})
	}
	for i, st := range g.stages {
		st := st
		head := st.head
		if i == 0 {
			head = append(append([]string(nil), g.stageHd...), head...)
		}
		add("stage", head, func(l *lines) {
			printStage(l, st)
			l.comments("", st.foot)
			if i == len(g.stages)-1 {
				l.comments("", g.stageFt)
			}
		})
	}
	width := 0
	for _, t := range g.trans {
		width = max(width, len(t.trigger))
	}
	for i, t := range g.trans {
		t := t
		head := t.head
		if i == 0 {
			head = append(append([]string(nil), g.transHd...), head...)
		}
		add("transition", head, func(l *lines) {
			s := t.trigger + strings.Repeat(" ", width-len(t.trigger)+1) + nameText(t.source) + " -> " + nameText(t.dest)
			s += criteriaText(" when ", t.when, t.whenForm)
			s += criteriaText(" unless ", t.unless, t.unlessForm)
			l.add(s, t.line)
			l.comments("", t.foot)
			if i == len(g.trans)-1 {
				l.comments("", g.transFt)
			}
		})
	}
	for _, s := range g.nullSections {
		add("null", nil, func(l *lines) { l.add(s+" null", "") })
	}
	// the comments of an empty stages or transitions section
	if len(g.stages) == 0 && len(g.stageHd)+len(g.stageFt) > 0 {
		add("comment", nil, func(l *lines) { l.comments("", append(g.stageHd, g.stageFt...)) })
	}
	if len(g.trans) == 0 && len(g.transHd)+len(g.transFt) > 0 {
		add("comment", nil, func(l *lines) { l.comments("", append(g.transHd, g.transFt...)) })
	}
	if foot := commentLines(g.root.FootComment); len(foot) > 0 {
		add("comment", nil, func(l *lines) { l.comments("", foot) })
	}
	var b strings.Builder
	for i, d := range decls {
		if i > 0 {
			prev := decls[i-1]
			if !(len(prev.lines) == 1 && len(d.lines) == 1 && prev.kind == d.kind && !d.head) {
				b.WriteString("\n")
			}
		}
		for _, s := range d.lines {
			b.WriteString(s)
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

func quote(s string) string { return lang.Quote(s) }

func joinNames(ns []string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = nameText(n)
	}
	return strings.Join(parts, ", ")
}

// criteriaText writes a transition's `when` or `unless` so that it builds
// to the same form: `when a` a string, `when [a]` or `when []` a list of
// one or none, `when a, b` a list, `when null` null.
func criteriaText(kw string, names []string, form compiler.CriteriaForm) string {
	switch {
	case form == compiler.CriteriaNull:
		return kw + "null"
	case form == compiler.CriteriaList && len(names) < 2:
		return kw + "[" + joinNames(names) + "]"
	case len(names) > 0:
		return kw + joinNames(names)
	}
	return ""
}

// wrapNames writes `criterion a, b, c` on as many lines as it takes.
func wrapNames(l *lines, kw string, names []string) {
	cur := ""
	for _, n := range names {
		n = nameText(n)
		switch {
		case cur == "":
			cur = kw + n
		case len(cur)+2+len(n) > importWidth:
			l.add(cur, "")
			cur = kw + n
		default:
			cur += ", " + n
		}
	}
	if cur != "" {
		l.add(cur, "")
	}
}

// printStage writes `stage NAME { script: s, params: p }`, on one line when
// it fits.
func printStage(l *lines, st *impStage) {
	open := "stage " + nameText(st.name) + " {"
	var parts []string
	if st.script != nil {
		parts = append(parts, "script: "+st.script.name)
	}
	inline := len(st.pHead) == 0 && st.pLine == ""
	if st.value != nil {
		s, ok := flat(st.value)
		inline = inline && ok
		parts = append(parts, "params: "+s)
	}
	if len(parts) == 0 {
		l.add(open+"}", st.line)
		return
	}
	if one := open + " " + strings.Join(parts, ", ") + " }"; inline && len(one) <= importWidth {
		l.add(one, st.line)
		return
	}
	l.add(open, st.line)
	if st.script != nil {
		l.add("    script: "+st.script.name, "")
	}
	if st.value != nil {
		l.comments("    ", st.pHead)
		l.value("    ", "params: ", st.value, "", st.pLine, -1)
	}
	l.add("}", "")
}
