// Package sandbox owns Sandbox, an mtrain-compatible server backed by a
// durable bbolt file (store.go), for rehearsals (regc sandbox) and tests: the login
// and its sessions (http.go), the write routes (writes.go: set_regimen,
// set_state, add_subject; progress.go: set_behavior_session with its
// progress rules), the read API with q filters (query.go, filter.go), seeding mice
// (seed.go), and serving on loopback only (listen.go). Where ../shared/mtrain-api.md marks a behaviour [U], the
// sandbox does what it says there.
//
// It reads and writes the wire types of package mtrain (State, WireStage,
// WireRegimen, the uploaded Document), the same ones the client uses. The
// password is kept as a salted hash only; it never reaches a log, an error
// or the database in clear.
package sandbox
