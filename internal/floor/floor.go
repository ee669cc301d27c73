package floor

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"

	"gopkg.in/yaml.v3"
)

// JSON is the floor: the regimen.yml decoded with yaml.v3 and written
// as json.dumps(doc, sort_keys=True, indent=4) writes it, without the
// top-level keys that start with "_" (the anchors' holders). It knows
// nothing of regimens, diagnostics or PyYAML's corner cases. It decodes to
// yaml.v3's node tree and takes the values from there (aliases, merge keys
// and the resolved scalar tags): yaml.v3's own decoding into a map checks
// every key of a mapping against every other (quadratic in a mapping's
// size), which would make the floor, not regc, the slow side at 100,000
// stages.
func JSON(src []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, err
	}
	if len(root.Content) != 1 {
		return nil, fmt.Errorf("not one document")
	}
	doc, err := node(root.Content[0])
	if err != nil {
		return nil, err
	}
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the document is not a mapping")
	}
	for k := range m {
		if strings.HasPrefix(k, "_") {
			delete(m, k)
		}
	}
	var b bytes.Buffer
	value(&b, m, 0)
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// node is the value of a yaml.v3 node: mappings (with merge keys) as
// maps, sequences as slices, scalars by the tag yaml.v3 resolved.
func node(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.AliasNode:
		return node(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := node(c)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		var own []*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.ShortTag() != "!!merge" {
				own = append(own, k, v)
				continue
			}
			base, err := node(v)
			if err != nil {
				return nil, err
			}
			bm, ok := base.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("line %d: merge of a non-mapping", v.Line)
			}
			for bk, bv := range bm {
				out[bk] = bv
			}
		}
		for i := 0; i < len(own); i += 2 {
			v, err := node(own[i+1])
			if err != nil {
				return nil, err
			}
			out[own[i].Value] = v
		}
		return out, nil
	}
	switch n.ShortTag() {
	case "!!null":
		return nil, nil
	case "!!bool":
		return strings.EqualFold(n.Value, "true"), nil
	case "!!int":
		return strconv.Atoi(n.Value)
	case "!!float":
		return strconv.ParseFloat(n.Value, 64)
	}
	return n.Value, nil
}

func value(b *bytes.Buffer, v any, depth int) {
	indent := func(d int) {
		b.WriteByte('\n')
		for i := 0; i < d; i++ {
			b.WriteString("    ")
		}
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case float64:
		b.WriteString(pyFloat(v))
	case string:
		str(b, v)
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(depth + 1)
			value(b, x, depth+1)
		}
		indent(depth)
		b.WriteByte(']')
	case map[string]any:
		if len(v) == 0 {
			b.WriteString("{}")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			indent(depth + 1)
			str(b, k)
			b.WriteString(": ")
			value(b, v[k], depth+1)
		}
		indent(depth)
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%v", v)
	}
}

// pyFloat is Python's repr of a finite float: the shortest digits that
// read back, fixed notation for exponents -4..15 (with ".0" on integral
// values) and e-notation with a signed two-digit exponent otherwise.
func pyFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return map[bool]string{true: "Infinity", false: "-Infinity"}[f > 0]
	}
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(e, "e")
	x, _ := strconv.Atoi(exp)
	if x >= -4 && x < 16 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.ContainsAny(s, ".") {
			s += ".0"
		}
		return s
	}
	sign := "+"
	if x < 0 {
		sign, x = "-", -x
	}
	return fmt.Sprintf("%se%s%02d", mant, sign, x)
}

// str is a JSON string escaped to ASCII, as json.dumps writes it.
func str(b *bytes.Buffer, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r < 0x20 || (r > 0x7f && r < 0x10000):
			fmt.Fprintf(b, `\u%04x`, r)
		case r >= 0x10000:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(b, `\u%04x\u%04x`, hi, lo)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
