package lang

// The diagnostic codes: every diagnostic regc reports carries one of these,
// and each is a row of the README's diagnostics table (codes_test.go holds
// the two to each other, and every code to a use outside this file).
const (
	// CodeSyntax: the text is not in the language (a .regimen file, or YAML
	// that PyYAML cannot read, scan or parse).
	CodeSyntax = "syntax"
	// CodeUndefinedName: a constant, parameter set, schema, script, type,
	// dimension or trigger that is not declared.
	CodeUndefinedName = "undefined-name"
	// CodeUndefinedStage: a transition, migration or test names a stage
	// that does not exist.
	CodeUndefinedStage = "undefined-stage"
	// CodeUndefinedCriterion: a criterion in `when`, `unless` or a test that
	// is not declared.
	CodeUndefinedCriterion = "undefined-criterion"
	// CodeDuplicateDefinition: a name declared twice.
	CodeDuplicateDefinition = "duplicate-definition"
	// CodeDuplicateStage: two stages with the same name.
	CodeDuplicateStage = "duplicate-stage"
	// CodeDuplicateKey: a record or mapping gives the same key twice.
	CodeDuplicateKey = "duplicate-key"
	// CodeImportCycle: files import each other.
	CodeImportCycle = "import-cycle"
	// CodeInvalidImport: an import that cannot be read, or a library that
	// declares a regimen or stages.
	CodeInvalidImport = "invalid-import"
	// CodeFileNotFound: a file given on the command line does not exist.
	CodeFileNotFound = "file-not-found"
	// CodeUnreadableFile: a file given on the command line cannot be read.
	CodeUnreadableFile = "unreadable-file"
	// CodeTooLarge: a value, a dotted key or the stages' parameters past the
	// bounds.
	CodeTooLarge = "too-large"
	// CodeTypeMismatch: a value of the wrong type, or a wrong kind of name.
	CodeTypeMismatch = "type-mismatch"
	// CodeUnknownField: a key a closed schema does not declare.
	CodeUnknownField = "unknown-field"
	// CodeMissingField: a required field left out.
	CodeMissingField = "missing-field"
	// CodeOutOfRange: a number outside its range or a float's.
	CodeOutOfRange = "out-of-range"
	// CodeUnitMismatch: a quantity of the wrong dimension, or a unit missing
	// or out of place.
	CodeUnitMismatch = "unit-mismatch"
	// CodeUnknownUnit: a unit regc does not know.
	CodeUnknownUnit = "unknown-unit"
	// CodeStageParamMismatch: a stage's parameters set `stage` to another
	// name.
	CodeStageParamMismatch = "stage-param-mismatch"
	// CodeDuplicateTransition: the same transition twice.
	CodeDuplicateTransition = "duplicate-transition"
	// CodeReferenceCycle: a constant, parameter set or schema that refers
	// to itself.
	CodeReferenceCycle = "reference-cycle"
	// CodeTestFailed: a `test` block whose transitions do not go where it
	// says.
	CodeTestFailed = "test-failed"
	// CodeShadowedTransition: a transition that can never fire (a warning).
	CodeShadowedTransition = "shadowed-transition"
	// CodeUnreachableStage: a stage no transition reaches (a warning).
	CodeUnreachableStage = "unreachable-stage"
	// CodeNameConvention: a name that follows no convention (a warning).
	CodeNameConvention = "name-convention"
	// CodeUnused: a declaration nothing uses (a warning).
	CodeUnused = "unused"
	// CodeScriptURLNotHTTP: a script url that no rig can fetch from mtrain
	// (a warning).
	CodeScriptURLNotHTTP = "script-url-not-http"
	// CodeScriptUnreachable: a script's url cannot be fetched.
	CodeScriptUnreachable = "script-unreachable"
	// CodeScriptMD5: a script's md5 is wrong (an error) or not declared (a
	// warning).
	CodeScriptMD5 = "script-md5"
	// CodeDuplicateAnchor: a YAML anchor defined twice.
	CodeDuplicateAnchor = "duplicate-anchor"
	// CodeUndefinedAlias: a YAML alias to an anchor not defined before it.
	CodeUndefinedAlias = "undefined-alias"
	// CodeRecursiveAlias: a YAML alias inside the node its anchor names;
	// PyYAML builds a cyclic value, which no regimen can use.
	CodeRecursiveAlias = "recursive-alias"
	// CodeInvalidMerge: a YAML merge key (`<<`) whose value is not a
	// mapping or a list of mappings.
	CodeInvalidMerge = "invalid-merge"
	// CodeUnknownTag: an explicit YAML tag that yaml.safe_load cannot
	// construct.
	CodeUnknownTag = "unknown-tag"
	// CodeInvalidValue: a YAML value PyYAML fails to construct: a tag that
	// does not fit its content (`!!int abc`), an unhashable mapping key, a
	// malformed `!!omap`.
	CodeInvalidValue = "invalid-value"
	// CodeUnsafeStageName: a stage name that cannot be part of a file name
	// on a rig.
	CodeUnsafeStageName = "unsafe-stage-name"
	// CodeUnsupported: `regc import`: a legacy file says something the
	// language cannot.
	CodeUnsupported = "unsupported"
	// CodeTrapStage: a stage no transition leaves (automatic or manual) that
	// is not declared final.
	CodeTrapStage = "trap-stage"
	// CodeNoFinalPath: a stage from which no path reaches a final stage, in a
	// regimen that declares one.
	CodeNoFinalPath = "no-final-path"
	// CodeProgressCycle: a cycle of unconditional automatic transitions: a
	// mouse would move every session forever.
	CodeProgressCycle = "progress-cycle"
	// CodeContradictoryTransition: a transition whose when and unless share a
	// criterion, so it can never fire.
	CodeContradictoryTransition = "contradictory-transition"
	// CodeVersionBump: `check --against`: the new version is below what the
	// change requires, or not above the old one (an error), or higher than
	// needed (a warning).
	CodeVersionBump = "version-bump"
	// CodeMigrateCoverage: `check --against`: on a major bump, a stage of the
	// old version that the new one neither has nor maps in a migrate block.
	CodeMigrateCoverage = "migrate-coverage"
	// CodeInternal: a bug in regc itself (a recovered panic, a broken
	// invariant); it should never appear.
	CodeInternal = "internal"
)
