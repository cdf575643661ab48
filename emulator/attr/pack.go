package attr

import (
	"errors"
	"unsafe"
)

// The packed form of an item is a compact, immutable byte string for
// keeping many items in memory (the store keeps every item this way):
//
//	item   = count name-value*      (count: uvarint, number of attributes)
//	name   = len bytes              (len: uvarint)
//	value  = type payload           (type: one byte, the Type)
//	S, N, B      len bytes          (N as its canonical decimal string)
//	BOOL         one byte, 0 or 1
//	NULL         nothing
//	SS, NS, BS   count (len bytes)*
//	L            count value*
//	M            count name-value*
//
// Attribute and map-entry order is the map's iteration order, so two
// packings of one item may differ byte for byte but unpack equal.

// ErrMalformedPacked is returned by Unpack and UnpackString for input that
// is not a packed item.
var ErrMalformedPacked = errors.New("attr: malformed packed item")

// Pack returns the packed form of it, in a buffer of exactly its length.
func Pack(it Item) []byte {
	buf := make([]byte, 0, PackedLen(it))
	return appendPackedItem(buf, it)
}

// PackString returns the packed form of it as a string, in one allocation
// of exactly its length. UnpackString of it shares its memory.
func PackString(it Item) string {
	b := Pack(it)
	if len(b) == 0 {
		return ""
	}
	// b is local and never written after this point, so the string is
	// immutable as Go requires.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// PackKey returns the packed form of the key item {hashName: hash} or,
// when rangeName is not "", {hashName: hash, rangeName: rng}, with the
// attributes in that order. Numbers being canonical, equal keys pack to
// equal strings, so the result also identifies an item.
func PackKey(hashName string, hash Value, rangeName string, rng Value) string {
	n, count := 1+packedStringLen(hashName)+packedValueLen(hash), 1
	if rangeName != "" {
		n, count = n+packedStringLen(rangeName)+packedValueLen(rng), 2
	}
	b := make([]byte, 0, n)
	b = appendUvarint(b, uint64(count))
	b = appendPackedValue(appendPackedString(b, hashName), hash)
	if rangeName != "" {
		b = appendPackedValue(appendPackedString(b, rangeName), rng)
	}
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// PackedLen is len(Pack(it)).
func PackedLen(it Item) int {
	n := uvarintLen(uint64(len(it)))
	for k, v := range it {
		n += packedStringLen(k) + packedValueLen(v)
	}
	return n
}

// Unpack decodes a packed item. The strings of the result are copied out of
// b (in one allocation), so b may be reused afterwards.
func Unpack(b []byte) (Item, error) {
	return UnpackString(string(b))
}

// UnpackString decodes a packed item. The strings of the result (names,
// S, N and B values, set members) are substrings of s: no string is
// copied. The maps and slices of the result are new, so a caller may
// modify them without affecting s or other results.
func UnpackString(s string) (Item, error) {
	d := unpacker{s: s}
	it := d.item()
	if d.bad || d.pos != len(s) {
		return nil, ErrMalformedPacked
	}
	return it, nil
}

// PackedAttr returns the top-level attribute name of a packed item without
// unpacking the rest; like UnpackString, its strings are substrings of s.
// ok is false when the item has no such attribute or s is malformed.
func PackedAttr(s, name string) (v Value, ok bool) {
	d := unpacker{s: s}
	n := d.count(2)
	for range n {
		k := d.str()
		if d.bad {
			return Value{}, false
		}
		if k == name {
			v = d.value()
			return v, !d.bad
		}
		d.skipValue()
	}
	return Value{}, false
}

// appendPackedItem appends count and name-value pairs.
func appendPackedItem(b []byte, m map[string]Value) []byte {
	b = appendUvarint(b, uint64(len(m)))
	for k, v := range m {
		b = appendPackedString(b, k)
		b = appendPackedValue(b, v)
	}
	return b
}

func appendPackedValue(b []byte, v Value) []byte {
	b = append(b, byte(v.Type))
	switch v.Type {
	case S, N, B:
		return appendPackedString(b, v.S)
	case BOOL:
		if v.Bool {
			return append(b, 1)
		}
		return append(b, 0)
	case SS, NS, BS:
		b = appendUvarint(b, uint64(len(v.Set)))
		for _, m := range v.Set {
			b = appendPackedString(b, m)
		}
		return b
	case L:
		b = appendUvarint(b, uint64(len(v.L)))
		for _, e := range v.L {
			b = appendPackedValue(b, e)
		}
		return b
	case M:
		return appendPackedItem(b, v.M)
	}
	return b // NULL, Invalid: the type alone
}

// packedValueLen is len(appendPackedValue(nil, v)).
func packedValueLen(v Value) int {
	switch v.Type {
	case S, N, B:
		return 1 + packedStringLen(v.S)
	case BOOL:
		return 2
	case SS, NS, BS:
		n := 1 + uvarintLen(uint64(len(v.Set)))
		for _, m := range v.Set {
			n += packedStringLen(m)
		}
		return n
	case L:
		n := 1 + uvarintLen(uint64(len(v.L)))
		for _, e := range v.L {
			n += packedValueLen(e)
		}
		return n
	case M:
		return 1 + PackedLen(v.M)
	}
	return 1
}

func appendPackedString(b []byte, s string) []byte {
	return append(appendUvarint(b, uint64(len(s))), s...)
}

func packedStringLen(s string) int { return uvarintLen(uint64(len(s))) + len(s) }

func appendUvarint(b []byte, x uint64) []byte {
	for x >= 0x80 {
		b = append(b, byte(x)|0x80)
		x >>= 7
	}
	return append(b, byte(x))
}

func uvarintLen(x uint64) int {
	n := 1
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n
}
