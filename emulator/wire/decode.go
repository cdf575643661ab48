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
	err := json.Unmarshal(body, in)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &te):
		return engine.NewError(engine.Serialization, typeErrorMessage(body, te))
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

// typeErrorMessage renders a JSON type mismatch the way DynamoDB's Java
// deserializer words it, e.g. "class java.lang.Short can not be converted
// to an String" or "Start of list found where not expected".
func typeErrorMessage(body []byte, te *json.UnmarshalTypeError) string {
	kind, lit := splitValue(te.Value)
	switch kind {
	case "array":
		return "Start of list found where not expected"
	case "object":
		return "Start of structure or map found where not expected."
	}
	if lit == "" {
		lit = literalBefore(body, te.Offset)
	}
	target := javaType(te.Type)
	switch target {
	case "List":
		return "Expected list or null"
	case "Map":
		return "Expected map or null"
	case "Structure":
		return "Expected null"
	case "Boolean":
		if kind == "string" {
			return "'" + strings.ToUpper(unquote(lit)) + "' can not be converted to an Boolean"
		}
	case "Blob":
		return "class " + javaClass(kind, lit) + " can not be converted to a Blob"
	}
	return "class " + javaClass(kind, lit) + " can not be converted to an " + target
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

// javaClass names the Java class DynamoDB's deserializer saw for a JSON
// scalar: numbers are Short, Integer or Long by magnitude, Double when
// fractional.
func javaClass(kind, lit string) string {
	switch kind {
	case "bool":
		return "java.lang.Boolean"
	case "string":
		return "java.lang.String"
	}
	f, err := strconv.ParseFloat(lit, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return "java.lang.Double"
	case f != math.Trunc(f):
		return "java.lang.Double"
	case f >= math.MinInt16 && f <= math.MaxInt16:
		return "java.lang.Short"
	case f >= math.MinInt32 && f <= math.MaxInt32:
		return "java.lang.Integer"
	}
	return "java.lang.Long"
}

// javaType names the DynamoDB model type of a Go input field.
func javaType(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
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
