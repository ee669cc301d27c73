package graph

import (
	"encoding/csv"
	"fmt"
	"github.com/regc/regc/internal/py"
	"html"
	"io"
	"math/big"
	"strings"

	"github.com/regc/regc/compiler"
)

// Table is the stage × parameter table of a regimen: a row per stage, a
// column per parameter (a key path into the stages' parameters, records
// flattened: "stimulus.params.image_set") whose value is not the same in
// every stage. `stage`, which always names the row's own stage, is left out.
type Table struct {
	Name    string
	Columns []string
	Rows    []Row
}

// Row is one stage's values.
type Row struct {
	Stage string
	Cells []Cell
}

// Cell is one value, as the source wrote its quantities ("7 uL").
type Cell struct {
	Text    string
	Present bool // false: the stage's parameters do not have the key
	// Changed is set when the value differs from the previous stage's.
	Changed bool
}

// Params returns the table of reg's stages.
func Params(reg *compiler.Regimen) *Table {
	t := &Table{Name: reg.Name}
	var order []string
	inOrder := map[string]bool{}
	flat := make([]map[string]compiler.Value, len(reg.Stages))
	for i, s := range reg.Stages {
		flat[i] = map[string]compiler.Value{}
		var walk func(v compiler.Value, path string)
		walk = func(v compiler.Value, path string) {
			if v.Kind == compiler.Map && (len(v.Map) > 0 || path == "") {
				for _, f := range v.Map {
					p := f.Key
					if path != "" {
						p = path + "." + f.Key
					}
					walk(f.Value, p)
				}
				return
			}
			if path == "stage" || path == "" {
				return
			}
			if _, seen := flat[i][path]; !seen {
				flat[i][path] = v
				if !inOrder[path] {
					inOrder[path] = true
					order = append(order, path)
				}
			}
		}
		walk(s.Params, "")
	}
	for _, col := range order {
		first, firstOK := flat[0][col]
		differs := false
		for _, f := range flat[1:] {
			v, ok := f[col]
			if ok != firstOK || ok && !compiler.Equal(v, first) {
				differs = true
				break
			}
		}
		if differs {
			t.Columns = append(t.Columns, col)
		}
	}
	for i, s := range reg.Stages {
		row := Row{Stage: s.Name}
		for _, col := range t.Columns {
			v, ok := flat[i][col]
			c := Cell{Present: ok}
			if ok {
				c.Text = cellText(v, col, s.Written, true)
			}
			if i > 0 {
				prev, pok := flat[i-1][col]
				c.Changed = ok != pok || ok && !compiler.Equal(v, prev)
			}
			row.Cells = append(row.Cells, c)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// cellText writes v, quantities as the source wrote them.
func cellText(v compiler.Value, path string, written map[string]string, top bool) string {
	if s, ok := written[path]; ok {
		return s
	}
	switch v.Kind {
	case compiler.Null:
		return "null"
	case compiler.Bool:
		return fmt.Sprint(v.Bool)
	case compiler.Int:
		if v.Int == nil {
			return new(big.Int).String()
		}
		return v.Int.String()
	case compiler.Float:
		return py.Float(v.Float)
	case compiler.String:
		if top {
			return v.Str
		}
		return fmt.Sprintf("%q", v.Str)
	case compiler.List:
		parts := make([]string, len(v.List))
		for i, x := range v.List {
			parts[i] = cellText(x, fmt.Sprintf("%s.%d", path, i), written, false)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		parts := make([]string, len(v.Map))
		for i, f := range v.Map {
			parts[i] = f.Key + ": " + cellText(f.Value, path+"."+f.Key, written, false)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
}

// WriteParams writes t as html (one self-contained page), markdown or csv.
// A value that changed from the previous stage is marked: highlighted in
// HTML, bold in Markdown, and listed in a last `changed` column in CSV.
func WriteParams(w io.Writer, t *Table, format string) error {
	switch format {
	case "html":
		return writeHTML(w, t)
	case "markdown":
		return writeMarkdown(w, t)
	case "csv":
		return writeCSV(w, t)
	}
	return fmt.Errorf("unknown table format %q (html, markdown or csv)", format)
}

const absent = "—"

func writeHTML(w io.Writer, t *Table) error {
	var b strings.Builder
	e := html.EscapeString
	fmt.Fprintf(&b, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>%s: parameters by stage</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #d1d5db; padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f3f4f6; }
tbody th { background: #f9fafb; font-weight: normal; font-family: ui-monospace, monospace; white-space: nowrap; }
td { font-family: ui-monospace, monospace; }
td.changed { background: #fef08a; }
td.absent { color: #9ca3af; }
</style>
</head>
<body>
<h1>%s</h1>
<p>One row per stage; one column per parameter whose value is not the same in every stage. Quantities are shown as the source writes them. A highlighted value differs from the stage above; %s: the stage has no such parameter.</p>
<table>
<thead><tr><th>stage</th>`, e(t.Name), e(t.Name), absent)
	for _, c := range t.Columns {
		fmt.Fprintf(&b, "<th>%s</th>", e(c))
	}
	b.WriteString("</tr></thead>\n<tbody>\n")
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "<tr><th>%s</th>", e(r.Stage))
		for _, c := range r.Cells {
			class, text := "", c.Text
			if !c.Present {
				class, text = "absent", absent
			}
			if c.Changed {
				class = strings.TrimSpace(class + " changed")
			}
			if class != "" {
				fmt.Fprintf(&b, "<td class=\"%s\">%s</td>", class, e(text))
			} else {
				fmt.Fprintf(&b, "<td>%s</td>", e(text))
			}
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</tbody>\n</table>\n</body>\n</html>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMarkdown(w io.Writer, t *Table) error {
	var b strings.Builder
	cell := func(s string) string {
		return strings.NewReplacer(`|`, `\|`, "\n", " ").Replace(s)
	}
	b.WriteString("| stage |")
	for _, c := range t.Columns {
		fmt.Fprintf(&b, " %s |", cell(c))
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---|", len(t.Columns)))
	b.WriteString("\n")
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "| %s |", cell(r.Stage))
		for _, c := range r.Cells {
			text := "`" + strings.ReplaceAll(cell(c.Text), "`", "'") + "`"
			if !c.Present {
				text = absent
			}
			if c.Changed {
				text = "**" + text + "**"
			}
			fmt.Fprintf(&b, " %s |", text)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string{"stage"}, t.Columns...), "changed")); err != nil {
		return err
	}
	for _, r := range t.Rows {
		rec := []string{r.Stage}
		var changed []string
		for i, c := range r.Cells {
			rec = append(rec, c.Text)
			if c.Changed {
				changed = append(changed, t.Columns[i])
			}
		}
		if err := cw.Write(append(rec, strings.Join(changed, " "))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
