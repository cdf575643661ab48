package attr

import "testing"

func TestTypeText(t *testing.T) {
	for _, typ := range []Type{Invalid, S, N, B, SS, NS, BS, M, L, NULL, BOOL} {
		b, err := typ.MarshalText()
		if err != nil || string(b) != typ.String() {
			t.Errorf("MarshalText(%v) = %q, %v", typ, b, err)
		}
		var back Type
		if err := back.UnmarshalText(b); err != nil || back != typ {
			t.Errorf("UnmarshalText(%q) = %v, %v", b, back, err)
		}
	}
	var bad Type
	if err := bad.UnmarshalText([]byte("X")); err == nil {
		t.Error(`UnmarshalText("X") accepted`)
	}
}
