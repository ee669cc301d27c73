// Package safetext makes text safe to show: Redact removes secrets and URL
// passwords from messages, Terminal escapes what could act on a terminal,
// and CSVCell keeps a spreadsheet from reading a cell as a formula.
package safetext
