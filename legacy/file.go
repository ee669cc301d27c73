package legacy

import (
	"path/filepath"
	"strings"

	"github.com/regc/regc/compiler"
)

// IsYAML reports whether path names a legacy regimen.yml: its extension is
// .yml or .yaml, in any case.
func IsYAML(path string) bool {
	ext := strings.ToLower(filepath.Ext(path))
	return ext == ".yml" || ext == ".yaml"
}

// CompileFile compiles one regimen file with the front end its kind asks
// for: a legacy regimen.yml (IsYAML) through the legacy build, any other
// file as .regimen source. opts nil reads the files from disk.
func CompileFile(path string, opts *compiler.Options) *compiler.Result {
	if IsYAML(path) {
		return Compile(path, opts)
	}
	return compiler.Compile(path, opts)
}
