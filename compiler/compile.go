package compiler

import (
	"path/filepath"

	"github.com/regc/regc/lang"
)

const (
	symSchema symKind = iota + 1
	symScript
	symParams
	symLet
)

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
	// Tests are the regimen file's `test` blocks, played, in source order.
	Tests []TestResult
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
			c.diags.Errorf(lang.CodeInternal, lang.Range{File: path}, "internal compiler error: %v (please report this with the input)", r)
			c.reg = nil
			res = c.result()
			res.Regimen = nil
		}
	}()
	c.load(path, nil, lang.Range{})
	// With a syntax error anywhere, declarations may be missing, and every
	// use of them would be a misleading error: report the syntax alone.
	for _, d := range c.diags {
		if d.Code == lang.CodeSyntax && d.Severity == lang.Error {
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
	stageDecl map[string]stageDecl
	// transitionAt are the places in the stages of each transition's
	// source and dest, in turn (-1: no such stage), for the graph lints
	transitionAt []int32

	evalStack []*symbol // parameter sets and constants being evaluated

	// the size of the stages' parameters so far, and whether it has grown
	// past the bounds (see admitStage)
	docNodes, docText int64
	docFull           bool

	checked map[checkKey]Value // clean checks of shared records and lists

	header     *lang.RegimenDecl
	headerFile string
	reg        *Regimen

	testResults []TestResult
	// cascades (cascade.go): an import that could not be read, record
	// keys near a schema field the record lacks, and the schema fields
	// some record spells as declared
	importFailed bool
	misspellings []misspelling
	spelt        map[*fieldT]bool
}

func newChecker(opts *Options) *checker {
	c := &checker{
		sources:   map[string][]byte{},
		loaded:    map[string]bool{},
		values:    map[string]*symbol{},
		criteria:  map[string]lang.Range{},
		triggers:  map[string]lang.Range{},
		stageDecl: map[string]stageDecl{},
		spelt:     map[*fieldT]bool{},
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
	res := &Result{Sources: c.sources, Diagnostics: c.diags.Normalize(), Tests: c.testResults}
	if c.header == nil {
		res.IsLibrary = true
	} else {
		res.Regimen = c.reg
	}
	return res
}

// run does every pass over the loaded files.
func (c *checker) run() {
	c.triggers["progress"] = lang.Range{}
	c.triggers["manual"] = lang.Range{}
	// pass 1: declarations (declare.go)
	m := c.declareAll()
	c.reg = &Regimen{File: c.mainPath}
	if len(m.stages) > 0 {
		c.stageDecl = make(map[string]stageDecl, len(m.stages))
		c.reg.Stages = make([]*Stage, 0, len(m.stages))
	}
	if len(m.transitions) > 0 {
		c.reg.Transitions = make([]*Transition, 0, len(m.transitions))
		c.transitionAt = make([]int32, 0, 2*len(m.transitions))
	}
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
	// pass 3: stages, transitions, migrations, tests. The syntax of a
	// stage or a transition is not looked at once it is compiled, so each
	// is let go then (see releaseSyntax): the collector neither keeps nor
	// scans the whole file's tree while the stages are built.
	c.releaseSyntax()
	for i, sd := range m.stages {
		m.stages[i] = nil
		c.compileStage(sd)
	}
	c.nullSections(m.nulls, len(m.stages), len(m.transitions))
	for i, td := range m.transitions {
		m.transitions[i] = nil
		c.compileTransition(td)
	}
	for _, md := range m.migrations {
		c.compileMigration(md)
	}
	c.lint()
	c.misspelt()
	c.afterFailedImport()
	c.allowWarnings()
	for _, td := range m.tests {
		c.runTest(td)
	}
	if c.header == nil && (len(m.stages) > 0 || len(m.transitions) > 0) {
		c.diags.Errorf(lang.CodeMissingField, lang.Range{File: c.mainPath, Start: lang.Pos{Line: 1, Column: 1}, End: lang.Pos{Line: 1, Column: 1}}, "this file declares stages but no regimen: add `regimen NAME version X.Y.Z`")
	}
}

// releaseSyntax drops the syntax tree of each file that has no allow
// directive (the one later use of a tree: allowWarnings finds the
// declaration a directive stands before). The declarations pass 3 still
// needs are held by mainDecls and the symbols.
func (c *checker) releaseSyntax() {
	for _, f := range c.files {
		if f.ast != nil && !hasAllowDirective(f.ast) {
			f.ast = nil
		}
	}
}

func hasAllowDirective(f *lang.File) bool {
	for _, g := range f.Comments {
		for _, cm := range g.List {
			if _, ok := allowDirective(cm.Text); ok {
				return true
			}
		}
	}
	return false
}
