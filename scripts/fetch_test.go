package scripts

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/regc/regc/compiler"
)

const goodScript = "# a camstim script\nprint('hello')\n"

// scriptServer serves camstim scripts on 127.0.0.1 for the tests:
//
//	/good.py      the good script
//	/missing.py   404
//	/hang.py      no answer until the client gives up
//	/moved.py     a redirect to /good.py
//	/loop.py      a redirect to itself
//	/big.py       a script of size+1 bytes, streamed without a length
//	/biglen.py    the same with its Content-Length
//
// hits counts the requests.
type scriptServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newScriptServer(t *testing.T, size int) *scriptServer {
	t.Helper()
	s := &scriptServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/good.py", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, goodScript) })
	mux.HandleFunc("/hang.py", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/moved.py", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/good.py", http.StatusFound) })
	mux.HandleFunc("/loop.py", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop.py", http.StatusFound) })
	mux.HandleFunc("/big.py", func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush() // no Content-Length: the body is streamed
		w.Write([]byte(strings.Repeat("#", size+1)))
	})
	mux.HandleFunc("/biglen.py", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(size+1))
		w.Write([]byte(strings.Repeat("#", size+1)))
	})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func TestFetch(t *testing.T) {
	srv := newScriptServer(t, 1024)
	good := MD5([]byte(goodScript))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "local.py"), []byte(goodScript), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, url, md5 string
		wantErr        string // a substring of the error, or "" for success
	}{
		{"good", srv.URL + "/good.py", good, ""},
		{"good in capitals", srv.URL + "/good.py", strings.ToUpper(good), ""},
		{"no md5", srv.URL + "/good.py", "", ""},
		{"wrong md5", srv.URL + "/good.py", "0123456789abcdef0123456789abcdef", "has md5 " + good + ", but the regimen declares 0123456789abcdef0123456789abcdef"},
		{"404", srv.URL + "/missing.py", good, "the server answered 404 Not Found"},
		{"hang", srv.URL + "/hang.py", good, "no answer within 300ms"},
		{"redirect", srv.URL + "/moved.py", good, ""},
		{"redirect loop", srv.URL + "/loop.py", good, "more than 5 redirects"},
		{"too big, streamed", srv.URL + "/big.py", good, "larger than the limit of 1024 bytes"},
		{"too big, with length", srv.URL + "/biglen.py", good, "it is 1025 bytes, larger than the limit of 1024 bytes"},
		{"refused", "http://127.0.0.1:1/x.py", good, "cannot fetch http://127.0.0.1:1/x.py"},
		{"local file", "local.py", good, ""},
		{"local file missing", "nope.py", good, "cannot read " + filepath.Join(dir, "nope.py")},
		{"local folder", ".", good, "it is a folder"},
		{"other scheme", "ftp://example.org/x.py", good, `unsupported URL scheme "ftp"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// a short timeout only where the server hangs on purpose; the
			// others get one no loaded machine comes near
			timeout := 10 * time.Second
			if tc.name == "hang" {
				timeout = 300 * time.Millisecond
			}
			f := &Fetcher{Timeout: timeout, MaxSize: 1024}
			got, err := f.Fetch(context.Background(), &compiler.Script{Name: "s", URL: tc.url, MD5: tc.md5}, dir)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if string(got.Body) != goodScript || got.MD5 != good {
					t.Errorf("got %q (md5 %s)", got.Body, got.MD5)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
			if !strings.HasPrefix(err.Error(), "script s") {
				t.Errorf("error %q does not name the script", err)
			}
		})
	}
}

func TestFetchWrongMD5IsMD5Error(t *testing.T) {
	srv := newScriptServer(t, 1024)
	f := &Fetcher{CacheDir: t.TempDir()}
	_, err := f.Fetch(context.Background(), &compiler.Script{Name: "s", URL: srv.URL + "/good.py", MD5: "0123456789abcdef0123456789abcdef"}, ".")
	var me *MD5Error
	if !errors.As(err, &me) || me.Got != MD5([]byte(goodScript)) || me.Want != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("got %v, want an *MD5Error naming both hashes", err)
	}
	if entries, _ := os.ReadDir(f.CacheDir); len(entries) != 0 {
		t.Errorf("a script with the wrong md5 was cached: %v", entries)
	}
}

func TestFetchCache(t *testing.T) {
	srv := newScriptServer(t, 1024)
	good := MD5([]byte(goodScript))
	s := &compiler.Script{Name: "s", URL: srv.URL + "/good.py", MD5: good}
	cache := filepath.Join(t.TempDir(), "scripts")
	ctx := context.Background()

	// offline, nothing cached: an error, and no request
	_, err := (&Fetcher{CacheDir: cache, Offline: true}).Fetch(ctx, s, ".")
	if !errors.Is(err, ErrNotCached) || !strings.Contains(err.Error(), "md5 "+good) {
		t.Fatalf("offline without a cached copy: got %v", err)
	}
	if n := srv.hits.Load(); n != 0 {
		t.Fatalf("offline fetch made %d requests", n)
	}

	// online: downloaded and cached
	got, err := (&Fetcher{CacheDir: cache}).Fetch(ctx, s, ".")
	if err != nil || got.Cached || got.CacheErr != nil {
		t.Fatalf("online fetch: %+v, %v", got, err)
	}
	b, err := os.ReadFile(filepath.Join(cache, good+".py"))
	if err != nil || string(b) != goodScript {
		t.Fatalf("cache file: %q, %v", b, err)
	}

	// offline again: from the cache, no request
	got, err = (&Fetcher{CacheDir: cache, Offline: true}).Fetch(ctx, s, ".")
	if err != nil || !got.Cached || string(got.Body) != goodScript {
		t.Fatalf("offline with a cached copy: %+v, %v", got, err)
	}
	// online with a cached copy: from the cache too
	if _, err := (&Fetcher{CacheDir: cache}).Fetch(ctx, s, "."); err != nil {
		t.Fatal(err)
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}

	// a damaged cached copy is not used
	if err := os.WriteFile(filepath.Join(cache, good+".py"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Fetcher{CacheDir: cache, Offline: true}).Fetch(ctx, s, "."); !errors.Is(err, ErrNotCached) {
		t.Errorf("a damaged cache was used: %v", err)
	}
	got, err = (&Fetcher{CacheDir: cache}).Fetch(ctx, s, ".")
	if err != nil || got.Cached {
		t.Fatalf("after damage: %+v, %v", got, err)
	}
	if b, _ := os.ReadFile(filepath.Join(cache, good+".py")); string(b) != goodScript {
		t.Errorf("the damaged cache was not repaired: %q", b)
	}
	// no temporary files left behind
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Errorf("cache holds %d files, want 1", len(entries))
	}

	// a script without an md5 cannot come from the cache
	_, err = (&Fetcher{CacheDir: cache, Offline: true}).Fetch(ctx, &compiler.Script{Name: "s", URL: s.URL}, ".")
	if !errors.Is(err, ErrNotCached) || !strings.Contains(err.Error(), "declares no md5") {
		t.Errorf("offline without an md5: %v", err)
	}
}

func TestFetchOfflineReadsLocalFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "s.py"), []byte(goodScript), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := (&Fetcher{Offline: true}).Fetch(context.Background(), &compiler.Script{Name: "s", URL: "s.py", MD5: MD5([]byte(goodScript))}, dir)
	if err != nil || string(got.Body) != goodScript {
		t.Fatalf("%+v, %v", got, err)
	}
}

func TestFetchHidesCredentials(t *testing.T) {
	srv := newScriptServer(t, 1024)
	u := strings.Replace(srv.URL, "http://", "http://alice:s3cret@", 1)
	for _, path := range []string{"/missing.py", "/hang.py", "/loop.py"} {
		f := &Fetcher{Timeout: 200 * time.Millisecond}
		_, err := f.Fetch(context.Background(), &compiler.Script{Name: "s", URL: u + path}, ".")
		if err == nil {
			t.Fatalf("%s: no error", path)
		}
		if strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "alice") {
			t.Errorf("%s: error shows the credentials: %v", path, err)
		}
		if !strings.Contains(err.Error(), srv.URL+path) {
			t.Errorf("%s: error does not name the URL: %v", path, err)
		}
	}
	_, err := (&Fetcher{Offline: true}).Fetch(context.Background(), &compiler.Script{Name: "s", URL: u + "/good.py", MD5: MD5(nil)}, ".")
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("offline error: %v", err)
	}
}

func TestDisplayURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"http://example.org/a.py", "http://example.org/a.py"},
		{"https://user:pw@example.org/a.py?at=1", "https://example.org/a.py?at=1"},
		{"http://user@example.org", "http://example.org"},
		{"http://example.org/a@b.py", "http://example.org/a@b.py"},
		{"http://u:p@h?x=a@b", "http://h?x=a@b"},
		{"scripts/a.py", "scripts/a.py"},
	} {
		if got := DisplayURL(tc.in); got != tc.want {
			t.Errorf("DisplayURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestScriptCacheDir(t *testing.T) {
	got, err := ScriptCacheDir(func(k string) string {
		if k == CacheDirEnv {
			return "/tmp/x"
		}
		return ""
	})
	if err != nil || got != filepath.Join("/tmp/x", "scripts") {
		t.Errorf("got %q, %v", got, err)
	}
	if d, err := os.UserCacheDir(); err == nil {
		got, err := ScriptCacheDir(func(string) string { return "" })
		if err != nil || got != filepath.Join(d, "regc", "scripts") {
			t.Errorf("got %q, %v", got, err)
		}
	}
}

func TestStoreRefusesWrongMD5(t *testing.T) {
	f := &Fetcher{CacheDir: t.TempDir()}
	if err := f.Store(MD5([]byte("a")), []byte("b")); err == nil {
		t.Error("stored a body under another md5")
	}
	if err := f.Store("../../etc/passwd", []byte("b")); err != nil {
		t.Errorf("a malformed md5 should be ignored, got %v", err)
	}
	if entries, _ := os.ReadDir(f.CacheDir); len(entries) != 0 {
		t.Errorf("cache holds %v", entries)
	}
}

// A password holding / ? or # is removed too (it used to be printed, the
// authority ending at the first of them).
func TestDisplayURLPasswordWithDelimiters(t *testing.T) {
	for _, in := range []string{"http://u:p/w1@stash/a.py", "https://u:p?w1@stash/a.py", "http://u:p#w1@stash/a.py?at=1"} {
		if got := DisplayURL(in); strings.Contains(got, "w1") || !strings.Contains(got, "stash/a.py") {
			t.Errorf("DisplayURL(%q) = %q", in, got)
		}
	}
}
