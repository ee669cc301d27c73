package lang

import (
	"github.com/regc/regc/internal/lazy"
	"sort"
	"strings"
)

// Explanation is the long help of a diagnostic code, as `regc explain CODE`
// prints it: what the code means, a short example that draws it, and how
// to fix it.
type Explanation struct {
	Severity string // "error", "warning", or "error / warning"
	Help     string
	Example  string
	Fix      string
}

// explanations holds every code of codes.go (a test holds the two to each
// other).
var explanations = lazy.Value[map[string]Explanation]{Build: func() map[string]Explanation {
	return map[string]Explanation{
		CodeSyntax: {"error", "The text is not in the language. Each declaration is read on its own, so a broken one does not hide the errors of those after it; the message names the declaration being read and, for habits from YAML or Python, what to write instead.",
			"# a comment\nstage A script: cd\nprogress A -> B when done and ready",
			"Comments start with //, strings use double quotes, fields go in braces with `:`, criteria are separated by commas."},
		CodeUndefinedName: {"error", "A constant, parameter set, schema, script, type, dimension or trigger that is not declared anywhere the file can see (the file itself and what it imports).",
			"params base: Task { flag: True }",
			"Declare the name, correct its spelling (see \"did you mean\"), or import the library that declares it. The literals are true, false and null."},
		CodeUndefinedStage: {"error", "A transition, migration or test names a stage that no `stage` declares.",
			"progress TRAINING_1 -> TRAINING_2",
			"Correct the name or declare the stage. Numbered stages are never suggested for one another: TRAINING_2 is not a typo of TRAINING_1."},
		CodeUndefinedCriterion: {"error", "A criterion in `when`, `unless` or a test step that no `criterion` declaration names.",
			"progress A -> B when one_compete",
			"Correct the spelling, or add `criterion one_compete` if the mtrain service evaluates it."},
		CodeDuplicateDefinition: {"error", "A name declared twice. All declarations, imported ones included, share one scope.",
			"let volume = 5 uL\nlet volume = 7 uL",
			"Rename one of them, or remove the copy; the related note points at the first."},
		CodeDuplicateStage: {"error", "Two stages with the same name. YAML kept only the last of them.",
			"stage A { script: cd, params: p }\nstage A { script: cd, params: q }",
			"Rename or remove one."},
		CodeDuplicateKey: {"error", "A record or mapping gives the same key twice.",
			"params p { warm_up_trials: 5, warm_up_trials: 10 }",
			"Keep one of them; to change a base's key, use `base { key: value }`."},
		CodeImportCycle: {"error", "Files import each other, directly or through others.",
			"// a.regimen\nimport \"b\"\n// b.regimen\nimport \"a\"",
			"Move what both need into a third library that imports neither."},
		CodeInvalidImport: {"error", "An import that cannot be read, or a library that declares a regimen header or stages. While an import fails, names are not reported undefined: the library may declare them.",
			"import \"comon\"",
			"Correct the path (relative to the importing file, `.regimen` added), or move the header and stages to the regimen file."},
		CodeFileNotFound: {"error", "A file given on the command line does not exist.",
			"regc check task1a.regimn",
			"Correct the path."},
		CodeUnreadableFile: {"error", "A file given on the command line cannot be read: not a regular file, larger than 64 MiB, or not permitted.",
			"regc check regimens/",
			"Give a regular file you can read."},
		CodeTooLarge: {"error", "A value that expands past the bounds: a constant or parameter set repeats all of itself each time it is named.",
			"let a = [b, b, b, b, b, b, b, b, b, b]  // and b of c, c of d, ...",
			"Share less: name the parts that differ instead of nesting copies."},
		CodeTypeMismatch: {"error", "A value of the wrong type, a wrong literal, or a name of the wrong kind (a schema where a value belongs).",
			"schema S { gain: float }\nparams p: S { gain: 1 }",
			"Write the type the schema declares: `1.0` for a float, a quoted string for a string."},
		CodeUnknownField: {"error", "A key a closed schema does not declare. When several uses spell a field alike and none as declared, the declaration is reported instead, once.",
			"schema S { reward_volume: volume(mL) }\nparams p: S { reward_volum: 5 uL }",
			"Correct the key (see \"did you mean\"), declare the field, or end the schema with `...` to allow others."},
		CodeMissingField: {"error", "A required schema field that a stage's parameters leave out, or a regimen without a name.",
			"schema S { n: int }\nstage A { script: s, params: {} }",
			"Give the field a value, or declare it optional with `n?: int`."},
		CodeOutOfRange: {"error", "A number or quantity outside its field's `in [lo, hi]`, or beyond a float's range.",
			"schema S { trials: int in [0, 100] }\nparams p: S { trials: 150 }",
			"Write a value inside the range, or widen the range in the schema."},
		CodeUnitMismatch: {"error", "A quantity of the wrong dimension, a number without a unit where one is declared, or a unit where none is.",
			"schema S { wait: time(s) }\nparams p: S { wait: 5 uL }",
			"Write a quantity of the declared dimension (`5 s`), or a plain number where the field has no unit (the suggestion gives it exactly)."},
		CodeUnknownUnit: {"error", "A unit regc does not know. Units are volume nL uL mL L, time ms s min h, angle deg, frequency Hz kHz, length um mm cm m, written in ASCII.",
			"params p { volume: 7 µL, wait: 3 secs }",
			"Write the unit meant: `7 uL`, `3 s`."},
		CodeStageParamMismatch: {"error", "A stage's parameters set `stage` to another name than the stage's own.",
			"stage A { script: cd, params: { stage: \"B\" } }",
			"Leave `stage` out: it is filled in with the stage's name."},
		CodeDuplicateTransition: {"error", "The same transition (trigger, source, destination and criteria) twice.",
			"progress A -> B when done\nprogress A -> B when done",
			"Remove the copy."},
		CodeReferenceCycle: {"error", "A constant, parameter set or schema that refers to itself, directly or through others.",
			"params a = b { }\nparams b = a { }",
			"Break the cycle: one of them must be written out."},
		CodeTestFailed: {"error", "A `test` block whose transitions do not go where it says.",
			"test \"moves on\" {\n    start A\n    progress [done] => C\n}",
			"Correct the test's expected stage, or the transitions if the test is right."},
		CodeShadowedTransition: {"warning", "A transition that can never fire: an earlier one of the same automatic trigger from the same stage has no conditions.",
			"progress A -> B\nprogress A -> C when done",
			"Give the earlier transition a condition, or put the conditional one first."},
		CodeUnreachableStage: {"warning", "A stage no path of transitions reaches from the first stage.",
			"stage A { ... }\nstage B { ... }\nstage C { ... }\nprogress A -> B",
			"Add a transition to it, or remove it. Silence it for one stage with `// regc:allow unreachable-stage` on the line before."},
		CodeNameConvention: {"warning", "A raw quoted regimen name, or a stage name that is not an identifier.",
			"regimen \"my regimen v1\"",
			"Write `regimen Name version X.Y.Z`; use identifiers for new stages."},
		CodeUnused: {"warning", "A constant, parameter set or script in the regimen file that nothing uses.",
			"let spare = 5 uL",
			"Remove it, or use it. Silence it for one declaration with `// regc:allow unused` on the line before."},
		CodeScriptURLNotHTTP: {"warning", "A script url that is not http(s): `emit` reads it as a file, but no rig can fetch it from mtrain.",
			"script cd { url: \"scripts/cd.py\" }",
			"Publish the script and give its http(s) url before uploading."},
		CodeScriptUnreachable: {"error", "`check --verify-scripts`: a script's url cannot be fetched; `sync upload`: a url that is not http(s).",
			"script cd { url: \"http://stash.example.org/gone.py\" }",
			"Correct the url, or check the network from where regc runs."},
		CodeScriptMD5: {"error / warning", "`check --verify-scripts`: a script's md5 is wrong (an error) or not declared (a warning).",
			"script cd { url: \"http://stash.example.org/cd.py\" }",
			"Run `regc freeze FILE` to write the md5 of what the url serves."},
		CodeDuplicateAnchor: {"error", "A regimen.yml defines one YAML anchor twice.",
			"a: &x 1\nb: &x 2",
			"Rename one anchor."},
		CodeUndefinedAlias: {"error", "A regimen.yml uses an alias before (or without) its anchor.",
			"a: *base\nbase: &base {x: 1}",
			"Define the anchor before the alias."},
		CodeRecursiveAlias: {"error", "A regimen.yml alias inside the node its anchor names: PyYAML builds a cyclic value no regimen can use.",
			"a: &a [*a]",
			"Remove the self-reference."},
		CodeInvalidMerge: {"error", "A regimen.yml merge key (`<<`) whose value is not a mapping or a list of mappings.",
			"p:\n  <<: 5",
			"Merge a mapping: `<<: *base`."},
		CodeUnknownTag: {"error", "An explicit YAML tag that yaml.safe_load cannot construct.",
			"x: !!python/object foo",
			"Remove the tag."},
		CodeInvalidValue: {"error", "A YAML value PyYAML fails to construct: a tag that does not fit its content, an unhashable key, a malformed `!!omap`.",
			"x: !!int abc",
			"Write a value the tag fits, or remove the tag."},
		CodeUnsafeStageName: {"error", "A stage name that cannot be part of a file name on a rig: empty, too long, a control character, a character Windows forbids, or a device name.",
			"stage \"A/B\" { ... }",
			"Rename the stage."},
		CodeUnsupported: {"error", "`regc import`: the legacy file says something the language cannot.",
			"stages:\n  A: {script: x.py}   # no parameters",
			"Change the YAML so it says something the language can, then import it again."},
		CodeTrapStage: {"warning", "A stage no transition leaves, in a regimen of more than one stage, that is not declared final: a mouse that reaches it stays there.",
			"stage A { ... }\nstage B { ... }\nprogress A -> B",
			"Write `final stage B` if training ends there, or add a transition from it. Silence it for one stage with `// regc:allow trap-stage` on the line before."},
		CodeNoFinalPath: {"warning", "A stage from which no sequence of transitions reaches a final stage, in a regimen that declares one.",
			"final stage END { ... }\nprogress A -> B\nprogress B -> A",
			"Add a transition towards a final stage."},
		CodeProgressCycle: {"warning", "A cycle of stages whose first progress transition has no conditions: a mouse would move every session, forever.",
			"progress A -> B\nprogress B -> A",
			"Give one of the transitions a `when` or an `unless`."},
		CodeContradictoryTransition: {"warning", "A transition whose `when` and `unless` name the same criterion: it can never fire.",
			"progress A -> B when done unless done",
			"Remove the criterion from `when` or from `unless`."},
		CodeVersionBump: {"error / warning", "`check --against OLD`: the version is below the bump the change requires, or not above OLD's (an error); or higher than needed (a warning).",
			"regimen Task version 1.0.1   // a stage removed since 1.0.0",
			"Use the version `regc diff OLD NEW` says the change requires."},
		CodeMigrateCoverage: {"error", "`check --against OLD`, on a major bump: a stage of OLD that the file neither has nor maps in a `migrate` block, so its mice have nowhere to go.",
			"migrate from Task 1 { \"A\" -> A2 }   // OLD also had B",
			"Map every old stage: `\"B\" -> B2`."},
		CodeInternal: {"error", "A bug in regc itself: it should never appear.",
			"",
			"Report it with the input that caused it."},
	}
}}

// Explanations returns every code's explanation by code (built by the
// first call: only explain, the editor server and allow directives read it,
// and a package-level map would be built before main in every command).
func Explanations() map[string]Explanation { return explanations.Get() }

// Codes returns every diagnostic code, sorted.
func Codes() []string {
	out := make([]string, 0, len(explanations.Get()))
	for c := range explanations.Get() {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Explain renders the long help of code, or "" when it is not a code.
func Explain(code string) string {
	e, ok := explanations.Get()[code]
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(code + " (" + e.Severity + ")\n\n" + e.Help + "\n")
	if e.Example != "" {
		b.WriteString("\nFor example:\n\n")
		for _, line := range strings.Split(e.Example, "\n") {
			b.WriteString("    " + line + "\n")
		}
	}
	b.WriteString("\nFix: " + e.Fix + "\n")
	return b.String()
}
