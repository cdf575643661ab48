package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// DynamoDB checks a request's members against their constraints (the
// composite "N validation errors detected" message, and a few checks an
// operation makes first) before it validates the attribute values the
// request carries. decode validates attribute values as it reads them, so
// an invalid value would stop the decode before those checks could run. For
// such a request, decodeDeferred decodes the body again with laxDecode, which
// reads every member and leaves each invalid value at a placeholder, and
// hands the value's error to the operation (engine.HoldValueError), which
// reports it at its place in the operation's order of checks.

// decodeDeferred decodes body into a fresh In whose invalid attribute value
// err (the error decode gave) is held for the operation to report in its
// order, and reports whether it could: not when err is another kind of
// error, when the body has another error further on (DynamoDB deserializes
// a whole request before it validates any of it, so that error wins and
// decode's answer stands), or when In holds no errors.
func decodeDeferred[In any](body []byte, err error) (*In, bool) {
	if !isValueError(err) {
		return nil, false
	}
	in := new(In)
	verr, path, ok := laxDecode(body, in)
	if !ok || verr == nil {
		return nil, false
	}
	return in, engine.HoldValueError(in, verr, path)
}

// isValueError reports whether err is the validation error of an attribute
// value (as opposed to a serialization error).
func isValueError(err error) bool {
	var ve *attr.ValidationError
	if errors.As(err, &ve) {
		return true
	}
	var ee *engine.Error
	return errors.As(err, &ee) && ee.Code == engine.Validation
}

// laxDecode decodes body into v (a pointer to a struct) as encoding/json
// does, except that a value whose own decoder fails validation does not stop
// it: the value is left as its zero value (a map keeps the entries that
// decode), and the first such error, in document order, is returned with
// the path of member names and list indices that leads to it. ok is false
// when body has any other error.
func laxDecode(body []byte, v any) (verr error, path []string, ok bool) {
	var st laxState
	if !st.value(body, reflect.ValueOf(v).Elem(), nil) {
		return nil, nil, false
	}
	return st.verr, st.path, true
}

// laxState is the first validation error a lax decode met.
type laxState struct {
	verr error
	path []string
}

// record keeps err as the first validation error, found at path.
func (st *laxState) record(err error, path []string) {
	if st.verr == nil {
		st.verr, st.path = err, append([]string(nil), path...)
	}
}

// value decodes raw into the settable rv.
func (st *laxState) value(raw []byte, rv reflect.Value, path []string) bool {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return true // encoding/json leaves the value as it is
	}
	if isUnmarshaler(rv.Type()) {
		err := rv.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(raw)
		switch {
		case err == nil:
			return true
		case !isValueError(err):
			return false
		}
		st.record(err, path)
		rv.SetZero()
		if rv.Kind() == reflect.Map {
			return st.mapEntries(raw, rv, path) // keep the entries that decode
		}
		return true
	}
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			rv.Set(reflect.New(rv.Type().Elem()))
		}
		return st.value(raw, rv.Elem(), path)
	case reflect.Struct:
		return st.object(raw, rv, path)
	case reflect.Map:
		return st.mapEntries(raw, rv, path)
	case reflect.Slice:
		if rv.Type().Elem().Kind() != reflect.Uint8 {
			return st.array(raw, rv, path)
		}
	}
	if json.Unmarshal(raw, rv.Addr().Interface()) == nil {
		return true
	}
	n, ok := truncatedInteger(string(raw), rv.Type()) // see decodeBody
	return ok && json.Unmarshal([]byte(n), rv.Addr().Interface()) == nil
}

// object decodes the members of a JSON object into the struct rv.
func (st *laxState) object(raw []byte, rv reflect.Value, path []string) bool {
	fields := laxFieldsOf(rv.Type())
	return eachMember(raw, func(name string, m []byte) bool {
		idx, found := fields.lookup(name)
		if !found {
			return true // unknown members are ignored, as encoding/json does
		}
		f, ok := fieldByIndex(rv, idx)
		return ok && st.value(m, f, append(path, name))
	})
}

// mapEntries decodes the entries of a JSON object into the map rv.
func (st *laxState) mapEntries(raw []byte, rv reflect.Value, path []string) bool {
	t := rv.Type()
	if t.Key().Kind() != reflect.String {
		return false
	}
	if rv.IsNil() {
		rv.Set(reflect.MakeMap(t))
	}
	return eachMember(raw, func(name string, m []byte) bool {
		ev := reflect.New(t.Elem()).Elem()
		if !st.value(m, ev, append(path, name)) {
			return false
		}
		rv.SetMapIndex(reflect.ValueOf(name).Convert(t.Key()), ev)
		return true
	})
}

// array decodes the elements of a JSON array into the slice rv.
func (st *laxState) array(raw []byte, rv reflect.Value, path []string) bool {
	if len(raw) == 0 || raw[0] != '[' {
		return false
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		return false
	}
	s := reflect.MakeSlice(rv.Type(), len(elems), len(elems))
	for i, e := range elems {
		if !st.value(e, s.Index(i), append(path, strconv.Itoa(i))) {
			return false
		}
	}
	rv.Set(s)
	return true
}

// eachMember calls f with each member of the JSON object raw, in document
// order, and reports false when raw is no object or f returns false.
func eachMember(raw []byte, f func(name string, m []byte) bool) bool {
	if len(raw) == 0 || raw[0] != '{' {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		name, isName := tok.(string)
		if err != nil || !isName {
			return false
		}
		var m json.RawMessage
		if dec.Decode(&m) != nil || !f(name, m) {
			return false
		}
	}
	_, err := dec.Token()
	return err == nil
}

// laxFields maps the JSON member names of a struct type to its fields, the
// exported fields of embedded structs included, as encoding/json sees them.
type laxFields struct {
	exact map[string][]int
	names []string // for the case-insensitive match
}

// lookup finds the field of a member: its exact name, else the first name
// equal under case folding (encoding/json's rule).
func (fs *laxFields) lookup(name string) ([]int, bool) {
	if idx, ok := fs.exact[name]; ok {
		return idx, true
	}
	for _, n := range fs.names {
		if strings.EqualFold(n, name) {
			return fs.exact[n], true
		}
	}
	return nil, false
}

// laxFieldsOf returns the fields of struct type t (built each time: lax
// decodes only happen for requests that are refused).
func laxFieldsOf(t reflect.Type) *laxFields {
	fs := &laxFields{exact: map[string][]int{}}
	addLaxFields(fs, t, nil)
	return fs
}

func addLaxFields(fs *laxFields, t reflect.Type, prefix []int) {
	for i := range t.NumField() {
		f := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		name, _, _ := cutComma(f.Tag.Get("json"))
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			addLaxFields(fs, f.Type, idx)
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := fs.exact[name]; !dup {
			fs.exact[name] = idx
			fs.names = append(fs.names, name)
		}
	}
}

// fieldByIndex is reflect.Value.FieldByIndex for a path through embedded
// structs (never pointers in the request types).
func fieldByIndex(v reflect.Value, idx []int) (reflect.Value, bool) {
	for _, i := range idx {
		if v.Kind() != reflect.Struct {
			return reflect.Value{}, false
		}
		v = v.Field(i)
	}
	return v, v.CanSet()
}
