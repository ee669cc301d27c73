package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/regc/regc/legacy"
	"github.com/spf13/pflag"
)

// regc completion bash|zsh|fish: a script that completes regc's commands,
// their flags, the values of some flags (formats, files, stage names) and
// file names. The scripts are made from the commands and flag sets
// registered, so they stay in step with them. Stage names come from the
// file on the command line, through the hidden `regc __complete-stages FILE`.

const completionUsage = "regc completion bash|zsh|fish"

func runCompletion(e *env, args []string) int {
	if len(args) != 1 {
		e.usagef(completionUsage, "regc completion: name one shell: bash, zsh or fish")
		return exitUsage
	}
	spec := completionSpec()
	switch args[0] {
	case "bash":
		fmt.Fprint(e.stdout, "# bash completion for regc. Load it with: source <(regc completion bash)\n")
		writeBashCompletion(e.stdout, spec)
		fmt.Fprint(e.stdout, "complete -o bashdefault -o default -F _regc regc\n")
	case "zsh":
		writeZshCompletion(e.stdout, spec)
	case "fish":
		writeFishCompletion(e.stdout, spec)
	case "-h", "--help":
		fmt.Fprintf(e.stdout, "Usage:\n  %s\n", completionUsage)
	default:
		e.usagef(completionUsage, "regc completion: %q is not a shell regc completes: use bash, zsh or fish", args[0])
		return exitUsage
	}
	return exitOK
}

// runCompleteStages prints the stage names of a file, one a line, and
// nothing (exit 1) when the file cannot be read or has no stages. It
// prints no diagnostics: it runs at each press of tab.
func runCompleteStages(e *env, args []string) int {
	if len(args) != 1 {
		return exitUsage
	}
	res := legacy.CompileFile(args[0], nil)
	if res.Regimen == nil || len(res.Regimen.Stages) == 0 {
		return exitFail
	}
	for _, s := range res.Regimen.Stages {
		if !strings.ContainsAny(s.Name, "\n\r") {
			fmt.Fprintln(e.stdout, s.Name)
		}
	}
	return exitOK
}

// compFlag is one flag of a command, for completion: its spellings and
// what its value is (valueNone for a flag without one).
type compFlag struct {
	names   []string
	value   string
	choices []string
}

const (
	valueNone  = "none"
	valueAny   = "any"
	valueFile  = "file"
	valueDir   = "dir"
	valueStage = "stage"
	valueWord  = "choice"
)

// compCmd is a command (or `sync SUB`) with its flags.
type compCmd struct {
	key   string
	subs  []string // subcommands, completed as its first argument
	flags []compFlag
}

// flagValueKind says what the value of a flag (by name) that takes one is:
// valueAny for a flag not named here.
func flagValueKind(name string) string {
	switch name {
	case "output", "db", "journal", "map", "against", "to":
		return valueFile
	case "out", "mouse-dir":
		return valueDir
	case "stage", "highlight":
		return valueStage
	}
	return valueAny
}

// formatChoices are the --format values of a command (key as compCmd's).
func formatChoices(key string) []string {
	switch key {
	case "check":
		return []string{"text", "json"}
	case "build":
		return []string{"yaml", "json"}
	case "diff":
		return []string{"text", "json", "markdown"}
	case "graph":
		return []string{"svg", "png", "dot", "mermaid", "html", "markdown", "csv"}
	case "sync mice":
		return []string{"table", "json", "csv"}
	}
	return nil
}

func completionSpec() (cmds []compCmd) {
	add := func(key string, subs []string, fs *pflag.FlagSet) {
		c := compCmd{key: key, subs: subs}
		if fs != nil {
			fs.VisitAll(func(f *pflag.Flag) {
				cf := compFlag{names: []string{"--" + f.Name}, value: valueNone}
				if f.Shorthand != "" {
					cf.names = append(cf.names, "-"+f.Shorthand)
				}
				if f.NoOptDefVal == "" {
					cf.value = flagValueKind(f.Name)
					switch f.Name {
					case "format":
						cf.value, cf.choices = valueWord, formatChoices(key)
					case "color":
						cf.value, cf.choices = valueWord, []string{"auto", "always", "never"}
					}
				}
				c.flags = append(c.flags, cf)
			})
		}
		cmds = append(cmds, c)
	}
	for _, name := range visibleCommands() {
		var subs []string
		switch name {
		case "sync":
			subs = syncNames()
		case "sandbox":
			subs = []string{"seed"}
		case "help":
			subs = visibleCommands()
		case "completion":
			subs = []string{"bash", "zsh", "fish"}
		}
		var fs *pflag.FlagSet
		if f := lookupCommand(name).flags; f != nil {
			fs = f()
		}
		add(name, subs, fs)
	}
	for _, s := range syncNames() {
		var fs *pflag.FlagSet
		if f := lookupSync(s).flags; f != nil {
			fs = f()
		}
		add("sync "+s, nil, fs)
	}
	return cmds
}

func (c compCmd) allFlags() []string {
	var out []string
	for _, f := range c.flags {
		out = append(out, f.names...)
	}
	return out
}

// shellCase writes the arms of a shell `case` over the command keys: for
// each command with a non-empty list, `pattern) body;;` where body is made
// of the list.
func shellCase(w io.Writer, cmds []compCmd, indent string, list func(c compCmd) []string, body func(words string) string) {
	for _, c := range cmds {
		if l := list(c); len(l) > 0 {
			fmt.Fprintf(w, "%s%q) %s ;;\n", indent, c.key, body(strings.Join(l, " ")))
		}
	}
}

// flagValueCase writes the arms of a shell `case` over "command flag" for
// the flags whose value completes: for each spelling list of a flag with a
// non-empty body, `"key -f"|"key --flag") body;;`.
func flagValueCase(w io.Writer, cmds []compCmd, indent string, body func(f compFlag) string) {
	for _, c := range cmds {
		for _, f := range c.flags {
			b := body(f)
			if b == "" {
				continue
			}
			pat := make([]string, len(f.names))
			for i, n := range f.names {
				pat[i] = fmt.Sprintf("%q", c.key+" "+n)
			}
			fmt.Fprintf(w, "%s%s) %s ;;\n", indent, strings.Join(pat, "|"), b)
		}
	}
}

func writeBashCompletion(w io.Writer, cmds []compCmd) {
	fmt.Fprintf(w, `_regc_key() {
    # the command of the line: its first word, or "sync SUB"
    local key=${COMP_WORDS[1]}
    if [[ $key == sync && $COMP_CWORD -gt 2 ]]; then key="sync ${COMP_WORDS[2]}"; fi
    echo "$key"
}
_regc_file() {
    # the file a flag's stage is in: the last word naming a regimen
    local w file=
    for w in "${COMP_WORDS[@]:2}"; do
        case $w in *.regimen|*.yml|*.yaml) file=$w ;; esac
    done
    echo "$file"
}
_regc() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} key words
    if [[ $prev == = && $COMP_CWORD -gt 2 ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi
    if [[ $cur == = ]]; then cur=; fi
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur"))
        return
    fi
    key=$(_regc_key)
    case "$key $prev" in
`, strings.Join(visibleCommands(), " "))
	flagValueCase(w, cmds, "        ", func(f compFlag) string {
		switch f.value {
		case valueWord:
			return fmt.Sprintf(`COMPREPLY=($(compgen -W %q -- "$cur")); return`, strings.Join(f.choices, " "))
		case valueStage:
			return `local file; file=$(_regc_file); [[ -n $file ]] && COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" __complete-stages "$file" 2>/dev/null)" -- "$cur")); return`
		case valueFile:
			return `compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return`
		case valueDir:
			return `compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return`
		case valueAny:
			return `return`
		}
		return ""
	})
	fmt.Fprint(w, `    esac
    if [[ $cur == -* ]]; then
        case "$key" in
`)
	shellCase(w, cmds, "            ", compCmd.allFlags, func(words string) string {
		return fmt.Sprintf(`COMPREPLY=($(compgen -W %q -- "$cur"))`, words)
	})
	fmt.Fprint(w, `        esac
        return
    fi
    if [[ $COMP_CWORD -eq 2 ]]; then
        case "$key" in
`)
	shellCase(w, cmds, "            ", func(c compCmd) []string { return c.subs }, func(words string) string {
		return fmt.Sprintf(`COMPREPLY=($(compgen -W %q -- "$cur")); return`, words)
	})
	fmt.Fprint(w, `        esac
    fi
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$cur"))
}
`)
}

func writeZshCompletion(w io.Writer, cmds []compCmd) {
	fmt.Fprintf(w, `#compdef regc
# zsh completion for regc. Load it with: source <(regc completion zsh)
# (after compinit), or save it as _regc in a folder of $fpath.
_regc() {
    local cur=${words[CURRENT]} prev=${words[CURRENT-1]} key=${words[2]} file w
    if (( CURRENT == 2 )); then
        compadd -- %s
        return
    fi
    if [[ $key == sync ]] && (( CURRENT > 3 )); then key="sync ${words[3]}"; fi
    case "$key $prev" in
`, strings.Join(visibleCommands(), " "))
	flagValueCase(w, cmds, "        (", func(f compFlag) string {
		switch f.value {
		case valueWord:
			return "compadd -- " + strings.Join(f.choices, " ") + "; return"
		case valueStage:
			return `file=; for w in ${words[3,CURRENT-1]}; do case $w in (*.regimen|*.yml|*.yaml) file=$w ;; esac; done; [[ -n $file ]] && compadd -- ${(f)"$(${words[1]} __complete-stages $file 2>/dev/null)"}; return`
		case valueFile:
			return "_files; return"
		case valueDir:
			return "_files -/; return"
		case valueAny:
			return "return"
		}
		return ""
	})
	fmt.Fprint(w, `    esac
    if [[ $cur == -* ]]; then
        case "$key" in
`)
	shellCase(w, cmds, "            (", compCmd.allFlags, func(words string) string { return "compadd -- " + words })
	fmt.Fprint(w, `        esac
        return
    fi
    if (( CURRENT == 3 )); then
        case "$key" in
`)
	shellCase(w, cmds, "            (", func(c compCmd) []string { return c.subs }, func(words string) string { return "compadd -- " + words + "; return" })
	fmt.Fprint(w, `        esac
    fi
    _files
}
if (( $+functions[compdef] )); then compdef _regc regc; fi
`)
}

func writeFishCompletion(w io.Writer, cmds []compCmd) {
	fmt.Fprint(w, `# fish completion for regc. Load it with: regc completion fish | source
function __regc_stages
    set -l file
    for w in (commandline -opc)
        switch $w
            case '*.regimen' '*.yml' '*.yaml'
                set file $w
        end
    end
    test -n "$file"; and regc __complete-stages $file 2>/dev/null
end
complete -c regc -f
`)
	for _, name := range visibleCommands() {
		fmt.Fprintf(w, "complete -c regc -n __fish_use_subcommand -a %s -d %s\n", name, fishQuote(lookupCommand(name).summary))
	}
	for _, c := range cmds {
		cond := fmt.Sprintf("'__fish_seen_subcommand_from %s'", c.key)
		if strings.HasPrefix(c.key, "sync ") {
			cond = fmt.Sprintf("'__fish_seen_subcommand_from sync; and __fish_seen_subcommand_from %s'", strings.TrimPrefix(c.key, "sync "))
		}
		if len(c.subs) > 0 {
			fmt.Fprintf(w, "complete -c regc -n %s -a %s\n", cond, fishQuote(strings.Join(c.subs, " ")))
		}
		for _, f := range c.flags {
			var spell []string
			for _, n := range f.names {
				if strings.HasPrefix(n, "--") {
					spell = append(spell, "-l "+n[2:])
				} else {
					spell = append(spell, "-s "+n[1:])
				}
			}
			var value string
			switch f.value {
			case valueWord:
				value = " -x -a " + fishQuote(strings.Join(f.choices, " "))
			case valueStage:
				value = " -x -a '(__regc_stages)'"
			case valueFile, valueDir:
				value = " -r -F"
			case valueAny:
				value = " -x"
			}
			fmt.Fprintf(w, "complete -c regc -n %s %s%s\n", cond, strings.Join(spell, " "), value)
		}
	}
	fmt.Fprint(w, "complete -c regc -n 'not __fish_use_subcommand' -F\n")
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
