package wire

import (
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// fastPlan decodes request bodies into one struct type without
// encoding/json's reflection walk, for the plain bodies SDKs send. It is
// built once per operation (see fastDecoder) and safe for concurrent use.
//
// decode reports false, leaving the struct partly filled, for anything it
// does not take on: a body that is not one JSON object it fully checked, a
// member the struct does not have under that exact name, a member twice,
// null, a string with escapes or invalid UTF-8, a number that is not a
// small integer, or any error of a value's own decoder. The caller then
// decodes a fresh struct with decode, which gives exactly what it always
// gave, errors included. When decode reports true, the struct holds what
// encoding/json would have put there (decode_fast_test.go compares them).
type fastPlan struct {
	index  map[string]int // json name -> position in fields
	fields []fastField
}

// fastField is one struct field and how its value is read.
type fastField struct {
	index int // field index in the struct
	kind  fastKind
}

type fastKind uint8

const (
	kindString      fastKind = iota // *string
	kindBool                        // *bool
	kindInt32                       // *int32
	kindInt64                       // *int64
	kindStrings                     // []string
	kindNames                       // map[string]string
	kindUnmarshaler                 // pointer implements json.Unmarshaler: UnmarshalJSON(raw)
	kindOther                       // anything else: json.Unmarshal(raw)
)

// maxFastDepth bounds the nesting the fast path skips through; deeper
// bodies go to decode (whose own limit is far higher).
const maxFastDepth = 64

// fastDecoder returns the fast decoder of *In, or nil when In is not a
// plain struct of json-tagged members (embedded fields, ",string" options,
// interface members, more than 64 members, or a struct that decodes
// itself).
func fastDecoder[In any]() func(body []byte, in *In) bool {
	p := newFastPlan(reflect.TypeFor[In]())
	if p == nil {
		return nil
	}
	return func(body []byte, in *In) bool { return p.decode(body, reflect.ValueOf(in).Elem()) }
}

// newFastPlan builds the plan of struct type t, or returns nil.
func newFastPlan(t reflect.Type) *fastPlan {
	if t.Kind() != reflect.Struct || t.NumField() > 64 || isUnmarshaler(t) {
		return nil
	}
	p := &fastPlan{index: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			return nil
		}
		if !f.IsExported() {
			continue
		}
		name, opts, _ := cutComma(f.Tag.Get("json"))
		if name == "-" && opts == "" {
			continue
		}
		if opts != "" && opts != "omitempty" && opts != "omitzero" {
			return nil
		}
		if name == "" {
			name = f.Name
		}
		kind, ok := fieldKind(f.Type)
		if !ok {
			return nil
		}
		p.index[name] = len(p.fields)
		p.fields = append(p.fields, fastField{index: i, kind: kind})
	}
	return p
}

// isUnmarshaler reports whether *t decodes itself from JSON.
func isUnmarshaler(t reflect.Type) bool {
	return reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]())
}

func cutComma(tag string) (string, string, bool) {
	for i := range len(tag) {
		if tag[i] == ',' {
			return tag[:i], tag[i+1:], true
		}
	}
	return tag, "", false
}

// fieldKind picks how a field of type t is read.
func fieldKind(t reflect.Type) (fastKind, bool) {
	switch t {
	case reflect.TypeFor[*string]():
		return kindString, true
	case reflect.TypeFor[*bool]():
		return kindBool, true
	case reflect.TypeFor[*int32]():
		return kindInt32, true
	case reflect.TypeFor[*int64]():
		return kindInt64, true
	case reflect.TypeFor[[]string]():
		return kindStrings, true
	case reflect.TypeFor[map[string]string]():
		return kindNames, true
	}
	if t.Kind() == reflect.Interface {
		return 0, false
	}
	if isUnmarshaler(t) {
		return kindUnmarshaler, true
	}
	return kindOther, true
}

// decode reads body into the struct v (addressable).
func (p *fastPlan) decode(body []byte, v reflect.Value) bool {
	s := fastScanner{data: body}
	s.space()
	if !s.take('{') {
		return false
	}
	s.space()
	if s.take('}') {
		return s.end()
	}
	var seen uint64
	for {
		if !s.take('"') {
			return false
		}
		key, ok := s.plainString()
		if !ok {
			return false
		}
		i, ok := p.index[string(key)]
		if !ok || seen&(1<<i) != 0 {
			return false
		}
		seen |= 1 << i
		s.space()
		if !s.take(':') {
			return false
		}
		s.space()
		f := p.fields[i]
		if !s.value(f.kind, v.Field(f.index)) {
			return false
		}
		s.space()
		if s.take('}') {
			return s.end()
		}
		if !s.take(',') {
			return false
		}
		s.space()
	}
}

// fastScanner reads JSON strictly: it accepts nothing encoding/json
// rejects.
type fastScanner struct {
	data []byte
	pos  int
}

func (s *fastScanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *fastScanner) take(c byte) bool {
	if s.pos < len(s.data) && s.data[s.pos] == c {
		s.pos++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (s *fastScanner) end() bool {
	s.space()
	return s.pos == len(s.data)
}

// value reads one member value into f.
func (s *fastScanner) value(kind fastKind, f reflect.Value) bool {
	switch kind {
	case kindString:
		if !s.take('"') {
			return false
		}
		b, ok := s.plainString()
		if !ok {
			return false
		}
		str := string(b)
		f.Set(reflect.ValueOf(&str))
		return true
	case kindBool:
		b, ok := s.boolean()
		if ok {
			f.Set(reflect.ValueOf(&b))
		}
		return ok
	case kindInt32, kindInt64:
		return s.integer(kind, f)
	case kindStrings:
		return s.strings(f)
	case kindNames:
		return s.names(f)
	}
	if s.pos < len(s.data) && s.data[s.pos] == 'n' {
		return false // null: left to decode
	}
	start := s.pos
	if !s.skip(0) {
		return false
	}
	raw := s.data[start:s.pos]
	if kind == kindUnmarshaler {
		return f.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw) == nil
	}
	return json.Unmarshal(raw, f.Addr().Interface()) == nil
}

// plainString reads the rest of a string whose opening quote was taken,
// when it has no escapes and is valid UTF-8.
func (s *fastScanner) plainString() ([]byte, bool) {
	start := s.pos
	ascii := true
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			b := s.data[start:s.pos]
			s.pos++
			return b, ascii || utf8.Valid(b)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		s.pos++
	}
	return nil, false
}

func (s *fastScanner) literal(lit string) bool {
	if len(s.data)-s.pos >= len(lit) && string(s.data[s.pos:s.pos+len(lit)]) == lit {
		s.pos += len(lit)
		return true
	}
	return false
}

func (s *fastScanner) boolean() (bool, bool) {
	switch {
	case s.literal("true"):
		return true, true
	case s.literal("false"):
		return false, true
	}
	return false, false
}

// integer reads a plain integer of at most 9 digits into a *int32 or
// *int64 field.
func (s *fastScanner) integer(kind fastKind, f reflect.Value) bool {
	start := s.pos
	s.take('-')
	digits := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	n := s.pos - digits
	if n == 0 || n > 9 || (n > 1 && s.data[digits] == '0') {
		return false
	}
	if s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '.', 'e', 'E':
			return false
		}
	}
	v, err := strconv.ParseInt(string(s.data[start:s.pos]), 10, 32)
	if err != nil {
		return false
	}
	if kind == kindInt32 {
		i := int32(v)
		f.Set(reflect.ValueOf(&i))
	} else {
		f.Set(reflect.ValueOf(&v))
	}
	return true
}

// strings reads an array of plain strings into a []string field.
func (s *fastScanner) strings(f reflect.Value) bool {
	if !s.take('[') {
		return false
	}
	list := []string{}
	s.space()
	if !s.take(']') {
		for {
			if !s.take('"') {
				return false
			}
			b, ok := s.plainString()
			if !ok {
				return false
			}
			list = append(list, string(b))
			s.space()
			if s.take(']') {
				break
			}
			if !s.take(',') {
				return false
			}
			s.space()
		}
	}
	f.Set(reflect.ValueOf(list))
	return true
}

// names reads an object of plain strings into a map[string]string field
// (a repeated name keeps its last value, as with encoding/json).
func (s *fastScanner) names(f reflect.Value) bool {
	if !s.take('{') {
		return false
	}
	m := map[string]string{}
	s.space()
	if !s.take('}') {
		for {
			if !s.take('"') {
				return false
			}
			k, ok := s.plainString()
			if !ok {
				return false
			}
			s.space()
			if !s.take(':') {
				return false
			}
			s.space()
			if !s.take('"') {
				return false
			}
			v, ok := s.plainString()
			if !ok {
				return false
			}
			m[string(k)] = string(v)
			s.space()
			if s.take('}') {
				break
			}
			if !s.take(',') {
				return false
			}
			s.space()
		}
	}
	f.Set(reflect.ValueOf(m))
	return true
}

// skip passes over one JSON value, checking it as strictly as
// encoding/json does.
func (s *fastScanner) skip(depth int) bool {
	if s.pos >= len(s.data) || depth > maxFastDepth {
		return false
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.skipObject(depth)
	case c == '[':
		return s.skipArray(depth)
	case c == '"':
		s.pos++
		return s.skipString()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.skipNumber()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

func (s *fastScanner) skipObject(depth int) bool {
	s.pos++ // '{'
	s.space()
	if s.take('}') {
		return true
	}
	for {
		if !s.take('"') || !s.skipString() {
			return false
		}
		s.space()
		if !s.take(':') {
			return false
		}
		s.space()
		if !s.skip(depth + 1) {
			return false
		}
		s.space()
		if s.take('}') {
			return true
		}
		if !s.take(',') {
			return false
		}
		s.space()
	}
}

func (s *fastScanner) skipArray(depth int) bool {
	s.pos++ // '['
	s.space()
	if s.take(']') {
		return true
	}
	for {
		if !s.skip(depth + 1) {
			return false
		}
		s.space()
		if s.take(']') {
			return true
		}
		if !s.take(',') {
			return false
		}
		s.space()
	}
}

// skipString passes over the rest of a string whose opening quote was
// taken, checking its escapes.
func (s *fastScanner) skipString() bool {
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return true
		case c < 0x20:
			return false
		case c == '\\':
			if !s.skipEscape() {
				return false
			}
			continue
		}
		s.pos++
	}
	return false
}

// skipEscape passes over one escape sequence at s.pos.
func (s *fastScanner) skipEscape() bool {
	if s.pos+1 >= len(s.data) {
		return false
	}
	switch s.data[s.pos+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.pos += 2
		return true
	case 'u':
		if s.pos+6 > len(s.data) {
			return false
		}
		for _, h := range s.data[s.pos+2 : s.pos+6] {
			if !isHex(h) {
				return false
			}
		}
		s.pos += 6
		return true
	}
	return false
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// skipNumber passes over a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *fastScanner) skipNumber() bool {
	s.take('-')
	switch {
	case s.take('0'):
	case s.pos < len(s.data) && s.data[s.pos] >= '1' && s.data[s.pos] <= '9':
		s.digits()
	default:
		return false
	}
	if s.take('.') && !s.digits() {
		return false
	}
	if s.take('e') || s.take('E') {
		if !s.take('+') {
			s.take('-')
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// digits passes over [0-9]* and reports whether there was one.
func (s *fastScanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}
