package migrate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/regc/regc/lang"
	"github.com/regc/regc/legacy/yaml"
)

// LegacyMap is a migrations.yml, the stage mapping the old bulk-migration
// script read, given to `regc sync migrate --map`. It is read as PyYAML read
// it (YAML 1.1). Its shape is the one the only historic file used:
//
//	# source regimen → target regimen → old stage → new stage, each regimen
//	# named as the old script looked it up: its full name cut at the first
//	# dot (VisualBehavior_Task1A_v0.3.1 → VisualBehavior_Task1A_v0)
//	VisualBehavior_Task1A_v0:
//	  VisualBehavior_Task1A_v1:
//	    4_images_a_handoff_ready: TRAINING_4_images_A_handoff_ready
//
// One file may map a source to several targets, of other regimen families
// too. As a convenience, a file may instead be one flat map of old stage
// names to new ones, for any source and target. Stage names are strings: a
// key PyYAML reads as something else (1_0 is the int 10 in YAML 1.1) is an
// error, because the old script could never have matched it; so is a
// regimen key with a dot in it, for the same reason.
type LegacyMap struct {
	Path   string
	flat   []Pair
	flatAt string
	// nested[source][target] holds the stage pairs; at, where each entry
	// is written.
	nested  map[string]map[string][]Pair
	at      map[[2]string]string
	sources []string // in written order
	targets map[string][]string
}

// cutName is a regimen name as the old script looked it up in a
// migrations.yml: name.split('.')[0].
func cutName(name string) string {
	head, _, _ := strings.Cut(name, ".")
	return head
}

// ParseLegacyMap reads a migrations.yml. Every problem is reported, each at
// its place, in one error.
func ParseLegacyMap(path string, src []byte) (*LegacyMap, error) {
	m := &LegacyMap{Path: path, nested: map[string]map[string][]Pair{}, at: map[[2]string]string{}, targets: map[string][]string{}}
	root, diags := yaml.ReadValues(path, src)
	var errs []string
	for _, d := range diags {
		// A key written twice silently drops a mapping in PyYAML: here it is
		// an error, whatever its severity for a regimen.
		if d.Severity == lang.Error || d.Code == lang.CodeDuplicateKey {
			errs = append(errs, fmt.Sprintf("%s: %s", d.Range, d.Message))
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	if root == nil || root.IsNull() {
		return nil, fmt.Errorf("%s: the file is empty; it should map source regimens to target regimens to old and new stage names", path)
	}
	root = root.Target()
	if root.Kind != yaml.Mapping {
		return nil, fmt.Errorf("%s: want a mapping, got a %s", where(root), root.Kind)
	}
	entries := root.Entries()
	nested, flat := 0, 0
	for _, e := range entries {
		if isMapping(e.Value) {
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
	for _, e := range entries {
		if flat > 0 {
			break
		}
		source, ok := regimenKey(e, "source", add)
		if !ok {
			continue
		}
		m.sources = append(m.sources, source)
		m.nested[source] = map[string][]Pair{}
		for _, t := range e.Value.Target().Entries() {
			if !isMapping(t.Value) {
				what := describeKey(t)
				if k, ok := t.KeyValue.(string); ok {
					what = k
					if v := t.Value.Target(); v != nil && v.Kind == yaml.Scalar {
						what += ": " + v.Value
					}
				}
				add(fmt.Sprintf("%s: under %s, want a target regimen name (cut at its first dot) mapping old stage names to new ones, got %s", where(t.Key), source, what))
				continue
			}
			target, ok := regimenKey(t, "target", add)
			if !ok {
				continue
			}
			m.targets[source] = append(m.targets[source], target)
			m.nested[source][target] = pairs(t.Value.Target(), add)
			m.at[[2]string{source, target}] = where(t.Key)
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return m, nil
}

func isMapping(n *yaml.Node) bool {
	v := n.Target()
	return v != nil && v.Kind == yaml.Mapping
}

// regimenKey reads a source or target key: a regimen name cut at its first
// dot.
func regimenKey(e yaml.Entry, role string, add func(string)) (string, bool) {
	k, ok := e.KeyValue.(string)
	switch {
	case !ok:
		add(fmt.Sprintf("%s: %s; want a %s regimen name cut at its first dot, such as VisualBehavior_Task1A_v0", where(e.Key), describeKey(e), role))
	case k == "":
		add(fmt.Sprintf("%s: an empty %s regimen name", where(e.Key), role))
	case strings.Contains(k, "."):
		add(fmt.Sprintf("%s: %s has a dot, so the old script's lookup (a name cut at its first dot) never matched it; write %s", where(e.Key), k, cutName(k)))
	default:
		return k, true
	}
	return "", false
}

// pairs reads a mapping of old stage names to new ones.
func pairs(n *yaml.Node, add func(string)) []Pair {
	var out []Pair
	for _, e := range n.Entries() {
		from, ok := e.KeyValue.(string)
		if !ok {
			add(fmt.Sprintf("%s: a stage name must be a string, but %s; quote it", where(e.Key), describeKey(e)))
			continue
		}
		v := e.Value.Target()
		to := ""
		if v != nil && v.Kind == yaml.Scalar {
			to, _ = v.Construct().(string)
		}
		if to == "" {
			what := "nothing"
			if v != nil && !v.IsNull() {
				what = fmt.Sprintf("a %s", v.Kind)
				if v.Kind == yaml.Scalar {
					what = fmt.Sprintf("%q, which PyYAML reads as %s", v.Value, v.Tag())
				}
			}
			add(fmt.Sprintf("%s: %s: want the new stage's name, got %s", where(e.Key), from, what))
			continue
		}
		out = append(out, Pair{From: from, To: to})
	}
	return out
}

func describeKey(e yaml.Entry) string {
	return fmt.Sprintf("%q is read as %s", e.Key.Value, e.Key.Tag())
}

func where(n *yaml.Node) string {
	if n == nil {
		return "?"
	}
	r := n.Range()
	if !r.IsValid() {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// lookup finds the pairs that apply to mice moving from src to tgt, with a
// description of the entry; or nil and why there is none.
func (m *LegacyMap) lookup(src, tgt Regimen) ([]Pair, string, string) {
	if m.flatAt != "" {
		return m.flat, fmt.Sprintf("the stage map of %s", m.Path), ""
	}
	s, t := cutName(src.Name), cutName(tgt.Name)
	targets, ok := m.nested[s]
	if !ok {
		return nil, "", fmt.Sprintf("%s has no entry for %s (%s cut at its first dot, as the old script looked it up); its sources: %s", m.Path, s, src.Name, strings.Join(m.sources, ", "))
	}
	p, ok := targets[t]
	if !ok {
		return nil, "", fmt.Sprintf("%s maps %s only to %s, not to %s (%s cut at its first dot)", m.Path, s, strings.Join(m.targets[s], ", "), t, tgt.Name)
	}
	return p, fmt.Sprintf("the %s -> %s entry of %s (%s)", s, t, m.Path, m.at[[2]string{s, t}]), ""
}
