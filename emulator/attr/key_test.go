package attr

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// randomNumber returns a canonical number spread over the whole range:
// negatives, fractions, up to 38 digits, exponents -130..125.
func randomNumber(r *rand.Rand) string {
	if r.IntN(20) == 0 {
		return "0"
	}
	nd := 1 + r.IntN(maxSigDigits)
	if r.IntN(2) == 0 {
		nd = 1 + r.IntN(3) // many collisions in short mantissas
	}
	var sb strings.Builder
	if r.IntN(2) == 0 {
		sb.WriteByte('-')
	}
	sb.WriteByte(byte('1' + r.IntN(9)))
	sb.WriteByte('.')
	for range nd - 1 {
		sb.WriteByte(byte('0' + r.IntN(10)))
	}
	exp := minExponent + r.IntN(maxExponent-minExponent+1)
	if r.IntN(2) == 0 {
		exp = r.IntN(7) - 3
	}
	sb.WriteString("e" + strconv.Itoa(exp))
	c, err := ParseNumber(sb.String())
	if err != nil {
		panic(sb.String() + ": " + err.Error())
	}
	return c
}

func randomValue(r *rand.Rand, t Type) Value {
	switch t {
	case N:
		return Num(randomNumber(r))
	default:
		b := make([]byte, r.IntN(4))
		for i := range b {
			b[i] = "\x00\x01a\x7f\x80\xff"[r.IntN(6)]
		}
		return Value{Type: t, S: string(b)}
	}
}

func TestEncodeKeyOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, typ := range []Type{S, N, B} {
		vals := make([]Value, 2000)
		for i := range vals {
			vals[i] = randomValue(r, typ)
		}
		for i := 0; i+1 < len(vals); i++ {
			a, b := vals[i], vals[i+1]
			c, _ := Compare(a, b)
			if k := bytes.Compare([]byte(EncodeKey(a)), []byte(EncodeKey(b))); k != c {
				t.Fatalf("%v: EncodeKey order %d, Compare %d for %q %q", typ, k, c, a.S, b.S)
			}
		}
		// Sorting by key sorts by Compare.
		slices.SortFunc(vals, func(a, b Value) int { return strings.Compare(EncodeKey(a), EncodeKey(b)) })
		for i := 0; i+1 < len(vals); i++ {
			if c, _ := Compare(vals[i], vals[i+1]); c > 0 {
				t.Fatalf("%v: out of order after sort: %q > %q", typ, vals[i].S, vals[i+1].S)
			}
		}
	}
}

func TestEncodeKeyNumbers(t *testing.T) {
	ordered := []string{
		"-9.9999999999999999999999999999999999999e125", "-1e125", "-12", "-1.2", "-1.1", "-1",
		"-0.9", "-1e-130", "0", "1e-130", "1.0000000000000000000000000000000000001e-130",
		"0.1", "1", "1.0000000000000000000000000000000000001", "1.1", "1.2", "12", "1e125",
		"9.9999999999999999999999999999999999999e125",
	}
	var prev string
	for i, s := range ordered {
		c, err := ParseNumber(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		k := EncodeKey(Num(c))
		if i > 0 && k <= prev {
			t.Errorf("EncodeKey(%s) does not sort after its predecessor", s)
		}
		prev = k
	}
	for _, pair := range [][2]string{{"1e3", "1000"}, {"-0", "0"}, {"1.50", "1.5"}, {"0.001", "1e-3"}} {
		a, _ := ParseNumber(pair[0])
		b, _ := ParseNumber(pair[1])
		if EncodeKey(Num(a)) != EncodeKey(Num(b)) || PartitionHash(Num(a)) != PartitionHash(Num(b)) {
			t.Errorf("%s and %s encode or hash differently", pair[0], pair[1])
		}
	}
}

func TestPartitionHash(t *testing.T) {
	// Fixed values: the hash must be the same in every process and release.
	if got := PartitionHash(Str("a")); got != PartitionHash(Str("a")) {
		t.Fatal("not deterministic")
	}
	if PartitionHash(Str("1")) == PartitionHash(Num("1")) {
		t.Error("S and N with the same text hash equally")
	}
	if PartitionHash(Str("a")) == PartitionHash(Bin([]byte("a"))) {
		t.Error("S and B with the same bytes hash equally")
	}
	if got := fnvAdd(fnvOffset, "a"); got != 0xaf63dc4c8601ec8c {
		t.Errorf("fnvAdd(a) = %#x, want FNV-1a 64 %#x", got, uint64(0xaf63dc4c8601ec8c))
	}
}

func BenchmarkEncodeKeyNumber(b *testing.B) {
	v := Num("-12345.6789")
	for b.Loop() {
		_ = EncodeKey(v)
	}
}

func BenchmarkPartitionHash(b *testing.B) {
	v := Str("user#12345")
	for b.Loop() {
		_ = PartitionHash(v)
	}
}

// TestPartitionHashSpreadsHighBits guards parallel-scan segments and stream
// partitions, which split the hash space by its high bits: short, similar
// keys must land in every quarter of the space.
func TestPartitionHashSpreadsHighBits(t *testing.T) {
	var quarters [4]int
	for i := 0; i < 400; i++ {
		quarters[PartitionHash(Str("item-"+strconv.Itoa(i)))>>62]++
	}
	for q, n := range quarters {
		if n < 50 {
			t.Errorf("quarter %d holds %d of 400 short keys: %v", q, n, quarters)
		}
	}
}
