package compiler

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/regc/regc/lang"
)

// symKind is the kind of a value-level declaration.
type symKind uint8

const (
	symSchema symKind = iota + 1
	symScript
	symParams
	symLet
)

func (k symKind) String() string {
	switch k {
	case symSchema:
		return "schema"
	case symScript:
		return "script"
	case symParams:
		return "parameter set"
	default:
		return "constant"
	}
}

// symbol is a declared name in the value namespace: schemas, scripts,
// parameter sets and constants share it.
type symbol struct {
	name      string
	kind      symKind
	decl      lang.Decl
	rng       lang.Range
	typ       *typ  // schemas
	val       *ival // params, let: evaluated lazily
	script    *Script
	schema    *symbol // scripts and params: the schema named
	resolving bool
	used      bool
	// schemaBroken: a script whose schema could not be resolved
	schemaBroken bool
	// md5Null: a script declared with `md5: null` (see compileScript)
	md5Null bool
}

// Options configure a compilation.
type Options struct {
	// ReadFile reads a source file; nil means ReadSource.
	ReadFile func(path string) ([]byte, error)
}

// Result is what a compilation produced: the model (nil when the main file
// is a library or could not be parsed), every source read (for rendering
// diagnostics), and the diagnostics, sorted and without repeats.
type Result struct {
	Regimen     *Regimen
	IsLibrary   bool
	Sources     map[string][]byte
	Diagnostics lang.Diagnostics
}

// Compile loads path and the files it imports, checks them and builds the
// compiled model.
func Compile(path string, opts *Options) *Result {
	c := newChecker(opts)
	return c.compile(path)
}

// compile runs every phase. A panic is a bug in the compiler; it is turned
// into an `internal` diagnostic rather than a stack trace, so a user still
// gets an answer and an exit code.
func (c *checker) compile(path string) (res *Result) {
	defer func() {
		if r := recover(); r != nil {
			c.diags.Errorf("internal", lang.Range{File: path}, "internal compiler error: %v (please report this with the input)", r)
			c.reg = nil
			res = c.result()
			res.Regimen = nil
		}
	}()
	c.load(path, nil, lang.Range{})
	// With a syntax error anywhere, declarations may be missing, and every
	// use of them would be a misleading error: report the syntax alone.
	for _, d := range c.diags {
		if d.Code == "syntax" && d.Severity == lang.Error {
			return c.result()
		}
	}
	c.run()
	return c.result()
}

// CompileSource compiles src as if read from path (imports are read
// through opts).
func CompileSource(path string, src []byte, opts *Options) *Result {
	c := newChecker(opts)
	c.preset = map[string][]byte{filepath.Clean(path): src}
	return c.compile(path)
}

type sourceFile struct {
	path string
	ast  *lang.File
}

type checker struct {
	readFile func(string) ([]byte, error)
	preset   map[string][]byte
	sources  map[string][]byte
	files    []*sourceFile   // in load order: imports before importers
	loaded   map[string]bool // by SourceKey
	stack    []string        // the files being loaded, by SourceKey
	// stackPaths are the files being loaded, as named
	stackPaths []string
	mainPath   string

	diags lang.Diagnostics

	values    map[string]*symbol
	valueList []*symbol
	criteria  map[string]lang.Range
	triggers  map[string]lang.Range
	stageDecl map[string]*lang.StageDecl

	evalStack []*symbol // parameter sets and constants being evaluated

	// the size of the stages' parameters so far, and whether it has grown
	// past the bounds (see admitStage)
	docNodes, docText int64
	docFull           bool

	checked map[checkKey]Value // clean checks of shared records and lists

	header     *lang.RegimenDecl
	headerFile string
	reg        *Regimen
}

func newChecker(opts *Options) *checker {
	c := &checker{
		sources:   map[string][]byte{},
		loaded:    map[string]bool{},
		values:    map[string]*symbol{},
		criteria:  map[string]lang.Range{},
		triggers:  map[string]lang.Range{},
		stageDecl: map[string]*lang.StageDecl{},
	}
	if opts != nil && opts.ReadFile != nil {
		c.readFile = opts.ReadFile
	} else {
		c.readFile = ReadSource
	}
	return c
}

func (c *checker) result() *Result {
	for i := range c.diags {
		d := &c.diags[i]
		d.Range = lang.TrimRange(d.Range, c.sources[d.Range.File])
		if d.Related != nil {
			rel := *d.Related
			rel.Range = lang.TrimRange(rel.Range, c.sources[rel.Range.File])
			d.Related = &rel
		}
	}
	res := &Result{Sources: c.sources, Diagnostics: c.diags.Normalize()}
	if c.header == nil {
		res.IsLibrary = true
	} else {
		res.Regimen = c.reg
	}
	return res
}

// load reads and parses path, then the files it imports, depth first. A
// file is known by its resolved path (SourceKey), so a file named two ways
// is read once, and a cycle through a link is found at once.
func (c *checker) load(path string, from *lang.ImportDecl, at lang.Range) {
	key := SourceKey(path)
	for i, k := range c.stack {
		if k == key {
			chain := append(append([]string(nil), c.stackPaths[i:]...), path)
			c.diags.Errorf("import-cycle", at, "import cycle: %s", strings.Join(chain, " -> "))
			return
		}
	}
	if c.loaded[key] {
		return
	}
	c.loaded[key] = true
	src, ok := c.preset[filepath.Clean(path)]
	if !ok {
		var err error
		src, err = c.readFile(path)
		if err != nil {
			if from == nil {
				ReadFailure(&c.diags, path, err)
			} else {
				c.diags.Errorf("invalid-import", at, "cannot import %s: %s", path, readErrorText(err))
			}
			return
		}
	}
	c.sources[path] = src
	if c.mainPath == "" {
		c.mainPath = path
	}
	f, diags := lang.Parse(path, src)
	c.diags = append(c.diags, diags...)
	if f == nil {
		return
	}
	c.stack, c.stackPaths = append(c.stack, key), append(c.stackPaths, path)
	for _, d := range f.Decls {
		if imp, ok := d.(*lang.ImportDecl); ok {
			rel, err := lang.Unquote(imp.Path.Raw)
			rng := lang.RangeOf(imp.Path.Pos, imp.Path.EndPos)
			if err != nil {
				c.diags.Errorf("syntax", rng, "%s", err.Error())
				continue
			}
			if rel == "" {
				c.diags.Errorf("invalid-import", rng, "an import names a file")
				continue
			}
			target := rel
			if !filepath.IsAbs(target) {
				target = filepath.Join(filepath.Dir(path), rel)
			}
			if filepath.Ext(target) != ".regimen" {
				target += ".regimen"
			}
			c.load(target, imp, rng)
		}
	}
	c.stack, c.stackPaths = c.stack[:len(c.stack)-1], c.stackPaths[:len(c.stackPaths)-1]
	c.files = append(c.files, &sourceFile{path: path, ast: f})
}

func (c *checker) names(kind symKind) []string {
	var out []string
	for _, s := range c.valueList {
		if s.kind == kind {
			out = append(out, s.name)
		}
	}
	return out
}

func (c *checker) allValueNames() []string {
	out := make([]string, 0, len(c.valueList))
	for _, s := range c.valueList {
		out = append(out, s.name)
	}
	return out
}

func (c *checker) declare(name string, kind symKind, d lang.Decl, rng lang.Range) *symbol {
	if prev, dup := c.values[name]; dup {
		e := c.diags.Errorf("duplicate-definition", rng, "%s is already declared (as a %s)", name, prev.kind)
		e.Related = &lang.Related{Range: prev.rng, Message: "first declared here"}
		return nil
	}
	s := &symbol{name: name, kind: kind, decl: d, rng: rng}
	c.values[name] = s
	c.valueList = append(c.valueList, s)
	return s
}

// run does every pass over the loaded files.
func (c *checker) run() {
	c.triggers["progress"] = lang.Range{}
	c.triggers["manual"] = lang.Range{}
	var stages []*lang.StageDecl
	var transitions []*lang.TransitionDecl
	var migrations []*lang.MigrateDecl
	var tests []*lang.TestDecl
	var nulls []*lang.NullSectionDecl
	// pass 1: declarations
	for _, f := range c.files {
		isMain := f.path == c.mainPath
		for _, d := range f.ast.Decls {
			switch d := d.(type) {
			case *lang.RegimenDecl:
				rng := lang.RangeOf(d.Pos, d.EndPos)
				if !isMain {
					c.diags.Errorf("invalid-import", rng, "%s is imported as a library, so it cannot declare a regimen", f.path)
					continue
				}
				if c.header != nil {
					e := c.diags.Errorf("duplicate-definition", rng, "a file declares one regimen")
					e.Related = &lang.Related{Range: lang.RangeOf(c.header.Pos, c.header.EndPos), Message: "first declared here"}
					continue
				}
				c.header, c.headerFile = d, f.path
			case *lang.CriterionDecl:
				for _, n := range d.Names {
					c.declareSimple(c.criteria, "criterion", n)
				}
			case *lang.TriggerDecl:
				for _, n := range d.Names {
					if n.Value() == "progress" || n.Value() == "manual" {
						c.diags.Errorf("duplicate-definition", n.Range(), "%s is a built-in trigger", n.Value())
						continue
					}
					c.declareSimple(c.triggers, "trigger", n)
				}
			case *lang.SchemaDecl:
				c.declare(d.Name.Name, symSchema, d, d.Name.Range())
			case *lang.ScriptDecl:
				c.declare(d.Name.Name, symScript, d, d.Name.Range())
			case *lang.ParamsDecl:
				c.declare(d.Name.Name, symParams, d, d.Name.Range())
			case *lang.LetDecl:
				c.declare(d.Name.Name, symLet, d, d.Name.Range())
			case *lang.StageDecl, *lang.TransitionDecl, *lang.MigrateDecl, *lang.TestDecl, *lang.NullSectionDecl:
				if !isMain {
					c.diags.Errorf("invalid-import", declRange(d), "stages, transitions, migrations and tests belong in the regimen file, not in the library %s", f.path)
					continue
				}
				switch d := d.(type) {
				case *lang.StageDecl:
					stages = append(stages, d)
				case *lang.TransitionDecl:
					transitions = append(transitions, d)
				case *lang.MigrateDecl:
					migrations = append(migrations, d)
				case *lang.TestDecl:
					tests = append(tests, d)
				case *lang.NullSectionDecl:
					nulls = append(nulls, d)
				}
			}
		}
	}
	c.reg = &Regimen{File: c.mainPath}
	c.compileHeader()
	// pass 2: schemas, scripts, parameter sets and constants, in order
	for _, s := range c.valueList {
		switch s.kind {
		case symSchema:
			c.schemaType(s)
		case symScript:
			c.compileScript(s)
		case symParams, symLet:
			c.valueOf(s)
		}
	}
	// pass 3: stages, transitions, migrations, tests
	for _, sd := range stages {
		c.compileStage(sd)
	}
	c.nullSections(nulls, len(stages), len(transitions))
	for _, td := range transitions {
		c.compileTransition(td)
	}
	for _, md := range migrations {
		c.compileMigration(md)
	}
	c.lint()
	for _, td := range tests {
		c.runTest(td)
	}
	if c.header == nil && (len(stages) > 0 || len(transitions) > 0) {
		c.diags.Errorf("missing-field", lang.Range{File: c.mainPath, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}, "this file declares stages but no regimen: add `regimen NAME version X.Y.Z`")
	}
}

func declRange(d lang.Decl) lang.Range {
	switch d := d.(type) {
	case *lang.StageDecl:
		return d.Name.Range()
	case *lang.TransitionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	case *lang.MigrateDecl:
		return d.From.Range()
	case *lang.TestDecl:
		return lang.RangeOf(d.Title.Pos, d.Title.EndPos)
	case *lang.NullSectionDecl:
		return lang.RangeOf(d.Pos, d.EndPos)
	}
	return lang.Range{}
}

func (c *checker) declareSimple(m map[string]lang.Range, what string, n *lang.Name) {
	name := n.Value()
	if first, dup := m[name]; dup {
		e := c.diags.Errorf("duplicate-definition", n.Range(), "%s %s is already declared", what, name)
		e.Related = &lang.Related{Range: first, Message: "first declared here"}
		return
	}
	m[name] = n.Range()
}

var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)
var conventionalName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$`)

func (c *checker) compileHeader() {
	h := c.header
	if h == nil {
		return
	}
	if h.Null {
		null := NullValue()
		c.reg.NameValue = &null
		noName(&c.diags, lang.RangeOf(h.Pos, h.EndPos), "`regimen null`").Suggestion = "regimen NAME version 1.0.0"
		return
	}
	if h.Raw != nil {
		name, err := lang.Unquote(h.Raw.Raw)
		rng := lang.RangeOf(h.Raw.Pos, h.Raw.EndPos)
		if err != nil {
			c.diags.Errorf("syntax", rng, "%s", err.Error())
		}
		c.reg.Name = name
		d := c.diags.Warnf("name-convention", rng, "regimen name %q follows no convention: prefer `regimen NAME version MAJOR.MINOR.PATCH`", name)
		if m := regexp.MustCompile(`^(.+)_v(\d+\.\d+\.\d+)$`).FindStringSubmatch(name); m != nil && conventionalName.MatchString(m[1]) {
			d.Suggestion = fmt.Sprintf("regimen %s version %s", m[1], m[2])
		}
		return
	}
	c.reg.Base = h.Name.Name
	c.reg.Name = h.Name.Name
	if !conventionalName.MatchString(h.Name.Name) {
		c.diags.Warnf("name-convention", h.Name.Range(), "regimen name %s: use letters and digits in words joined by single underscores", h.Name.Name)
	}
	if h.Version == nil {
		c.diags.Errorf("missing-field", h.Name.Range(), "regimen %s has no version: write `regimen %s version 1.0.0`", h.Name.Name, h.Name.Name)
		return
	}
	if !semverRE.MatchString(h.Version.Text) {
		c.diags.Errorf("syntax", lang.RangeOf(h.Version.Pos, h.Version.EndPos), "version %s is not MAJOR.MINOR.PATCH", h.Version.Text)
	}
	c.reg.Version = h.Version.Text
	c.reg.Name = h.Name.Name + "_v" + h.Version.Text
}

// compileScript evaluates a script declaration: url, md5, and its schema.
func (c *checker) compileScript(s *symbol) *Script {
	if s.script != nil {
		return s.script
	}
	d := s.decl.(*lang.ScriptDecl)
	sc := &Script{Name: s.name, Range: d.Name.Range()}
	s.script = sc
	if d.Schema != nil {
		sym := c.values[d.Schema.Name]
		switch {
		case sym == nil:
			e := c.diags.Errorf("undefined-name", d.Schema.Range(), "undefined schema %s", d.Schema.Name)
			c.didYouMean(e, d.Schema.Name, c.names(symSchema))
			s.schemaBroken = true
		case sym.kind != symSchema:
			c.diags.Errorf("type-mismatch", d.Schema.Range(), "%s is a %s, not a schema", d.Schema.Name, sym.kind)
			s.schemaBroken = true
		default:
			sym.used = true
			s.schema = sym
		}
	}
	body := c.evalRecord(d.Body)
	sc.BodyRange = lang.TrimRange(lang.RangeOf(d.Body.Pos, d.Body.EndPos), c.sources[d.Name.Range().File])
	if s.schema != nil {
		sc.Schema = s.schema.name
	}
	var urlSet bool
	for _, f := range body.fields {
		switch f.key {
		case "url":
			if f.val.kind == iBad {
				urlSet = true
				continue
			}
			if f.val.kind != iString {
				c.diags.Errorf("type-mismatch", f.val.rng, "got %s, want a string (the script's URL or path)", f.val.describe())
				continue
			}
			if f.val.s == "" {
				c.diags.Errorf("out-of-range", f.val.rng, "a script's url cannot be empty")
			}
			sc.URL, urlSet, sc.URLRange = f.val.s, true, f.val.rng
		case "md5":
			if f.val.kind == iBad {
				continue
			}
			// regc import: a legacy file's `script_md5: null` is written
			// `md5: null`: the script has no md5 to verify, and the stages
			// that use it keep `script_md5: null` in the document.
			if f.val.kind == iNull {
				s.md5Null = true
				continue
			}
			if f.val.kind != iString {
				c.diags.Errorf("type-mismatch", f.val.rng, "got %s, want a string of 32 hex digits", f.val.describe())
				continue
			}
			// regc import: legacy files hold placeholders ("NotImplemented")
			// and truncated md5s that mtrain accepted; they are kept, with a
			// warning (regc emit refuses a script whose md5 does not match).
			if !md5RE.MatchString(f.val.s) {
				c.diags.Warnf("out-of-range", f.val.rng, "md5 %q is not 32 hex digits, so the script cannot be verified", f.val.s)
			}
			sc.MD5, sc.MD5Range = f.val.s, f.val.rng
		default:
			e := c.diags.Errorf("unknown-field", f.keyRng, "unknown field %s of a script (a script has url and md5)", f.key)
			c.didYouMean(e, f.key, []string{"url", "md5"})
		}
	}
	if !urlSet {
		c.diags.Errorf("missing-field", d.Name.Range(), "script %s has no url", s.name)
	}
	c.reg.Scripts = append(c.reg.Scripts, sc)
	return sc
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

var md5RE = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

func (c *checker) didYouMean(d *lang.Diagnostic, name string, candidates []string) {
	if s := nearest(name, candidates); s != "" {
		d.Message += fmt.Sprintf(" (did you mean %s?)", s)
		d.Suggestion = s
	}
}

// valueOf evaluates a parameter set or constant, once.
func (c *checker) valueOf(s *symbol) *ival {
	if s.val != nil {
		return s.val
	}
	if s.resolving {
		chain := []string{}
		for i := len(c.evalStack) - 1; i >= 0; i-- {
			chain = append([]string{c.evalStack[i].name}, chain...)
			if c.evalStack[i] == s {
				break
			}
		}
		c.diags.Errorf("reference-cycle", s.rng, "%s refers to itself: %s -> %s", s.name, strings.Join(chain, " -> "), s.name)
		s.val = &ival{kind: iBad, rng: s.rng}
		return s.val
	}
	s.resolving = true
	c.evalStack = append(c.evalStack, s)
	defer func() {
		s.resolving = false
		c.evalStack = c.evalStack[:len(c.evalStack)-1]
	}()
	var v *ival
	switch d := s.decl.(type) {
	case *lang.ParamsDecl:
		if d.Body != nil {
			v = c.bounded(c.evalRecord(d.Body))
		} else {
			v = c.eval(d.Value)
		}
		if v.kind == iBad {
		} else if v.kind != iMap {
			c.diags.Errorf("type-mismatch", v.rng, "a parameter set is a record, not %s", v.describe())
		} else if d.Schema != nil {
			sym := c.values[d.Schema.Name]
			switch {
			case sym == nil:
				e := c.diags.Errorf("undefined-name", d.Schema.Range(), "undefined schema %s", d.Schema.Name)
				c.didYouMean(e, d.Schema.Name, c.names(symSchema))
			case sym.kind != symSchema:
				c.diags.Errorf("type-mismatch", d.Schema.Range(), "%s is a %s, not a schema", d.Schema.Name, sym.kind)
			default:
				sym.used = true
				s.schema = sym
				c.check(v, c.schemaType(sym), true)
			}
		}
	case *lang.LetDecl:
		v = c.eval(d.Value)
		if d.Type != nil {
			c.check(v, c.resolveType(d.Type), false)
		}
	}
	if s.val != nil && s.val.kind == iBad { // a cycle through this one was found
		return s.val
	}
	s.val = v
	return v
}

// eval evaluates an expression to an intermediate value, within the bounds
// on a value's size.
func (c *checker) eval(e *lang.Expr) *ival { return c.bounded(c.evalExpr(e)) }

func (c *checker) evalExpr(e *lang.Expr) *ival {
	if e.Override == nil {
		return c.evalPrimary(e)
	}
	rng := e.Range()
	// `Schema { ... }`: a record literal checked against a schema.
	if ref := e.Ref; ref != nil {
		if sym := c.values[*ref]; sym != nil && sym.kind == symSchema {
			sym.used = true
			v := c.evalRecord(e.Override)
			v.rng = rng
			c.check(v, c.schemaType(sym), false)
			return v
		}
	}
	if e.Ref == nil {
		// `{ a } { b }`: two records with no comma between them
		d := c.diags.Errorf("syntax", lang.RangeOf(e.Override.Pos, e.Override.EndPos), "a record follows a value with no comma between them; only a named value takes overrides (`base { ... }`)")
		d.Suggestion = "add a comma before this record"
		c.evalPrimary(e)
		c.evalRecord(e.Override)
		return &ival{kind: iBad, rng: rng}
	}
	base := c.evalPrimary(e)
	if base.kind == iBad {
		c.evalRecord(e.Override) // still check what the overrides say
		return base
	}
	if base.kind != iMap {
		c.diags.Errorf("type-mismatch", base.rng, "only a record takes overrides `{ ... }`; this is %s", base.describe())
		return base
	}
	out := &ival{kind: iMap, fields: append([]ifield(nil), base.fields...), rng: rng}
	c.applyEntries(out, e.Override, true)
	return out
}

func (c *checker) evalRecord(r *lang.Record) *ival {
	v := &ival{kind: iMap, rng: lang.RangeOf(r.Pos, r.EndPos), fields: []ifield{}}
	c.applyEntries(v, r, false)
	return v
}

// applyEntries sets each entry of r in the record v. In a literal a key may
// be given once; in overrides a key replaces the base's value in place (YAML
// merge-key semantics), and a dotted key reaches into a nested record.
func (c *checker) applyEntries(v *ival, r *lang.Record, override bool) {
	written := map[string]lang.Range{}
	for _, e := range r.Entries {
		path := e.Keys()
		keyRng := e.KeyRange()
		if len(path) > MaxValueDepth {
			c.diags.Errorf("too-large", e.FirstKeyRange(), "this dotted key has %d parts, more than the %d deep a value may nest", len(path), MaxValueDepth)
			continue
		}
		full := strings.Join(path, ".")
		if first, dup := written[full]; dup {
			// an error; the later value wins, as in YAML, so a document
			// imported with its defects still means what it meant
			d := c.diags.Errorf("duplicate-key", keyRng, "key %s is given twice in this record; the later value wins", full)
			d.Related = &lang.Related{Range: first, Message: "first given here"}
		}
		written[full] = keyRng
		val := c.eval(e.Value)
		c.setPath(v, path, e.FirstKeyRange(), keyRng, val)
	}
}

// setPath sets path in v to val: first is the range of the path's first
// key, rest of the whole path (where a later key's own range would go).
func (c *checker) setPath(v *ival, path []string, first, rest lang.Range, val *ival) {
	key := path[0]
	cur, i := v.find(key)
	if len(path) == 1 {
		v.put(i, ifield{key: key, keyRng: first, val: val})
		return
	}
	var inner *ival
	switch {
	case cur == nil:
		inner = &ival{kind: iMap, rng: first, fields: []ifield{}, owner: v}
	case cur.kind == iMap && cur.owner == v:
		inner = cur // made by an earlier dotted key of this record
	case cur.kind == iMap:
		inner = &ival{kind: iMap, rng: cur.rng, fields: append([]ifield(nil), cur.fields...), owner: v}
	default:
		c.diags.Errorf("type-mismatch", first, "%s is %s, so %s cannot reach into it", key, cur.describe(), path[1])
		return
	}
	c.setPath(inner, path[1:], rest, rest, val)
	if i >= 0 {
		v.fields[i].val = inner
	} else {
		v.put(i, ifield{key: key, keyRng: first, val: inner})
	}
}

// evalPrimary evaluates the value of e before any overrides.
func (c *checker) evalPrimary(p *lang.Expr) *ival {
	rng := p.BaseRange()
	switch {
	case p.Quantity != nil:
		num, unitName := splitQuantity(*p.Quantity)
		n, err := parseNumber(num, rng)
		if err != nil { // the scanner read a number: it is too large
			c.diags.Errorf("out-of-range", rng, "%s", err.Error())
			return &ival{kind: iBad, rng: rng}
		}
		u := units[unitName]
		if u == nil {
			if msg := otherNumberForm(num, unitName); msg != "" {
				c.diags.Errorf("syntax", rng, "%s", msg)
				return &ival{kind: iBad, rng: rng}
			}
			d := c.diags.Errorf("unknown-unit", rng, "unknown unit %s", unitName)
			c.didYouMean(d, unitName, unitNames())
			return &ival{kind: iBad, rng: rng}
		}
		return &ival{kind: iQuantity, num: n.num, text: strings.TrimSpace(*p.Quantity), unit: u, rng: rng}
	case p.Number != nil:
		n, err := parseNumber(*p.Number, rng)
		if err != nil {
			c.diags.Errorf("out-of-range", rng, "%s", err.Error())
			return &ival{kind: iBad, rng: rng}
		}
		return n
	case p.Str != nil:
		s, err := lang.Unquote(*p.Str)
		if err != nil {
			var ue *lang.UnquoteError
			if errors.As(err, &ue) && ue.Surrogate {
				c.diags.Errorf("syntax", ue.Range(*p.Str, rng), "%s", err.Error())
			} else {
				c.diags.Errorf("syntax", rng, "%s", err.Error()).Suggestion = "double each backslash (\\\\), or use forward slashes in paths"
			}
			return &ival{kind: iBad, rng: rng}
		}
		return &ival{kind: iString, s: s, rng: rng}
	case p.Null:
		return &ival{kind: iNull, rng: rng}
	case p.True, p.False:
		return &ival{kind: iBool, b: p.True, rng: rng}
	case p.List != nil:
		v := &ival{kind: iList, rng: rng, list: make([]*ival, 0, len(p.List.Items))}
		for _, it := range p.List.Items {
			v.list = append(v.list, c.eval(it))
		}
		return v
	case p.Record != nil:
		return c.evalRecord(p.Record)
	default:
		return c.evalRef(*p.Ref, rng)
	}
}

func (c *checker) evalRef(name string, rng lang.Range) *ival {
	id := struct{ Name string }{name}
	sym := c.values[id.Name]
	if sym == nil {
		switch id.Name {
		case "inf":
			return &ival{kind: iFloat, f: math.Inf(1), num: new(big.Rat), text: "inf", rng: rng}
		case "nan":
			return &ival{kind: iFloat, f: math.NaN(), num: new(big.Rat), text: "nan", rng: rng}
		}
		d := c.diags.Errorf("undefined-name", rng, "undefined: %s", id.Name)
		c.didYouMean(d, id.Name, c.allValueNames())
		return &ival{kind: iBad, rng: rng}
	}
	sym.used = true
	switch sym.kind {
	case symSchema:
		c.diags.Errorf("type-mismatch", rng, "%s is a schema, not a value: write %s { ... } for a value of it", id.Name, id.Name)
		return &ival{kind: iBad, rng: rng}
	case symScript:
		c.diags.Errorf("type-mismatch", rng, "%s is a script: a script is named only by a stage's `script:`", id.Name)
		return &ival{kind: iBad, rng: rng}
	}
	v := c.valueOf(sym)
	// a record or list keeps the range of the declaration it names, so an
	// error in it is reported once, where it was written; a scalar stands
	// where it is used, so `volume { ... }` is blamed at the use
	cp := *v
	if v.kind != iMap && v.kind != iList {
		cp.rng = rng
	}
	return &cp
}

// compileStage builds one stage: its script, and its parameters with
// `stage` filled in and checked against the script's schema.
func (c *checker) compileStage(sd *lang.StageDecl) {
	name := sd.Name.Value()
	st := &Stage{Name: name, Range: sd.Name.Range(), Params: Value{Kind: Null}}
	if first, dup := c.stageDecl[name]; dup {
		// an error; the later stage replaces the first in its place, as a
		// YAML mapping's repeated key did
		e := c.diags.Errorf("duplicate-stage", sd.Name.Range(), "stage %s is already declared; this later one replaces it", name)
		e.Related = &lang.Related{Range: first.Name.Range(), Message: "first declared here"}
		for i, old := range c.reg.Stages {
			if old.Name == name {
				c.reg.Stages[i] = st
				break
			}
		}
	} else {
		c.stageDecl[name] = sd
		c.reg.Stages = append(c.reg.Stages, st)
	}
	checkStageName(&c.diags, name, sd.Name.Range())
	if sd.Name.Quoted != "" && !identRE.MatchString(name) {
		c.diags.Warnf("name-convention", sd.Name.Range(), "stage name %q is not an identifier: prefer letters, digits and underscores, not starting with a digit", name)
	}
	var params *ival
	var paramsRng lang.Range
	var script *symbol
	seen := map[string]bool{}
	for _, e := range sd.Body.Entries {
		key := e.Key(0)
		krng := e.FirstKeyRange()
		if len(e.Path) > 1 || (key != "script" && key != "params") {
			d := c.diags.Errorf("unknown-field", krng, "unknown field %s of a stage (a stage has script and params)", key)
			c.didYouMean(d, key, []string{"script", "params"})
			continue
		}
		if seen[key] {
			c.diags.Errorf("duplicate-key", krng, "key %s is given twice in stage %s", key, name)
			continue
		}
		seen[key] = true
		if key == "script" {
			if e.Value.Ref == nil || e.Value.Override != nil {
				c.diags.Errorf("type-mismatch", e.Value.Range(), "a stage's script is the name of a script declaration")
				continue
			}
			ref, refRng := *e.Value.Ref, e.Value.BaseRange()
			sym := c.values[ref]
			if sym == nil {
				d := c.diags.Errorf("undefined-name", refRng, "undefined script %s", ref)
				c.didYouMean(d, ref, c.names(symScript))
				continue
			}
			if sym.kind != symScript {
				c.diags.Errorf("type-mismatch", refRng, "%s is a %s, not a script", ref, sym.kind)
				continue
			}
			sym.used = true
			script = sym
			st.Script = c.compileScript(sym)
			if sym.md5Null { // regc import: see compileScript
				st.Extra = append(st.Extra, Field{"script_md5", NullValue()})
			}
			continue
		}
		params = c.eval(e.Value)
		paramsRng = e.Value.Range()
	}
	if script == nil && !seen["script"] {
		c.diags.Errorf("missing-field", sd.Name.Range(), "stage %s has no script", name)
	}
	if params == nil {
		// a stage always has parameters, if only its own name
		params = &ival{kind: iMap, rng: sd.Name.Range(), fields: []ifield{}}
		paramsRng = sd.Name.Range()
	}
	if params.kind == iBad {
		return
	}
	if params.kind != iMap {
		c.diags.Errorf("type-mismatch", params.rng, "a stage's params are a record, not %s", params.describe())
		return
	}
	params = &ival{kind: iMap, fields: params.fields, rng: paramsRng}
	if sv, _ := params.get("stage"); sv != nil {
		if sv.kind != iString || sv.s != name {
			d := c.diags.Errorf("stage-param-mismatch", sv.rng, "parameters.stage is %s, but the stage is %s", sv.describe(), name)
			d.Suggestion = "remove it: the compiler fills in the stage's own name"
		}
	} else {
		params.fields = append([]ifield{{key: "stage", keyRng: sd.Name.Range(), val: &ival{kind: iString, s: name, rng: sd.Name.Range()}}}, params.fields...)
	}
	if !c.admitStage(params, sd.Name.Range()) {
		return
	}
	switch {
	case script != nil && script.schema != nil:
		t := c.schemaType(script.schema)
		st.Params = c.check(params, withStage(t), false)
	case script == nil || script.schemaBroken:
		// the script (or its schema) is in error already
		st.Params = c.toValueQuiet(params)
	default:
		st.Params = c.toValue(params)
	}
}

// withStage returns t with a `stage: string` field when a closed record
// schema does not declare one: the compiler always fills it in.
func withStage(t *typ) *typ {
	if t.kind != tRecord {
		return t
	}
	for _, f := range t.fields {
		if f.name == "stage" {
			return t
		}
	}
	cp := *t
	cp.fields = append([]*fieldT{{name: "stage", t: &typ{kind: tString}}}, t.fields...)
	return &cp
}

func (c *checker) stageRef(n *lang.Name) string {
	name := n.Value()
	if _, ok := c.stageDecl[name]; !ok {
		d := c.diags.Errorf("undefined-stage", n.Range(), "undefined stage %s", name)
		names := make([]string, 0, len(c.stageDecl))
		for k := range c.stageDecl {
			names = append(names, k)
		}
		c.didYouMean(d, name, names)
	}
	return name
}

func (c *checker) criterionRefs(ns []*lang.Name) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		name := n.Value()
		if _, ok := c.criteria[name]; !ok {
			d := c.diags.Errorf("undefined-criterion", n.Range(), "undefined criterion %s", name)
			names := make([]string, 0, len(c.criteria))
			for k := range c.criteria {
				names = append(names, k)
			}
			c.didYouMean(d, name, names)
			if d.Suggestion == "" {
				d.Message += fmt.Sprintf(": declare it with `criterion %s`", name)
			}
		}
		out = append(out, name)
	}
	return out
}

func (c *checker) triggerRef(id *lang.Ident) string {
	if _, ok := c.triggers[id.Name]; !ok {
		d := c.diags.Errorf("undefined-name", id.Range(), "undefined trigger %s", id.Name)
		names := make([]string, 0, len(c.triggers))
		for k := range c.triggers {
			names = append(names, k)
		}
		c.didYouMean(d, id.Name, names)
		if d.Suggestion == "" {
			d.Message += fmt.Sprintf(": declare it with `trigger %s`", id.Name)
		}
	}
	return id.Name
}

func (c *checker) compileTransition(td *lang.TransitionDecl) {
	t := &Transition{
		Trigger:    c.triggerRef(td.Trigger),
		Source:     c.stageRef(td.Source),
		Dest:       c.stageRef(td.Dest),
		When:       c.criterionRefs(td.When),
		Unless:     c.criterionRefs(td.Unless),
		WhenForm:   criteriaForm(td.WhenForm()),
		UnlessForm: criteriaForm(td.UnlessForm()),
		Range:      lang.RangeOf(td.Pos, td.EndPos),
	}
	c.reg.Transitions = append(c.reg.Transitions, t)
}

func (c *checker) compileMigration(md *lang.MigrateDecl) {
	m := &Migration{From: md.From.Value(), Major: -1, Range: md.From.Range()}
	if md.Major != nil {
		var major int
		if _, err := fmt.Sscanf(md.Major.Text, "%d", &major); err != nil || fmt.Sprint(major) != md.Major.Text || major < 0 {
			c.diags.Errorf("syntax", lang.RangeOf(md.Major.Pos, md.Major.EndPos), "a migration names a major version (a whole number), not %s", md.Major.Text)
		}
		m.Major = major
	}
	seen := map[string]lang.Range{}
	for _, sm := range md.Mappings {
		from := sm.From.Value()
		if first, dup := seen[from]; dup {
			d := c.diags.Errorf("duplicate-definition", sm.From.Range(), "stage %s is mapped twice", from)
			d.Related = &lang.Related{Range: first, Message: "first mapped here"}
			continue
		}
		seen[from] = sm.From.Range()
		m.Map = append(m.Map, StageMapping{From: from, To: c.stageRef(sm.To), Range: lang.RangeOf(sm.Pos, sm.EndPos)})
	}
	c.reg.Migrations = append(c.reg.Migrations, m)
}

// lint runs the checks over the whole stage graph.
func (c *checker) lint() {
	LintTransitions(c.reg, &c.diags)
	for _, s := range c.valueList {
		if !s.used && s.kind != symSchema && s.rng.File == c.mainPath && c.header != nil {
			c.diags.Warnf("unused", s.rng, "%s %s is declared but never used", s.kind, s.name)
		}
	}
}

// LintTransitions reports duplicate and shadowed transitions and stages
// unreachable from the first stage. It works on any compiled model, so
// legacy files get the same checks.
func LintTransitions(reg *Regimen, diags *lang.Diagnostics) {
	type key struct{ trigger, source, dest, when, unless string }
	seen := map[key]*Transition{}
	unconditional := map[[2]string]*Transition{}
	for _, t := range reg.Transitions {
		k := key{t.Trigger, t.Source, t.Dest, strings.Join(t.When, "\x00"), strings.Join(t.Unless, "\x00")}
		if first, dup := seen[k]; dup {
			d := diags.Errorf("duplicate-transition", t.Range, "duplicate transition: %s %s -> %s is already declared", t.Trigger, t.Source, t.Dest)
			d.Related = &lang.Related{Range: first.Range, Message: "first declared here"}
		} else {
			seen[k] = t
		}
		if t.Trigger == "manual" {
			continue
		}
		sk := [2]string{t.Trigger, t.Source}
		if first := unconditional[sk]; first != nil {
			d := diags.Warnf("shadowed-transition", t.Range, "this %s transition from %s can never fire: an earlier one has no conditions", t.Trigger, t.Source)
			d.Related = &lang.Related{Range: first.Range, Message: "the unconditional transition"}
			continue
		}
		if len(t.When) == 0 && len(t.Unless) == 0 {
			unconditional[sk] = t
		}
	}
	if len(reg.Stages) == 0 {
		return
	}
	adj := map[string][]string{}
	for _, t := range reg.Transitions {
		adj[t.Source] = append(adj[t.Source], t.Dest)
	}
	first := reg.Stages[0].Name
	reached := map[string]bool{first: true}
	todo := []string{first}
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, d := range adj[n] {
			if !reached[d] {
				reached[d] = true
				todo = append(todo, d)
			}
		}
	}
	for _, s := range reg.Stages {
		if !reached[s.Name] {
			diags.Warnf("unreachable-stage", s.Range, "stage %s is not reachable from the first stage %s", s.Name, first)
		}
	}
}

// runTest plays a transition test: from the start stage, each step fires a
// trigger with the given criteria holding; the first transition whose
// `when` all hold and whose `unless` all fail is taken.
func (c *checker) runTest(td *lang.TestDecl) {
	title, _ := lang.Unquote(td.Title.Raw)
	before := len(c.diags)
	cur := c.stageRef(td.Start)
	for _, step := range td.Steps {
		trig := c.triggerRef(step.Trigger)
		holding := map[string]bool{}
		for _, n := range c.criterionRefs(step.Criteria) {
			holding[n] = true
		}
		want := c.stageRef(step.Expect)
		if len(c.diags) > before {
			// a name in the test is wrong: it cannot be run meaningfully,
			// but the rest of its names are still checked
			continue
		}
		next := cur
		for _, t := range c.reg.Transitions {
			if t.Trigger != trig || t.Source != cur {
				continue
			}
			ok := true
			for _, w := range t.When {
				ok = ok && holding[w]
			}
			for _, u := range t.Unless {
				ok = ok && !holding[u]
			}
			if ok {
				next = t.Dest
				break
			}
		}
		if next != want {
			c.diags.Errorf("test-failed", lang.RangeOf(step.Pos, step.EndPos), "test %q: %s from %s goes to %s, want %s", title, trig, cur, next, want)
			return
		}
		cur = next
	}
}
