package main

import (
	"bytes"
	"slices"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/emit/graph"
	"github.com/regc/regc/internal/safetext"
	"github.com/spf13/pflag"
)

type graphFlags struct {
	format    string
	out       string
	params    bool
	highlight string
	stage     string
	depth     int
	color     string
	force     bool
}

func graphFlagSet(f *graphFlags) *pflag.FlagSet {
	fs := newFlagSet("graph")
	fs.StringVar(&f.format, "format", "", "svg (the default), png, dot or mermaid; with --params: html (the default), markdown or csv")
	fs.StringVarP(&f.out, "output", "o", "", "write to this file (atomically) instead of standard output")
	fs.BoolVar(&f.params, "params", false, "the stage × parameter table instead of the picture")
	fs.StringVar(&f.highlight, "highlight", "", "mark this stage")
	fs.StringVar(&f.stage, "stage", "", "draw only the stages within --depth transitions of this one")
	fs.IntVar(&f.depth, "depth", 2, "with --stage: how many transitions away, either way")
	colorFlag(fs, &f.color)
	fs.BoolVar(&f.force, "force", false, "draw even when the regimen has errors")
	return fs
}

const graphUsage = "regc graph FILE [--format svg|png|dot|mermaid] [-o OUT] [--highlight STAGE] [--stage STAGE --depth N]\n       regc graph --params FILE [--format html|markdown|csv] [-o OUT]"

func runGraph(e *env, args []string) int {
	var f graphFlags
	fs := graphFlagSet(&f)
	if ok, code := parseFlags(e, "graph", graphUsage, fs, args); !ok {
		return code
	}
	usage := func(format string, a ...any) int {
		e.usagef(graphUsage, "regc graph: "+format, a...)
		return exitUsage
	}
	formats := []string{"svg", "png", "dot", "mermaid"}
	if f.params {
		formats = []string{"html", "markdown", "csv"}
		if f.highlight != "" || fs.Changed("stage") || fs.Changed("depth") {
			return usage("--highlight, --stage and --depth draw the picture; they do not apply to --params")
		}
	}
	if f.format == "" {
		f.format = formats[0]
	}
	if !slices.Contains(formats, f.format) {
		return usage("--format must be %s here, not %q", orList(formats), f.format)
	}
	if fs.Changed("depth") && f.stage == "" {
		return usage("--depth needs --stage")
	}
	if f.depth < 0 {
		return usage("--depth must be 0 or more, not %d", f.depth)
	}
	if fs.NArg() != 1 {
		return usage("give exactly one file")
	}
	if f.format == "png" && (f.out == "" || f.out == "-") && e.isTerminal(e.stdout) {
		return usage("a PNG is binary: give -o FILE, or redirect standard output")
	}
	res, failed := compileForOutput(e, "graph", fs.Arg(0), f.color, f.force, "it has no stages to draw")
	if res == nil {
		return exitFail
	}
	reg := res.Regimen
	if f.out != "" && f.out != "-" && outputIsInput(e, "graph", f.out, sourcePaths(res.Sources)) {
		return exitUsage
	}
	var out bytes.Buffer
	var err error
	if f.params {
		err = graph.WriteParams(&out, graph.Params(reg), f.format)
	} else {
		err = drawGraph(&out, reg, f)
	}
	if err != nil {
		e.errf("regc graph: %s\n", safetext.Terminal(err.Error()))
		return exitFail
	}
	return writeResult(e, "graph", f.out, out.Bytes(), res, failed)
}

func drawGraph(out *bytes.Buffer, reg *compiler.Regimen, f graphFlags) error {
	g := graph.Build(reg)
	if f.highlight != "" {
		if err := g.Highlight(f.highlight); err != nil {
			return err
		}
	}
	if f.stage != "" {
		sub, err := g.Neighbourhood(f.stage, f.depth)
		if err != nil {
			return err
		}
		g = sub
	}
	switch f.format {
	case "png":
		return graph.WritePNG(out, g)
	case "dot":
		return graph.WriteDOT(out, g)
	case "mermaid":
		return graph.WriteMermaid(out, g)
	}
	return graph.WriteSVG(out, g)
}

// orList writes "a, b or c".
func orList(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	out := ""
	for i, s := range list[:len(list)-1] {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out + " or " + list[len(list)-1]
}
