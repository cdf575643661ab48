package partiql

import (
	"reflect"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// valueOf parses "SELECT * FROM t WHERE a = <src>" and converts the right
// side of the comparison.
func valueOf(t *testing.T, src string, params ...attr.Value) (attr.Value, error) {
	t.Helper()
	st, err := Parse("SELECT * FROM t WHERE a = " + src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	rhs := st.(*Select).Where.(*Binary).R
	return Value(rhs, params)
}

func TestValue(t *testing.T) {
	tests := []struct {
		src    string
		params []attr.Value
		want   attr.Value
	}{
		{`'it''s'`, nil, attr.Str("it's")},
		{`1.50e1`, nil, attr.Num("15")},
		{`-2`, nil, attr.Num("-2")},
		{`true`, nil, attr.Boolean(true)},
		{`null`, nil, attr.Null()},
		{`?`, []attr.Value{attr.Bin([]byte{1})}, attr.Bin([]byte{1})},
		{`[1, 'a']`, nil, attr.List(attr.Num("1"), attr.Str("a"))},
		{`{'k': {'n': 1}}`, nil, attr.Map(map[string]attr.Value{"k": attr.Map(map[string]attr.Value{"n": attr.Num("1")})})},
		{`<<'a', 'b', 'a'>>`, nil, attr.Value{Type: attr.SS, Set: []string{"a", "b"}}},
		{`<<1, 2>>`, nil, attr.Value{Type: attr.NS, Set: []string{"1", "2"}}},
	}
	for _, tt := range tests {
		got, err := valueOf(t, tt.src, tt.params...)
		if err != nil {
			t.Errorf("Value(%s): %v", tt.src, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Value(%s) = %#v, want %#v", tt.src, got, tt.want)
		}
	}
}

func TestValueErrors(t *testing.T) {
	const overflow = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	tests := []struct{ src, msg string }{
		{`1e126`, overflow + " under root"},
		{`{'x': 1e126}`, overflow + " under root.x"},
		{`[1, 1e126]`, overflow + " under root[1]"},
		{`1e-131`, "Number underflow. Attempting to store a number with magnitude smaller than supported range under root"},
		{`123456789012345678901234567890123456789`, "Attempting to store more than 38 significant digits in a Number under root"},
		{`<<>>`, MsgEmptyBag},
		{`<<1, 'a'>>`, MsgBagType},
		{`<<[1]>>`, MsgBagType},
		{`{'a': 1, 'a': 2}`, "Duplicate keys in tuple. Key: a under root"},
		{`{1: 2}`, "Tuple keys must be of type String. Actual type: DECIMAL under root"},
		{`MISSING`, MsgMissingLiteral},
		{`?`, MsgParamCount},
	}
	for _, tt := range tests {
		_, err := valueOf(t, tt.src)
		if err == nil || err.Error() != tt.msg {
			t.Errorf("Value(%s) error = %v, want %q", tt.src, err, tt.msg)
		}
	}
}
