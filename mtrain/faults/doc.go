// Package faults owns fault injection for tests and rehearsals of the mtrain
// client: an http.Handler middleware that answers chosen requests with a
// 500, drops their connection, or answers slowly, before or after the
// wrapped handler runs (so a test can make a write commit and its answer
// vanish). It knows nothing of mtrain itself.
package faults
