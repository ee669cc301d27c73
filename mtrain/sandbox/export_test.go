package sandbox

import "database/sql"

// What the external tests (package sandbox_test, which share the rig of
// package sandboxtest with the client's tests) need of the sandbox's
// insides.

const SessionCookie = sessionCookie

var CleanPath = cleanPath

// DB returns sb's database.
func DB(sb *Sandbox) *sql.DB { return sb.db }
