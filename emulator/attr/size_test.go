package attr

import (
	"strings"
	"testing"
)

func TestNumberSize(t *testing.T) {
	// Sizes from dynalite's putItem item-size tests (recorded against
	// DynamoDB) and its valSize formula.
	cases := []struct {
		n    string
		want int
	}{
		{"0", 1},
		{"1", 2},
		{"-1", 3},
		{"10", 2},
		{"12", 2},    // two digits, exponent 1 (odd)
		{"120", 3},   // two digits, exponent 2 (even): one more
		{"1.2", 3},   // exponent 0
		{"0.12", 2},  // exponent -1
		{"0.012", 3}, // exponent -2
		{"123", 3},
		{"1234", 3},
		{"-1234", 4},
		{strings.Repeat("1", 38) + strings.Repeat("0", 88), 20},
		{"1" + strings.Repeat("0", 125), 2},
		{"11" + strings.Repeat("0", 124), 2},
		{"11111" + strings.Repeat("0", 121), 4},
		{"111111" + strings.Repeat("0", 120), 4},
		{"1111111" + strings.Repeat("0", 119), 5},
	}
	for _, c := range cases {
		canon, err := ParseNumber(c.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := Size(Num(canon)); got != c.want {
			t.Errorf("Size(N %s) = %d, want %d", c.n, got, c.want)
		}
	}
}

func TestSize(t *testing.T) {
	cases := []struct {
		v    Value
		want int
	}{
		{Str("abc"), 3},
		{Str("\u00e9"), 2}, // UTF-8 bytes
		{Str(""), 0},
		{Bin([]byte{1, 2, 3}), 3},
		{Boolean(false), 1},
		{Null(), 1},
		{Value{Type: SS, Set: []string{"ab", "c"}}, 3},
		{Value{Type: BS, Set: []string{"\x00", "\x01\x02"}}, 3},
		{Value{Type: NS, Set: []string{"1", "-1"}}, 5},
		{List(), 3},
		{List(Str("ab"), Num("1")), 3 + (1 + 2) + (1 + 2)},
		{Map(nil), 3},
		{Map(map[string]Value{"k": Str("ab"), "kk": Null()}), 3 + (1 + 1 + 2) + (1 + 2 + 1)},
		{List(Map(map[string]Value{"a": List()})), 3 + 1 + (3 + 1 + 1 + 3)},
	}
	for _, c := range cases {
		if got := Size(c.v); got != c.want {
			t.Errorf("Size(%v) = %d, want %d", c.v, got, c.want)
		}
	}
}

func TestItemSize(t *testing.T) {
	// dynalite putItem: keyStr + 1 ("a") + b's value + 1 ("b") bytes.
	it := Item{"a": Str("key"), "bb": Str("xyz"), "ccc": Str("cc"), "n": Num("1")}
	if got, want := ItemSize(it), (1+3)+(2+3)+(3+2)+(1+2); got != want {
		t.Errorf("ItemSize = %d, want %d", got, want)
	}
	if ItemSize(nil) != 0 {
		t.Error("empty item has a size")
	}
}
