package compiler

import "strconv"

// quantitiesWritten returns how each quantity in a stage's parameters was
// written in the source ("7 uL"), by its key path ("reward_volume",
// "stimulus.params.duration", "response_window.0"), for tools that show
// values in the source's units (`regc graph --params`).
func quantitiesWritten(params *ival) map[string]string {
	out := map[string]string{}
	var walk func(v *ival, path string)
	walk = func(v *ival, path string) {
		join := func(k string) string {
			if path == "" {
				return k
			}
			return path + "." + k
		}
		switch v.kind {
		case iQuantity:
			out[path] = v.text
		case iMap:
			for _, f := range v.fields {
				walk(f.val, join(f.key))
			}
		case iList:
			for i, x := range v.list {
				walk(x, join(strconv.Itoa(i)))
			}
		}
	}
	walk(params, "")
	return out
}
