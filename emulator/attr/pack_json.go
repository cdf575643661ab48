package attr

import (
	"slices"
	"strings"
)

// AppendPackedJSON appends the JSON of a packed item (see pack.go) to dst
// without building the item: byte for byte what
// AppendItemJSON(dst, UnpackString(packed)) appends (names sorted, the same
// escaping, canonical numbers, B and BS in base64). Malformed input
// returns dst unchanged and ErrMalformedPacked.
func AppendPackedJSON(dst []byte, packed string) ([]byte, error) {
	t := transcoder{unpacker: unpacker{s: packed}}
	out := t.item(dst)
	if t.bad || t.pos != len(packed) {
		return dst, ErrMalformedPacked
	}
	if t.dup { // a name repeated in one map: Unpack keeps the last value
		it, err := UnpackString(packed)
		if err != nil {
			return dst, err
		}
		return AppendItemJSON(dst, it), nil
	}
	return out, nil
}

// transcoder reads the packed form and writes JSON as it goes. Like the
// unpacker it never panics; it sets dup when a map repeats a name.
type transcoder struct {
	unpacker
	dup bool
}

// packedMember is one name of a packed map and the offset of its value.
type packedMember struct {
	name string
	pos  int
}

func compareMembers(a, b packedMember) int { return strings.Compare(a.name, b.name) }

// item appends a packed map (count, name-value pairs) as a JSON object
// with sorted names: a first pass collects the names and skips the
// values, a second writes the values in name order.
func (t *transcoder) item(dst []byte) []byte {
	n := t.count(2)
	var small [16]packedMember
	members := small[:0]
	if n > len(small) {
		members = make([]packedMember, 0, n)
	}
	for range n {
		name := t.str()
		members = append(members, packedMember{name: name, pos: t.pos})
		t.skipValue()
		if t.bad {
			return dst
		}
	}
	end := t.pos
	slices.SortFunc(members, compareMembers)
	dst = append(dst, '{')
	for i, m := range members {
		if i > 0 {
			t.dup = t.dup || members[i-1].name == m.name
			dst = append(dst, ',')
		}
		dst = appendString(dst, m.name)
		dst = append(dst, ':')
		t.pos = m.pos
		if dst = t.value(dst); t.bad {
			return dst
		}
	}
	t.pos = end
	return append(dst, '}')
}

// value appends one packed value as AppendJSON does.
func (t *transcoder) value(dst []byte) []byte {
	switch typ := t.typ(); typ {
	case S:
		dst = append(dst, `{"S":`...)
		return append(appendString(dst, t.str()), '}')
	case N:
		dst = append(dst, `{"N":`...)
		return append(appendString(dst, t.str()), '}')
	case B:
		dst = append(dst, `{"B":`...)
		return append(appendBase64(dst, t.str()), '}')
	case SS, NS, BS:
		return t.set(dst, typ)
	case L:
		dst = append(dst, `{"L":[`...)
		for i := range t.count(1) {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst = t.value(dst); t.bad {
				return dst
			}
		}
		return append(dst, "]}"...)
	case M:
		dst = append(dst, `{"M":`...)
		return append(t.item(dst), '}')
	case NULL:
		return append(dst, `{"NULL":true}`...)
	case BOOL:
		switch t.byte() {
		case 0:
			return append(dst, `{"BOOL":false}`...)
		case 1:
			return append(dst, `{"BOOL":true}`...)
		}
		t.bad = true
		return dst
	}
	return append(dst, "null"...) // Invalid (or bad, which the caller sees)
}

// set appends an SS, NS or BS.
func (t *transcoder) set(dst []byte, typ Type) []byte {
	dst = append(dst, `{"`...)
	dst = append(dst, typ.String()...)
	dst = append(dst, `":[`...)
	for i := range t.count(1) {
		if i > 0 {
			dst = append(dst, ',')
		}
		m := t.str()
		if typ == BS {
			dst = appendBase64(dst, m)
		} else {
			dst = appendString(dst, m)
		}
	}
	return append(dst, "]}"...)
}
