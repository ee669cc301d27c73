// Package migrate moves mice from one regimen on an mtrain server to another,
// carefully: a mistake strands mice on the wrong stage of a live training
// pipeline.
//
// It works in three steps. Compute (or Load, which reads the server first)
// plans every mouse on the source regimen: the same stage name when source
// and target share a base name and a major version; otherwise the target's
// `migrate` blocks for the source's base name and major version, or a legacy
// migrations.yml (see ParseLegacyMap). A plan with a mouse that no rule maps
// must not be applied; it lists every such mouse. Create writes the plan to a
// journal, an append-only file synced after every record that says what
// happened (a mouse done, a conflict, the end). Apply moves each
// mouse not yet done (reading it, set_state, then reading it back to verify
// it), recording each step in the journal, and ends with a reconciliation
// that reads every mouse back. LockSource keeps two processes on one machine
// from migrating the mice of one source regimen at once.
//
// An interrupted run (the server down, the connection lost, the process
// killed) is resumed by applying the same journal again: Apply first reads
// where every mouse is, so a mouse whose move landed before the interruption
// is recorded as done without a second write, and a mouse still on its
// source state is moved. A mouse that is neither on its source nor on its
// target state was moved by someone else since the plan: it is reported as a
// conflict and left alone, never silently skipped. Every mouse is read
// immediately before it is written, not from a snapshot, so a move made
// while the migration runs is found too; mtrain has no compare-and-set, so a
// move landing between that read and the write is still overwritten.
//
// TargetOf turns a compiled regimen into the target a plan is made for, and
// Begin is the policy of a run's start: resume the journal of this migration,
// refuse one of another, or plan and create a new one.
//
// The journal holds regimen and stage names, state ids, mouse ids, the server
// URL and the user name: never a password.
package migrate
