package attr

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

// jsonSample adds to packSample what the JSON encoder escapes or sorts:
// quotes, control characters, invalid UTF-8, U+2028, names that sort
// bytewise, and maps with more names than the transcoder's inline buffer.
func jsonSample() Item {
	it := packSample()
	it["esc\"\\\n\t\x01"] = Str("a\"b\\c\r\x7f\u2028\u2029\xff<>&")
	it["bad\xffname"] = Str("\xc3")
	it["Z"], it["a"], it["_"] = Num("1e3"), Num("100000000000000000000000000000000000000"), Bin(nil)
	wide := map[string]Value{}
	for i := range 40 {
		it["w"+strconv.Itoa(i)] = Num(strconv.Itoa(i))
		wide[strconv.Itoa(40-i)] = List(Str(strconv.Itoa(i)), Map(map[string]Value{"b": Null(), "a": Boolean(false)}))
	}
	it["wide"] = Map(wide)
	it["sets"] = List(Value{Type: BS, Set: []string{"", "\x00\x01\x02"}}, Value{Type: NS, Set: []string{"-0.001"}})
	it["invalid"] = List(Value{}) // a Value of no type: null
	return it
}

// wantPackedJSON checks AppendPackedJSON(packed) against
// AppendItemJSON(UnpackString(packed)), both appended after a prefix.
func wantPackedJSON(t *testing.T, packed string) {
	t.Helper()
	prefix := []byte("prefix:")
	it, uerr := UnpackString(packed)
	got, err := AppendPackedJSON(bytes.Clone(prefix), packed)
	if (err != nil) != (uerr != nil) {
		t.Fatalf("AppendPackedJSON error %v, UnpackString error %v", err, uerr)
	}
	if err != nil {
		if string(got) != string(prefix) {
			t.Fatalf("malformed input: dst changed to %q", got)
		}
		return
	}
	if want := AppendItemJSON(bytes.Clone(prefix), it); !bytes.Equal(got, want) {
		t.Fatalf("AppendPackedJSON:\n got %s\nwant %s", got, want)
	}
}

func TestAppendPackedJSONEveryType(t *testing.T) {
	items := []Item{jsonSample(), packSample(), {}, nil, {"k": Str("v")}}
	for k, v := range jsonSample() {
		items = append(items, Item{k: v})
	}
	for _, it := range items {
		wantPackedJSON(t, PackString(it))
		got, err := AppendPackedJSON(nil, PackString(it))
		if err != nil {
			t.Fatal(err)
		}
		if want := AppendItemJSON(nil, it); string(got) != string(want) {
			t.Fatalf("AppendPackedJSON:\n got %s\nwant %s", got, want)
		}
	}
}

// A packed map naming one attribute twice (Pack never writes one) keeps
// the last value, as Unpack does.
func TestAppendPackedJSONRepeatedName(t *testing.T) {
	packed := "\x03" + "\x01b\x01\x01x" + "\x01a\x01\x01y" + "\x01b\x02\x011"
	nested := "\x01\x01m\x07" + packed
	for _, p := range []string{packed, nested} {
		wantPackedJSON(t, p)
	}
	got, _ := AppendPackedJSON(nil, packed)
	if string(got) != `{"a":{"S":"y"},"b":{"N":"1"}}` {
		t.Fatalf("got %s", got)
	}
}

func TestAppendPackedJSONMalformed(t *testing.T) {
	valid := PackString(jsonSample())
	for i := range len(valid) { // every truncation
		wantPackedJSON(t, valid[:i])
	}
	for _, p := range []string{
		"", "\x01", "\x01\x01a", "\x01\x01a\x0b", "\x01\x01a\x0a\x02", "\x01\x01a\x09x",
		"\x01\x01a\x01\x05ab", "\x00\x00", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
		"\x01\x01a\x08\x05\x00", "\x01\x01a\x04\x02\x01x",
	} {
		wantPackedJSON(t, p)
	}
}

// FuzzPackedJSON: for any valid packed item (every item Pack can write,
// and any other string UnpackString accepts) both encodings are equal;
// for any other string AppendPackedJSON fails too.
func FuzzPackedJSON(f *testing.F) {
	f.Add(PackString(jsonSample()))
	f.Add(PackString(packSample()))
	f.Add(PackString(Item{}))
	f.Add("\x03\x01b\x01\x01x\x01a\x01\x01y\x01b\x02\x011")
	f.Fuzz(func(t *testing.T, packed string) {
		wantPackedJSON(t, packed)
		if it, err := UnpackString(packed); err == nil {
			wantPackedJSON(t, PackString(it))
		}
	})
}

func BenchmarkAppendPackedJSON(b *testing.B) {
	packed := PackString(Item{
		"pk": Str("user#1"), "sk": Num("42"), "name": Str("some name"), "n": Num("12345.678"),
		"tags": List(Str("a"), Str("b")), "m": Map(map[string]Value{"x": Boolean(true), "y": Str(strings.Repeat("y", 20))}),
	})
	buf := make([]byte, 0, 1024)
	b.Run("packed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = AppendPackedJSON(buf[:0], packed)
		}
	})
	b.Run("unpack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			it, _ := UnpackString(packed)
			buf = AppendItemJSON(buf[:0], it)
		}
	})
}
