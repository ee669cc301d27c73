// Package mtraintest holds what tests of mtrain clients and servers share:
// the test user and a sample regimen document (fixtures.go), and requests
// written byte for byte the way the old Python scripts (python-requests)
// sent them, so that a server, in-process or as a separate process, can be
// checked against the shapes its real clients use. It imports nothing of
// regc, so package mtrain's own tests can use it.
package mtraintest
