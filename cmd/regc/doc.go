// Command regc compiles mouse-training regimens: it checks .regimen files
// and legacy regimen.yml files, builds the mtrain regimen document, imports
// a regimen.yml as source, draws the stage machine, emits a stage's camstim
// files, freezes script md5s, diffs two versions, and uploads, checks and
// migrates regimens on an mtrain server or its sandbox.
//
// The command owns flags and printing only: each file parses one command's
// flags, calls the packages that do the work (legacy for the front-end
// choice, compiler, emit, scripts, semdiff, mtrain and its subpackages) and
// prints. Beside that it holds what only a command line needs: the one
// --color flag and the one path that compiles, renders diagnostics once and
// summarises (report.go), reading a file as of a git revision (gitrev.go),
// finding the server's credentials (credentials.go), and writing -o files
// through internal/atomicfile. main returns an exit code: 0 success
// (warnings allowed), 1 diagnostics or a failed operation, 2 usage.
//
//go:debug updatemaxprocs=0
package main
