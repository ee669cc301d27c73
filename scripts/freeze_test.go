package scripts

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

const pinMD5 = "00112233445566778899aabbccddeeff"

func TestPinMD5s(t *testing.T) {
	head := "regimen T version 1.0.0\n"
	tail := "stage A { script: s, params: {} }\n"
	for _, tc := range []struct {
		name, in, want string
	}{
		{"replace",
			"script s {\n    url: \"s.py\"\n    md5: \"ffffffffffffffffffffffffffffffff\"   // pinned\n}\n",
			"script s {\n    url: \"s.py\"\n    md5: \"" + pinMD5 + "\"   // pinned\n}\n"},
		{"replace inline",
			"script s { url: \"s.py\", md5: \"0123\" }\n",
			"script s { url: \"s.py\", md5: \"" + pinMD5 + "\" }\n"},
		{"add on its own line",
			"script s {\n    url: \"s.py\"\n}\n",
			"script s {\n    url: \"s.py\"\n    md5: \"" + pinMD5 + "\"\n}\n"},
		{"add below a comment",
			"script s {\n\turl: \"s.py\" // where it lives\n\t// more\n}\n",
			"script s {\n\turl: \"s.py\" // where it lives\n\tmd5: \"" + pinMD5 + "\"\n\t// more\n}\n"},
		{"add with commas",
			"script s {\n  url: \"s.py\",\n}\n",
			"script s {\n  url: \"s.py\",\n  md5: \"" + pinMD5 + "\",\n}\n"},
		{"add inline",
			"script s { url: \"s.py\" }\n",
			"script s { url: \"s.py\", md5: \"" + pinMD5 + "\" }\n"},
		{"add on the brace's line",
			"script s { url: \"s.py\"\n}\n",
			"script s { url: \"s.py\"\n    md5: \"" + pinMD5 + "\"\n}\n"},
		{"add with crlf",
			"script s {\r\n    url: \"s.py\"\r\n}\r\n",
			"script s {\r\n    url: \"s.py\"\r\n    md5: \"" + pinMD5 + "\"\r\n}\r\n"},
		{"escaped quote in url",
			"script s {\n    url: \"s\\\"x.py\"\n}\n",
			"script s {\n    url: \"s\\\"x.py\"\n    md5: \"" + pinMD5 + "\"\n}\n"},
		{"unchanged",
			"script s { url: \"s.py\", md5: \"" + pinMD5 + "\" }\n",
			"script s { url: \"s.py\", md5: \"" + pinMD5 + "\" }\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(head + tc.in + tail)
			res := compiler.CompileSource("t.regimen", src, nil)
			if res.Regimen == nil || len(res.Regimen.Scripts) != 1 {
				t.Fatalf("does not compile: %v", res.Diagnostics)
			}
			got, err := PinMD5s(src, []Pin{{res.Regimen.Scripts[0], pinMD5}})
			if err != nil {
				t.Fatal(err)
			}
			if want := head + tc.want + tail; string(got) != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			after := compiler.CompileSource("t.regimen", got, nil)
			if after.Diagnostics.HasErrors() || after.Regimen.Scripts[0].MD5 != pinMD5 {
				t.Errorf("the result does not compile to the md5: %v", after.Diagnostics)
			}
		})
	}
}

func TestPinMD5sTwoScripts(t *testing.T) {
	src := []byte("regimen T version 1.0.0\nscript a { url: \"a.py\" }\nscript b {\n    url: \"b.py\"\n    md5: \"ffffffffffffffffffffffffffffffff\"\n}\nstage A { script: a, params: {} }\nstage B { script: b, params: {} }\nprogress A -> B\n")
	res := compiler.CompileSource("t.regimen", src, nil)
	var pins []Pin
	for _, s := range res.Regimen.Scripts {
		pins = append(pins, Pin{s, pinMD5})
	}
	got, err := PinMD5s(src, pins)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(strings.Replace(string(src), `"a.py"`, `"a.py", md5: "`+pinMD5+`"`, 1), "ffffffffffffffffffffffffffffffff", pinMD5, 1)
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := PinMD5s(src, []Pin{{res.Regimen.Scripts[0], "XYZ"}}); err == nil {
		t.Error("a malformed md5 was written")
	}
}

func TestFreezeAndVerify(t *testing.T) {
	srv := newScriptServer(t, 1024)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "local.py"), []byte("local"), 0o644)
	good := MD5([]byte(goodScript))
	src := `regimen T version 1.0.0
script right { url: "` + srv.URL + `/good.py", md5: "` + good + `" }
script wrong { url: "` + srv.URL + `/moved.py", md5: "ffffffffffffffffffffffffffffffff" }
script none {
    url: "local.py"
}
script bad { url: "` + srv.URL + `/good.py", md5: "short" }
stage A { script: right, params: {} }
stage B { script: wrong, params: {} }
stage C { script: none, params: {} }
final stage D { script: bad, params: {} }
progress A -> B
progress B -> C
progress C -> D
`
	path := filepath.Join(dir, "t.regimen")
	os.WriteFile(path, []byte(src), 0o644)
	res := compiler.Compile(path, nil)
	// a malformed md5 is a warning (legacy files hold placeholders such as
	// NotImplemented); the script then cannot be verified
	if n, w := res.Diagnostics.Count(lang.Error), res.Diagnostics.Count(lang.Warning); n != 0 || w != 1 {
		t.Fatalf("want the one malformed-md5 warning, got %v", res.Diagnostics)
	}

	// verify
	f := &Fetcher{CacheDir: filepath.Join(dir, "cache")}
	ds := VerifyScripts(context.Background(), f, res)
	var got []string
	for _, d := range ds {
		got = append(got, d.Range.String()+" "+d.Severity.String()+" "+d.Code)
	}
	lines := strings.Split(src, "\n")
	want := []string{
		path + ":3:" + itoa(strings.Index(lines[2], `"ffff`)+1) + " error script-md5", // at the md5
		path + ":4:8 warning script-md5",                                              // at the script's name
		path + ":7:" + itoa(strings.Index(lines[6], `"short`)+1) + " error script-md5",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s\n%v", strings.Join(got, "\n"), strings.Join(want, "\n"), ds)
	}
	if ds[0].Range.End.Column-ds[0].Range.Start.Column != 34 {
		t.Errorf("the md5's range is %v", ds[0].Range)
	}
	if _, err := os.Stat(filepath.Join(f.CacheDir, good+".py")); err != nil {
		t.Errorf("the verified script was not cached: %v", err)
	}

	// freeze
	results, sources, err := Freeze(context.Background(), &Fetcher{}, res)
	if err != nil {
		t.Fatal(err)
	}
	var changes []string
	for _, r := range results {
		changes = append(changes, r.Script.Name+" "+r.Old+" "+r.New)
	}
	wantChanges := []string{
		"right " + good + " " + good,
		"wrong ffffffffffffffffffffffffffffffff " + good,
		"none  " + MD5([]byte("local")),
		"bad short " + good,
	}
	if strings.Join(changes, "\n") != strings.Join(wantChanges, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(changes, "\n"), strings.Join(wantChanges, "\n"))
	}
	if len(sources) != 1 || sources[0].Path != path {
		t.Fatalf("sources: %v", sources)
	}
	wantSrc := strings.NewReplacer(
		"ffffffffffffffffffffffffffffffff", good,
		`"short"`, `"`+good+`"`,
		"url: \"local.py\"\n", "url: \"local.py\"\n    md5: \""+MD5([]byte("local"))+"\"\n",
	).Replace(src)
	if string(sources[0].Text) != wantSrc {
		t.Errorf("got\n%s\nwant\n%s", sources[0].Text, wantSrc)
	}

	// an unreachable script: verify reports it at the url, freeze stops
	src2 := strings.Replace(src, "/moved.py", "/missing.py", 1)
	os.WriteFile(path, []byte(src2), 0o644)
	res = compiler.Compile(path, nil)
	ds = VerifyScripts(context.Background(), &Fetcher{}, res)
	if len(ds) == 0 || ds[0].Code != lang.CodeScriptUnreachable || !strings.Contains(ds[0].Message, "404") || ds[0].Range.Start.Line != 3 {
		t.Errorf("got %v", ds)
	}
	if _, _, err := Freeze(context.Background(), &Fetcher{}, res); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("freeze: %v", err)
	}

	// other errors stop freeze
	os.WriteFile(path, []byte(src+"progress A -> Nowhere\n"), 0o644)
	res = compiler.Compile(path, nil)
	if _, _, err := Freeze(context.Background(), &Fetcher{}, res); err == nil || !strings.Contains(err.Error(), "errors other than malformed md5s") {
		t.Errorf("freeze: %v", err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// Pinning any regimen that compiles gives a text that compiles to the same
// diagnostics with every script at its new md5.
func FuzzPinMD5s(f *testing.F) {
	for _, seed := range []string{
		"regimen T version 1.0.0\nscript s { url: \"s.py\" }\nstage A { script: s, params: {} }\n",
		"regimen T version 1.0.0\nscript s {\n    url: \"s.py\", // c\n}\nstage A { script: s, params: {} }\n",
		"regimen T version 1.0.0\nscript s {\r\n\turl: \"s\\\"\\u00e9.py\"\r\n\tmd5: \"ffffffffffffffffffffffffffffffff\"\r\n}\r\nstage A { script: s, params: {} }\r\n",
		"regimen T version 1.0.0\nlet u = \"s.py\"\nscript s { url: u, md5: \"0\" }\nstage A { script: s, params: {} }\n",
		"regimen T version 1.0.0\nscript s { md5: \"ffffffffffffffffffffffffffffffff\" url: \"s.py\"\n}\nstage A { script: s, params: {} }",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		res := compiler.CompileSource("t.regimen", []byte(src), nil)
		if res.Regimen == nil || len(res.Regimen.Scripts) == 0 || blockingErrors(res, res.Regimen.Scripts) > 0 {
			return
		}
		var pins []Pin
		for _, s := range uniqueScripts(res.Regimen) {
			if s.Range.File != "t.regimen" {
				return
			}
			pins = append(pins, Pin{s, pinMD5})
		}
		out, err := PinMD5s([]byte(src), pins)
		if err != nil {
			return // refusing is fine; writing a wrong text is not
		}
		after := compiler.CompileSource("t.regimen", out, nil)
		if after.Regimen == nil {
			t.Fatalf("the pinned text does not compile:\n%s\n%v", out, after.Diagnostics)
		}
		for _, s := range after.Regimen.Scripts {
			if s.MD5 != pinMD5 {
				t.Fatalf("script %s has md5 %q after pinning:\n%s", s.Name, s.MD5, out)
			}
		}
		if a, b := after.Diagnostics.Count(lang.Error), res.Diagnostics.Count(lang.Error); a > b {
			t.Fatalf("%d errors after pinning, %d before:\n%s\n%v", a, b, out, after.Diagnostics)
		}
	})
}
