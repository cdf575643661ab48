package faults

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// FieldError is a rule that failed to decode or validate. Field is the path
// of the bad field in the rule's JSON form, e.g. "action.type",
// "match.key.pk.prefix", "when.times", or "[2].action.code" for the third
// rule of an array; it is empty when the body as a whole is wrong.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// fieldErr returns a *FieldError.
func fieldErr(field, msg string) *FieldError { return &FieldError{Field: field, Msg: msg} }

// prefixed returns err with its field placed under prefix.
func prefixed(prefix string, err error) error {
	fe, ok := err.(*FieldError) //nolint:errorlint // only our own, unwrapped values
	if !ok || prefix == "" {
		return err
	}
	return fieldErr(joinPath(prefix, fe.Field), fe.Msg)
}

// joinPath appends field to the path prefix.
func joinPath(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "" || strings.HasPrefix(field, "["):
		return prefix + field
	default:
		return prefix + "." + field
	}
}

// ParseRules decodes one rule (a JSON object) or several (an array) and
// validates each. Unknown fields, values of the wrong JSON type and invalid
// values are reported as a *FieldError naming the field. Duplicate ids are
// not checked here: that is Injector.Add's job.
func ParseRules(data []byte) ([]Rule, error) {
	data = bytes.TrimSpace(data)
	if !json.Valid(data) {
		return nil, fieldErr("", "the body is not valid JSON")
	}
	if len(data) > 0 && data[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, fieldErr("", "must be a rule object or an array of rules")
		}
		rules := make([]Rule, len(raws))
		for i, raw := range raws {
			r, err := parseRule(raw)
			if err != nil {
				return nil, prefixed("["+strconv.Itoa(i)+"]", err)
			}
			rules[i] = r
		}
		return rules, nil
	}
	r, err := parseRule(data)
	if err != nil {
		return nil, err
	}
	return []Rule{r}, nil
}

// parseRule decodes and validates one rule.
func parseRule(data []byte) (Rule, error) {
	var r Rule
	if err := decodeStrict(data, &r); err != nil {
		return Rule{}, err
	}
	return r, r.Validate()
}

// ParsePatch decodes and validates the body of a rule patch.
func ParsePatch(data []byte) (RulePatch, error) {
	data = bytes.TrimSpace(data)
	if !json.Valid(data) {
		return RulePatch{}, fieldErr("", "the body is not valid JSON")
	}
	var p RulePatch
	if err := decodeStrict(data, &p); err != nil {
		return RulePatch{}, err
	}
	return p, p.Validate()
}

// decodeStrict checks data against the shape of *dst (known field names and
// JSON types, all the way down) and then decodes it. data must be valid JSON.
func decodeStrict(data []byte, dst any) error {
	t := reflect.TypeOf(dst).Elem()
	if err := checkShape(data, t, ""); err != nil {
		return err
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return fieldErr("", "the body does not match the rule schema")
	}
	return nil
}

// unmarshalerType is json.Unmarshaler, for types that check themselves.
var unmarshalerType = reflect.TypeFor[json.Unmarshaler]() //nolint:gochecknoglobals // constant

// checkShape verifies that the JSON value raw fits type t, reporting the
// first problem at path. null is accepted anywhere, as "omitted".
func checkShape(raw []byte, t reflect.Type, path string) error {
	if string(raw) == "null" {
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			return fieldErr(path, err.Error())
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return checkShape(raw, t.Elem(), path)
	case reflect.Struct:
		return checkStruct(raw, t, path)
	case reflect.Map:
		return checkMap(raw, t, path)
	case reflect.Slice:
		return checkSlice(raw, t, path)
	default:
		return checkScalar(raw, t.Kind(), path)
	}
}

// checkStruct checks a JSON object against the json-tagged fields of t.
func checkStruct(raw []byte, t reflect.Type, path string) error {
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return fieldErr(path, "must be an object")
	}
	fields := jsonFields(t)
	for _, name := range sortedKeys(m) {
		ft, ok := fields[name]
		if !ok {
			return fieldErr(joinPath(path, name), "unknown field")
		}
		if err := checkShape(m[name], ft, joinPath(path, name)); err != nil {
			return err
		}
	}
	return nil
}

// jsonFields maps the JSON names of t's fields (embedded structs flattened)
// to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for n, ft := range jsonFields(f.Type) {
				out[n] = ft
			}
		case name != "":
			out[name] = f.Type
		}
	}
	return out
}

// checkMap checks a JSON object whose members all have t's element type.
func checkMap(raw []byte, t reflect.Type, path string) error {
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return fieldErr(path, "must be an object")
	}
	for _, name := range sortedKeys(m) {
		if name == "" {
			return fieldErr(path, "must not have an empty member name")
		}
		if err := checkShape(m[name], t.Elem(), joinPath(path, name)); err != nil {
			return err
		}
	}
	return nil
}

// checkSlice checks a JSON array whose elements have t's element type.
func checkSlice(raw []byte, t reflect.Type, path string) error {
	var a []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &a) != nil {
		return fieldErr(path, "must be an array")
	}
	for i, el := range a {
		if err := checkShape(el, t.Elem(), path+"["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	return nil
}

// checkScalar checks a JSON string, number or boolean.
func checkScalar(raw []byte, kind reflect.Kind, path string) error {
	switch kind {
	case reflect.String:
		if raw[0] != '"' {
			return fieldErr(path, "must be a string")
		}
	case reflect.Bool:
		if string(raw) != "true" && string(raw) != "false" {
			return fieldErr(path, "must be a boolean")
		}
	case reflect.Int:
		if _, err := strconv.ParseInt(string(raw), 10, 32); err != nil {
			return fieldErr(path, "must be an integer")
		}
	case reflect.Float64:
		if _, err := strconv.ParseFloat(string(raw), 64); err != nil || raw[0] == '"' {
			return fieldErr(path, "must be a number")
		}
	default:
		return fieldErr(path, "has an unsupported type")
	}
	return nil
}

// sortedKeys returns m's keys in order, so the first error is stable.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
