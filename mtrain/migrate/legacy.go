package migrate

import (
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/regc/regc/lang"
)

// LegacyMap is a migrations.yml, the stage mapping the old bulk-migration
// script read, given to `regc sync migrate --map`. It is read as PyYAML read
// it (YAML 1.1), and may take three shapes, the first being the old script's:
//
//	# source major version → target major version → old stage → new stage
//	0:
//	  1:
//	    4_images_a_handoff_ready: TRAINING_5_images_A_handoff_ready
//
//	# source regimen (a full name, or a base name for all its versions) → old → new
//	VisualBehavior_Task1A_v0.3.1:
//	  4_images_a_handoff_ready: TRAINING_5_images_A_handoff_ready
//
//	# old stage → new stage, whatever the source regimen
//	4_images_a_handoff_ready: TRAINING_5_images_A_handoff_ready
//
// The first two may be mixed in one file; the third stands alone. For a
// source regimen the most specific entry applies: its full name, then its
// base name, then its major version (only when source and target share a
// base name), then a flat map. Stage names are strings: a key PyYAML reads
// as something else (1_0 is the int 10 in YAML 1.1) is an error, because the
// old script could never have matched it.
type LegacyMap struct {
	Path      string
	flat      []Pair
	flatAt    string
	byMajor   map[[2]int][]Pair
	majorAt   map[[2]int]string
	byRegimen map[string][]Pair
	regimenAt map[string]string
}

// ParseLegacyMap reads a migrations.yml. Every problem is reported, each at
// its place, in one error.
func ParseLegacyMap(path string, src []byte) (*LegacyMap, error) {
	m := &LegacyMap{Path: path, byMajor: map[[2]int][]Pair{}, majorAt: map[[2]int]string{},
		byRegimen: map[string][]Pair{}, regimenAt: map[string]string{}}
	root, diags := lang.ReadLegacy(path, src)
	var errs []string
	for _, d := range diags {
		// A key written twice silently drops a mapping in PyYAML: here it is
		// an error, whatever its severity for a regimen.
		if d.Severity == lang.Error || d.Code == "duplicate-key" {
			errs = append(errs, fmt.Sprintf("%s: %s", d.Range, d.Message))
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	if root == nil || root.IsNull() {
		return nil, fmt.Errorf("%s: the file is empty; it should map old stage names to new ones", path)
	}
	root = root.Target()
	if root.Kind != lang.YAMLMapping {
		return nil, fmt.Errorf("%s: want a mapping, got a %s", where(root), root.Kind)
	}
	entries := root.Entries()
	nested, flat := 0, 0
	for _, e := range entries {
		if v := e.Value.Target(); v != nil && v.Kind == lang.YAMLMapping {
			nested++
		} else {
			flat++
		}
	}
	if nested > 0 && flat > 0 {
		return nil, fmt.Errorf("%s: mixes old → new stage pairs with nested maps; use one shape", where(root))
	}
	add := func(e string) { errs = append(errs, e) }
	if flat > 0 {
		m.flat = pairs(root, add)
		m.flatAt = where(root)
	}
	if nested > 0 {
		for _, e := range entries {
			switch k := e.KeyValue.(type) {
			case *big.Int:
				if !k.IsInt64() || k.Int64() < 0 || k.Int64() > 1<<20 {
					add(fmt.Sprintf("%s: %s is not a major version", where(e.Key), k))
					continue
				}
				srcMajor := int(k.Int64())
				for _, t := range e.Value.Target().Entries() {
					tk, ok := t.KeyValue.(*big.Int)
					if !ok || !tk.IsInt64() || tk.Int64() < 0 || tk.Int64() > 1<<20 {
						add(fmt.Sprintf("%s: under source major version %d, want a target major version, got %s", where(t.Key), srcMajor, describeKey(t)))
						continue
					}
					v := t.Value.Target()
					if v == nil || v.Kind != lang.YAMLMapping {
						add(fmt.Sprintf("%s: %d: %d: want a mapping of old stage names to new ones", where(t.Key), srcMajor, tk.Int64()))
						continue
					}
					key := [2]int{srcMajor, int(tk.Int64())}
					m.byMajor[key] = pairs(v, add)
					m.majorAt[key] = where(t.Key)
				}
			case string:
				if k == "" {
					add(fmt.Sprintf("%s: an empty regimen name", where(e.Key)))
					continue
				}
				m.byRegimen[k] = pairs(e.Value.Target(), add)
				m.regimenAt[k] = where(e.Key)
			default:
				add(fmt.Sprintf("%s: want a source regimen name or a major version, got %s", where(e.Key), describeKey(e)))
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return m, nil
}

// pairs reads a mapping of old stage names to new ones.
func pairs(n *lang.YAMLNode, add func(string)) []Pair {
	var out []Pair
	for _, e := range n.Entries() {
		from, ok := e.KeyValue.(string)
		if !ok {
			add(fmt.Sprintf("%s: a stage name must be a string, but %s; quote it", where(e.Key), describeKey(e)))
			continue
		}
		v := e.Value.Target()
		to := ""
		if v != nil && v.Kind == lang.YAMLScalar {
			to, _ = v.Construct().(string)
		}
		if to == "" {
			what := "nothing"
			if v != nil && !v.IsNull() {
				what = fmt.Sprintf("a %s", v.Kind)
				if v.Kind == lang.YAMLScalar {
					what = fmt.Sprintf("%q, which PyYAML reads as %s", v.Value, v.Tag)
				}
			}
			add(fmt.Sprintf("%s: %s: want the new stage's name, got %s", where(e.Key), from, what))
			continue
		}
		out = append(out, Pair{From: from, To: to})
	}
	return out
}

func describeKey(e lang.YAMLEntry) string {
	return fmt.Sprintf("%q is read as %s", e.Key.Value, e.Key.Tag)
}

func where(n *lang.YAMLNode) string {
	if n == nil {
		return "?"
	}
	r := n.Range
	if !r.IsValid() {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// lookup finds the pairs that apply to mice moving from src to tgt, with a
// description of the entry; or nil and why there is none.
func (m *LegacyMap) lookup(src, tgt Regimen) ([]Pair, string, string) {
	if p, ok := m.byRegimen[src.Name]; ok {
		return p, fmt.Sprintf("the %s entry of %s (%s)", src.Name, m.Path, m.regimenAt[src.Name]), ""
	}
	if p, ok := m.byRegimen[src.Base]; ok && src.Base != src.Name {
		return p, fmt.Sprintf("the %s entry of %s (%s)", src.Base, m.Path, m.regimenAt[src.Base]), ""
	}
	key := [2]int{src.Major, tgt.Major}
	if src.Major >= 0 && tgt.Major >= 0 && src.Base == tgt.Base {
		if p, ok := m.byMajor[key]; ok {
			return p, fmt.Sprintf("the %d: %d: entry of %s (%s)", src.Major, tgt.Major, m.Path, m.majorAt[key]), ""
		}
	}
	if m.flatAt != "" {
		return m.flat, fmt.Sprintf("the stage map of %s", m.Path), ""
	}
	why := fmt.Sprintf("%s has no entry for %s", m.Path, src.Name)
	if src.Base != src.Name {
		why += " nor for " + src.Base
	}
	if len(m.byMajor) > 0 {
		switch {
		case src.Major < 0 || tgt.Major < 0:
			why += "; its major-version entries need versioned regimen names"
		case src.Base != tgt.Base:
			why += fmt.Sprintf("; its major-version entries map versions of one regimen, and %s and %s are different regimens", src.Base, tgt.Base)
		default:
			why += fmt.Sprintf(" nor for major version %d to %d", src.Major, tgt.Major)
		}
	}
	return nil, "", why
}
