// Package mtrain owns everything regc knows about the mtrain training service:
// a client for its HTTP API (confirmed login, paged reads with q filters, JSON
// bodies on GET, both write body styles the real server accepts, clear errors
// for HTML or otherwise non-JSON answers, timeouts, and retries only where a
// repeat is harmless), the regimen document shape it stores, and Sandbox, an
// mtrain-compatible server backed by a durable SQLite file for rehearsals and
// tests. The wire contract is ../shared/mtrain-api.md; where that page marks a
// behaviour [U], the sandbox does what it says there.
//
// Passwords are held in a Secret, which never prints, marshals or logs its
// value; no error, log line or String of this package carries one.
package mtrain
