package mtrain

// The wire types: what client and server (package sandbox) both read and
// write, defined once here so that the two agree by construction. The
// document a client uploads is in document.go (ParseDocument, Document).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// State joins one regimen to one stage: what a subject is on.
type State struct {
	ID        int `json:"id"`
	RegimenID int `json:"regimen_id"`
	StageID   int `json:"stage_id"`
}

// UnmarshalJSON accepts ids written as numbers or numeric strings.
func (s *State) UnmarshalJSON(data []byte) error {
	var w struct {
		ID        FlexInt `json:"id"`
		RegimenID FlexInt `json:"regimen_id"`
		StageID   FlexInt `json:"stage_id"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = State{ID: int(w.ID), RegimenID: int(w.RegimenID), StageID: int(w.StageID)}
	return nil
}

// FlexInt is an integer written as a JSON number or a numeric string.
type FlexInt int

func (f *FlexInt) UnmarshalJSON(data []byte) error {
	t := strings.TrimSpace(string(data))
	if t == "null" {
		*f = 0
		return nil
	}
	t = strings.Trim(t, `"`)
	n, err := strconv.Atoi(strings.TrimSpace(t))
	if err != nil {
		if fl, ferr := strconv.ParseFloat(t, 64); ferr == nil && fl == float64(int(fl)) {
			*f = FlexInt(int(fl))
			return nil
		}
		return fmt.Errorf("want an integer, got %s", shorten(string(data), 40))
	}
	*f = FlexInt(n)
	return nil
}

// WireStage is a stage as the read API gives it (/api/v1/regimens and
// /api/v1/stages): the client reads it, the sandbox writes it.
type WireStage struct {
	ID         FlexInt         `json:"id"`
	Name       string          `json:"name"`
	Script     *string         `json:"script"`
	ScriptMD5  *string         `json:"script_md5"`
	Parameters json.RawMessage `json:"parameters"`
}

// WireRegimen is a regimen as the read API gives it, with its stages and
// its states: the client reads it, the sandbox writes it. Active and
// Default are pointers because a server may leave them out.
type WireRegimen struct {
	ID      FlexInt     `json:"id"`
	Name    string      `json:"name"`
	Active  *bool       `json:"active"`
	Default *bool       `json:"default"`
	Stages  []WireStage `json:"stages"`
	States  []State     `json:"states"`
}

// JSON returns s as the JSON object {"id", "regimen_id", "stage_id"}, as
// write bodies and messages give a state.
func (s State) JSON() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// IsNull reports whether raw is JSON null.
func IsNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// ParseCriteria reads conditions or unless: a string, a list of strings, or
// null. A string holding a JSON list (how some servers store the column) is
// read as that list.
func ParseCriteria(raw json.RawMessage) ([]string, json.RawMessage, error) {
	if len(raw) == 0 || IsNull(raw) {
		return nil, nil, nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return nil, nil, JSONError(err)
	}
	compact := json.RawMessage(buf.Bytes())
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if t := strings.TrimSpace(s); strings.HasPrefix(t, "[") {
			var list []string
			if json.Unmarshal([]byte(t), &list) == nil {
				return list, compact, nil
			}
		}
		return []string{s}, compact, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, nil, errors.New("want a string, a list of strings, or null")
	}
	if len(list) == 0 {
		list = nil
	}
	return list, compact, nil
}

// JSONError words a JSON decoding error without Go type names.
func JSONError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated JSON")
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("invalid JSON at byte %d: %v", syn.Offset, syn)
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return fmt.Errorf("got a JSON %s where %s was wanted", ute.Value, goTypeWords(ute.Type.Kind()))
	}
	return err
}
