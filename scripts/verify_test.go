package scripts

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/legacy"
)

func TestVerifyLegacyScripts(t *testing.T) {
	srv := newScriptServer(t, 1024)
	dir := t.TempDir()
	good := MD5([]byte(goodScript))
	src := `name: X
_script: &script ` + srv.URL + `/good.py
stages:
  A:
    script: *script
    script_md5: ` + good + `
    parameters: {stage: A}
  B:
    script: *script
    script_md5: "0000000000000000000000000000000b"
    parameters: {stage: B}
  C:
    script: ` + srv.URL + `/missing.py
    parameters: {stage: C}
  D:
    script: *script
    parameters: {stage: D}
transitions:
- {trigger: progress, source: A, dest: B}
- {trigger: progress, source: B, dest: C}
- {trigger: progress, source: C, dest: D}
`
	path := filepath.Join(dir, "regimen.yml")
	os.WriteFile(path, []byte(src), 0o644)
	res := legacy.Compile(path, nil)
	if res.Regimen == nil || res.Diagnostics.HasErrors() {
		t.Fatalf("does not compile: %v", res.Diagnostics)
	}
	before := srv.hits.Load()
	ds := VerifyScripts(context.Background(), &Fetcher{}, res)
	var got []string
	for _, d := range ds {
		got = append(got, fmt.Sprintf("%d:%d %s %s: %s", d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Code, d.Message))
	}
	want := []string{
		"10:17 error script-md5: the script of stage B: " + srv.URL + "/good.py has md5 " + good + ", but the declaration says 0000000000000000000000000000000b",
		"13:13 error script-unreachable: the script of stage C: cannot fetch " + srv.URL + "/missing.py: the server answered 404 Not Found",
		"16:13 warning script-md5: the script of stage D declares no md5; what " + srv.URL + "/good.py serves has md5 " + good,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := srv.hits.Load() - before; n != 2 {
		t.Errorf("%d requests, want 2 (one per url)", n)
	}
}
