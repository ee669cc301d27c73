// Package floor is the measuring floor of issue 14: what reading a
// regimen.yml and printing its mtrain JSON costs a plain Go program. It
// decodes the file with yaml.v3 and writes the bytes `regc build --format
// json` writes (cmd/regc's TestFloorMatchesBuild holds it to that on a
// generated 1,000-stage file); cmd/yamljson is the program.
package floor
