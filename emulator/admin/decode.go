package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// maxBodyBytes bounds an admin request body.
const maxBodyBytes = 1 << 20

// decodeBody decodes the JSON object in r's body into dst, rejecting
// unknown fields, values of the wrong type, trailing data and bodies over
// maxBodyBytes. An empty body decodes as {} when emptyOK. The error text is
// meant for the client.
func decodeBody(w http.ResponseWriter, r *http.Request, dst any, emptyOK bool) error {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("request body larger than %d bytes", maxBodyBytes)
		}
		return fmt.Errorf("reading request body: %v", err)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		if emptyOK {
			return nil
		}
		return errors.New("request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return errors.New("request body must hold a single JSON object")
	}
	if err := checkFields(fields, dst); err != nil {
		return err
	}
	dec = json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	return nil
}

// checkFields rejects the members of fields that are not, with the exact
// spelling, the JSON name of a field of the struct dst points to
// (encoding/json alone would accept "Advance" for "advance").
func checkFields(fields map[string]json.RawMessage, dst any) error {
	known := map[string]bool{}
	typ := reflect.TypeOf(dst).Elem()
	for f := range typ.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		known[name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		if !known[name] {
			return fmt.Errorf("unknown field %q", name)
		}
	}
	return nil
}

// jsonError turns an encoding/json error into a message naming the field.
func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return fmt.Errorf("field %q: want a %s, got a JSON %s", typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	case errors.As(err, &typeErr):
		return fmt.Errorf("request body must be a JSON object, got a JSON %s", typeErr.Value)
	case errors.As(err, &syntaxErr):
		return fmt.Errorf("malformed JSON at byte %d: %s", syntaxErr.Offset, syntaxErr.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("malformed JSON: unexpected end of input")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s", name)
	}
	return fmt.Errorf("malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go kind the way a JSON user thinks of it.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	}
	return "number"
}
