package emit

import (
	"errors"
	"fmt"

	"github.com/regc/regc/compiler"
)

// Document returns the mtrain regimen document of r ({name, stages,
// transitions}) in format "json" (see JSON) or "yaml" (see YAML), ending in
// a newline.
func Document(r *compiler.Regimen, format string) ([]byte, error) {
	if r == nil {
		return nil, errors.New("no regimen to write")
	}
	switch format {
	case "json":
		return append(JSON(r.Document()), '\n'), nil
	case "yaml":
		return YAML(r.Document()), nil
	}
	return nil, fmt.Errorf("unknown format %q (want json or yaml)", format)
}
