package attr

import "strconv"

// Type is the data type of an AttributeValue.
type Type uint8

// The ten DynamoDB data types. Invalid is the zero value and marks a Value
// that was never set.
const (
	Invalid Type = iota
	S
	N
	B
	SS
	NS
	BS
	M
	L
	NULL
	BOOL
)

var typeNames = [...]string{Invalid: "", S: "S", N: "N", B: "B", SS: "SS", NS: "NS", BS: "BS", M: "M", L: "L", NULL: "NULL", BOOL: "BOOL"}

// String returns the wire name of t ("S", "NS", "BOOL", ...), or "" for Invalid.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return ""
}

// ParseType maps a wire name ("S", "NS", ...) to its Type.
func ParseType(s string) (Type, bool) {
	for i, n := range typeNames {
		if i != 0 && n == s {
			return Type(i), true
		}
	}
	return Invalid, false
}

// MarshalText renders t by its wire name ("S", "NS", ...; "" for
// Invalid), so that a Type in JSON reads as DynamoDB names it.
func (t Type) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads a wire name ("" is Invalid).
func (t *Type) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = Invalid
		return nil
	}
	v, ok := ParseType(string(b))
	if !ok {
		return &ValidationError{Msg: "unknown attribute type " + strconv.Quote(string(b))}
	}
	*t = v
	return nil
}

// IsSet reports whether t is SS, NS or BS.
func (t Type) IsSet() bool { return t == SS || t == NS || t == BS }

// IsScalarKey reports whether t may be a key attribute type (S, N or B).
func (t Type) IsScalarKey() bool { return t == S || t == N || t == B }

// Value is one DynamoDB AttributeValue. Type says which member is meaningful.
//
// Values are treated as immutable once built: code that did not create a
// Value must not modify its Set, L or M in place; build a new Value instead.
type Value struct {
	Type Type
	// S is the string for S, the canonical decimal for N (see ParseNumber)
	// and the raw bytes (not base64) for B.
	S string
	// Set holds the members of SS, NS (canonical decimals) and BS (raw bytes),
	// in the order they were received. Members are unique.
	Set []string
	// L is the list for L.
	L []Value
	// M is the map for M.
	M map[string]Value
	// Bool is the value of BOOL. For NULL it is always true.
	Bool bool
}

// Item is a whole item or a key: attribute name -> value.
type Item map[string]Value

// Str returns an S value.
func Str(s string) Value { return Value{Type: S, S: s} }

// Num returns an N value. canonical must already be canonical (see ParseNumber).
func Num(canonical string) Value { return Value{Type: N, S: canonical} }

// Bin returns a B value holding a copy of b.
func Bin(b []byte) Value { return Value{Type: B, S: string(b)} }

// Bool returns a BOOL value.
func Boolean(b bool) Value { return Value{Type: BOOL, Bool: b} }

// Null returns the NULL value.
func Null() Value { return Value{Type: NULL, Bool: true} }

// List returns an L value.
func List(vs ...Value) Value {
	if vs == nil {
		vs = []Value{}
	}
	return Value{Type: L, L: vs}
}

// Map returns an M value.
func Map(m map[string]Value) Value {
	if m == nil {
		m = map[string]Value{}
	}
	return Value{Type: M, M: m}
}

// Clone returns a deep copy of it (values are immutable, so only maps and
// slices that a caller may mutate are copied: the top-level map).
func (it Item) Clone() Item {
	if it == nil {
		return nil
	}
	out := make(Item, len(it))
	for k, v := range it {
		out[k] = v
	}
	return out
}
