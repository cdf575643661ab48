package faults

import (
	"encoding/json"
	"errors"
	"sort"
	"strings"
)

// KeyS returns a string key value.
func KeyS(v string) KeyValue { return KeyValue{Type: "S", Value: v} }

// KeyN returns a number key value; v should be the canonical decimal form.
func KeyN(v string) KeyValue { return KeyValue{Type: "N", Value: v} }

// KeyB returns a binary key value; v is the base64 of the bytes.
func KeyB(v string) KeyValue { return KeyValue{Type: "B", Value: v} }

// MarshalJSON renders v as {"<Type>":"<Value>"}.
func (v KeyValue) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{v.Type: v.Value})
}

// errKeyValue is the message of a malformed KeyValue.
var errKeyValue = errors.New(`must be an object with one member "S", "N" or "B" holding a string`)

// UnmarshalJSON reads {"S":"..."}, {"N":"..."} or {"B":"..."}.
func (v *KeyValue) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil || len(m) != 1 {
		return errKeyValue
	}
	for t, s := range m {
		if t != "S" && t != "N" && t != "B" {
			return errKeyValue
		}
		*v = KeyValue{Type: t, Value: s}
	}
	return nil
}

// String renders k compactly and in a stable order, e.g. "pk=S:ORDER#4".
func (k Key) String() string {
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n + "=" + k[n].Type + ":" + k[n].Value)
	}
	return b.String()
}

// clone returns a copy of k (nil stays nil), so journal entries never alias
// a caller's map.
func (k Key) clone() Key {
	if k == nil {
		return nil
	}
	c := make(Key, len(k))
	for n, v := range k {
		c[n] = v
	}
	return c
}
