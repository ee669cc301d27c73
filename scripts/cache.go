package scripts

// The script cache: verified scripts, one file per md5, written atomically.

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/regc/regc/internal/atomicfile"
	"github.com/regc/regc/internal/lazyre"
)

// CacheDirEnv names the environment variable that moves regc's cache (by
// default <user cache dir>/regc); scripts are kept in its scripts folder.
const CacheDirEnv = "REGC_CACHE_DIR"

// ScriptCacheDir returns the folder that holds cached scripts:
// $REGC_CACHE_DIR/scripts when getenv gives that variable, else
// regc/scripts under os.UserCacheDir. It fails only when there is no user
// cache directory (no home folder).
func ScriptCacheDir(getenv func(string) string) (string, error) {
	if d := getenv(CacheDirEnv); d != "" {
		return filepath.Join(d, "scripts"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for scripts (set %s): %w", CacheDirEnv, err)
	}
	return filepath.Join(d, "regc", "scripts"), nil
}

var md5Hex = lazyre.New(`^[0-9a-f]{32}$`)

// cachePath returns where the script with md5 sum lives in the cache, or ""
// when there is no cache or sum is not an md5.
func (f *Fetcher) cachePath(sum string) string {
	if f.CacheDir == "" || !md5Hex.Re().MatchString(sum) {
		return ""
	}
	return filepath.Join(f.CacheDir, sum+".py")
}

func (f *Fetcher) cacheDisplay() string {
	if f.CacheDir == "" {
		return "(no cache folder)"
	}
	return f.CacheDir
}

// cached returns the cached script with md5 sum. A cached file whose
// content does not have that md5 (a damaged cache) is ignored.
func (f *Fetcher) cached(sum string) (*Fetched, bool) {
	path := f.cachePath(sum)
	if path == "" {
		return nil, false
	}
	body, err := f.readFile(path)
	if err != nil || MD5(body) != sum {
		return nil, false
	}
	return &Fetched{Body: body, MD5: sum, Source: path, Cached: true}, true
}

// Store puts body in the cache as the script with md5 sum, atomically. It
// refuses a body whose md5 is not sum, and does nothing without a cache.
func (f *Fetcher) Store(sum string, body []byte) error {
	path := f.cachePath(sum)
	if path == "" {
		return nil
	}
	if got := MD5(body); got != sum {
		return fmt.Errorf("not caching a script as md5 %s: its md5 is %s", sum, got)
	}
	if err := os.MkdirAll(f.CacheDir, 0o755); err != nil {
		return fmt.Errorf("cannot create the script cache %s: %w", f.CacheDir, atomicfile.Unwrap(err))
	}
	return atomicfile.Write(path, body)
}
