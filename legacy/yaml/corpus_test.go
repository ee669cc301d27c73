package yaml

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/regc/regc/internal/corpustest"
	"github.com/regc/regc/lang"
)

// corpusDir returns ../shared/corpus beside the repository, or skips.
func corpusDir(t testing.TB) string {
	t.Helper()
	return corpustest.Dir(t, "yaml")
}

var errorLineRe = regexp.MustCompile(`^(\d+):(\d+) (.*?)(?: \(context (\d+):(\d+)\))?$`)

// TestLegacyCorpus reads every historic regimen of the corpus and checks it
// against what PyYAML made of it (corpus/expected).
func TestLegacyCorpus(t *testing.T) {
	dir := corpusDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	if len(files) == 0 {
		t.Fatalf("the corpus at %s has no yaml files", dir)
	}
	var errorsMatched, errorsTotal, jsonEqual, jsonTotal, dupFound, dupTotal int
	var reading time.Duration
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yml")
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		root, diags := Read(filepath.Base(f), src)
		reading += time.Since(start)
		for _, d := range diags {
			if d.Code == lang.CodeInternal {
				t.Errorf("%s: %v", name, d)
			}
		}
		exp := filepath.Join(dir, "expected", name)
		if b, err := os.ReadFile(exp + ".error"); err == nil {
			errorsTotal++
			m := errorLineRe.FindStringSubmatch(strings.TrimSpace(string(b)))
			if m == nil {
				t.Errorf("%s.error: cannot read %q", name, b)
				continue
			}
			lines := map[int]bool{}
			for _, s := range []string{m[1], m[4]} {
				if n, err := strconv.Atoi(s); err == nil {
					lines[n] = true
				}
			}
			ok := false
			for _, d := range diags {
				if d.Severity == lang.Error && lines[d.Range.Start.Line] {
					ok = true
				}
			}
			if ok {
				errorsMatched++
			} else {
				t.Errorf("%s: PyYAML says %q; got %v", name, strings.TrimSpace(string(b)), diags)
			}
		}
		if b, err := os.ReadFile(exp + ".json"); err == nil {
			jsonTotal++
			if diags.HasErrors() || root == nil {
				t.Errorf("%s: PyYAML loads it; got %v", name, diags)
				continue
			}
			want, err := parsePyJSON(b)
			if err != nil {
				t.Errorf("%s.json: %v", name, err)
				continue
			}
			got := root.Construct()
			g, w := typedString(normalizeDoc(got)), typedString(normalizeDoc(want))
			if g != w {
				t.Errorf("%s: document differs:\n got %.600s\nwant %.600s", name, g, w)
			} else {
				jsonEqual++
			}
		}
		if b, err := os.ReadFile(exp + ".defects.json"); err == nil {
			var defects []struct{ Kind, Detail string }
			if err := json.Unmarshal(b, &defects); err != nil {
				t.Fatal(err)
			}
			lineRe := regexp.MustCompile(`^line (\d+):`)
			for _, d := range defects {
				if d.Kind != lang.CodeDuplicateKey {
					continue
				}
				dupTotal++
				m := lineRe.FindStringSubmatch(d.Detail)
				found := false
				for _, g := range diags {
					if g.Code == lang.CodeDuplicateKey && g.Severity == lang.Warning && (m == nil || strconv.Itoa(g.Range.Start.Line) == m[1]) {
						found = true
					}
				}
				if found {
					dupFound++
				} else {
					t.Errorf("%s: no duplicate-key diagnostic for %q; got %v", name, d.Detail, diags)
				}
			}
		}
	}
	t.Logf("%d files read in %v: %d/%d error files matched by line, %d/%d json documents equal, %d/%d duplicate keys reported",
		len(files), reading, errorsMatched, errorsTotal, jsonEqual, jsonTotal, dupFound, dupTotal)
}

// BenchmarkReadCorpus reads every corpus file once per iteration.
func BenchmarkReadCorpus(b *testing.B) {
	dir := corpusDir(b)
	files, _ := filepath.Glob(filepath.Join(dir, "yaml", "*.yml"))
	var srcs [][]byte
	for _, f := range files {
		src, _ := os.ReadFile(f)
		srcs = append(srcs, src)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, src := range srcs {
			Read(files[j], src)
		}
	}
}

// normalizeDoc is oracle.py's normalize: the three keys of an mtrain
// document; `conditions`/`unless` as lists, absent when null or empty.
func normalizeDoc(doc any) any {
	m, _ := doc.(*Map)
	if m == nil {
		return doc
	}
	get := func(m *Map, k string) any { v, _ := m.Get(k); return v }
	out := &Map{}
	out.Pairs = append(out.Pairs, KV{"name", get(m, "name")})
	stages := &Map{}
	if s, ok := get(m, "stages").(*Map); ok {
		stages = s
	}
	out.Pairs = append(out.Pairs, KV{"stages", stages})
	var trans []any
	ts, _ := get(m, "transitions").([]any)
	for _, t := range ts {
		tm, ok := t.(*Map)
		if !ok {
			trans = append(trans, t)
			continue
		}
		nt := &Map{}
		for _, p := range tm.Pairs {
			if p.Key == "conditions" || p.Key == "unless" {
				switch v := p.Value.(type) {
				case nil:
					continue
				case []any:
					if len(v) == 0 {
						continue
					}
				case string:
					p.Value = []any{v}
				}
			}
			nt.Pairs = append(nt.Pairs, p)
		}
		trans = append(trans, nt)
	}
	out.Pairs = append(out.Pairs, KV{"transitions", trans})
	return out
}

// typedString is oracle.py's typed: a form in which 1, 1.0 and true differ
// and mapping keys are sorted (as JSON writes them).
func typedString(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("bool:%v", v)
	case *big.Int:
		return "int:" + v.String()
	case float64:
		if math.IsNaN(v) {
			return "float:nan"
		}
		return "float:" + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return "str:" + strconv.Quote(v)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = typedString(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Map:
		parts := make([]string, len(v.Pairs))
		for i, p := range v.Pairs {
			parts[i] = strconv.Quote(jsonKey(p.Key)) + ": " + typedString(p.Value)
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("other:%#v", v)
}

// jsonKey is how Python's json module writes a dict key.
func jsonKey(k any) string {
	switch k := k.(type) {
	case string:
		return k
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(k)
	case *big.Int:
		return k.String()
	case float64:
		return strconv.FormatFloat(k, 'g', -1, 64)
	}
	return fmt.Sprint(k)
}

// parsePyJSON reads JSON as Python's json module writes it: numbers with a
// '.' or an exponent are floats, others ints; Infinity, -Infinity and NaN
// are floats.
func parsePyJSON(b []byte) (any, error) {
	p := &pyJSON{s: string(b)}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("trailing data at %d", p.i)
	}
	return v, nil
}

type pyJSON struct {
	s string
	i int
}

func (p *pyJSON) ws() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyJSON) value() (any, error) {
	p.ws()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end")
	}
	for word, v := range map[string]any{"null": nil, "true": true, "false": false,
		"Infinity": math.Inf(1), "-Infinity": math.Inf(-1), "NaN": math.NaN()} {
		if strings.HasPrefix(p.s[p.i:], word) {
			p.i += len(word)
			return v, nil
		}
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		m := &Map{}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return m, nil
		}
		for {
			p.ws()
			k, err := p.value()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, fmt.Errorf("expected ':' at %d", p.i)
			}
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			m.Pairs = append(m.Pairs, KV{k, v})
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			return nil, fmt.Errorf("expected ',' or '}' at %d", p.i)
		}
	case c == '[':
		p.i++
		l := []any{}
		p.ws()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return l, nil
		}
		for {
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			p.ws()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == ']' {
				p.i++
				return l, nil
			}
			return nil, fmt.Errorf("expected ',' or ']' at %d", p.i)
		}
	case c == '"':
		j := p.i + 1
		for j < len(p.s) && p.s[j] != '"' {
			if p.s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(p.s) {
			return nil, fmt.Errorf("unterminated string")
		}
		var s string
		if err := json.Unmarshal([]byte(p.s[p.i:j+1]), &s); err != nil {
			return nil, err
		}
		if !utf8.ValidString(s) {
			return nil, fmt.Errorf("invalid string")
		}
		p.i = j + 1
		return s, nil
	default:
		j := p.i
		for j < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[j]) >= 0 {
			j++
		}
		num := p.s[p.i:j]
		if num == "" {
			return nil, fmt.Errorf("unexpected %q at %d", c, p.i)
		}
		p.i = j
		if strings.ContainsAny(num, ".eE") {
			return strconv.ParseFloat(num, 64)
		}
		n, ok := new(big.Int).SetString(num, 10)
		if !ok {
			return nil, fmt.Errorf("bad number %q", num)
		}
		return n, nil
	}
}
