// Package emit writes compiled regimens out. It owns the mtrain regimen
// document's shape (DocumentValue: {name, stages, transitions} built from
// the compiled model) and writes it as JSON (byte for byte what Python's
// json.dumps(doc, sort_keys=True, indent=4) prints) or as YAML (block style,
// readable, and read back to the same value by both YAML 1.1 readers such as
// PyYAML and YAML 1.2 readers such as gopkg.in/yaml.v3), and one stage's
// camstim pair (the script and the parameters file).
//
// emit fetches nothing: the camstim script's content comes from a
// ScriptSource the caller passes in (package scripts fetches, verifies and
// caches scripts; the command line wires the two together).
//
// Everything here works on the compiled model; nothing looks at the AST.
package emit
