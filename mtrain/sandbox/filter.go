package sandbox

// The q of the read API, evaluated as SQLite evaluated the SQL the sandbox
// once translated it to: values of the storage classes NULL, INTEGER, REAL
// and TEXT; a field's affinity (numeric for ids and booleans, text for
// names and JSON) applied to the value it is compared with; NULL matching
// nothing; LIKE folding ASCII case only; NULLs first in ascending order.

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

type valKind byte

// The storage classes, in SQLite's order of sorting.
const (
	vNull valKind = iota
	vInt
	vReal
	vText
)

// sqlVal is one value as SQLite holds it.
type sqlVal struct {
	kind valKind
	i    int64
	f    float64
	s    string
}

// numericAffinity converts a text that is a number (spaces around it
// allowed, no hex; up to a NUL) to INTEGER or REAL, as a numeric field does to the text
// it is compared with; any other value is left as it is.
func numericAffinity(v sqlVal) sqlVal {
	if v.kind != vText {
		return v
	}
	t, _, _ := strings.Cut(v.s, "\x00") // read as a C string
	t = strings.Trim(t, " \t\n\v\f\r")
	if !isNumber(t) {
		return v
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return sqlVal{kind: vInt, i: n}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !math.IsInf(f, 0) {
		return v
	}
	return sqlVal{kind: vReal, f: f}
}

// isNumber reports whether t is [+-]digits[.digits][e[+-]digits], with
// digits on at least one side of the point.
func isNumber(t string) bool {
	i := skipSign(t, 0)
	i, whole := skipDigits(t, i)
	frac := 0
	if i < len(t) && t[i] == '.' {
		i, frac = skipDigits(t, i+1)
	}
	if whole+frac == 0 {
		return false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		var exp int
		if i, exp = skipDigits(t, skipSign(t, i+1)); exp == 0 {
			return false
		}
	}
	return i == len(t)
}

func skipSign(t string, i int) int {
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		return i + 1
	}
	return i
}

// skipDigits returns the index after the digits at i, and their number.
func skipDigits(t string, i int) (int, int) {
	j := i
	for j < len(t) && t[j] >= '0' && t[j] <= '9' {
		j++
	}
	return j, j - i
}

// textAffinity renders a number as text, as a text field does to the
// number it is compared with.
func textAffinity(v sqlVal) sqlVal {
	switch v.kind {
	case vInt:
		return sqlVal{kind: vText, s: strconv.FormatInt(v.i, 10)}
	case vReal:
		return sqlVal{kind: vText, s: renderReal(v.f)}
	}
	return v
}

// renderReal writes a REAL as SQLite does: 15 significant digits when they
// read back as the same number, else 17; an exponent from 1e17 and below
// 1e-4; always a point (2.0, 1.0e+20). (SQLite's own 17-digit conversion
// may differ in the last digit from the exact one used here.)
func renderReal(f float64) string {
	if math.IsInf(f, 0) {
		if f > 0 {
			return "Inf"
		}
		return "-Inf"
	}
	digits := strconv.FormatFloat(f, 'e', 14, 64)
	if g, err := strconv.ParseFloat(digits, 64); err != nil || g != f {
		digits = strconv.FormatFloat(f, 'e', 16, 64)
	}
	// digits is [-]d.ddde±XX.
	neg := strings.HasPrefix(digits, "-")
	digits = strings.TrimPrefix(digits, "-")
	mant, expText, _ := strings.Cut(digits, "e")
	exp, _ := strconv.Atoi(expText)
	mant = strings.Replace(mant, ".", "", 1)
	mant = strings.TrimRight(mant, "0")
	if mant == "" {
		mant = "0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch {
	case exp < -4 || exp >= 17:
		b.WriteString(mant[:1] + ".")
		if len(mant) > 1 {
			b.WriteString(mant[1:])
		} else {
			b.WriteByte('0')
		}
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		b.WriteString("e" + sign)
		if exp < 10 {
			b.WriteByte('0')
		}
		b.WriteString(strconv.Itoa(exp))
	case exp < 0:
		b.WriteString("0." + strings.Repeat("0", -exp-1) + mant)
	default:
		if len(mant) <= exp+1 {
			b.WriteString(mant + strings.Repeat("0", exp+1-len(mant)) + ".0")
		} else {
			b.WriteString(mant[:exp+1] + "." + mant[exp+1:])
		}
	}
	return b.String()
}

// compareSorted orders two values as ORDER BY does: NULL, then numbers,
// then texts (bytewise); 0 when equal.
func compareSorted(a, b sqlVal) int {
	ca, cb := class(a), class(b)
	if ca != cb {
		return cmpInt(int64(ca), int64(cb))
	}
	switch ca {
	case 0:
		return 0
	case 1:
		return compareNumbers(a, b)
	}
	return strings.Compare(a.s, b.s)
}

// class is a value's rank in sorting: NULL, number, text.
func class(v sqlVal) int {
	switch v.kind {
	case vNull:
		return 0
	case vInt, vReal:
		return 1
	}
	return 2
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareNumbers(a, b sqlVal) int {
	switch {
	case a.kind == vInt && b.kind == vInt:
		return cmpInt(a.i, b.i)
	case a.kind == vInt:
		return cmpIntReal(a.i, b.f)
	case b.kind == vInt:
		return -cmpIntReal(b.i, a.f)
	}
	switch {
	case a.f < b.f:
		return -1
	case a.f > b.f:
		return 1
	}
	return 0
}

// cmpIntReal compares an integer with a real exactly.
func cmpIntReal(i int64, r float64) int {
	switch {
	case r < -9223372036854775808.0:
		return 1
	case r >= 9223372036854775808.0:
		return -1
	}
	t := int64(r) // exact: r's integer part fits
	if c := cmpInt(i, t); c != 0 {
		return c
	}
	switch frac := r - float64(t); {
	case frac > 0:
		return -1
	case frac < 0:
		return 1
	}
	return 0
}

// compare is a comparison of a field (its value a, of kind ak) with a value
// b: b takes a's affinity first. ok is false when either is NULL.
func compare(a sqlVal, ak colKind, b sqlVal) (c int, ok bool) {
	if a.kind == vNull || b.kind == vNull {
		return 0, false
	}
	if ak == kInt || ak == kBool {
		b = numericAffinity(b)
	} else {
		b = textAffinity(b)
	}
	return compareSorted(a, b), true
}

// compareFields compares two fields: a numeric field gives its affinity to
// a text field's value.
func compareFields(a sqlVal, ak colKind, b sqlVal, bk colKind) (int, bool) {
	if a.kind == vNull || b.kind == vNull {
		return 0, false
	}
	an, bn := ak == kInt || ak == kBool, bk == kInt || bk == kBool
	switch {
	case an && !bn:
		b = numericAffinity(b)
	case bn && !an:
		a = numericAffinity(a)
	}
	return compareSorted(a, b), true
}

// holds reports whether a comparison's result c satisfies the operator.
func holds(sym string, c int) bool {
	switch sym {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	}
	return c >= 0 // ">="
}

// like is SQLite's LIKE: % any run of characters, _ one character, ASCII
// letters matching either case, no escape character; each text ends at
// its first NUL, as SQLite reads them as C strings.
func like(s, p string) bool {
	s, _, _ = strings.Cut(s, "\x00")
	p, _, _ = strings.Cut(p, "\x00")
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if pi < len(p) && p[pi] == '%' {
			star, mark = pi, si
			pi++
			continue
		}
		if pi < len(p) {
			pr, pn := utf8.DecodeRuneInString(p[pi:])
			sr, sn := utf8.DecodeRuneInString(s[si:])
			if pr == '_' || foldASCII(pr) == foldASCII(sr) {
				pi += pn
				si += sn
				continue
			}
		}
		if star < 0 {
			return false
		}
		_, n := utf8.DecodeRuneInString(s[mark:])
		mark += n
		si, pi = mark, star+1
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

func foldASCII(r rune) rune {
	if r >= 'A' && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// asText is a value as LIKE reads it.
func asText(v sqlVal) string { return textAffinity(v).s }

// A query is a q made ready to run: a test of rows, an order, a window.
type query struct {
	where  func(map[string]sqlVal) bool // nil: every row
	order  []orderTerm
	limit  int64 // -1: no limit
	offset int64
}

type orderTerm struct {
	field string
	desc  bool
}

// Bounds on a q, the limits of the SQL it once became (32,766 bound
// values, expressions 1,000 deep, LIKE patterns of 50,000 bytes) and more:
// a q past them is refused as "Unable to construct query".
const (
	maxQueryValues     = 10000
	maxQueryConditions = 500
	maxLikePattern     = 10000
)

// query checks a q and makes it ready to run; any fault is errConstruct.
func (e *entity) query(spec qSpec) (*query, error) {
	if conditions(spec.Filters) > maxQueryConditions || len(spec.OrderBy) > maxQueryConditions {
		return nil, errConstruct
	}
	q := &query{limit: -1}
	values := 0
	var tests []func(map[string]sqlVal) bool
	for _, f := range spec.Filters {
		t, n, err := e.cond(f, 0)
		if err != nil {
			return nil, err
		}
		tests = append(tests, t)
		values += n
	}
	if len(tests) > 0 {
		q.where = all(tests)
	}
	for _, o := range spec.OrderBy {
		if _, ok := e.cols[o.Field]; !ok {
			return nil, errConstruct
		}
		switch strings.ToLower(o.Direction) {
		case "", "asc":
			q.order = append(q.order, orderTerm{o.Field, false})
		case "desc":
			q.order = append(q.order, orderTerm{o.Field, true})
		default:
			return nil, errConstruct
		}
	}
	if spec.Limit != nil || spec.Offset != nil {
		if spec.Limit != nil {
			if *spec.Limit < 0 {
				return nil, errConstruct
			}
			q.limit = *spec.Limit
		}
		if spec.Offset != nil {
			if *spec.Offset < 0 {
				return nil, errConstruct
			}
			q.offset = *spec.Offset
		}
		values += 2
	}
	if values > maxQueryValues {
		return nil, errConstruct
	}
	return q, nil
}

func all(tests []func(map[string]sqlVal) bool) func(map[string]sqlVal) bool {
	return func(r map[string]sqlVal) bool {
		for _, t := range tests {
			if !t(r) {
				return false
			}
		}
		return true
	}
}

func anyOf(tests []func(map[string]sqlVal) bool) func(map[string]sqlVal) bool {
	return func(r map[string]sqlVal) bool {
		for _, t := range tests {
			if t(r) {
				return true
			}
		}
		return false
	}
}

func constant(b bool) func(map[string]sqlVal) bool { return func(map[string]sqlVal) bool { return b } }

// conditions counts the filters of a q, those inside "or" and "and" too.
func conditions(filters []any) int {
	n := 0
	for _, f := range filters {
		n++
		if m, ok := f.(map[string]any); ok {
			for _, join := range []string{"or", "and"} {
				if items, ok := m[join].([]any); ok {
					n += conditions(items)
				}
			}
		}
	}
	return n
}

// cond makes the test of one filter: {"name", "op", "val"} or {"name", "op",
// "field"}, or {"or": [...]} / {"and": [...]}, and counts its values.
// A NULL matches no comparison, so a test is false where SQL's would be
// NULL: only AND and OR join tests, so the result is the same.
func (e *entity) cond(f any, depth int) (func(map[string]sqlVal) bool, int, error) {
	m, ok := f.(map[string]any)
	if !ok || depth > 20 {
		return nil, 0, errConstruct
	}
	for _, join := range []string{"or", "and"} {
		if list, ok := m[join]; ok {
			items, ok := list.([]any)
			if !ok || len(items) == 0 {
				return nil, 0, errConstruct
			}
			var parts []func(map[string]sqlVal) bool
			values := 0
			for _, it := range items {
				c, n, err := e.cond(it, depth+1)
				if err != nil {
					return nil, 0, err
				}
				parts = append(parts, c)
				values += n
			}
			if join == "or" {
				return anyOf(parts), values, nil
			}
			return all(parts), values, nil
		}
	}
	name, _ := m["name"].(string)
	op, _ := m["op"].(string)
	kind, ok := e.cols[name]
	if !ok {
		return nil, 0, errConstruct
	}
	if other, ok := m["field"]; ok {
		oname, _ := other.(string)
		okind, ok := e.cols[oname]
		sym, known := comparison(op)
		if !ok || !known {
			return nil, 0, errConstruct
		}
		return func(r map[string]sqlVal) bool {
			c, ok := compareFields(r[name], kind, r[oname], okind)
			return ok && holds(sym, c)
		}, 0, nil
	}
	val := m["val"]
	switch op {
	case "is_null":
		return func(r map[string]sqlVal) bool { return r[name].kind == vNull }, 0, nil
	case "is_not_null":
		return func(r map[string]sqlVal) bool { return r[name].kind != vNull }, 0, nil
	case "in", "not_in":
		items, ok := val.([]any)
		if !ok || len(items) > maxQueryValues {
			return nil, 0, errConstruct
		}
		if len(items) == 0 {
			return constant(op == "not_in"), 0, nil
		}
		var list []sqlVal
		for _, it := range items {
			a, err := bind(kind, it)
			if err != nil {
				return nil, 0, err
			}
			list = append(list, a)
		}
		in := op == "in"
		return func(r map[string]sqlVal) bool {
			sawNull := false
			for _, b := range list {
				c, ok := compare(r[name], kind, b)
				if !ok {
					sawNull = true
					continue
				}
				if c == 0 {
					return in
				}
			}
			// x NOT IN (...) is NULL, not true, when x or an item is NULL.
			return !in && !sawNull
		}, len(items), nil
	case "like", "ilike", "not_like":
		p, ok := val.(string)
		if !ok || len(p) > maxLikePattern {
			return nil, 0, errConstruct
		}
		want := op != "not_like"
		return func(r map[string]sqlVal) bool {
			v := r[name]
			return v.kind != vNull && like(asText(v), p) == want
		}, 1, nil
	}
	sym, ok := comparison(op)
	if !ok {
		return nil, 0, errConstruct
	}
	if val == nil {
		switch sym {
		case "=":
			return func(r map[string]sqlVal) bool { return r[name].kind == vNull }, 0, nil
		case "!=":
			return func(r map[string]sqlVal) bool { return r[name].kind != vNull }, 0, nil
		}
		return nil, 0, errConstruct
	}
	b, err := bind(kind, val)
	if err != nil {
		return nil, 0, err
	}
	return func(r map[string]sqlVal) bool {
		c, ok := compare(r[name], kind, b)
		return ok && holds(sym, c)
	}, 1, nil
}

// comparison is the comparison a filter's op names, "=", "!=", ">", "<",
// ">=" or "<=".
func comparison(op string) (string, bool) {
	switch op {
	case "==", "eq", "equals", "equal_to":
		return "=", true
	case "!=", "neq", "does_not_equal", "not_equal_to":
		return "!=", true
	case ">", "gt":
		return ">", true
	case "<", "lt":
		return "<", true
	case ">=", "ge", "gte", "geq":
		return ">=", true
	case "<=", "le", "lte", "leq":
		return "<=", true
	}
	return "", false
}

// bind turns a JSON value into the value a field is compared with: JSON
// text for a JSON field; else NULL, an integer (booleans are 1 and 0), a
// real, or a text ("true" and "false" are 1 and 0 for a boolean field).
func bind(kind colKind, v any) (sqlVal, error) {
	if kind == kJSON {
		b, err := json.Marshal(v)
		return sqlVal{kind: vText, s: string(b)}, err
	}
	switch x := v.(type) {
	case nil:
		return sqlVal{}, nil
	case bool:
		return boolVal(x), nil
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return intVal(n), nil
		}
		f, err := x.Float64()
		if err != nil {
			return sqlVal{}, errConstruct
		}
		return sqlVal{kind: vReal, f: f}, nil
	case string:
		if kind == kBool {
			switch strings.ToLower(x) {
			case "true", "1":
				return intVal(1), nil
			case "false", "0":
				return intVal(0), nil
			}
			return sqlVal{}, errConstruct
		}
		return sqlVal{kind: vText, s: x}, nil
	}
	return sqlVal{}, errConstruct
}
