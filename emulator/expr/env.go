package expr

import (
	"sort"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Env holds one request's ExpressionAttributeNames and
// ExpressionAttributeValues and records which of them the request's
// expressions used. An Env is used by one request at a time.
type Env struct {
	names      map[string]string
	values     map[string]attr.Value
	usedNames  map[string]bool
	usedValues map[string]bool
}

// NewEnv validates the placeholder maps of a request. namesGiven and
// valuesGiven say whether the request carried the parameter at all, so an
// empty but present map is rejected as DynamoDB does.
func NewEnv(names map[string]string, values map[string]attr.Value, namesGiven, valuesGiven bool) (*Env, error) {
	if namesGiven {
		if err := checkKeys("ExpressionAttributeNames", '#', keysOf(names)); err != nil {
			return nil, err
		}
		for _, k := range keysOf(names) {
			switch m := attr.CheckName(names[k]); m {
			case "":
			case attr.MsgEmptyName:
				return nil, plainErr("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + k)
			default:
				return nil, plainErr("ExpressionAttributeNames contains invalid value: " + m + " for key " + k)
			}
		}
	}
	if valuesGiven {
		if err := checkKeys("ExpressionAttributeValues", ':', keysOf(values)); err != nil {
			return nil, err
		}
	}
	return &Env{
		names: names, values: values,
		usedNames: map[string]bool{}, usedValues: map[string]bool{},
	}, nil
}

// checkKeys applies DynamoDB's rules to the keys of one placeholder map.
func checkKeys(param string, sigil byte, keys []string) error {
	if len(keys) == 0 {
		return plainErr(param + " must not be empty")
	}
	for _, k := range keys {
		if !validPlaceholder(k, sigil) {
			return plainErr(param + ` contains invalid key: Syntax error; key: "` + k + `"`)
		}
	}
	return nil
}

// validPlaceholder reports whether k matches ^<sigil>[0-9a-zA-Z_]+$.
func validPlaceholder(k string, sigil byte) bool {
	if len(k) < 2 || k[0] != sigil {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isWordByte(k[i]) {
			return false
		}
	}
	return true
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// name resolves a #placeholder and marks it used.
func (e *Env) name(ph string) (string, bool) {
	if e == nil {
		return "", false
	}
	n, ok := e.names[ph]
	if ok {
		e.usedNames[ph] = true
	}
	return n, ok
}

// value resolves a :placeholder and marks it used.
func (e *Env) value(ph string) (attr.Value, bool) {
	if e == nil {
		return attr.Value{}, false
	}
	v, ok := e.values[ph]
	if ok {
		e.usedValues[ph] = true
	}
	return v, ok
}

// CheckUnused reports placeholders that none of the request's expressions
// used. Call it after every expression of the request was parsed. Keys are
// listed in sorted order.
func (e *Env) CheckUnused() error {
	if e == nil {
		return nil
	}
	if un := unused(e.names, e.usedNames); len(un) > 0 {
		return plainErr("Value provided in ExpressionAttributeNames unused in expressions: keys: {" +
			strings.Join(un, ", ") + "}")
	}
	if un := unused(e.values, e.usedValues); len(un) > 0 {
		return plainErr("Value provided in ExpressionAttributeValues unused in expressions: keys: {" +
			strings.Join(un, ", ") + "}")
	}
	return nil
}

func unused[V any](m map[string]V, used map[string]bool) []string {
	var out []string
	for _, k := range keysOf(m) {
		if !used[k] {
			out = append(out, k)
		}
	}
	return out
}
