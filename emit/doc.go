// Package emit writes compiled regimens out: the mtrain regimen document as
// JSON (byte for byte what Python's json.dumps(doc, sort_keys=True, indent=4)
// prints) or as YAML (block style, readable, and read back to the same value
// by both YAML 1.1 readers such as PyYAML and YAML 1.2 readers such as
// gopkg.in/yaml.v3).
//
// It also writes one stage's camstim pair (the script, fetched from its URL
// or path and verified against its md5, and the parameters file), keeps
// downloaded scripts in a cache keyed by md5 so a rig can emit offline, and
// pins md5s into source (regc freeze) and verifies them (check
// --verify-scripts).
//
// Everything here works on the compiled model; nothing looks at the AST.
package emit
