// Package mtrain owns what regc knows about the mtrain training service's
// wire and its client. The wire types (wire.go: State, WireStage,
// WireRegimen, FlexInt, ParseCriteria; document.go: the regimen document a
// client uploads, ParseDocument, Document) are shared on purpose: the client
// reads them and the server in package mtrain/sandbox writes them, so the
// two agree by construction. The client (client.go, api.go, auth.go) speaks
// the HTTP API: confirmed login, paged reads with q filters, JSON bodies on
// GET, both write body styles the real server accepts, clear errors for
// HTML or otherwise non-JSON answers, timeouts, and retries only where a
// repeat is harmless. The wire contract is ../shared/mtrain-api.md.
//
// This package holds no server: mtrain/sandbox is the mtrain-compatible
// server, mtrain/migrate plans and applies migrations, mtrain/faults injects
// faults, and mtrain/mtraintest and mtrain/sandbox/sandboxtest hold what
// the tests share.
//
// Passwords are held in a Secret, which never prints, marshals or logs its
// value; no error, log line or String of this package carries one.
package mtrain
