package emit

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/regc/regc/compiler"
	"gopkg.in/yaml.v3"
)

// ParseYAMLValue reads the first YAML document in data as a value, with
// YAML 1.2 core types as gopkg.in/yaml.v3 resolves them (an untagged int too
// large for 64 bits reads as a float there, which is why YAML tags such ints
// !!int). It is the reader YAML's output is tested against. Record keys must
// be strings and unique; merge keys, timestamps and other tags are errors.
// An empty document is null.
func ParseYAMLValue(data []byte) (compiler.Value, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return compiler.Value{}, err
	}
	if doc.Kind == 0 {
		return compiler.NullValue(), nil
	}
	p := yamlReader{budget: maxYAMLNodes}
	return p.value(&doc, 0)
}

// maxYAMLNodes bounds the nodes read, aliases expanded; maxYAMLDepth the
// nesting. Both guard against documents built to blow up.
const (
	maxYAMLNodes = 1 << 22
	maxYAMLDepth = 10000
)

type yamlReader struct {
	budget int
}

func (p *yamlReader) value(n *yaml.Node, depth int) (compiler.Value, error) {
	p.budget--
	if p.budget < 0 {
		return compiler.Value{}, errors.New("yaml document too large")
	}
	if depth > maxYAMLDepth {
		return compiler.Value{}, fmt.Errorf("line %d: yaml nested too deeply", n.Line)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return compiler.NullValue(), nil
		}
		return p.value(n.Content[0], depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return compiler.Value{}, fmt.Errorf("line %d: unknown alias", n.Line)
		}
		return p.value(n.Alias, depth+1)
	case yaml.SequenceNode:
		list := make([]compiler.Value, 0, len(n.Content))
		for _, c := range n.Content {
			x, err := p.value(c, depth+1)
			if err != nil {
				return compiler.Value{}, err
			}
			list = append(list, x)
		}
		return compiler.ListValue(list...), nil
	case yaml.MappingNode:
		fields := make([]compiler.Field, 0, len(n.Content)/2)
		seen := make(map[string]bool, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			switch {
			case k.ShortTag() == "!!merge":
				return compiler.Value{}, fmt.Errorf("line %d: merge keys are not supported", k.Line)
			case k.Kind != yaml.ScalarNode || k.ShortTag() != "!!str":
				return compiler.Value{}, fmt.Errorf("line %d: record key must be a string", k.Line)
			case seen[k.Value]:
				return compiler.Value{}, fmt.Errorf("line %d: duplicate key %q", k.Line, k.Value)
			}
			seen[k.Value] = true
			x, err := p.value(n.Content[i+1], depth+1)
			if err != nil {
				return compiler.Value{}, err
			}
			fields = append(fields, compiler.Field{Key: k.Value, Value: x})
		}
		return compiler.MapValue(fields...), nil
	case yaml.ScalarNode:
		return scalarValue(n)
	}
	return compiler.Value{}, fmt.Errorf("line %d: unexpected yaml node", n.Line)
}

func scalarValue(n *yaml.Node) (compiler.Value, error) {
	tag := n.ShortTag()
	bad := func() (compiler.Value, error) {
		return compiler.Value{}, fmt.Errorf("line %d: invalid %s %q", n.Line, tag, n.Value)
	}
	switch tag {
	case "!!str":
		return compiler.StringValue(n.Value), nil
	case "!!null":
		return compiler.NullValue(), nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return bad()
		}
		return compiler.BoolValue(b), nil
	case "!!int":
		// Sign, then 0x, 0o, 0b or 0 prefixes, as yaml.v3 reads them.
		i, ok := new(big.Int).SetString(strings.ReplaceAll(n.Value, "_", ""), 0)
		if !ok {
			return bad()
		}
		return compiler.BigIntValue(i), nil
	case "!!float":
		switch strings.ToLower(strings.TrimPrefix(n.Value, "+")) {
		case ".inf":
			return compiler.FloatValue(math.Inf(1)), nil
		case "-.inf":
			return compiler.FloatValue(math.Inf(-1)), nil
		case ".nan":
			return compiler.FloatValue(math.NaN()), nil
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			return bad()
		}
		return compiler.FloatValue(f), nil
	}
	return compiler.Value{}, fmt.Errorf("line %d: unsupported yaml type %s", n.Line, tag)
}
