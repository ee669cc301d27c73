package scripts

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
)

// compileStageScript compiles a regimen whose stage A uses script s at
// s.py (holding goodScript), s declaring md5 when it is not "".
func compileStageScript(t *testing.T, md5 string) *compiler.Regimen {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.py"), []byte(goodScript), 0o644); err != nil {
		t.Fatal(err)
	}
	decl := `script s { url: "s.py" }`
	if md5 != "" {
		decl = `script s { url: "s.py", md5: "` + md5 + `" }`
	}
	path := filepath.Join(dir, "tiny.regimen")
	src := "regimen Tiny version 1.0.0\n" + decl + "\nstage A { script: s, params: { x: 1 } }\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := compiler.Compile(path, nil)
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics)
	}
	return res.Regimen
}

func TestStageScript(t *testing.T) {
	reg := compileStageScript(t, MD5([]byte(goodScript)))
	body, warnings, err := (&Fetcher{}).StageScript(context.Background(), reg, reg.Stage("A"))
	if err != nil || string(body) != goodScript || len(warnings) != 0 {
		t.Errorf("got %q, %v, %v", body, warnings, err)
	}

	// a wrong md5 stops it
	reg = compileStageScript(t, "00112233445566778899aabbccddeeff")
	if _, _, err := (&Fetcher{}).StageScript(context.Background(), reg, reg.Stage("A")); err == nil || !strings.Contains(err.Error(), "but the regimen declares") {
		t.Errorf("wrong md5: %v", err)
	}

	// a script without a url (a legacy stage's may have none)
	noURL := &compiler.Stage{Name: "B", Script: &compiler.Script{}}
	if _, _, err := (&Fetcher{}).StageScript(context.Background(), reg, noURL); err == nil || err.Error() != "the stage's script of stage B has no url" {
		t.Errorf("no url: %v", err)
	}
}

func TestStageScriptWithoutMD5Warns(t *testing.T) {
	reg := compileStageScript(t, "")
	_, warnings, err := (&Fetcher{}).StageScript(context.Background(), reg, reg.Stage("A"))
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "declares no md5") || !strings.Contains(warnings[0], MD5([]byte(goodScript))) {
		t.Errorf("got %v, %v", warnings, err)
	}
}
