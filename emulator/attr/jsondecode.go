package attr

import (
	"encoding/base64"
	"math/bits"
	"strconv"
	"strings"
)

// Validation texts (dynalite validations/index.js validateAttributeValue,
// whose tests were recorded against DynamoDB; nesting text as DynamoDB
// words it).
const (
	msgEmptyAV      = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	msgMultiType    = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	msgInvalidPre   = "One or more parameter values were invalid: "
	msgNullFalse    = msgInvalidPre + "Null attribute value types must have the value of true"
	msgEmptySS      = msgInvalidPre + "An string set  may not be empty"
	msgEmptyNS      = msgInvalidPre + "An number set  may not be empty"
	msgEmptyBS      = msgInvalidPre + "Binary sets should not be empty"
	msgNullInSS     = msgInvalidPre + "An string set may not have a null string as a member"
	msgNullInBS     = msgInvalidPre + "Binary sets may not contain null or empty values"
	msgDupNS        = "Input collection contains duplicates"
	msgNesting      = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgStartOfMap   = "Start of structure or map found where not expected"
	msgFieldType    = "Unexpected field type"
	msgValueType    = "Unexpected value type in payload"
	msgAVCollection = "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"
	msgMapOfAV      = "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"
	// MsgEmptyName is the error for an empty attribute name (DynamoDB
	// Local 3.3.1's text; AWS rejects it, its words are not recorded).
	MsgEmptyName = "Empty attribute name"
)

// MaxNameBytes is the longest attribute name: 65,535 bytes is accepted and
// 65,536 refused (scylladb test_limits.py, AWS-verified).
const MaxNameBytes = 65535

// MsgNameTooLong is the error for an attribute name over MaxNameBytes.
// AWS's message mentions the limit; its exact words are not recorded.
const MsgNameTooLong = "One or more parameter values were invalid: Attribute name is too large, must be less than 65536 bytes"

// CheckName returns the validation message for an attribute name that is
// empty or longer than MaxNameBytes, or "".
func CheckName(name string) string {
	switch {
	case name == "":
		return MsgEmptyName
	case len(name) > MaxNameBytes:
		return MsgNameTooLong
	}
	return ""
}

// MaxDepth is DynamoDB's nesting limit: the item is level 1, a top-level
// attribute value level 2, and a list or map may sit at most at level 32
// (scylladb test_manual_requests.py, test_almost_exceed_nested_level).
const MaxDepth = 32

// topDepth is the level of a top-level attribute value.
const topDepth = 2

// decoder reads AttributeValues. Decoding errors (wrong JSON types, bad
// base64) stop it at once; validation errors are remembered while the rest
// of the input is still checked for decoding errors, because DynamoDB
// deserializes a whole request before validating it. Of the validation
// errors, DynamoDB reports an item's top-level attribute names first, then
// its nesting depth, then the first other error in document order
// (paritysuite tier3 validation-ordering/deepRequests, AWS 2026: an empty
// top-level name before a value nested too deep wherever they sit, a value
// nested too deep before an empty name inside a map written before it).
type decoder struct {
	scanner
	verrs [numClasses]error
	keys  [numClasses]string // item(): the attribute whose value gave each error
}

// Classes of validation errors, in the order they are reported.
const (
	className  = iota // a top-level attribute name of an item
	classDepth        // a list or map nested too deep
	classValue        // anything else
	numClasses
)

// invalidAs remembers msg as the first error of its class.
func (d *decoder) invalidAs(class int, msg string) { d.invalidErr(class, &ValidationError{Msg: msg}) }

// invalidErr remembers e as the first error of its class.
func (d *decoder) invalidErr(class int, e *ValidationError) {
	if d.verrs[class] == nil {
		d.verrs[class] = e
	}
}

func (d *decoder) invalid(msg string) { d.invalidAs(classValue, msg) }

// verr returns the validation error to report and, for an item, the
// attribute it belongs to.
func (d *decoder) verr() (key string, err error) {
	for c, err := range d.verrs {
		if err != nil {
			return d.keys[c], err
		}
	}
	return "", nil
}

// finish checks that nothing but white space follows and returns the
// decoding error, else the validation error to report.
func (d *decoder) finish(err error) error {
	if err != nil {
		return err
	}
	if !d.atEnd() {
		return malformed()
	}
	_, verr := d.verr()
	return verr
}

// UnmarshalJSON decodes DynamoDB's JSON form, validating as DynamoDB does.
// A JSON null leaves v unchanged.
func (v *Value) UnmarshalJSON(b []byte) error {
	d := decoder{scanner: scanner{data: b}}
	if d.peek() == 'n' {
		return d.finish(d.readLiteral("null"))
	}
	val, err := d.value(topDepth)
	if err = d.finish(err); err != nil {
		return err
	}
	*v = val
	return nil
}

// UnmarshalJSON decodes an item (or key) {"name": AttributeValue, ...},
// validating every value as DynamoDB does. A JSON null leaves it unchanged.
func (it *Item) UnmarshalJSON(b []byte) error {
	d := decoder{scanner: scanner{data: b}}
	if d.peek() == 'n' {
		return d.finish(d.readLiteral("null"))
	}
	m, err := d.item()
	if err = d.finish(err); err != nil {
		return err
	}
	*it = m
	return nil
}

// UnmarshalPlaceholderValues decodes an ExpressionAttributeValues map like
// Item.UnmarshalJSON, but words a validation error as DynamoDB does for
// that parameter: "ExpressionAttributeValues contains invalid value: <msg>
// for key <key>".
func UnmarshalPlaceholderValues(b []byte) (map[string]Value, error) {
	d := decoder{scanner: scanner{data: b}}
	if d.peek() == 'n' {
		return nil, d.finish(d.readLiteral("null"))
	}
	m, err := d.item()
	if err = d.finish(err); err != nil {
		var ve *ValidationError
		if key, verr := d.verr(); err == verr && key != "" && asValidation(err, &ve) {
			// The current layer names no parameter (paritysuite valueLayers).
			return nil, &ValidationError{
				Msg: "ExpressionAttributeValues contains invalid value: " + ve.Msg + " for key " + key,
				Now: ve.Current(),
			}
		}
		return nil, err
	}
	return m, nil
}

func asValidation(err error, ve **ValidationError) bool {
	v, ok := err.(*ValidationError)
	*ve = v
	return ok
}

// item reads a map of attribute name to AttributeValue.
func (d *decoder) item() (Item, error) {
	if err := d.expectMap(); err != nil {
		return nil, err
	}
	it := make(Item, 8)
	for i := 0; ; i++ {
		more, err := d.more('}', i)
		if err != nil || !more {
			return it, err
		}
		k, err := d.readKey()
		if err != nil {
			return nil, err
		}
		if m := CheckName(k); m != "" && d.verrs[className] == nil {
			d.invalidAs(className, m)
			d.keys[className] = k
		}
		had := d.verrs
		v, err := d.value(topDepth)
		if err != nil {
			return nil, err
		}
		if had != d.verrs {
			for c := range d.verrs {
				if had[c] == nil && d.verrs[c] != nil {
					d.keys[c] = k
				}
			}
		}
		it[k] = v
	}
}

// expectMap consumes the '{' of a Map<String, AttributeValue> member.
func (d *decoder) expectMap() error {
	switch d.peek() {
	case '{':
		d.pos++
		return nil
	case '[':
		return serialization(msgMapOfAV)
	}
	return d.wrongScalar(msgFieldType)
}

// wrongScalar returns msg for a well-formed scalar, else a syntax error.
func (d *decoder) wrongScalar(msg string) error {
	if _, err := d.scalarKind(); err != nil {
		return err
	}
	return serialization(msg)
}

// scalar kinds, named as DynamoDB names them in type errors.
const (
	kindString  = "STRING_VALUE"
	kindTrue    = "TRUE_VALUE"
	kindFalse   = "FALSE_VALUE"
	kindNumber  = "NUMBER_VALUE"
	kindDecimal = "DECIMAL_VALUE"
)

// scalarKind consumes a scalar and names its kind.
func (d *decoder) scalarKind() (string, error) {
	switch d.peek() {
	case '"':
		_, err := d.readString()
		return kindString, err
	case 't':
		return kindTrue, d.readLiteral("true")
	case 'f':
		return kindFalse, d.readLiteral("false")
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		isInt, err := d.readNumber()
		if isInt {
			return kindNumber, err
		}
		return kindDecimal, err
	}
	return "", malformed()
}

// value reads one AttributeValue at nesting level depth.
func (d *decoder) value(depth int) (Value, error) {
	switch d.peek() {
	case '{':
		d.pos++
	case 'n':
		d.invalid(msgEmptyAV)
		return Value{}, d.readLiteral("null")
	case '[':
		return Value{}, serialization(msgAVCollection)
	default:
		return Value{}, d.wrongScalar(msgValueType)
	}
	var v Value
	var seen uint32
	for i := 0; ; i++ {
		more, err := d.more('}', i)
		if err != nil {
			return v, err
		}
		if !more {
			break
		}
		k, err := d.readKey()
		if err != nil {
			return v, err
		}
		t, known := ParseType(k)
		if !known {
			if err := d.skipValue(); err != nil {
				return v, err
			}
			continue
		}
		if d.peek() == 'n' { // a null member counts as absent
			if err := d.readLiteral("null"); err != nil {
				return v, err
			}
			continue
		}
		seen |= 1 << t
		if err := d.member(&v, t, depth); err != nil {
			return v, err
		}
	}
	switch bits.OnesCount32(seen) {
	case 0:
		d.invalid(msgEmptyAV)
	case 1:
	default:
		d.invalid(msgMultiType)
	}
	return v, nil
}

// member reads the member of type t into v.
func (d *decoder) member(v *Value, t Type, depth int) error {
	var err error
	v.Type = t
	switch t {
	case S:
		v.S, err = d.stringField()
	case N:
		var s string
		if s, err = d.stringField(); err == nil {
			v.S = d.number(s)
		}
	case B:
		v.S, err = d.blobField()
	case BOOL:
		v.Bool, err = d.boolField()
	case NULL:
		if v.Bool, err = d.boolField(); err == nil && !v.Bool {
			d.invalid(msgNullFalse)
		}
		v.Bool = true
	case SS, NS, BS:
		v.Set, err = d.set(t)
	case L, M:
		if depth > MaxDepth {
			d.invalidAs(classDepth, msgNesting)
			return d.skipValue()
		}
		if t == L {
			v.L, err = d.list(depth + 1)
		} else {
			v.M, err = d.mapField(depth + 1)
		}
	}
	return err
}

// number canonicalises a number member, remembering a validation error.
func (d *decoder) number(s string) string {
	c, err := ParseNumber(s)
	if err != nil {
		d.invalidErr(classValue, err.(*ValidationError))
	}
	return c
}

// stringField reads a JSON string where DynamoDB expects a String.
func (d *decoder) stringField() (string, error) {
	switch d.peek() {
	case '"':
		return d.readString()
	case '[':
		return "", serialization("Unrecognized collection type class java.lang.String")
	case '{':
		return "", serialization(msgStartOfMap)
	}
	kind, err := d.scalarKind()
	if err != nil {
		return "", err
	}
	return "", serialization(kind + " cannot be converted to String")
}

// boolField reads a Boolean. Like DynamoDB it accepts the strings true,
// false, yes, no, 1 and 0 in any case (dynalite validations/index.js).
func (d *decoder) boolField() (bool, error) {
	switch d.peek() {
	case 't':
		return true, d.readLiteral("true")
	case 'f':
		return false, d.readLiteral("false")
	case '"':
		s, err := d.readString()
		if err != nil {
			return false, err
		}
		switch strings.ToUpper(s) {
		case "TRUE", "YES", "1":
			return true, nil
		case "FALSE", "NO", "0":
			return false, nil
		}
		return false, serialization("Unexpected token received from parser")
	case '[':
		return false, serialization("Unrecognized collection type class java.lang.Boolean")
	case '{':
		return false, serialization(msgStartOfMap)
	}
	kind, err := d.scalarKind()
	if err != nil {
		return false, err
	}
	return false, serialization(kind + " cannot be converted to Boolean")
}

// blobField reads a base64 string and returns the raw bytes.
func (d *decoder) blobField() (string, error) {
	switch d.peek() {
	case '"':
		s, err := d.readString()
		if err != nil {
			return "", err
		}
		return decodeBase64(s)
	case '[':
		return "", serialization("Unrecognized collection type class java.nio.ByteBuffer")
	case '{':
		return "", serialization(msgStartOfMap)
	}
	return "", d.wrongScalar("only base-64-encoded strings are convertible to bytes")
}

// decodeBase64 decodes standard padded base64 strictly, with DynamoDB's
// messages (dynalite test/helpers.js assertType "Blob", recorded against
// DynamoDB; the invalid-character text follows dynalite's validator).
func decodeBase64(s string) (string, error) {
	if len(s)%4 != 0 {
		return "", serialization("Base64 encoded length is expected a multiple of 4 bytes but found: " + strconv.Itoa(len(s)))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isBase64Char(c) && c != '=' {
			return "", serialization("Invalid Base64 character: '" + string(rune(c)) + "'")
		}
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		return "", serialization("Invalid last non-pad Base64 character dectected")
	}
	return string(b), nil
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/'
}

// listStart consumes the '[' of a List member.
func (d *decoder) listStart() error {
	switch d.peek() {
	case '[':
		d.pos++
		return nil
	case '{':
		return serialization(msgStartOfMap)
	}
	return d.wrongScalar(msgFieldType)
}

// list reads the elements of an L whose elements are at level depth.
func (d *decoder) list(depth int) ([]Value, error) {
	if err := d.listStart(); err != nil {
		return nil, err
	}
	out := []Value{}
	for i := 0; ; i++ {
		more, err := d.more(']', i)
		if err != nil || !more {
			return out, err
		}
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// mapField reads the entries of an M whose values are at level depth.
func (d *decoder) mapField(depth int) (map[string]Value, error) {
	if err := d.expectMap(); err != nil {
		return nil, err
	}
	out := map[string]Value{}
	for i := 0; ; i++ {
		more, err := d.more('}', i)
		if err != nil || !more {
			return out, err
		}
		k, err := d.readKey()
		if err != nil {
			return nil, err
		}
		if m := CheckName(k); m != "" {
			d.invalid(m)
		}
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
}
