package compiler

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/lang"
)

// maxStageName is the longest stage name, in bytes, whose emitted file
// name (12 digits, '_', the name, ".json") fits the 255 bytes a file name
// may have.
const maxStageName = 255 - len("240131093007_") - len(".json")

// isWindowsDevice reports whether s (upper case) is a name Windows keeps
// for a device, whatever the case and whatever extension follows.
func isWindowsDevice(s string) bool {
	switch s {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	return len(s) == 4 && (s[:3] == "COM" || s[:3] == "LPT") && s[3] >= '1' && s[3] <= '9'
}

// CheckStageName is checkStageName, for the legacy build.
func CheckStageName(diags *lang.Diagnostics, name string, r lang.Range) {
	checkStageName(diags, name, r)
}

// checkStageName reports, at r, a stage name that is unsafe as a file
// name (see UnsafeStageName).
func checkStageName(diags *lang.Diagnostics, name string, r lang.Range) {
	if why := UnsafeStageName(name); why != "" {
		d := diags.Errorf(lang.CodeUnsafeStageName, r, "stage name %q cannot name a file on a rig: %s", name, why)
		d.Suggestion = "use letters, digits, '_', '-' and '.'"
	}
}

// UnsafeStageName says why name cannot be part of a file name on Linux or
// Windows, or returns "" when it can: it is empty or too long, it is not
// UTF-8, it holds a control or bidirectional character (which would also
// act on a terminal that shows it), a character Windows or Linux forbids
// in file names (/ \ : * ? " < > |), or it is a Windows device name (CON,
// NUL, COM1...).
func UnsafeStageName(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case len(name) > maxStageName:
		return fmt.Sprintf("it is %d bytes long, more than the %d a file name leaves it", len(name), maxStageName)
	case !utf8.ValidString(name):
		return "it is not valid UTF-8"
	}
	for _, r := range name {
		if safetext.Unsafe(r) {
			return fmt.Sprintf("it holds the control character %s", safetext.Escape(r))
		}
		if strings.ContainsRune(`/\:*?"<>|`, r) {
			return fmt.Sprintf("it holds %q, which file names on Linux or Windows cannot", r)
		}
	}
	base, _, _ := strings.Cut(name, ".")
	if isWindowsDevice(strings.ToUpper(strings.TrimRight(base, " "))) {
		return fmt.Sprintf("%s is a device name on Windows", base)
	}
	return ""
}
