package main

import (
	"sort"

	"github.com/spf13/pflag"
)

// commandTable is every regc command, sorted by name. It is data the
// compiler lays out in the binary: nothing runs before main to build it
// (issue 14: 21 init functions filled maps of commands and flag sets, 6 KB
// in 57 allocations). A command's flags builds its flag set for help and
// completion, from the same function its run parses with. Keep package
// main free of init functions and of package-level maps and calls
// (testStartupWork holds it to under 512 bytes at init).
var commandTable = [...]command{
	{name: "__complete-stages", hidden: true, summary: "print the stage names of a regimen file, one a line (for completion)",
		usage: "regc __complete-stages FILE", run: runCompleteStages},
	{name: "build", summary: "compile a regimen to the mtrain document (YAML or JSON)", usage: buildUsage, run: runBuild,
		flags: func() *pflag.FlagSet { return buildFlagSet(&buildFlags{}) }},
	{name: "check", summary: "check regimen files and print their diagnostics", usage: checkUsage, run: runCheck,
		flags: func() *pflag.FlagSet { return checkFlagSet(&checkFlags{}) }},
	{name: "completion", summary: "print a shell completion script (bash, zsh or fish)", usage: completionUsage, run: runCompletion},
	{name: "diff", summary: "the semantic diff between two versions of a regimen, and the version bump it requires", usage: diffUsage, run: runDiff,
		flags: func() *pflag.FlagSet { return diffFlagSet(&diffFlags{}) }},
	{name: "emit", summary: "write one stage's camstim script and parameters file", usage: emitUsage, run: runEmit,
		flags: func() *pflag.FlagSet { return emitFlagSet(&emitFlags{}) }},
	{name: "explain", summary: "explain a diagnostic code: what it means, an example, and the fix", usage: explainUsage, run: runExplain},
	{name: "fmt", summary: "format .regimen files in the canonical layout", usage: fmtUsage, run: runFmt,
		flags: func() *pflag.FlagSet { return fmtFlagSet(&fmtFlags{}) }},
	{name: "freeze", summary: "fetch every script and write its md5 into the regimen source", usage: freezeUsage, run: runFreeze,
		flags: func() *pflag.FlagSet { return freezeFlagSet(&freezeFlags{}) }},
	{name: "graph", summary: "draw the stage machine (SVG, PNG, DOT, Mermaid), or tabulate parameters by stage", usage: graphUsage, run: runGraph,
		flags: func() *pflag.FlagSet { return graphFlagSet(&graphFlags{}) }},
	{name: "help", summary: "show help for regc or for one command", usage: helpUsage, run: runHelp},
	{name: "import", summary: "turn a legacy regimen.yml into .regimen source", usage: importUsage, run: runImport,
		flags: func() *pflag.FlagSet { return importFlagSet(&importFlags{}) }},
	{name: "init", summary: "start a new regimen from a template", usage: initUsage, run: runInit,
		flags: func() *pflag.FlagSet { var s string; return initFlagSet(&s) }},
	{name: "lsp", summary: "a language server for editors, over stdio", usage: lspUsage, run: runLSP, flags: lspFlags},
	{name: "sandbox", summary: "serve an mtrain-compatible server on loopback, for rehearsals", usage: sandboxUsage, run: runSandbox,
		flags: func() *pflag.FlagSet { return sandboxFlagSet(&sandboxFlags{}) }},
	{name: "sync", summary: "upload a regimen to an mtrain server, list its mice, migrate them", usage: syncUsage, run: runSync,
		flags: func() *pflag.FlagSet {
			fs := newFlagSet("sync")
			addServerFlags(fs, &serverFlags{})
			return fs
		}},
	{name: "test", summary: "run the test blocks of regimen files", usage: testUsage, run: runTest,
		flags: func() *pflag.FlagSet { return testFlagSet(&testFlags{}) }},
	{name: "version", summary: "print regc's version", usage: versionUsage, run: runVersion},
}

// syncTable is the subcommands of `regc sync`, sorted by name, laid out as
// commandTable is.
var syncTable = [...]syncCommand{
	{name: "mice", summary: "every mouse with its regimen and stage, by LabTracks_ID", usage: miceUsage, run: runMice,
		flags: func() *pflag.FlagSet { return miceFlagSet(&miceFlags{}) }},
	{name: "migrate", summary: "move every mouse on one regimen to another (dry run by default; resumable)", usage: migrateUsage, run: runMigrate,
		flags: func() *pflag.FlagSet { return migrateFlagSet(&migrateFlags{}) }},
	{name: "status", summary: "whether the compiled regimen is on the server, and how it differs (exit 1 when absent or different)", usage: statusUsage, run: runStatus,
		flags: func() *pflag.FlagSet { return statusFlagSet(&statusFlags{}) }},
	{name: "upload", summary: "upload a compiled regimen (dry run by default), then read it back", usage: uploadUsage, run: runUpload,
		flags: func() *pflag.FlagSet { return uploadFlagSet(&uploadFlags{}) }},
}

// commands is how code reaches commandTable. The table names the run
// functions of help and completion, which list the table, and Go refuses
// a package-level variable whose initializer refers to itself through
// the functions it names (an initialization cycle). A call through an
// interface is not such a reference; commands (a zero-size value in an
// interface) is laid out by the compiler too.
var commands commandLister = tableLister{}

type commandLister interface{ list() []command }

type tableLister struct{}

func (tableLister) list() []command { return commandTable[:] }

// lookupCommand returns the command named name, hidden or not, or nil.
func lookupCommand(name string) *command {
	cs := commands.list()
	for i := range cs {
		if cs[i].name == name {
			return &cs[i]
		}
	}
	return nil
}

// visibleCommands are the commands help lists, sorted.
func visibleCommands() []string {
	var names []string
	for _, c := range commands.list() {
		if !c.hidden {
			names = append(names, c.name)
		}
	}
	sort.Strings(names)
	return names
}

// lookupSync returns the sync subcommand named name, or nil.
func lookupSync(name string) *syncCommand {
	for i := range syncTable {
		if syncTable[i].name == name {
			return &syncTable[i]
		}
	}
	return nil
}

// syncNames are the sync subcommands' names, sorted.
func syncNames() []string {
	names := make([]string, 0, len(syncTable))
	for _, c := range syncTable {
		names = append(names, c.name)
	}
	sort.Strings(names)
	return names
}
