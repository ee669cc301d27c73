// Command yamljson is the floor program of issue 14: it reads a
// regimen.yml with yaml.v3 and prints the JSON `regc build --format json`
// prints, and nothing else.
package main
