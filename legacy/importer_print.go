package legacy

// The importer's layout: source the way a person writes it. A record or
// list goes on one line when it fits (and holds no comments), in a block
// otherwise; declarations are separated by blank lines, except runs of
// one-line declarations of one kind; a stage goes on one line when it is
// short. The importer builds the source as a lang tree whose positions
// say that layout (importer_tree.go), and lang.Print writes it: the
// importer has no printer of its own (flat renders a value only to
// measure it).

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

// decl is one declaration to print: its kind, its leading comments, and
// how to build it (with its comments) in the tree.
type decl struct {
	kind  string
	head  []string
	build func(t *tree) lang.Decl
}

// place builds d in t, its leading comments first, and returns it and how
// many lines it takes (its leading comments included).
func (d decl) place(t *tree) (lang.Decl, int) {
	start := t.line
	t.heads(d.head)
	x := d.build(t)
	return x, t.line - start
}

// print writes the whole source: the declarations as a tree, laid out by
// its positions, printed by lang.Print.
func (g *importer) print() []byte {
	decls := make([]decl, 0, 8+len(g.criteria)+len(g.triggers)+len(g.scripts)+len(g.declList)+len(g.stages)+len(g.trans))
	add := func(kind string, head []string, build func(t *tree) lang.Decl) {
		decls = append(decls, decl{kind: kind, head: head, build: build})
	}
	add("regimen", g.header.head, func(t *tree) lang.Decl {
		t.nl()
		d := g.header.decl(t)
		t.comment(g.header.line)
		return d
	})
	for _, line := range wrapNames("criterion ", g.criteria) {
		add("criterion", nil, func(t *tree) lang.Decl {
			t.nl()
			return &lang.CriterionDecl{Pos: t.at(), Names: t.names(line), EndPos: t.at()}
		})
	}
	for _, line := range wrapNames("trigger ", g.triggers) {
		add("trigger", nil, func(t *tree) lang.Decl {
			t.nl()
			return &lang.TriggerDecl{Pos: t.at(), Names: t.names(line), EndPos: t.at()}
		})
	}
	for _, s := range g.scripts {
		add("script", s.head, func(t *tree) lang.Decl {
			body := &irValue{isRec: true, entries: []*irEntry{{key: "url", val: &irValue{lit: lang.Quote(s.url)}}}}
			switch {
			case s.md5Null:
				body.entries = append(body.entries, &irEntry{key: "md5", val: &irValue{lit: "null"}})
			case s.md5 != "":
				// an empty md5 is left out: the document has no script_md5
				// then, as with the legacy file
				body.entries = append(body.entries, &irEntry{key: "md5", val: &irValue{lit: lang.Quote(s.md5)}})
			}
			t.nl()
			d := &lang.ScriptDecl{Pos: t.at(), Name: t.ident(s.name)}
			d.Body = t.record(body.entries, nil, t.fits("script "+s.name+" ", body, "", 2), "")
			d.EndPos = t.at()
			return d
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
		kind := "let"
		if d.params {
			kind = "params"
		}
		add(kind, d.head, func(t *tree) lang.Decl {
			t.nl()
			pos := t.at()
			name := t.ident(d.name)
			var out lang.Decl
			switch {
			case kind == "let":
				v := t.value(d.value, t.fits("let "+d.name+" = ", d.value, "", 3), d.line)
				out = &lang.LetDecl{Pos: pos, Name: name, Value: v, EndPos: t.at()}
			case d.value.isRec && d.value.lit == "":
				r := t.record(d.value.entries, d.value.foot, t.fits("params "+d.name+" ", d.value, "", 3), d.line)
				out = &lang.ParamsDecl{Pos: pos, Name: name, Body: r, EndPos: t.at()}
			default:
				v := t.value(d.value, t.fits("params "+d.name+" = ", d.value, "", 3), d.line)
				out = &lang.ParamsDecl{Pos: pos, Name: name, Value: v, EndPos: t.at()}
			}
			t.own(d.foot)
			return out
		})
	}
	ends := deadEnds(g)
	for i, st := range g.stages {
		head := st.head
		if i == 0 {
			head = append(append([]string(nil), g.stageHd...), head...)
		}
		add("stage", head, func(t *tree) lang.Decl {
			d := stageDecl(t, st, ends[st.name])
			t.own(st.foot)
			if i == len(g.stages)-1 {
				t.own(g.stageFt)
			}
			return d
		})
	}
	width := 0
	for _, tr := range g.trans {
		width = max(width, len(tr.trigger))
	}
	for i, tr := range g.trans {
		head := tr.head
		if i == 0 {
			head = append(append([]string(nil), g.transHd...), head...)
		}
		add("transition", head, func(t *tree) lang.Decl {
			t.nl()
			d := &lang.TransitionDecl{Pos: t.at(), Trigger: t.ident(tr.trigger)}
			t.off += width - len(tr.trigger) // the padding that aligns the table
			d.Source = t.name(tr.source)
			d.Dest = t.name(tr.dest)
			d.WhenNull, d.WhenList, d.When = criteria(t, tr.when, tr.whenForm)
			d.UnlessNull, d.UnlessList, d.Unless = criteria(t, tr.unless, tr.unlessForm)
			d.EndPos = t.at()
			t.comment(tr.line)
			t.own(tr.foot)
			if i == len(g.trans)-1 {
				t.own(g.transFt)
			}
			return d
		})
	}
	for _, s := range g.nullSections {
		add("null", nil, func(t *tree) lang.Decl {
			t.nl()
			return &lang.NullSectionDecl{Pos: t.at(), Section: s, EndPos: t.at()}
		})
	}
	comments := func(cs []string) {
		add("comment", nil, func(t *tree) lang.Decl {
			t.heads(cs)
			return nil
		})
	}
	// the comments of an empty stages or transitions section
	if len(g.stages) == 0 && len(g.stageHd)+len(g.stageFt) > 0 {
		comments(append(g.stageHd, g.stageFt...))
	}
	if len(g.trans) == 0 && len(g.transHd)+len(g.transFt) > 0 {
		comments(append(g.transHd, g.transFt...))
	}
	if foot := commentLines(g.root.FootComment()); len(foot) > 0 {
		comments(foot)
	}
	t := &tree{}
	f := &lang.File{Decls: make([]lang.Decl, 0, len(decls))}
	prev := 0
	for i, d := range decls {
		// a blank line goes between declarations, except in a run of
		// one-line declarations of one kind: a declaration that may join
		// the run is built without one, and built again after one when
		// it takes more than a line (building is a function of the
		// tree's place, so the first build leaves nothing behind)
		join := i > 0 && prev == 1 && decls[i-1].kind == d.kind && len(d.head) == 0
		if i > 0 && !join {
			t.blank()
		}
		saved := *t
		x, n := d.place(t)
		if join && n != 1 {
			t.line, t.off, t.depth, t.comments = saved.line, saved.off, saved.depth, t.comments[:len(saved.comments)]
			t.blank()
			x, n = d.place(t)
		}
		prev = n
		if x != nil {
			f.Decls = append(f.Decls, x)
		}
	}
	if len(t.comments) > 0 {
		f.Comments = []*lang.CommentGroup{{List: t.comments}}
	}
	f.EndPos = t.at()
	return lang.Print(f)
}

// decl builds the header.
func (h *impHeader) decl(t *tree) lang.Decl {
	d := &lang.RegimenDecl{Pos: t.at()}
	rest := strings.TrimPrefix(h.text, "regimen ")
	switch {
	case rest == "null":
		d.Null = true
	case strings.HasPrefix(rest, `"`):
		d.Raw = &lang.Str{Pos: t.at(), Raw: rest}
		d.Raw.EndPos = t.at()
	default:
		name, version, _ := strings.Cut(rest, " version ")
		d.Name = t.ident(name)
		d.Version = &lang.Version{Pos: t.at(), Text: version}
		d.Version.EndPos = t.at()
	}
	d.EndPos = t.at()
	return d
}

// criteria builds a transition's `when` or `unless` so that it builds to
// the same form: `when a` a string, `when [a]` or `when []` a list of one
// or none, `when a, b` a list, `when null` null.
func criteria(t *tree, names []string, form compiler.CriteriaForm) (null, list bool, out []*lang.Name) {
	switch {
	case form == compiler.CriteriaNull:
		return true, false, nil
	case form == compiler.CriteriaList && len(names) < 2:
		return false, true, t.names(names)
	}
	return false, false, t.names(names)
}

// wrapNames splits names into the lines of `criterion a, b, c` declarations
// that keep to importWidth.
func wrapNames(kw string, names []string) [][]string {
	var out [][]string
	width := 0
	for _, n := range names {
		w := len(nameText(n))
		if len(out) == 0 || width+2+w > importWidth {
			out = append(out, []string{n})
			width = len(kw) + w
			continue
		}
		out[len(out)-1] = append(out[len(out)-1], n)
		width += 2 + w
	}
	return out
}

// deadEnds returns the stages no transition leaves, in a regimen of more
// than one stage: the YAML cannot say that training ends there, but a
// regimen that ran had its mice end there, so the source declares them
// `final`, as the legacy build reads them (markDeadEndsFinal).
func deadEnds(g *importer) map[string]bool {
	ends := map[string]bool{}
	if len(g.stages) < 2 {
		return ends
	}
	for _, st := range g.stages {
		ends[st.name] = true
	}
	for _, t := range g.trans {
		if t.dest != t.source {
			delete(ends, t.source)
		}
	}
	return ends
}

// stageDecl builds `stage NAME { script: s, params: p }`, on one line when
// it fits; `final stage` when final is set.
func stageDecl(t *tree, st *impStage, final bool) lang.Decl {
	open := "stage " + nameText(st.name) + " {"
	if final {
		open = "final " + open
	}
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
	oneLine := len(parts) == 0 || inline && len(open+" "+strings.Join(parts, ", ")+" }") <= importWidth
	t.nl()
	d := &lang.StageDecl{Pos: t.at(), Final: final}
	d.Name = t.name(st.name)
	r := &lang.Record{Pos: t.at()}
	if !oneLine {
		t.comment(st.line)
		t.depth++
	}
	if st.script != nil {
		if !oneLine {
			t.nl()
		}
		r.Entries = append(r.Entries, &lang.Entry{Pos: t.at(), Path: []*lang.Key{t.key("script")}, Value: t.literal(st.script.name), EndPos: t.at()})
	}
	if st.value != nil {
		if !oneLine {
			t.own(st.pHead)
			t.nl()
		}
		e := &lang.Entry{Pos: t.at(), Path: []*lang.Key{t.key("params")}}
		e.Value = t.value(st.value, oneLine || t.fits("params: ", st.value, "", -1), st.pLine)
		e.EndPos = t.at()
		r.Entries = append(r.Entries, e)
	}
	if !oneLine {
		t.depth--
		t.nl()
	}
	r.EndPos = t.end()
	d.Body = r
	d.EndPos = t.at()
	if oneLine {
		t.comment(st.line)
	}
	return d
}
