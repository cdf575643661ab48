package wire

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// errSerialization is the bare SerializationException (no message) that
// DynamoDB returns for a body that is not JSON, or empty.
func errSerialization() *engine.Error { return engine.NewError(engine.Serialization, "") }

// decode unmarshals body into in and turns any failure into the error
// DynamoDB gives: malformed JSON and members of the wrong JSON type are
// SerializationExceptions; errors from value decoders (attr, engine types)
// keep their code and text. No Go error text ever reaches the client.
func decode(body []byte, in any) error {
	_, err := decodeBody(body, in)
	return err
}

// maxIntegerCoercions bounds the decodes decodeBody makes for numbers with
// a fraction or an exponent in integer members (a request has a handful).
const maxIntegerCoercions = 32

// decodeBody is decode, returning the body as decoded: DynamoDB's
// deserializer reads a number with a fraction or an exponent into an
// integer member (Limit, Segment, capacity units) by truncating it toward
// zero (1.9 is 1, 1e3 is 1000), as Jackson does; dynalite's older captures
// floor such numbers, its recaptured type checks send none to integer
// members, and DynamoDB Local accepts them. decodeBody rewrites each such
// number in a copy of body to its integer and decodes again; one out of
// the member's range stays a SerializationException.
func decodeBody(body []byte, in any) ([]byte, error) {
	err := json.Unmarshal(body, in)
	for n := 0; err != nil && n < maxIntegerCoercions; n++ {
		b, ok := coerceIntegerAt(body, err)
		if !ok {
			break
		}
		body = b
		reflect.ValueOf(in).Elem().SetZero()
		err = json.Unmarshal(body, in)
	}
	if err == nil {
		return body, nil
	}
	return body, decodeError(body, in, err)
}

// coerceIntegerAt returns a copy of body with the number that err (a type
// error) reports for an integer member replaced by its integer, when err is
// such an error and the number truncates to a value in the member's range.
func coerceIntegerAt(body []byte, err error) ([]byte, bool) {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return nil, false
	}
	kind, lit := splitValue(te.Value)
	if kind != "number" || te.Offset < int64(len(lit)) || te.Offset > int64(len(body)) ||
		string(body[te.Offset-int64(len(lit)):te.Offset]) != lit {
		return nil, false
	}
	n, ok := truncatedInteger(lit, deref(te.Type))
	if !ok {
		return nil, false
	}
	start := int(te.Offset) - len(lit)
	out := make([]byte, 0, len(body))
	out = append(out, body[:start]...)
	out = append(out, n...)
	return append(out, body[te.Offset:]...), true
}

// truncatedInteger returns the integer literal that the JSON number lit
// (with a fraction or an exponent) truncates to, when it fits integer type
// t. The number is read as a double and truncated, as Jackson reads one
// into an int or a long.
func truncatedInteger(lit string, t reflect.Type) (string, bool) {
	if t == nil || !strings.ContainsAny(lit, ".eE") {
		return "", false
	}
	var lo, hi float64
	switch t.Kind() {
	case reflect.Int32:
		lo, hi = math.MinInt32, math.MaxInt32
	case reflect.Int64, reflect.Int:
		lo, hi = math.MinInt64, math.MaxInt64
	default:
		return "", false
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return "", false
	}
	f = math.Trunc(f)
	if f < lo || f >= hi+1 {
		return "", false
	}
	return strconv.FormatInt(int64(f), 10), true
}

// decodeError maps the error of decoding body into in to DynamoDB's.
func decodeError(body []byte, in any, err error) error {
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return engine.NewError(engine.Serialization, typeErrorMessage(body, reflect.TypeOf(in), te))
	case isEngineError(err):
		return engine.AsError(err)
	}
	return errSerialization()
}

// isEngineError reports whether err carries a code and message meant for
// the client (as opposed to a json package error).
func isEngineError(err error) bool {
	var (
		ee *engine.Error
		ve *attr.ValidationError
		se *attr.SerializationError
	)
	return errors.As(err, &ee) || errors.As(err, &ve) || errors.As(err, &se)
}

// typeErrorMessage renders a JSON type mismatch the way DynamoDB's
// deserializer words it now, e.g. "NUMBER_VALUE cannot be converted to
// String" or "Unrecognized collection type class java.lang.Boolean"
// (dynalite test/helpers.js assertType, recaptured against the service;
// attr words AttributeValue members the same way). root is the type
// decoded into; it tells a structure in a list or map (a "value") from a
// structure member (a "field").
func typeErrorMessage(body []byte, root reflect.Type, te *json.UnmarshalTypeError) string {
	kind, lit := splitValue(te.Value)
	if kind == "object" {
		return msgStartOfMap
	}
	t := deref(te.Type)
	target := javaType(t)
	if kind == "array" {
		return arrayMismatch(t, target)
	}
	switch target {
	case "Structure":
		if isElement(root, te.Field) {
			return "Unexpected value type in payload"
		}
		return "Unexpected field type"
	case "List", "Map":
		return "Unexpected field type"
	case "Blob":
		return "only base-64-encoded strings are convertible to bytes"
	case "Boolean":
		if kind == "string" {
			return "Unexpected token received from parser"
		}
	}
	if lit == "" {
		lit = literalBefore(body, te.Offset)
	}
	if kind == "bool" {
		lit = boolBefore(body, te.Offset)
	}
	return tokenName(kind, lit) + " cannot be converted to " + target
}

// msgStartOfMap is the text for a JSON object where none may be.
const msgStartOfMap = "Start of structure or map found where not expected"

// modelPackage prefixes the Java class names of DynamoDB's model shapes.
const modelPackage = "com.amazonaws.dynamodb.v20120810."

// arrayMismatch is the text for a JSON array where t (of model type target)
// was expected.
func arrayMismatch(t reflect.Type, target string) string {
	switch target {
	case "Structure":
		return "Unrecognized collection type class " + modelClass(t)
	case "Map":
		return "Unrecognized collection type java.util.Map<java.lang.String, " + modelClass(t.Elem()) + ">"
	case "Blob":
		return "Unrecognized collection type class java.nio.ByteBuffer"
	}
	return "Unrecognized collection type class java.lang." + target
}

// modelClass names the Java class of a Go type: java.lang.String for
// strings, the model shape of the same name otherwise.
func modelClass(t reflect.Type) string {
	t = deref(t)
	if t.Kind() == reflect.String {
		return "java.lang.String"
	}
	name := t.Name()
	if name == "Value" { // attr.Value is the model's AttributeValue
		name = "AttributeValue"
	}
	return modelPackage + name
}

// tokenName is the Jackson token name of a JSON scalar: STRING_VALUE,
// TRUE_VALUE, FALSE_VALUE, NUMBER_VALUE (integers) or DECIMAL_VALUE.
func tokenName(kind, lit string) string {
	switch kind {
	case "string":
		return "STRING_VALUE"
	case "bool":
		if lit == "false" {
			return "FALSE_VALUE"
		}
		return "TRUE_VALUE"
	}
	if strings.ContainsAny(lit, ".eE") {
		return "DECIMAL_VALUE"
	}
	return "NUMBER_VALUE"
}

// isElement reports whether the value at the dotted JSON field path under
// root was an element of a list or map rather than the member itself.
func isElement(root reflect.Type, path string) bool {
	t := deref(root)
	var last reflect.Type
	for name := range strings.SplitSeq(path, ".") {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = deref(t.Elem())
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		f, ok := jsonField(t, name)
		if !ok {
			return false
		}
		last = deref(f.Type)
		t = last
	}
	return last != nil && (last.Kind() == reflect.Slice || last.Kind() == reflect.Map)
}

// jsonField finds the field of struct t whose JSON name is name.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name || tag == "" && strings.EqualFold(f.Name, name) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// deref strips pointers from t.
func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// splitValue splits UnmarshalTypeError.Value ("bool", "number 23") into
// the JSON kind and, for numbers, the literal when the decoder gave it.
func splitValue(v string) (kind, lit string) {
	kind, lit, _ = strings.Cut(v, " ")
	return kind, lit
}

// literalBefore returns the JSON scalar literal that ends at off in body
// (the decoder reports type errors of scalars just past the literal).
func literalBefore(body []byte, off int64) string {
	if off <= 0 || off > int64(len(body)) {
		return ""
	}
	end := int(off)
	if body[end-1] != '"' {
		start := end
		for start > 0 && strings.IndexByte("0123456789+-.eE", body[start-1]) >= 0 {
			start--
		}
		return string(body[start:end])
	}
	for start := end - 2; start >= 0; start-- {
		if body[start] == '"' && !escaped(body, start) {
			return string(body[start:end])
		}
	}
	return ""
}

// boolBefore returns the JSON literal true or false that ends at off.
func boolBefore(body []byte, off int64) string {
	if off >= 5 && off <= int64(len(body)) && string(body[off-5:off]) == "false" {
		return "false"
	}
	return "true"
}

// escaped reports whether the byte at i is preceded by an odd number of
// backslashes.
func escaped(body []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && body[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// unquote decodes a JSON string literal, or returns lit unchanged.
func unquote(lit string) string {
	var s string
	if json.Unmarshal([]byte(lit), &s) != nil {
		return lit
	}
	return s
}

// javaType names the DynamoDB model type of a Go input field.
func javaType(t reflect.Type) string {
	t = deref(t)
	if t == nil {
		return "Structure"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "Boolean"
	case reflect.String:
		return "String"
	case reflect.Int8, reflect.Int16, reflect.Uint8, reflect.Uint16:
		return "Short"
	case reflect.Int, reflect.Int32, reflect.Uint, reflect.Uint32:
		return "Integer"
	case reflect.Int64, reflect.Uint64:
		return "Long"
	case reflect.Float32, reflect.Float64:
		return "Double"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "Blob"
		}
		return "List"
	case reflect.Map:
		return "Map"
	}
	return "Structure"
}
