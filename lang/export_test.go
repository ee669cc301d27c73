package lang

// CheckFastParse is checkFastParse, for the corpus test in lang_test (which
// imports legacy, and legacy imports lang).
var CheckFastParse = checkFastParse
