//go:build !linux

package main

import "testing"

func testPasswordPrompt(t *testing.T, bin string) {
	t.Skip("the pseudo-terminal test runs on Linux")
}
