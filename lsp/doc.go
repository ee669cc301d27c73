// Package lsp is regc's language server: it answers an editor's requests
// about .regimen files (and, for diagnostics and hover, legacy regimen.yml
// files) over the Language Server Protocol, from what the compiler finds.
//
// The server reads one message at a time and answers it before the next,
// so an answer always sees every edit sent before its request. Edits are
// applied at once; diagnostics follow after a short pause without edits
// (Options.Debounce). Every request is answered even when the file is
// half-typed: a panic while answering is recovered into an error response.
// The one answer that may wait on the network is the "pin md5" quick fix,
// asked for on a script declaration without an md5: it fetches the script
// once, within 10 s (pin.go).
package lsp
