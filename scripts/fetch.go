package scripts

// Fetching camstim scripts: from an http(s) URL or a file path relative to
// the file that declares the script, checked against the md5 the regimen
// declares, and kept in a cache addressed by that md5 so that a rig can
// emit offline after one fetch.

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/internal/safetext"
)

// Limits of a download, used when a Fetcher leaves its own at zero.
const (
	// DefaultTimeout bounds a whole download: connecting, the response
	// headers and the body.
	DefaultTimeout = 60 * time.Second
	// ConnectTimeout bounds opening the connection (and the TLS handshake).
	ConnectTimeout = 10 * time.Second
	// DefaultMaxSize is the largest script accepted, in bytes.
	DefaultMaxSize = 16 << 20
	// MaxRedirects is how many redirects a download follows.
	MaxRedirects = 5
)

// ErrNotCached is returned (wrapped) by Fetch when the network may not be
// used and the cache holds no copy of the script.
var ErrNotCached = errors.New("not in the script cache")

// Fetcher fetches camstim scripts. The zero value is usable: it has the
// default limits, no cache, and may use the network.
type Fetcher struct {
	// CacheDir holds verified scripts as <md5>.py; "" means no cache.
	CacheDir string
	// Offline forbids the network: scripts at http(s) URLs come from the
	// cache only. Local files are still read.
	Offline bool
	// Timeout bounds one download; 0 means DefaultTimeout. The connection
	// must open within ConnectTimeout (or Timeout, if shorter).
	Timeout time.Duration
	// MaxSize is the largest script accepted, in bytes; 0 means
	// DefaultMaxSize.
	MaxSize int64
	// Transport carries the requests; nil means a transport with the
	// timeouts above that honours the proxy environment variables.
	Transport http.RoundTripper
}

// Fetched is a script as fetched.
type Fetched struct {
	Body []byte
	MD5  string // of Body, in lowercase hex
	// Source says where Body came from: the URL (without any user name or
	// password), the file's path, or the cache file's path.
	Source string
	// Cached is true when Body was read from the cache.
	Cached bool
	// CacheErr is set when a verified download could not be stored in the
	// cache; the script itself is fine.
	CacheErr error
}

// MD5Error says that a script's content does not have the md5 its
// declaration gives.
type MD5Error struct {
	Script string // the script's name ("" for a legacy file's script)
	Source string // where it was fetched from
	Want   string // the md5 declared
	Got    string // the md5 of what was fetched
}

func (e *MD5Error) Error() string {
	return fmt.Sprintf("%s from %s has md5 %s, but the regimen declares %s", scriptLabel(e.Script), e.Source, e.Got, e.Want)
}

// scriptLabel names a script in messages. A legacy file's scripts have no
// names: each belongs to one stage.
func scriptLabel(name string) string {
	if name == "" {
		return "the stage's script"
	}
	return "script " + name
}

// MD5 returns the md5 of b in lowercase hex.
func MD5(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// IsURL reports whether a script's location is an http(s) URL rather than a
// file path.
func IsURL(loc string) bool {
	l := strings.ToLower(loc)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// ScriptDir returns the folder a script's relative path is resolved
// against: that of the file declaring the script, else that of the
// regimen's file.
func ScriptDir(s *compiler.Script, reg *compiler.Regimen) string {
	if s.Range.File != "" {
		return filepath.Dir(s.Range.File)
	}
	if reg != nil && reg.File != "" {
		return filepath.Dir(reg.File)
	}
	return "."
}

// Fetch returns the content of script s, verified against its declared md5
// (when it declares one). A script at an http(s) URL is read from the cache
// when a verified copy is there, and otherwise downloaded (never when
// f.Offline) and, once its md5 matched, stored in the cache. A script at a
// file path is read relative to dir. Every error names the script and where
// it was looked for; a wrong md5 is an *MD5Error.
func (f *Fetcher) Fetch(ctx context.Context, s *compiler.Script, dir string) (*Fetched, error) {
	want := strings.ToLower(s.MD5)
	remote := IsURL(s.URL)
	if remote && want != "" {
		if got, ok := f.cached(want); ok {
			return got, nil
		}
	}
	if remote && f.Offline {
		if want == "" {
			return nil, fmt.Errorf("%s (%s) declares no md5, so it cannot come from the cache, and the network may not be used: %w",
				scriptLabel(s.Name), DisplayURL(s.URL), ErrNotCached)
		}
		return nil, fmt.Errorf("%s (%s, md5 %s) is not in the cache %s and the network may not be used: %w",
			scriptLabel(s.Name), DisplayURL(s.URL), want, f.cacheDisplay(), ErrNotCached)
	}
	got, err := f.Get(ctx, s.URL, dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", scriptLabel(s.Name), err)
	}
	if want != "" && got.MD5 != want {
		return nil, &MD5Error{Script: s.Name, Source: got.Source, Want: want, Got: got.MD5}
	}
	if remote && want != "" {
		got.CacheErr = f.Store(want, got.Body)
	}
	return got, nil
}

// Get fetches the script at loc (an http(s) URL, or a file path relative to
// dir) without looking at the cache or checking an md5. When f.Offline is
// set, a URL is refused with an error wrapping ErrNotCached.
func (f *Fetcher) Get(ctx context.Context, loc, dir string) (*Fetched, error) {
	if IsURL(loc) {
		if f.Offline {
			return nil, fmt.Errorf("%s: the network may not be used: %w", DisplayURL(loc), ErrNotCached)
		}
		return f.download(ctx, loc)
	}
	if i := strings.Index(loc, "://"); i > 0 && !strings.ContainsAny(loc[:i], `/\.`) {
		return nil, fmt.Errorf("%s: unsupported URL scheme %q (use http, https or a file path)", DisplayURL(loc), loc[:i])
	}
	path := loc
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	body, err := f.readFile(path)
	if err != nil {
		return nil, err
	}
	return &Fetched{Body: body, MD5: MD5(body), Source: path}, nil
}

func (f *Fetcher) readFile(path string) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, atomicfile.Unwrap(err))
	}
	defer file.Close()
	if st, err := file.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("cannot read %s: it is a folder", path)
	}
	body, err := io.ReadAll(io.LimitReader(file, f.maxSize()+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, atomicfile.Unwrap(err))
	}
	if int64(len(body)) > f.maxSize() {
		return nil, fmt.Errorf("%s is larger than the limit of %d bytes", path, f.maxSize())
	}
	return body, nil
}

func (f *Fetcher) timeout() time.Duration {
	if f.Timeout > 0 {
		return f.Timeout
	}
	return DefaultTimeout
}

func (f *Fetcher) maxSize() int64 {
	if f.MaxSize > 0 {
		return f.MaxSize
	}
	return DefaultMaxSize
}

func (f *Fetcher) client() *http.Client {
	tr := f.Transport
	if tr == nil {
		connect := min(ConnectTimeout, f.timeout())
		tr = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   connect,
			ResponseHeaderTimeout: f.timeout(),
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          4,
			IdleConnTimeout:       30 * time.Second,
		}
	}
	return &http.Client{
		Transport: tr,
		Timeout:   f.timeout(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("more than %d redirects", MaxRedirects)
			}
			if s := req.URL.Scheme; s != "http" && s != "https" {
				return fmt.Errorf("redirected to an unsupported %q URL", s)
			}
			return nil
		},
	}
}

// download GETs an http(s) URL within the fetcher's limits.
func (f *Fetcher) download(ctx context.Context, rawURL string) (*Fetched, error) {
	shown := DisplayURL(rawURL)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid URL", shown)
	}
	req.Header.Set("User-Agent", "regc")
	resp, err := f.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("cannot fetch %s: %s", shown, f.describe(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("cannot fetch %s: the server answered %s", shown, resp.Status)
	}
	if resp.ContentLength > f.maxSize() {
		return nil, fmt.Errorf("cannot fetch %s: it is %d bytes, larger than the limit of %d bytes", shown, resp.ContentLength, f.maxSize())
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxSize()+1))
	if err != nil {
		return nil, fmt.Errorf("cannot fetch %s: %s", shown, f.describe(err))
	}
	if int64(len(body)) > f.maxSize() {
		return nil, fmt.Errorf("cannot fetch %s: it is larger than the limit of %d bytes", shown, f.maxSize())
	}
	return &Fetched{Body: body, MD5: MD5(body), Source: shown}, nil
}

// describe words a transport error without repeating the URL (which
// net/http would print with its user name).
func (f *Fetcher) describe(err error) string {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Op == "dial" && f.Transport == nil {
			return fmt.Sprintf("could not connect within %v", min(ConnectTimeout, f.timeout()))
		}
		return fmt.Sprintf("no answer within %v", f.timeout())
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// DisplayURL returns loc with any user name and password removed, for
// messages.
func DisplayURL(loc string) string { return safetext.WithoutUserinfo(loc) }
