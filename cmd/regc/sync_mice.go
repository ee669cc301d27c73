package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/regc/regc/internal/safetext"
	"github.com/regc/regc/internal/spell"
	"github.com/regc/regc/mtrain"
	"github.com/spf13/pflag"
)

type miceFlags struct {
	serverFlags
	regimen string
	format  string
}

func miceFlagSet(f *miceFlags) *pflag.FlagSet {
	fs := newFlagSet("sync mice")
	fs.StringVar(&f.regimen, "regimen", "", "only the mice on this regimen")
	fs.StringVar(&f.format, "format", "table", "table, json or csv")
	addServerFlags(fs, &f.serverFlags)
	return fs
}

const miceUsage = "regc sync mice [--regimen NAME] [--format table|json|csv] [--server URL]"

func runMice(e *env, args []string) int {
	var f miceFlags
	fs := miceFlagSet(&f)
	if ok, code := parseSyncFlags(e, "sync mice", miceUsage, fs, args); !ok {
		return code
	}
	if f.format != "table" && f.format != "json" && f.format != "csv" {
		e.errf("regc sync mice: --format must be table, json or csv, not %q\n", f.format)
		return exitUsage
	}
	if fs.NArg() != 0 {
		e.usagef(miceUsage, "regc sync mice: unexpected argument %q", fs.Arg(0))
		return exitUsage
	}
	if _, err := f.serverURL(e); err != nil {
		e.errf("regc sync mice: %v\n", err)
		return exitUsage
	}
	c, err := f.client(e, false)
	if err != nil {
		e.errf("regc sync mice: %v\n", err)
		return exitFail
	}
	ctx, stop := signalContext()
	defer stop()
	mice, err := c.Mice(ctx, f.regimen)
	if err == nil && len(mice) == 0 && f.regimen != "" {
		err = regimenOnServer(ctx, c, f.regimen)
	}
	if err != nil {
		e.errf("regc sync mice: %v\n", err)
		return exitFail
	}
	if err := writeMice(e, f.format, mice); err != nil {
		e.errf("regc sync mice: %v\n", err)
		return exitFail
	}
	return exitOK
}

// miceColumns are the columns of the table and the CSV.
var miceColumns = []string{"LabTracks_ID", "regimen", "stage", "state_id"}

// writeMice prints mice (already sorted by LabTracks_ID) in a format. What
// the server says is data: the table escapes what would act on a terminal
// (safetext.Terminal), the CSV what a spreadsheet would run as a formula
// (safetext.CSVCell).
func writeMice(e *env, format string, mice []mtrain.Mouse) error {
	switch format {
	case "json":
		if mice == nil {
			mice = []mtrain.Mouse{}
		}
		b, err := json.MarshalIndent(mice, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(e.stdout, "%s\n", b)
		return err
	case "csv":
		w := csv.NewWriter(e.stdout)
		w.Write(miceColumns)
		for _, m := range mice {
			w.Write([]string{strconv.Itoa(m.LabTracksID), safetext.CSVCell(m.Regimen), safetext.CSVCell(m.Stage), strconv.Itoa(m.State.ID)})
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(miceColumns, "\t"))
	for _, m := range mice {
		reg, stage := m.Regimen, m.Stage
		if reg == "" {
			reg = "?"
		}
		if stage == "" {
			stage = "?"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\n", m.LabTracksID, safetext.Terminal(reg), safetext.Terminal(stage), m.State.ID)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(mice) == 0 {
		fmt.Fprintln(e.stderr, "no mice")
	}
	return nil
}

// regimenOnServer returns nil when the server holds the regimen name, and
// otherwise an error that names the nearest regimen it holds.
func regimenOnServer(ctx context.Context, c *mtrain.Client, name string) error {
	_, err := c.Regimen(ctx, name)
	if !errors.Is(err, mtrain.ErrNotFound) {
		return err
	}
	regs, err := c.ListRegimens(ctx)
	if err != nil {
		return err
	}
	names := make([]string, len(regs))
	for i, r := range regs {
		names[i] = r.Name
	}
	msg := fmt.Sprintf("no regimen %s on %s", name, c.Server())
	if s := spell.Nearest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return errors.New(msg)
}
