// Package py owns how Python spells values regc writes byte for byte as the
// old Python tools did: a float as repr prints it, and a string as
// json.dumps writes it (ensure_ascii).
package py
