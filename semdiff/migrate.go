package semdiff

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/regc/regc/compiler"
	"github.com/regc/regc/lang"
)

// Unmapped is a stage of OLD that NEW neither has nor maps.
type Unmapped struct {
	Stage string `json:"stage"`
	// Guess is the stage Suggest proposes for it, or "".
	Guess string `json:"guess,omitempty"`
}

// Coverage lists the stages of old that new neither has (by name) nor maps
// in a `migrate` block for old's base name and major version (or for any
// major version), in old's order, each with Suggest's guess.
func Coverage(old, new *compiler.Regimen) []Unmapped {
	var out []Unmapped
	for _, g := range Suggest(old, new) {
		out = append(out, Unmapped{Stage: g.From, Guess: g.To})
	}
	return out
}

// unmapped are the stages of old that new neither has nor maps.
func unmapped(old, new *compiler.Regimen) []*compiler.Stage {
	o := side(Input{Regimen: old})
	major := -2 // matches only blocks for any major
	if v, ok := parseSemver(o.Version); ok {
		major = v.major
	}
	mapped := map[string]bool{}
	for _, m := range new.Migrations {
		if m.From != o.Base || (m.Major != -1 && m.Major != major) {
			continue
		}
		for _, p := range m.Map {
			if new.Stage(p.To) != nil {
				mapped[p.From] = true
			}
		}
	}
	var out []*compiler.Stage
	for _, s := range old.Stages {
		if new.Stage(s.Name) == nil && !mapped[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

// Suggestion is a guessed mapping of a stage of OLD that NEW lacks, with
// the evidence for it. To is "" when no stage of NEW resembles it.
type Suggestion struct {
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Evidence string `json:"evidence"`
	score    float64
}

// Suggest matches each stage of old that new neither has nor maps (see
// Coverage) to a stage of new: by
// the words of their names (the numbers that order stages aside) and by how
// many of their parameters are equal. Stages new added are matched first,
// one to one, best score first; a stage left over may go to any stage of
// new.
func Suggest(old, new *compiler.Regimen) []Suggestion {
	from := unmapped(old, new)
	if len(from) == 0 {
		return nil
	}
	var fresh, all []*compiler.Stage
	for _, s := range new.Stages {
		all = append(all, s)
		if old.Stage(s.Name) == nil {
			fresh = append(fresh, s)
		}
	}
	type pair struct {
		i, j int
		sc   score
	}
	var pairs []pair
	for i, a := range from {
		for j, b := range fresh {
			if sc := similarity(a, b); sc.total > 0 {
				pairs = append(pairs, pair{i, j, sc})
			}
		}
	}
	sort.SliceStable(pairs, func(x, y int) bool { return pairs[x].sc.total > pairs[y].sc.total })
	out := make([]Suggestion, len(from))
	done := make([]bool, len(from))
	used := make([]bool, len(fresh))
	for _, p := range pairs {
		if done[p.i] || used[p.j] {
			continue
		}
		done[p.i], used[p.j] = true, true
		out[p.i] = Suggestion{From: from[p.i].Name, To: fresh[p.j].Name, Evidence: p.sc.evidence(), score: p.sc.total}
	}
	for i, a := range from {
		if done[i] {
			continue
		}
		best := Suggestion{From: a.Name, Evidence: "no stage of the new version resembles it"}
		for _, b := range all {
			if sc := similarity(a, b); sc.total > best.score {
				best = Suggestion{From: a.Name, To: b.Name, Evidence: sc.evidence() + "; that stage is also the target of another", score: sc.total}
			}
		}
		if best.To != "" && old.Stage(best.To) != nil {
			best.Evidence = strings.TrimSuffix(best.Evidence, "; that stage is also the target of another") + "; that stage is in both versions"
		}
		out[i] = best
	}
	return out
}

// score is the evidence that two stages are one.
type score struct {
	wordsShared, words  int // words of the names
	paramsEqual, params int // top-level parameters (stage aside)
	sameScript          bool
	total               float64
}

func (s score) evidence() string {
	parts := []string{fmt.Sprintf("name: %d of %d words shared", s.wordsShared, s.words)}
	if s.params > 0 {
		parts = append(parts, fmt.Sprintf("parameters: %d of %d equal", s.paramsEqual, s.params))
	}
	if s.sameScript {
		parts = append(parts, "same script")
	}
	return strings.Join(parts, "; ")
}

// similarity weighs the names' words (60%) and the parameters (40%); the
// script adds a little, to break ties.
func similarity(a, b *compiler.Stage) score {
	var s score
	wa, wb := words(a.Name), words(b.Name)
	union := map[string]bool{}
	for w := range wa {
		union[w] = true
		if wb[w] {
			s.wordsShared++
		}
	}
	for w := range wb {
		union[w] = true
	}
	s.words = len(union)
	pa, pb := withoutStage(a.Params), withoutStage(b.Params)
	keys := map[string]bool{}
	for _, f := range pa.Map {
		keys[f.Key] = true
		if g, ok := pb.Get(f.Key); ok && compiler.Equal(f.Value, g) {
			s.paramsEqual++
		}
	}
	for _, f := range pb.Map {
		keys[f.Key] = true
	}
	s.params = len(keys)
	ua, ma := scriptOf(a)
	ub, mb := scriptOf(b)
	s.sameScript = ua == ub && ma == mb && ua != ""
	if s.words > 0 {
		s.total += 0.6 * float64(s.wordsShared) / float64(s.words)
	}
	if s.params > 0 {
		s.total += 0.4 * float64(s.paramsEqual) / float64(s.params)
	}
	if s.sameScript && s.total > 0 {
		s.total += 0.01
	}
	return s
}

// words are a stage name's words, lower case, split at anything that is
// not a letter or digit; numbers alone (the place of a stage in the
// sequence, which a new version renumbers) are left out.
func words(name string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if strings.TrimFunc(w, unicode.IsDigit) == "" {
			continue
		}
		out[w] = true
	}
	return out
}

// MigrateBlock writes suggestions as a `migrate` block for NEW's source:
// each line commented with its evidence; a stage without a guess is
// written as a comment to complete.
func MigrateBlock(old *compiler.Regimen, sugg []Suggestion) string {
	o := side(Input{Regimen: old})
	var b strings.Builder
	b.WriteString("migrate from " + stageName(o.Base))
	if v, ok := parseSemver(o.Version); ok {
		b.WriteString(" " + strconv.Itoa(v.major))
	}
	b.WriteString(" {\n")
	width := 0
	for _, s := range sugg {
		if s.To != "" {
			width = max(width, len(stageName(s.From))+4+len(stageName(s.To)))
		}
	}
	for _, s := range sugg {
		if s.To == "" {
			fmt.Fprintf(&b, "    // %s -> ?  %s\n", stageName(s.From), s.Evidence)
			continue
		}
		line := stageName(s.From) + " -> " + stageName(s.To)
		fmt.Fprintf(&b, "    %-*s  // %s\n", width, line, s.Evidence)
	}
	b.WriteString("}\n")
	return b.String()
}

// isWord reports whether s is a keyword or one of the words the grammar
// reads in place (from, version, when, unless, in, start), which a stage
// name must be quoted to be.
func isWord(s string) bool {
	switch s {
	case "from", "version", "when", "unless", "in", "start":
		return true
	}
	return lang.IsKeyword(s)
}

// stageName writes a name as the language reads it: an identifier as it
// is, anything else quoted.
func stageName(s string) string {
	ok := s != "" && !isWord(s)
	for i, r := range s {
		if !(r == '_' || unicode.IsLetter(r) && r < 128 || i > 0 && unicode.IsDigit(r) && r < 128) {
			ok = false
		}
	}
	if ok {
		return s
	}
	return lang.Quote(s)
}
