package compiler

import "strconv"

// quantitiesWritten returns how each quantity in a stage's parameters was
// written in the source ("7 uL"), by its key path ("reward_volume",
// "stimulus.params.duration", "response_window.0"), for tools that show
// values in the source's units (`regc graph --params`); nil when there
// are none. A path is spelt only for a quantity found.
func quantitiesWritten(params *ival) map[string]string {
	var out map[string]string
	var keys []string // the path to the value being walked
	var walk func(v *ival)
	walk = func(v *ival) {
		switch v.kind {
		case iQuantity:
			if out == nil {
				out = map[string]string{}
			}
			out[writtenPath(keys)] = v.text
		case iMap:
			for _, f := range v.fields {
				keys = append(keys, f.key)
				walk(f.val)
				keys = keys[:len(keys)-1]
			}
		case iList:
			for i, x := range v.list {
				keys = append(keys, strconv.Itoa(i))
				walk(x)
				keys = keys[:len(keys)-1]
			}
		}
	}
	walk(params)
	return out
}

// writtenPath joins keys with dots, a key after an empty path standing
// alone (as the path of a key under an empty key is that key).
func writtenPath(keys []string) string {
	path := ""
	for _, k := range keys {
		if path == "" {
			path = k
		} else {
			path += "." + k
		}
	}
	return path
}
