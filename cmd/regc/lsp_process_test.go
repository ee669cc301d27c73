package main

import (
	"bufio"
	"crypto/md5"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// lspClient drives `regc lsp` as a separate process, as an editor does.
type lspClient struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	msgs   chan map[string]any
	nextID int
	// notes are notifications read while waiting for a response.
	notes []map[string]any
}

func startLSP(t *testing.T, bin string, args ...string) *lspClient {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"lsp"}, args...)...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &lspClient{t: t, cmd: cmd, in: in, msgs: make(chan map[string]any, 100)}
	go func() {
		r := textproto.NewReader(bufio.NewReader(out))
		defer close(c.msgs)
		for {
			h, err := r.ReadMIMEHeader()
			if err != nil {
				return
			}
			n, _ := strconv.Atoi(h.Get("Content-Length"))
			body := make([]byte, n)
			if _, err := io.ReadFull(r.R, body); err != nil {
				return
			}
			var m map[string]any
			if err := json.Unmarshal(body, &m); err != nil {
				t.Errorf("the server sent a message that is not JSON: %q", body)
				return
			}
			c.msgs <- m
		}
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return c
}

func (c *lspClient) send(m map[string]any) {
	c.t.Helper()
	m["jsonrpc"] = "2.0"
	b, _ := json.Marshal(m)
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(b), b); err != nil {
		c.t.Fatal(err)
	}
}

func (c *lspClient) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"method": method, "params": params})
}

// next is the next message, within a generous time.
func (c *lspClient) next() map[string]any {
	c.t.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.t.Fatal("the server closed its output")
		}
		return m
	case <-time.After(30 * time.Second):
		c.t.Fatal("no message from the server in 30 s")
	}
	return nil
}

// call sends a request and returns its result, failing on an error.
func (c *lspClient) call(method string, params any) any {
	c.t.Helper()
	res, errv := c.callErr(method, params)
	if errv != nil {
		c.t.Fatalf("%s: error %v", method, errv)
	}
	return res
}

func (c *lspClient) callErr(method string, params any) (any, any) {
	c.t.Helper()
	c.nextID++
	id := c.nextID
	c.send(map[string]any{"id": id, "method": method, "params": params})
	for {
		m := c.next()
		if m["id"] == nil {
			c.notes = append(c.notes, m)
			continue
		}
		if int(m["id"].(float64)) != id {
			c.t.Fatalf("answer to request %v while waiting for %d", m["id"], id)
		}
		return m["result"], m["error"]
	}
}

// diagnostics waits for the diagnostics of uri at version; other
// notifications are kept for later waits.
func (c *lspClient) diagnostics(uri string, version int) []any {
	c.t.Helper()
	match := func(m map[string]any) []any {
		if m["method"] != "textDocument/publishDiagnostics" {
			return nil
		}
		p := m["params"].(map[string]any)
		if p["uri"] == uri && p["version"] != nil && int(p["version"].(float64)) == version {
			return append([]any{}, p["diagnostics"].([]any)...)
		}
		return nil
	}
	for i, m := range c.notes {
		if d := match(m); d != nil {
			c.notes = append(c.notes[:i:i], c.notes[i+1:]...)
			return d
		}
	}
	for {
		m := c.next()
		if d := match(m); d != nil {
			return d
		}
		c.notes = append(c.notes, m)
	}
}

func doc(uri string) map[string]any { return map[string]any{"uri": uri} }

func at(uri string, line, char int) map[string]any {
	return map[string]any{"textDocument": doc(uri), "position": map[string]any{"line": line, "character": char}}
}

func span(l1, c1, l2, c2 int) map[string]any {
	return map[string]any{"start": map[string]any{"line": l1, "character": c1}, "end": map[string]any{"line": l2, "character": c2}}
}

// jsonText is v as compact JSON, for assertions on nested answers.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// lineOf is the zero-based line of src holding want, and want's column.
func lineOf(t *testing.T, src, want string) (int, int) {
	t.Helper()
	for i, l := range strings.Split(src, "\n") {
		if c := strings.Index(l, want); c >= 0 {
			return i, c
		}
	}
	t.Fatalf("no line holds %q", want)
	return 0, 0
}

func buildRegc(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "regc")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestLSPSession drives a whole editing session through `regc lsp` as a
// process: open, an error typed and fixed, hover, definition across the
// import, references, completion in four contexts, a quick fix, rename,
// formatting, symbols and shutdown.
func TestLSPSession(t *testing.T) {
	if testing.Short() {
		t.Skip("builds regc and runs it as a process")
	}
	bin := buildRegc(t)
	dir := t.TempDir()
	for _, f := range []string{"task1a.regimen", "common.regimen"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "regimens", "visual_behavior", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	taskSrc, _ := os.ReadFile(filepath.Join(dir, "task1a.regimen"))
	commonSrc, _ := os.ReadFile(filepath.Join(dir, "common.regimen"))
	task, common := "file://"+filepath.Join(dir, "task1a.regimen"), "file://"+filepath.Join(dir, "common.regimen")
	task1a, commonText := string(taskSrc), string(commonSrc)

	cacheDir := t.TempDir()
	t.Setenv("REGC_CACHE_DIR", cacheDir) // the pin md5 fix below stores its download there
	c := startLSP(t, bin, "--debounce", "50ms")
	init := c.call("initialize", map[string]any{"processId": nil, "rootUri": "file://" + dir, "capabilities": map[string]any{}})
	if got := jsonText(init.(map[string]any)["capabilities"].(map[string]any)["textDocumentSync"]); got != `{"change":2,"openClose":true}` {
		t.Errorf("textDocumentSync = %s, want incremental with open/close", got)
	}
	c.notify("initialized", map[string]any{})

	// open both files: no diagnostics
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": task, "languageId": "regimen", "version": 1, "text": task1a}})
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": common, "languageId": "regimen", "version": 1, "text": commonText}})
	if d := c.diagnostics(task, 1); len(d) != 0 {
		t.Fatalf("task1a on open: %s, want none", jsonText(d))
	}
	if d := c.diagnostics(common, 1); len(d) != 0 {
		t.Fatalf("common on open: %s, want none", jsonText(d))
	}

	// type an error: gratings -> gratingz in one stage's params
	line, col := lineOf(t, task1a, "params: gratings {")
	col += len("params: ")
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 2},
		"contentChanges": []any{map[string]any{"range": span(line, col+7, line, col+8), "text": "z"}}})
	diags := c.diagnostics(task, 2)
	if len(diags) != 1 {
		t.Fatalf("after the typo: %s, want one diagnostic", jsonText(diags))
	}
	dg := diags[0].(map[string]any)
	if got, want := jsonText(dg["range"]), jsonText(span(line, col, line, col+8)); got != want {
		t.Errorf("diagnostic range %s, want %s", got, want)
	}
	if dg["code"] != "undefined-name" || !strings.Contains(dg["message"].(string), "gratingz") {
		t.Errorf("diagnostic %s, want undefined-name about gratingz", jsonText(dg))
	}
	// its quick fix puts the suggestion in place
	actions := c.call("textDocument/codeAction", map[string]any{"textDocument": doc(task), "range": dg["range"], "context": map[string]any{"diagnostics": []any{dg}}})
	sug, _ := dg["data"].(map[string]any)["suggestion"].(string)
	if got := jsonText(actions); sug == "" || !strings.Contains(got, `"title":"replace with `+sug+`"`) || !strings.Contains(got, `"newText":"`+sug+`"`) {
		t.Errorf("code actions %s, want a replacement by the compiler's suggestion %q", got, sug)
	}
	// fix it: the diagnostic clears
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 3},
		"contentChanges": []any{map[string]any{"range": span(line, col+7, line, col+8), "text": "s"}}})
	if d := c.diagnostics(task, 3); len(d) != 0 {
		t.Fatalf("after the fix: %s, want none", jsonText(d))
	}

	// hover on a stage: its parameters, each with where it came from
	sl, sc := lineOf(t, task1a, "stage TRAINING_1_gratings {")
	h := jsonText(c.call("textDocument/hover", at(task, sl, sc+len("stage ")+3)))
	for _, want := range []string{
		"parameters as the rig gets them (25)",
		"`reward_volume`: `0.01 (written 10 uL)` — override in params no_flash, `reward_volume` at common.regimen:162",
		"`start_stop_padding`: `20.0 (written 20 s)` — override in stage TRAINING_1_gratings, `start_stop_padding` at task1a.regimen:46",
		"`task_id`: `\\\"DoC\\\"` — set in params flash",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("stage hover lacks %q:\n%s", want, h)
		}
	}
	// hover on a quantity: the value in the field's unit
	ql, qc := lineOf(t, commonText, "reward_volume: 7 uL")
	h = jsonText(c.call("textDocument/hover", at(common, ql, qc+len("reward_volume: "))))
	if !strings.Contains(h, "`7 uL` = `0.007 mL`") {
		t.Errorf("quantity hover %s, want 7 uL in mL", h)
	}
	// hover on a criterion: the transitions that use it
	h = jsonText(c.call("textDocument/hover", at(common, 7, len("criterion ")+2)))
	if !strings.Contains(h, "used by 1 transition(s)") || !strings.Contains(h, "progress TRAINING_0_gratings_autorewards_15min -\\u003e TRAINING_1_gratings") {
		t.Errorf("criterion hover %s, want its one transition", h)
	}

	// definition across the import
	def := jsonText(c.call("textDocument/definition", at(task, line, col+2)))
	gl, gc := lineOf(t, commonText, "params gratings =")
	if want := jsonText([]any{map[string]any{"uri": common, "range": span(gl, gc+7, gl, gc+15)}}); def != want {
		t.Errorf("definition %s, want %s", def, want)
	}

	// references of a criterion declared in common: its uses in both files
	refs := c.call("textDocument/references", map[string]any{"textDocument": doc(common), "position": map[string]any{"line": 7, "character": 12}, "context": map[string]any{"includeDeclaration": true}}).([]any)
	inTask := strings.Count(task1a, "one_complete")
	if len(refs) != 1+inTask {
		t.Errorf("%d references of one_complete, want the declaration and %d uses in task1a: %s", len(refs), inTask, jsonText(refs))
	}

	// completion: criteria after when
	tl, _ := lineOf(t, task1a, "when one_complete")
	labels := func(res any) string {
		var ls []string
		for _, it := range res.(map[string]any)["items"].([]any) {
			ls = append(ls, it.(map[string]any)["label"].(string))
		}
		return "," + strings.Join(ls, ",") + ","
	}
	tLine := strings.Split(task1a, "\n")[tl]
	got := labels(c.call("textDocument/completion", at(task, tl, strings.Index(tLine, "when ")+len("when "))))
	if !strings.Contains(got, ",one_complete,") || !strings.Contains(got, ",meets_hit_threshold,") || strings.Contains(got, ",OPHYS_1_images_A,") {
		t.Errorf("completion after when: %s, want the criteria only", got)
	}
	// stage names after ->
	got = labels(c.call("textDocument/completion", at(task, tl, strings.Index(tLine, "-> ")+len("-> "))))
	if !strings.Contains(got, ",OPHYS_1_images_A,") || strings.Contains(got, ",one_complete,") {
		t.Errorf("completion after ->: %s, want the stages", got)
	}
	// units after a number: the field's dimension only
	pl, pc := lineOf(t, task1a, "start_stop_padding: 20 s")
	got = labels(c.call("textDocument/completion", at(task, pl, pc+len("start_stop_padding: 20 "))))
	if !strings.Contains(got, ",s,") || !strings.Contains(got, ",ms,") || strings.Contains(got, ",uL,") {
		t.Errorf("completion after a number: %s, want time units", got)
	}
	// schema fields in a record typed by the script's schema: a new line
	// in a stage's overrides offers the fields not yet set, with types
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 4},
		"contentChanges": []any{map[string]any{"range": span(pl, pc+len("start_stop_padding: 20 s"), pl, pc+len("start_stop_padding: 20 s")), "text": "\n        "}}})
	res := c.call("textDocument/completion", at(task, pl+1, 8))
	got = labels(res)
	if !strings.Contains(got, ",reward_volume,") || strings.Contains(got, ",start_stop_padding,") {
		t.Errorf("completion of fields: %s, want reward_volume and not the field already set", got)
	}
	if s := jsonText(res); !strings.Contains(s, `{"detail":"volume(mL) in [0 uL, 20 uL]","kind":5,"label":"reward_volume"}`) {
		t.Errorf("reward_volume's completion lacks its type and range: %s", s)
	}
	// top level: keywords
	got = labels(c.call("textDocument/completion", at(task, 0, 0)))
	if !strings.Contains(got, ",stage,") || !strings.Contains(got, ",params,") {
		t.Errorf("completion at the top level: %s, want keywords", got)
	}
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 5},
		"contentChanges": []any{map[string]any{"text": task1a}}})

	// rename a parameter set declared in common and used in both files
	edit := c.call("textDocument/rename", map[string]any{"textDocument": doc(task), "position": map[string]any{"line": line, "character": col + 1}, "newName": "plain_gratings"}).(map[string]any)
	changes := edit["changes"].(map[string]any)
	wantTask := strings.Count(task1a, "params: gratings {") + strings.Count(task1a, "params: gratings\n")
	wantCommon := len(strings.Split(commonText, "params gratings =")) - 1 + strings.Count(commonText, "= gratings {") + strings.Count(commonText, "= gratings\n")
	if n := len(changes[task].([]any)); n != wantTask {
		t.Errorf("rename edits %d places in task1a, want %d", n, wantTask)
	}
	if n := len(changes[common].([]any)); n != wantCommon {
		t.Errorf("rename edits %d places in common, want %d: %s", n, wantCommon, jsonText(changes[common]))
	}
	if s := jsonText(changes); strings.Count(s, `"newText":"plain_gratings"`) != wantTask+wantCommon {
		t.Errorf("rename edits %s", s)
	}

	// formatting: a line spread out is put back as regc fmt writes it
	ol, _ := lineOf(t, task1a, "stage OPHYS_1_images_A {")
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 6},
		"contentChanges": []any{map[string]any{"range": span(ol, len("stage"), ol, len("stage")), "text": "    "}}})
	fmtRes := c.call("textDocument/formatting", map[string]any{"textDocument": doc(task), "options": map[string]any{"tabSize": 4, "insertSpaces": true}}).([]any)
	if len(fmtRes) != 1 {
		t.Fatalf("formatting %s, want one edit", jsonText(fmtRes))
	}
	formatted := fmtRes[0].(map[string]any)["newText"].(string)
	if !strings.Contains(formatted, "\nstage OPHYS_1_images_A {") || strings.Contains(formatted, "stage     OPHYS") {
		t.Errorf("formatting did not put the spread line back:\n%s", formatted)
	}
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 7},
		"contentChanges": []any{map[string]any{"text": formatted}}})
	if again := c.call("textDocument/formatting", map[string]any{"textDocument": doc(task), "options": map[string]any{"tabSize": 4, "insertSpaces": true}}).([]any); len(again) != 0 {
		t.Errorf("formatting a formatted file: %s, want no edit", jsonText(again))
	}

	// the outline
	syms := jsonText(c.call("textDocument/documentSymbol", map[string]any{"textDocument": doc(task)}))
	if !strings.Contains(syms, `"detail":"stage","kind":5,"name":"OPHYS_7_receptive_field_mapping"`) || !strings.Contains(syms, `"detail":"regimen","kind":1,"name":"VisualBehavior_Task1A"`) {
		t.Errorf("symbols %s", syms)
	}

	// a request on a half-typed file is answered, not a crash
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": task, "version": 8},
		"contentChanges": []any{map[string]any{"text": "stage X { params: gratings { reward_volume: 7"}}})
	c.call("textDocument/hover", at(task, 0, 20))
	c.call("textDocument/completion", at(task, 0, 46))

	// a script without an md5: its quick fix pins the md5 of what the url
	// serves, and the download lands in the script cache
	script := []byte("print('pinned')\n")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(script) }))
	defer srv.Close()
	os.Mkdir(filepath.Join(dir, "pin"), 0o755)
	pin := "file://" + filepath.Join(dir, "pin", "p.regimen")
	pinSrc := "regimen P version 1.0.0\n\nscript s {\n    url: \"" + srv.URL + "/s.py\"\n}\n\nfinal stage A { script: s, params: {} }\n"
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": pin, "languageId": "regimen", "version": 1, "text": pinSrc}})
	sum := fmt.Sprintf("%x", md5.Sum(script))
	pinned := jsonText(c.call("textDocument/codeAction", map[string]any{"textDocument": doc(pin), "range": span(3, 4, 3, 4), "context": map[string]any{"diagnostics": []any{}}}))
	if !strings.Contains(pinned, `"title":"pin md5 `+sum+` (as regc freeze would)"`) || !strings.Contains(pinned, `"newText":"    md5: \"`+sum+`\"\n"`) {
		t.Errorf("code actions on a script without an md5: %s, want pin md5 %s", pinned, sum)
	}
	if _, err := os.Stat(filepath.Join(cacheDir, "scripts", sum+".py")); err != nil {
		t.Errorf("the pinned script is not in the cache: %v", err)
	}

	if r := c.call("shutdown", nil); r != nil {
		t.Errorf("shutdown answered %v, want null", r)
	}
	c.notify("exit", nil)
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("regc lsp exited with %v, want 0", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("regc lsp did not exit after exit")
	}
}
