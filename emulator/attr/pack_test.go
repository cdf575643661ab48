package attr

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// packSample has every type, nesting, empty containers and long strings
// (multi-byte length prefixes).
func packSample() Item {
	return Item{
		"pk":    Str("user#1"),
		"n":     Num("-12.5e-3"),
		"zero":  Num("0"),
		"bin":   Bin([]byte{0, 1, 0xff}),
		"empty": Str(""),
		"long":  Str(strings.Repeat("x", 300)),
		"t":     Boolean(true),
		"f":     Boolean(false),
		"null":  Null(),
		"ss":    {Type: SS, Set: []string{"a", "b", ""}},
		"ns":    {Type: NS, Set: []string{"1", "-2.5"}},
		"bs":    {Type: BS, Set: []string{"\x00", "\xff\xfe"}},
		"l":     List(Str("a"), Num("1"), List(), Map(nil), List(Null(), Boolean(true))),
		"m": Map(map[string]Value{
			"inner": Map(map[string]Value{"deep": {Type: SS, Set: []string{"x"}}}),
			"":      Str("empty name"),
		}),
		"€uro": Str("ü"),
	}
}

func requireSameItem(t *testing.T, got, want Item) {
	t.Helper()
	if !Equal(Map(got), Map(want)) {
		t.Fatalf("items differ:\n got %v\nwant %v", got, want)
	}
}

func TestPackUnpackRoundTrip(t *testing.T) {
	for _, it := range []Item{packSample(), {}, nil, {"k": Str("v")}} {
		b := Pack(it)
		if len(b) != PackedLen(it) || cap(b) != len(b) {
			t.Fatalf("Pack: len %d cap %d, PackedLen %d", len(b), cap(b), PackedLen(it))
		}
		got, err := Unpack(b)
		if err != nil {
			t.Fatalf("Unpack: %v", err)
		}
		requireSameItem(t, got, it)
		got, err = UnpackString(PackString(it))
		if err != nil {
			t.Fatalf("UnpackString: %v", err)
		}
		requireSameItem(t, got, it)
		if ItemSize(got) != ItemSize(it) {
			t.Fatalf("ItemSize %d after round trip, want %d", ItemSize(got), ItemSize(it))
		}
	}
}

func TestUnpackCopiesFromBytes(t *testing.T) {
	b := Pack(Item{"k": Str("value")})
	it, err := Unpack(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0
	}
	if it["k"].S != "value" {
		t.Fatalf("Unpack result changed with its input: %q", it["k"].S)
	}
}

func TestUnpackResultsAreIndependent(t *testing.T) {
	s := PackString(packSample())
	a, _ := UnpackString(s)
	b, _ := UnpackString(s)
	a["pk"] = Str("changed")
	a["l"].L[0] = Str("changed")
	a["m"].M["inner"] = Null()
	a["ss"].Set[0] = "changed"
	requireSameItem(t, b, packSample())
}

func TestPackedAttr(t *testing.T) {
	it := packSample()
	s := PackString(it)
	for name, want := range it {
		got, ok := PackedAttr(s, name)
		if !ok || !Equal(got, want) {
			t.Errorf("PackedAttr(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	if _, ok := PackedAttr(s, "absent"); ok {
		t.Error("PackedAttr found an absent attribute")
	}
	if _, ok := PackedAttr(s[:len(s)-1], "zzz"); ok {
		t.Error("PackedAttr succeeded on a truncated item")
	}
}

func TestUnpackMalformed(t *testing.T) {
	good := string(Pack(Item{"a": Str("x"), "b": List(Num("1"))}))
	cases := map[string]string{
		"empty":          "",
		"truncated":      good[:len(good)-1],
		"trailing":       good + "\x00",
		"unknown type":   "\x01\x01a\x0b",
		"bad bool":       "\x01\x01a\x0a\x02",
		"huge count":     "\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
		"varint overrun": "\x01\x01a\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
		"string overrun": "\x01\x05a",
		"list overrun":   "\x01\x01a\x08\x05\x0a",
		"set overrun":    "\x01\x01a\x04\x03\x01x",
	}
	for name, in := range cases {
		if it, err := UnpackString(in); !errors.Is(err, ErrMalformedPacked) || it != nil {
			t.Errorf("%s: UnpackString(%q) = %v, %v; want ErrMalformedPacked", name, in, it, err)
		}
	}
}

// FuzzPackUnpack checks that Unpack(Pack(it)) equals it for items built
// from the input, and that Unpack of the raw input never panics and, when
// it succeeds, round-trips too.
func FuzzPackUnpack(f *testing.F) {
	f.Add([]byte{})
	f.Add(Pack(packSample()))
	f.Add([]byte("\x03\x02pk\x01\x03abc\x01n\x02\x011\x01l\x08\x02\x07\x00\x09"))
	f.Fuzz(func(t *testing.T, in []byte) {
		g := itemGen{in: in}
		it := g.item(0)
		got, err := Unpack(Pack(it))
		if err != nil {
			t.Fatalf("Unpack(Pack(%v)): %v", it, err)
		}
		requireSameItem(t, got, it)

		raw, err := Unpack(in)
		if err != nil {
			return
		}
		again, err := Unpack(Pack(raw))
		if err != nil {
			t.Fatalf("Unpack(Pack(Unpack(%q))): %v", in, err)
		}
		requireSameItem(t, again, raw)
		packed := PackString(raw)
		for name, v := range raw {
			if pv, ok := PackedAttr(packed, name); !ok || !Equal(pv, v) {
				t.Fatalf("PackedAttr(%q) = %v, %v; want %v", name, pv, ok, v)
			}
		}
	})
}

// itemGen builds a valid item from fuzz bytes.
type itemGen struct {
	in  []byte
	pos int
}

func (g *itemGen) next() int {
	if g.pos >= len(g.in) {
		return 0
	}
	g.pos++
	return int(g.in[g.pos-1])
}

func (g *itemGen) str() string {
	n := g.next() % 8
	if n == 7 {
		return strings.Repeat("é", 100+g.next())
	}
	end := min(len(g.in), g.pos+n)
	s := string(g.in[g.pos:end])
	g.pos = end
	return s
}

func (g *itemGen) item(depth int) Item {
	it := Item{}
	for n := g.next() % 6; n > 0; n-- {
		it[g.str()] = g.value(depth)
	}
	return it
}

func (g *itemGen) value(depth int) Value {
	t := Type(1 + g.next()%10)
	if depth >= MaxDepth && (t == L || t == M) {
		t = S
	}
	switch t {
	case S, B:
		return Value{Type: t, S: g.str()}
	case N:
		return Num(strconv.Itoa(g.next() - 128))
	case BOOL:
		return Boolean(g.next()%2 == 1)
	case NULL:
		return Null()
	case SS, BS, NS:
		seen := map[string]bool{}
		var set []string
		for n := 1 + g.next()%4; n > 0; n-- {
			m := g.str()
			if t == NS {
				m = strconv.Itoa(g.next())
			}
			if !seen[m] {
				seen[m] = true
				set = append(set, m)
			}
		}
		return Value{Type: t, Set: set}
	case L:
		var l []Value
		for n := g.next() % 4; n > 0; n-- {
			l = append(l, g.value(depth+1))
		}
		return List(l...)
	}
	return Map(g.item(depth + 1))
}

func benchPackItem() Item {
	return Item{
		"pk": Str("user#12"), "sk": Num("42"), "name": Str("some name"),
		"n": Num("12345.678"), "tags": List(Str("a"), Str("b")),
	}
}

func BenchmarkPack(b *testing.B) {
	it := benchPackItem()
	b.ReportAllocs()
	for b.Loop() {
		_ = PackString(it)
	}
}

func BenchmarkUnpackString(b *testing.B) {
	s := PackString(benchPackItem())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UnpackString(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPackedAttr(b *testing.B) {
	s := PackString(benchPackItem())
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := PackedAttr(s, "tags"); !ok {
			b.Fatal("missing")
		}
	}
}

func TestPackKey(t *testing.T) {
	long := Str(strings.Repeat("k", 200)) // two-byte length prefix
	cases := []struct {
		name     string
		hn, rn   string
		hash, rg Value
		want     Item
	}{
		{"hash only", "pk", "", Str("a"), Value{}, Item{"pk": Str("a")}},
		{"hash and range", "pk", "sk", Str("a"), Num("-1.5"), Item{"pk": Str("a"), "sk": Num("-1.5")}},
		{"binary and long", "id", "b", long, Bin([]byte{0, 0xff}), Item{"id": long, "b": Bin([]byte{0, 0xff})}},
	}
	for _, c := range cases {
		s := PackKey(c.hn, c.hash, c.rn, c.rg)
		got, err := UnpackString(s)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		requireSameItem(t, got, c.want)
		if len(s) != PackedLen(c.want) {
			t.Errorf("%s: length %d, want %d", c.name, len(s), PackedLen(c.want))
		}
		// The order is fixed: packing the same key again gives the same string.
		if again := PackKey(c.hn, c.hash, c.rn, c.rg); again != s {
			t.Errorf("%s: packed twice differently", c.name)
		}
	}
}
