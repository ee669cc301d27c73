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

// windowsDevices are the names Windows keeps for devices, whatever the
// case and whatever extension follows.
var windowsDevices = map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true,
	"COM1": true, "COM2": true, "COM3": true, "COM4": true, "COM5": true, "COM6": true, "COM7": true, "COM8": true, "COM9": true,
	"LPT1": true, "LPT2": true, "LPT3": true, "LPT4": true, "LPT5": true, "LPT6": true, "LPT7": true, "LPT8": true, "LPT9": true}

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
	if windowsDevices[strings.ToUpper(strings.TrimRight(base, " "))] {
		return fmt.Sprintf("%s is a device name on Windows", base)
	}
	return ""
}
