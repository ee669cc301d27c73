// Package scripts owns camstim scripts: fetching one from an http(s) URL or
// a file path (bounded in time and size, credentials never shown), checking
// it against the md5 the regimen declares, keeping verified copies in a
// cache keyed by md5 so a rig can emit offline (cache.go), giving a stage's
// script to emit's camstim writer (a *Fetcher is an emit.ScriptSource),
// pinning md5s into the source (regc freeze, freeze.go) and verifying them
// (check --verify-scripts, and the refusal of scripts no rig can fetch
// before sync upload; verify.go).
//
// It works on the compiled model (package compiler); it does not import
// emit.
package scripts
