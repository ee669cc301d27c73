package yaml

// Scalars: Python's int(), float() and friends as PyYAML's SafeConstructor
// calls them on a scalar's text (ints with underscores and sexagesimal
// parts, floats, base64, timestamps).

import (
	"encoding/base64"
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/regc/regc/internal/lazyre"
)

var errInvalidLiteral = errors.New("invalid literal")

// pyStrip strips what Python's int() and float() ignore around a number.
func pyStrip(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == 0x1c || r == 0x1d || r == 0x1e || r == 0x1f })
}

// pyInt is Python's int(s, base) for ASCII digits: surrounding space, a
// sign, and for bases 2, 8 and 16 an optional 0b/0o/0x prefix.
func pyInt(s string, base int) (*big.Int, error) {
	s = pyStrip(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) >= 2 && s[0] == '0' {
		p := s[1] | 0x20
		if (base == 2 && p == 'b') || (base == 8 && p == 'o') || (base == 16 && p == 'x') {
			s = s[2:]
		}
	}
	if s == "" {
		return nil, errInvalidLiteral
	}
	for _, r := range s {
		d := -1
		switch {
		case r >= '0' && r <= '9':
			d = int(r - '0')
		case r >= 'a' && r <= 'z':
			d = int(r-'a') + 10
		case r >= 'A' && r <= 'Z':
			d = int(r-'A') + 10
		}
		if d < 0 || d >= base {
			return nil, errInvalidLiteral
		}
	}
	v, ok := new(big.Int).SetString(s, base)
	if !ok {
		return nil, errInvalidLiteral
	}
	if neg {
		v.Neg(v)
	}
	return v, nil
}

// constructInt is SafeConstructor.construct_yaml_int.
func constructInt(s string) (*big.Int, error) {
	v := strings.ReplaceAll(s, "_", "")
	if v == "" {
		return nil, errInvalidLiteral
	}
	sign := 1
	if v[0] == '-' {
		sign = -1
	}
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	var out *big.Int
	var err error
	switch {
	case v == "0":
		return new(big.Int), nil
	case strings.HasPrefix(v, "0b"):
		out, err = pyInt(v[2:], 2)
	case strings.HasPrefix(v, "0x"):
		out, err = pyInt(v[2:], 16)
	case v != "" && v[0] == '0':
		out, err = pyInt(v, 8)
	case strings.Contains(v, ":"):
		parts := strings.Split(v, ":")
		out = new(big.Int)
		base := big.NewInt(1)
		sixty := big.NewInt(60)
		for i := len(parts) - 1; i >= 0; i-- {
			d, err := pyInt(parts[i], 10)
			if err != nil {
				return nil, err
			}
			out.Add(out, d.Mul(d, base))
			base.Mul(base, sixty)
		}
	default:
		out, err = pyInt(v, 10)
	}
	if err != nil {
		return nil, err
	}
	if sign < 0 {
		out.Neg(out)
	}
	return out, nil
}

// pyFloat is Python's float(s).
func pyFloat(s string) (float64, error) {
	s = pyStrip(s)
	if s == "" || strings.ContainsAny(s, "xXpP_") {
		return 0, errInvalidLiteral
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var ne *strconv.NumError
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return 0, errInvalidLiteral
		}
	}
	if math.IsNaN(f) {
		f = otherNaN
	}
	return f, nil
}

// constructFloat is SafeConstructor.construct_yaml_float.
func constructFloat(s string) (float64, error) {
	v := strings.ToLower(strings.ReplaceAll(s, "_", ""))
	if v == "" {
		return 0, errInvalidLiteral
	}
	sign := 1.0
	if v[0] == '-' {
		sign = -1
	}
	if v[0] == '-' || v[0] == '+' {
		v = v[1:]
	}
	switch {
	case v == ".inf":
		return sign * math.Inf(1), nil
	case v == ".nan":
		return canonicalNaN, nil
	case strings.Contains(v, ":"):
		parts := strings.Split(v, ":")
		value, base := 0.0, 1.0
		for i := len(parts) - 1; i >= 0; i-- {
			d, err := pyFloat(parts[i])
			if err != nil {
				return 0, err
			}
			value += d * base
			base *= 60
		}
		return fixNaN(sign * value), nil
	}
	f, err := pyFloat(v)
	if err != nil {
		return 0, err
	}
	return fixNaN(sign * f), nil
}

func fixNaN(f float64) float64 {
	if math.IsNaN(f) {
		return otherNaN
	}
	return f
}

// decodeBase64 is base64.decodebytes: characters outside the alphabet are
// skipped, padding is required.
func decodeBase64(s string) ([]byte, error) {
	var b strings.Builder
	for _, r := range s {
		if r > 0x7F {
			return nil, errors.New("non-ascii data")
		}
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '/' || r == '=' {
			b.WriteRune(r)
		}
	}
	out, err := base64.StdEncoding.DecodeString(b.String())
	if err != nil {
		return nil, errors.New("incorrect padding or data")
	}
	return out, nil
}

var timestampParts = lazyre.New(`^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)` +
	`(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?` +
	`(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$`)

// constructTimestamp is SafeConstructor.construct_yaml_timestamp, with the
// range checks of Python's date and datetime.
func constructTimestamp(s string) (Timestamp, error) {
	m := timestampParts.Re().FindStringSubmatch(s)
	if m == nil {
		if t, ok := strings.CutSuffix(s, "\n"); ok {
			m = timestampParts.Re().FindStringSubmatch(t)
		}
	}
	if m == nil {
		return Timestamp{}, errors.New("not a timestamp")
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	year, month, day := atoi(m[1]), atoi(m[2]), atoi(m[3])
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return Timestamp{}, errors.New("day is out of range for month")
	}
	if m[4] == "" {
		return Timestamp{Time: time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)}, nil
	}
	hour, minute, second := atoi(m[4]), atoi(m[5]), atoi(m[6])
	if hour > 23 || minute > 59 || second > 59 {
		return Timestamp{}, errors.New("time is out of range")
	}
	frac := 0
	if m[7] != "" {
		f := m[7]
		if len(f) > 6 {
			f = f[:6]
		}
		for len(f) < 6 {
			f += "0"
		}
		frac = atoi(f)
	}
	ts := Timestamp{HasTime: true, Time: time.Date(year, time.Month(month), day, hour, minute, second, frac*1000, time.UTC)}
	switch {
	case m[9] != "":
		off := atoi(m[10])*3600 + atoi(m[11])*60
		if off >= 24*3600 {
			return Timestamp{}, errors.New("the utc offset is out of range")
		}
		if m[9] == "-" {
			off = -off
		}
		ts.HasZone = true
		ts.Time = time.Date(year, time.Month(month), day, hour, minute, second, frac*1000, time.FixedZone("", off))
	case m[8] == "Z":
		ts.HasZone = true
	}
	return ts, nil
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
