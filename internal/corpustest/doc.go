// Package corpustest finds the historic regimens corpus for the tests that
// compare against it: ../shared/corpus beside the repository, or the folder
// $REGC_CORPUS names. Where it is absent, a test skips, saying so (a user's
// clone has no corpus); when $CI is set, its absence fails the test instead,
// so that a continuous-integration run cannot pass without having compared
// anything.
package corpustest
