// Package testtool is for tests that need something a user's machine may
// lack (a program on PATH, a tool installed beside the repository, a
// special file the file system must allow). Where it is missing the test
// is skipped, saying why and how to get it, except when $CI is set: a
// continuous-integration run has what its tests need (.ci/run installs what
// is the project's to install), so there the absence fails the test.
package testtool
