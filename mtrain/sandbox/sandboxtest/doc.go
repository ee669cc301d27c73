// Package sandboxtest holds the rig the client and sandbox tests share: a
// sandbox on a fresh database, served on loopback behind a fault injector
// (package faults), with a client for it.
package sandboxtest
