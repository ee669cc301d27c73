package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy"
	"github.com/regc/regc/scripts"
)

// Options configure a server.
type Options struct {
	// Debounce is how long the server waits after an edit before it
	// publishes diagnostics; 0 means 150 ms.
	Debounce time.Duration
	// Log, when set, receives one line per request with its duration.
	Log io.Writer
	// Fetcher fetches scripts for the "pin md5" quick fix; nil means one
	// with the script cache ($REGC_CACHE_DIR) and a 10 s timeout.
	Fetcher *scripts.Fetcher
}

type document struct {
	uri     string
	path    string
	version int
	src     []byte
}

// Server is one session with one client.
type Server struct {
	opts  Options
	conn  *conn
	docs  map[string]*document // by path
	files *files
	// gen counts edits: a compilation is kept until the next edit.
	gen      int
	compiled map[string]*compiled
	// dirty is set when diagnostics are due; published is what was last
	// published per document, to send a clear once.
	timer     *time.Timer
	fire      chan struct{}
	shutdown  bool
	published map[string]bool
	// pins remembers what script urls served, for the "pin md5" fix.
	pins           map[string]pinFetch
	defaultFetcher *scripts.Fetcher
}

type compiled struct {
	gen int
	res *compiler.Result
}

// Serve runs a session over r and w until the client exits or r ends. It
// returns nil after an exit notification that followed shutdown.
func Serve(r io.Reader, w io.Writer, opts Options) error {
	s := newServer(r, w, opts)
	msgs := make(chan []byte)
	errc := make(chan error, 1)
	go func() {
		for {
			body, err := s.conn.read()
			if err != nil {
				errc <- err
				return
			}
			msgs <- body
		}
	}()
	for {
		select {
		case body := <-msgs:
			if done, err := s.handle(body); done {
				return err
			}
		case <-s.fire:
			s.publishAll()
		case err := <-errc:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

func newServer(r io.Reader, w io.Writer, opts Options) *Server {
	if opts.Debounce <= 0 {
		opts.Debounce = 150 * time.Millisecond
	}
	s := &Server{
		opts:      opts,
		conn:      newConn(r, w),
		docs:      map[string]*document{},
		compiled:  map[string]*compiled{},
		fire:      make(chan struct{}, 1),
		published: map[string]bool{},
		pins:      map[string]pinFetch{},
	}
	s.files = &files{read: s.read, cache: map[string]*parsed{}}
	return s
}

// read returns a source: an open document's text, else the file on disk.
func (s *Server) read(path string) ([]byte, bool) {
	if d := s.docs[path]; d != nil {
		return d.src, true
	}
	src, err := compiler.ReadSource(path)
	return src, err == nil
}

func (s *Server) readFile(path string) ([]byte, error) {
	if d := s.docs[filepath.Clean(path)]; d != nil {
		return d.src, nil
	}
	return compiler.ReadSource(path)
}

// handle answers one message; done is set after exit.
func (s *Server) handle(body []byte) (done bool, err error) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		s.conn.write(&message{ID: nullID(), Error: &rpcError{codeParseError, "the message is not JSON: " + err.Error()}})
		return false, nil
	}
	if m.Method == "exit" {
		if s.shutdown {
			return true, nil
		}
		return true, errors.New("exit before shutdown")
	}
	start := time.Now()
	result, rerr := s.call(m.Method, m.Params)
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "%s %s\n", m.Method, time.Since(start))
	}
	if m.ID == nil {
		return false, nil // a notification: no answer
	}
	reply := &message{ID: m.ID}
	if rerr != nil {
		reply.Error = rerr
	} else {
		if result == nil {
			result = json.RawMessage("null")
		}
		reply.Result = result
	}
	return false, s.conn.write(reply)
}

func nullID() *json.RawMessage {
	raw := json.RawMessage("null")
	return &raw
}

// call runs one method, turning a panic into an error response.
func (s *Server) call(method string, params json.RawMessage) (result any, rerr *rpcError) {
	defer func() {
		if r := recover(); r != nil {
			result, rerr = nil, &rpcError{codeInternalError, fmt.Sprintf("internal error in %s: %v (please report this with the input)", method, r)}
		}
	}()
	decode := func(v any) *rpcError {
		if err := json.Unmarshal(params, v); err != nil {
			return &rpcError{codeInvalidParams, err.Error()}
		}
		return nil
	}
	switch method {
	case "initialize":
		return s.initialize(), nil
	case "initialized", "$/cancelRequest", "$/setTrace", "workspace/didChangeConfiguration", "workspace/didChangeWatchedFiles", "textDocument/didSave":
		return nil, nil
	case "shutdown":
		s.shutdown = true
		return nil, nil
	case "textDocument/didOpen":
		var p didOpenParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		s.open(p.TextDocument)
		return nil, nil
	case "textDocument/didChange":
		var p didChangeParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		return nil, s.change(p)
	case "textDocument/didClose":
		var p didCloseParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		s.close(p.TextDocument.URI)
		return nil, nil
	case "textDocument/hover", "textDocument/definition", "textDocument/completion", "textDocument/references", "textDocument/rename", "textDocument/prepareRename":
		var p referenceParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		pos := positionParams{TextDocument: p.TextDocument, Position: p.Position}
		switch method {
		case "textDocument/hover":
			return s.hover(pos)
		case "textDocument/definition":
			return s.definition(pos)
		case "textDocument/completion":
			return s.complete(pos)
		case "textDocument/references":
			return s.references(pos, p.Context.IncludeDeclaration)
		case "textDocument/prepareRename":
			return s.prepareRename(pos)
		}
		var rp renameParams
		if e := decode(&rp); e != nil {
			return nil, e
		}
		return s.rename(pos, rp.NewName)
	case "textDocument/documentSymbol":
		var p documentParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		return s.symbols(p.TextDocument.URI)
	case "textDocument/formatting":
		var p documentParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		return s.format(p.TextDocument.URI)
	case "textDocument/codeAction":
		var p codeActionParams
		if e := decode(&p); e != nil {
			return nil, e
		}
		return s.codeActions(p)
	}
	if strings.HasPrefix(method, "$/") {
		return nil, nil
	}
	return nil, &rpcError{codeMethodNotFound, "regc lsp does not answer " + method}
}

func (s *Server) initialize() any {
	return map[string]any{
		"capabilities": map[string]any{
			"positionEncoding": "utf-16",
			"textDocumentSync": map[string]any{
				"openClose": true,
				"change":    2, // incremental
			},
			"hoverProvider":              true,
			"definitionProvider":         true,
			"referencesProvider":         true,
			"renameProvider":             map[string]any{"prepareProvider": true},
			"documentSymbolProvider":     true,
			"documentFormattingProvider": true,
			"codeActionProvider":         map[string]any{"codeActionKinds": []string{"quickfix"}},
			"completionProvider": map[string]any{
				"triggerCharacters": []string{" ", ":", ",", "["},
			},
		},
		"serverInfo": map[string]any{"name": "regc"},
	}
}

func (s *Server) open(item textDocumentItem) {
	path := uriPath(item.URI)
	if path == "" {
		return
	}
	s.docs[path] = &document{uri: item.URI, path: path, version: item.Version, src: []byte(item.Text)}
	s.edited()
}

func (s *Server) change(p didChangeParams) *rpcError {
	d := s.docs[uriPath(p.TextDocument.URI)]
	if d == nil {
		return &rpcError{codeInvalidParams, "the document is not open: " + p.TextDocument.URI}
	}
	for _, ch := range p.ContentChanges {
		if ch.Range == nil {
			d.src = []byte(ch.Text)
			continue
		}
		t := newText(d.src)
		start, end := t.offset(ch.Range.Start), t.offset(ch.Range.End)
		if end < start {
			start, end = end, start
		}
		src := make([]byte, 0, len(d.src)-(end-start)+len(ch.Text))
		src = append(append(append(src, d.src[:start]...), ch.Text...), d.src[end:]...)
		d.src = src
	}
	d.version = p.TextDocument.Version
	s.edited()
	return nil
}

func (s *Server) close(uri string) {
	path := uriPath(uri)
	if s.docs[path] == nil {
		return
	}
	delete(s.docs, path)
	if s.published[path] {
		s.conn.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: uri, Diagnostics: []Diagnostic{}})
		delete(s.published, path)
	}
	s.edited()
}

// edited starts (or restarts) the pause before diagnostics.
func (s *Server) edited() {
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(s.opts.Debounce, func() {
		select {
		case s.fire <- struct{}{}:
		default:
		}
	})
}

// compile compiles path as a main file, once per edit.
func (s *Server) compile(path string) *compiler.Result {
	if c := s.compiled[path]; c != nil && c.gen == s.gen {
		return c.res
	}
	src, _ := s.read(path)
	var res *compiler.Result
	if legacy.IsYAML(path) {
		res = legacy.CompileSource(path, src)
	} else {
		res = compiler.CompileSource(path, src, &compiler.Options{ReadFile: s.readFile})
	}
	s.compiled[path] = &compiled{gen: s.gen, res: res}
	return res
}

// publishAll publishes every open document's diagnostics: each is
// compiled as a main file, and shows the diagnostics about itself.
func (s *Server) publishAll() {
	paths := make([]string, 0, len(s.docs))
	for p := range s.docs {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		s.publish(s.docs[p])
	}
}

func (s *Server) publish(d *document) {
	start := time.Now()
	diags := s.diagnostics(d)
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "diagnostics %s %s\n", filepath.Base(d.path), time.Since(start))
	}
	v := d.version
	s.conn.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: d.uri, Version: &v, Diagnostics: diags})
	s.published[d.path] = true
}

// diagnostics are the compiler's findings about document d, as the
// client shows them.
func (s *Server) diagnostics(d *document) (out []Diagnostic) {
	out = []Diagnostic{}
	defer func() {
		if r := recover(); r != nil {
			out = []Diagnostic{{Severity: severityError, Code: lang.CodeInternal, Source: "regc", Message: fmt.Sprintf("internal error: %v (please report this with the input)", r)}}
		}
	}()
	res := s.compile(d.path)
	t := newText(d.src)
	for _, cd := range res.Diagnostics {
		if cd.Range.File != "" && filepath.Clean(cd.Range.File) != d.path {
			continue
		}
		out = append(out, s.toDiagnostic(cd, t))
	}
	return out
}

func (s *Server) toDiagnostic(cd lang.Diagnostic, t *text) Diagnostic {
	sev := severityError
	switch cd.Severity {
	case lang.Warning:
		sev = severityWarning
	case lang.Info:
		sev = severityInfo
	}
	msg := cd.Message
	if cd.Suggestion != "" && !strings.Contains(msg, cd.Suggestion) {
		msg += " (suggestion: " + cd.Suggestion + ")"
	}
	out := Diagnostic{Range: t.rng(cd.Range), Severity: sev, Code: cd.Code, Source: "regc", Message: msg}
	if cd.Suggestion != "" {
		out.Data = &diagnosticData{Suggestion: cd.Suggestion}
	}
	if cd.Related != nil && cd.Related.Range.File != "" {
		if rt := s.textOf(filepath.Clean(cd.Related.Range.File)); rt != nil {
			out.RelatedInformation = []relatedInformation{{
				Location: Location{URI: pathURI(filepath.Clean(cd.Related.Range.File)), Range: rt.rng(cd.Related.Range)},
				Message:  cd.Related.Message,
			}}
		}
	}
	return out
}

// textOf returns a source's text, from an open document or the disk.
func (s *Server) textOf(path string) *text {
	if p := s.files.get(path); p != nil {
		return p.text
	}
	return nil
}

// doc returns the open document of uri, or an error response.
func (s *Server) doc(uri string) (*document, *rpcError) {
	d := s.docs[uriPath(uri)]
	if d == nil {
		return nil, &rpcError{codeInvalidParams, "the document is not open: " + uri}
	}
	return d, nil
}
