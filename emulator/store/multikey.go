package store

import (
	"fmt"

	"github.com/dynafault/dynafault/emulator/attr"
)

// A multi-attribute key part (the partition key or the sort key of a GSI
// with several attributes in it) is stored as a tuple: each attribute's
// attr.EncodeKey with its 0x00 bytes escaped as 0x00 0x01, then the
// terminator 0x00 0x00. Tuples compare bytewise as their attributes compare
// one after the other, and the tuples that begin with given leading
// attributes are exactly the strings with their encoding as a prefix, so a
// query that pins the first sort-key attributes and restricts the next one
// is one contiguous range of the index tree. A single-attribute part keeps
// the plain encoding.

// appendTupleElem appends the tuple encoding of one key value.
func appendTupleElem(dst []byte, v attr.Value) []byte {
	dst = appendEscaped(dst, attr.EncodeKey(v))
	return append(dst, 0, 0)
}

// appendEscaped appends s with every 0x00 byte written as 0x00 0x01.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		dst = append(dst, s[i])
		if s[i] == 0 {
			dst = append(dst, 1)
		}
	}
	return dst
}

// encodePart encodes the values of one key part: the plain encoding for a
// single attribute, the tuple for several.
func encodePart(vals []attr.Value) string {
	if len(vals) == 1 {
		return attr.EncodeKey(vals[0])
	}
	var b []byte
	for _, v := range vals {
		b = appendTupleElem(b, v)
	}
	return string(b)
}

// partHash is the partition hash of an encoded partition key part: that
// of the value for a single attribute, of the tuple for several.
func partHash(vals []attr.Value, enc string) uint64 {
	if len(vals) == 1 {
		return attr.PartitionHash(vals[0])
	}
	return attr.PartitionHash(attr.Value{Type: attr.B, S: enc})
}

// keyValues returns the values of attrs found by get, failing if one is
// missing or has another type.
func keyValues(attrs []KeyAttr, get func(string) (attr.Value, bool)) ([]attr.Value, error) {
	vals := make([]attr.Value, len(attrs))
	for i, a := range attrs {
		v, ok := get(a.Name)
		if !ok || v.Type != a.Type {
			return nil, fmt.Errorf("%w: attribute %q missing or not of type %s", ErrInvalidKey, a.Name, a.Type)
		}
		vals[i] = v
	}
	return vals, nil
}

// multiKeyOf is keyOf for a multi-attribute key schema: every key
// attribute must be present with its type.
func multiKeyOf(ks KeySchema, get func(string) (attr.Value, bool)) (key, error) {
	hv, err := keyValues(ks.HashAttrs(), get)
	if err != nil {
		return key{}, err
	}
	rv, err := keyValues(ks.RangeAttrs(), get)
	if err != nil {
		return key{}, err
	}
	k := multiPartition(hv)
	k.n = 2
	if len(rv) > 0 {
		k.parts[1] = encodePart(rv)
	}
	return k, nil
}

// multiPartition returns the key prefix of the partition with the
// partition-key values hv.
func multiPartition(hv []attr.Value) key {
	enc := encodePart(hv)
	return key{hash: partHash(hv, enc), parts: [4]string{enc}, n: 1}
}

// checkTypes fails unless vals has the types of the first len(vals) attrs.
func checkTypes(attrs []KeyAttr, vals []attr.Value, what string) error {
	if len(vals) > len(attrs) {
		return fmt.Errorf("%w: %d %s values for %d attributes", ErrInvalidKey, len(vals), what, len(attrs))
	}
	for i, v := range vals {
		if v.Type != attrs[i].Type {
			return fmt.Errorf("%w: %s value of type %s for %q, want %s", ErrInvalidKey, what, v.Type, attrs[i].Name, attrs[i].Type)
		}
	}
	return nil
}

// multiQueryBounds is queryBounds for a multi-attribute key: the partition
// of hash and r.HashMore, the sort keys that begin with r.Leading, and
// r's bounds and prefix on the sort-key attribute after those.
func (s source) multiQueryBounds(hash attr.Value, r KeyRange) (lo, hi key, err error) {
	hv := append([]attr.Value{hash}, r.HashMore...)
	hashAttrs := s.key.HashAttrs()
	if len(hv) != len(hashAttrs) {
		return lo, hi, fmt.Errorf("%w: %d partition-key values for %d attributes", ErrInvalidKey, len(hv), len(hashAttrs))
	}
	if err := checkTypes(hashAttrs, hv, "partition key"); err != nil {
		return lo, hi, err
	}
	rangeAttrs := s.key.RangeAttrs()
	if err := checkTypes(rangeAttrs, r.Leading, "sort key"); err != nil {
		return lo, hi, err
	}
	p := multiPartition(hv)
	lo, hi = pivot(p, 1, -1), pivot(p, 1, +1)
	restricted := r.Lower != nil || r.Upper != nil || r.Prefix != nil
	if len(r.Leading) == 0 && !restricted {
		return lo, hi, nil
	}
	next := len(r.Leading)
	if restricted && next >= len(rangeAttrs) {
		return lo, hi, fmt.Errorf("%w: sort-key range past the last sort-key attribute", ErrInvalidKey)
	}
	single := len(rangeAttrs) == 1
	var prefix []byte
	for _, v := range r.Leading {
		prefix = appendTupleElem(prefix, v)
	}
	at := func(s string, e int8) key { q := p; q.parts[1] = s; return pivot(q, 2, e) }
	if len(prefix) > 0 {
		lo = maxKey(lo, at(string(prefix), -1))
		if succ, ok := successor(string(prefix)); ok {
			hi = minKey(hi, at(succ, -1))
		}
	}
	if !restricted {
		return lo, hi, nil
	}
	want := rangeAttrs[next].Type
	elem := func(v attr.Value) (string, error) {
		if v.Type != want {
			return "", fmt.Errorf("%w: sort key value of type %s, want %s", ErrInvalidKey, v.Type, want)
		}
		if single {
			return attr.EncodeKey(v), nil
		}
		return string(appendTupleElem(append([]byte(nil), prefix...), v)), nil
	}
	// after returns a pivot past every key whose element equals enc.
	after := func(enc string) key {
		if single {
			return at(enc, +1)
		}
		if succ, ok := successor(enc); ok {
			return at(succ, -1)
		}
		return hi
	}
	if r.Lower != nil {
		enc, err := elem(r.Lower.Value)
		if err != nil {
			return lo, hi, err
		}
		b := at(enc, -1)
		if !r.Lower.Inclusive {
			b = after(enc)
		}
		lo = maxKey(lo, b)
	}
	if r.Upper != nil {
		enc, err := elem(r.Upper.Value)
		if err != nil {
			return lo, hi, err
		}
		b := at(enc, -1)
		if r.Upper.Inclusive {
			b = after(enc)
		}
		hi = minKey(hi, b)
	}
	if r.Prefix != nil {
		v := *r.Prefix
		if v.Type != attr.S && v.Type != attr.B || v.Type != want {
			return lo, hi, fmt.Errorf("%w: begins_with on type %s", ErrInvalidKey, v.Type)
		}
		q := string(appendEscaped(append([]byte(nil), prefix...), v.S))
		if single {
			q = v.S
		}
		lo = maxKey(lo, at(q, -1))
		if succ, ok := successor(q); ok {
			hi = minKey(hi, at(succ, -1))
		}
	}
	return lo, hi, nil
}
