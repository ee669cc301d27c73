package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoginName: the login name comes from the environment as Python's
// getpass.getuser() reads it, then from the password file by uid, and a
// hostile or broken password file yields no name rather than a wrong one.
func TestLoginName(t *testing.T) {
	dir := t.TempDir()
	passwd := filepath.Join(dir, "passwd")
	if err := os.WriteFile(passwd, []byte("root:x:0:0:root:/root:/bin/sh\n# comment:x:1000:1000\nalice:x:1000:1000:Alice:/home/alice:/bin/sh\nbob:x:10000:10000::/home/bob:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		name   string
		env    map[string]string
		uid    int
		passwd string
		want   string
	}{
		{"LOGNAME first", map[string]string{"LOGNAME": "l", "USER": "u", "USERNAME": "w"}, 1000, passwd, "l"},
		{"USER next", map[string]string{"USER": "u", "USERNAME": "w"}, 1000, passwd, "u"},
		{"LNAME", map[string]string{"LNAME": "n", "USERNAME": "w"}, 1000, passwd, "n"},
		{"USERNAME", map[string]string{"USERNAME": "w"}, 1000, passwd, "w"},
		{"password file by uid", nil, 1000, passwd, "alice"},
		{"uid is matched whole", nil, 10000, passwd, "bob"},
		{"root", nil, 0, passwd, "root"},
		{"no entry", nil, 4242, passwd, ""},
		{"no uids", nil, -1, passwd, ""},
		{"no password file", nil, 1000, filepath.Join(dir, "absent"), ""},
	} {
		if got := loginName(env(c.env), c.uid, c.passwd); got != c.want {
			t.Errorf("%s: loginName = %q, want %q", c.name, got, c.want)
		}
	}
	for _, c := range []struct {
		name, file string
		want       string
	}{
		{"empty", "", ""},
		{"short lines", "a:b\n:x:7:7\n\n", ""},
		{"binary", "\x00\xff:\x00:7:\n", ""},
		{"a line past the scanner's limit ends the search", strings.Repeat("x", 1<<17) + "\nalice:x:7:7::/:/bin/sh\n", ""},
		{"first entry wins", "carol:x:7:7\ndave:x:7:7\n", "carol"},
	} {
		if got := passwdName(strings.NewReader(c.file), 7); got != c.want {
			t.Errorf("%s: passwdName = %q, want %q", c.name, got, c.want)
		}
	}
}
