package attr

import "testing"

func TestCompare(t *testing.T) {
	cases := []struct {
		a, b Value
		want int
		ok   bool
	}{
		{Str("a"), Str("b"), -1, true},
		{Str("b"), Str("a"), 1, true},
		{Str("a"), Str("a"), 0, true},
		{Str(""), Str("a"), -1, true},
		{Str("Z"), Str("a"), -1, true},               // bytewise, upper case first
		{Str("\u00e9"), Str("z"), 1, true},           // UTF-8 bytes, not code units
		{Str("\uffff"), Str("\U0001F600"), -1, true}, // UTF-8 order differs from UTF-16
		{Num("10"), Num("9"), 1, true},
		{Num("-10"), Num("-9"), -1, true},
		{Num("0.5"), Num("0.25"), 1, true},
		{Num("1000"), Num("1000"), 0, true},
		{Bin([]byte{0x7f}), Bin([]byte{0x80}), -1, true}, // unsigned
		{Bin([]byte{1}), Bin([]byte{1, 0}), -1, true},
		{Str("1"), Num("1"), 0, false},
		{Boolean(true), Boolean(true), 0, false},
		{Null(), Null(), 0, false},
		{List(), List(), 0, false},
	}
	for _, c := range cases {
		got, ok := Compare(c.a, c.b)
		if got != c.want || ok != c.ok {
			t.Errorf("Compare(%v, %v) = %d, %v; want %d, %v", c.a, c.b, got, ok, c.want, c.ok)
		}
	}
}

func TestEqual(t *testing.T) {
	set := func(t Type, m ...string) Value { return Value{Type: t, Set: m} }
	big := make([]string, 20)
	rev := make([]string, 20)
	for i := range big {
		big[i] = string(rune('a' + i))
		rev[len(rev)-1-i] = big[i]
	}
	cases := []struct {
		a, b Value
		want bool
	}{
		{Str("a"), Str("a"), true},
		{Str("a"), Str("b"), false},
		{Str("1"), Num("1"), false},
		{Str("a"), Bin([]byte("a")), false},
		{Num("1.5"), Num("1.5"), true},
		{Boolean(true), Boolean(true), true},
		{Boolean(true), Boolean(false), false},
		{Null(), Null(), true},
		{Null(), Boolean(true), false},
		{set(SS, "a", "b"), set(SS, "b", "a"), true},
		{set(SS, "a", "b"), set(SS, "a", "c"), false},
		{set(SS, "a"), set(SS, "a", "b"), false},
		{set(NS, "1", "2"), set(NS, "2", "1"), true},
		{set(SS, "a"), set(BS, "a"), false},
		{set(SS, big...), set(SS, rev...), true},
		{List(Str("a"), Num("1")), List(Str("a"), Num("1")), true},
		{List(Str("a"), Num("1")), List(Num("1"), Str("a")), false},
		{List(), List(), true},
		{Map(map[string]Value{"a": Num("1")}), Map(map[string]Value{"a": Num("1")}), true},
		{Map(map[string]Value{"a": Num("1")}), Map(map[string]Value{"b": Num("1")}), false},
		{Map(map[string]Value{"a": Num("1")}), Map(map[string]Value{"a": Num("2")}), false},
		{Map(nil), Map(map[string]Value{}), true},
		{Map(nil), List(), false},
	}
	for _, c := range cases {
		if got := Equal(c.a, c.b); got != c.want {
			t.Errorf("Equal(%v, %v) = %v; want %v", c.a, c.b, got, c.want)
		}
		if got := Equal(c.b, c.a); got != c.want {
			t.Errorf("Equal(%v, %v) = %v; want %v (swapped)", c.b, c.a, got, c.want)
		}
	}
}

func FuzzCompare(f *testing.F) {
	for _, c := range canonicalCases {
		f.Add(byte(N), c.in, c.want)
	}
	f.Add(byte(S), "a", "ab")
	f.Add(byte(S), "\u00e9", "z")
	f.Add(byte(B), "\x7f", "\x80")
	f.Add(byte(N), "-1", "-12")
	f.Fuzz(func(t *testing.T, kind byte, a, b string) {
		typ := []Type{S, N, B}[int(kind)%3]
		if typ == N {
			var err error
			if a, err = ParseNumber(a); err != nil {
				return
			}
			if b, err = ParseNumber(b); err != nil {
				return
			}
		}
		va, vb := Value{Type: typ, S: a}, Value{Type: typ, S: b}
		c1, ok1 := Compare(va, vb)
		c2, ok2 := Compare(vb, va)
		if !ok1 || !ok2 || c1 != -c2 {
			t.Fatalf("not antisymmetric: %d %d", c1, c2)
		}
		ka, kb := EncodeKey(va), EncodeKey(vb)
		if k := compareStrings(ka, kb); k != c1 {
			t.Fatalf("EncodeKey order %d, Compare %d for %q %q", k, c1, a, b)
		}
		if (c1 == 0) != Equal(va, vb) {
			t.Fatalf("Compare 0 disagrees with Equal for %q %q", a, b)
		}
		if c1 == 0 && PartitionHash(va) != PartitionHash(vb) {
			t.Fatalf("equal keys hash differently: %q %q", a, b)
		}
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
