package attr

import (
	"encoding/base64"
	"slices"
	"unicode/utf8"
)

// MarshalJSON encodes v in DynamoDB's JSON form ({"S":"x"}, B base64, ...).
// A Value of no type encodes as null.
func (v Value) MarshalJSON() ([]byte, error) {
	return AppendJSON(make([]byte, 0, 64), v), nil
}

// MarshalJSON encodes the item as {"name": AttributeValue, ...} with the
// names in sorted order, so the output is deterministic. A nil Item encodes
// as null.
func (it Item) MarshalJSON() ([]byte, error) {
	if it == nil {
		return []byte("null"), nil
	}
	return AppendItemJSON(make([]byte, 0, 64*len(it)+2), it), nil
}

// AppendJSON appends DynamoDB's JSON form of v to dst: numbers canonical,
// B and BS base64, sets in stored order, M entries sorted by name, empty L
// and M as [] and {}. A Value of no type appends null.
func AppendJSON(dst []byte, v Value) []byte {
	switch v.Type {
	case S:
		dst = append(dst, `{"S":`...)
		return append(appendString(dst, v.S), '}')
	case N:
		dst = append(dst, `{"N":`...)
		return append(appendString(dst, v.S), '}')
	case B:
		dst = append(dst, `{"B":`...)
		return append(appendBase64(dst, v.S), '}')
	case SS, NS, BS:
		return appendSet(dst, v)
	case L:
		dst = append(dst, `{"L":[`...)
		for i, e := range v.L {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, e)
		}
		return append(dst, "]}"...)
	case M:
		dst = append(dst, `{"M":`...)
		return append(appendMap(dst, v.M), '}')
	case NULL:
		return append(dst, `{"NULL":true}`...)
	case BOOL:
		if v.Bool {
			return append(dst, `{"BOOL":true}`...)
		}
		return append(dst, `{"BOOL":false}`...)
	}
	return append(dst, "null"...)
}

// AppendItemJSON appends {"name": AttributeValue, ...} with sorted names.
func AppendItemJSON(dst []byte, it Item) []byte {
	return appendMap(dst, it)
}

func appendSet(dst []byte, v Value) []byte {
	dst = append(dst, `{"`...)
	dst = append(dst, v.Type.String()...)
	dst = append(dst, `":[`...)
	for i, m := range v.Set {
		if i > 0 {
			dst = append(dst, ',')
		}
		if v.Type == BS {
			dst = appendBase64(dst, m)
		} else {
			dst = appendString(dst, m)
		}
	}
	return append(dst, "]}"...)
}

// appendMap appends a JSON object of attribute values with sorted names.
func appendMap(dst []byte, m map[string]Value) []byte {
	var small [16]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	dst = append(dst, '{')
	for i, k := range keys {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendString(dst, k)
		dst = append(dst, ':')
		dst = AppendJSON(dst, m[k])
	}
	return append(dst, '}')
}

// appendBase64 appends raw as a quoted standard base64 string.
func appendBase64(dst []byte, raw string) []byte {
	dst = append(dst, '"')
	dst = base64.StdEncoding.AppendEncode(dst, []byte(raw))
	return append(dst, '"')
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. Control characters, quotes and
// backslashes are escaped, U+2028 and U+2029 too (as encoding/json does),
// and invalid UTF-8 becomes U+FFFD.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendEscape(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\u202`...)
			dst = append(dst, hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendEscape appends the escape for an ASCII byte that needs one.
func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}
