package attr

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// decodeCases round-trip: input -> canonical output.
var decodeCases = []struct{ in, out string }{
	{`{"S":"hello"}`, `{"S":"hello"}`},
	{`{"S":""}`, `{"S":""}`},
	{` { "S" : "a\"b\\c\n\u00e9\ud83d\ude00" } `, `{"S":"a\"b\\c\n` + "\u00e9\U0001F600" + `"}`},
	{`{"N":"1e3"}`, `{"N":"1000"}`},
	{`{"N":"-0"}`, `{"N":"0"}`},
	{`{"B":"AQID"}`, `{"B":"AQID"}`},
	{`{"B":""}`, `{"B":""}`},
	{`{"BOOL":false}`, `{"BOOL":false}`},
	{`{"BOOL":true}`, `{"BOOL":true}`},
	{`{"BOOL":"yes"}`, `{"BOOL":true}`},
	{`{"BOOL":"0"}`, `{"BOOL":false}`},
	{`{"NULL":true}`, `{"NULL":true}`},
	{`{"SS":["b","a",""]}`, `{"SS":["b","a",""]}`},
	{`{"NS":["1.50","2e1"]}`, `{"NS":["1.5","20"]}`},
	{`{"BS":["AQ==","Ag=="]}`, `{"BS":["AQ==","Ag=="]}`},
	{`{"L":[]}`, `{"L":[]}`},
	{`{"M":{}}`, `{"M":{}}`},
	{`{"L":[{"S":"x"},{"N":"01"},{"L":[{"NULL":true}]}]}`, `{"L":[{"S":"x"},{"N":"1"},{"L":[{"NULL":true}]}]}`},
	{`{"M":{"b":{"N":"2"},"a":{"M":{"z":{"BOOL":true}}}}}`, `{"M":{"a":{"M":{"z":{"BOOL":true}}},"b":{"N":"2"}}}`},
	{`{"S":"x","unknown":{"deep":[1,2,{"a":null}]}}`, `{"S":"x"}`},
	{`{"S":"x","N":null}`, `{"S":"x"}`},
	{`{"S":"\u2028<>&"}`, `{"S":"\u2028<>&"}`},
}

func TestDecodeRoundTrip(t *testing.T) {
	for _, c := range decodeCases {
		var v Value
		if err := json.Unmarshal([]byte(c.in), &v); err != nil {
			t.Errorf("Unmarshal(%s): %v", c.in, err)
			continue
		}
		out, err := v.MarshalJSON()
		if err != nil || string(out) != c.out {
			t.Errorf("Marshal(Unmarshal(%s)) = %s, %v; want %s", c.in, out, err, c.out)
			continue
		}
		var w Value
		if err := json.Unmarshal(out, &w); err != nil || !Equal(v, w) {
			t.Errorf("re-decoding %s: %v, equal=%v", out, err, Equal(v, w))
		}
	}
}

func nested(levels int) string {
	return strings.Repeat(`{"M":{"a":`, levels) + `{"S":"x"}` + strings.Repeat(`}}`, levels)
}

// validationCases: input -> DynamoDB's ValidationException text.
var validationCases = []struct{ in, want string }{
	{`{}`, msgEmptyAV},
	{`{"a":""}`, msgEmptyAV},
	{`{"S":null}`, msgEmptyAV},
	{`{"M":{"a":{}}}`, msgEmptyAV},
	{`{"L":[{}]}`, msgEmptyAV},
	{`{"L":[{"a":{}}]}`, msgEmptyAV},
	{`{"L":[null]}`, msgEmptyAV},
	{`{"S":"a","N":"1"}`, msgMultiType},
	{`{"S":"","N":""}`, msgNotNumeric},
	{`{"S":"a","N":"b"}`, msgNotNumeric + ": b"},
	{`{"N":""}`, msgNotNumeric},
	{`{"N":"1e126"}`, msgOverflow},
	{`{"N":"1e-131"}`, msgUnderflow},
	{`{"N":"123456789012345678901234567890123456789"}`, msgTooManyDigits},
	{`{"NS":["1",""]}`, msgNotNumeric},
	{`{"NS":["1","b"]}`, msgNotNumeric + ": b"},
	{`{"NS":["1","1"]}`, "Input collection contains duplicates"},
	{`{"NS":["1","1.0"]}`, "Input collection contains duplicates"},
	{`{"NS":["1e3","1000"]}`, "Input collection contains duplicates"},
	{`{"NULL":false}`, "One or more parameter values were invalid: Null attribute value types must have the value of true"},
	{`{"NULL":"no"}`, "One or more parameter values were invalid: Null attribute value types must have the value of true"},
	{`{"SS":[]}`, "One or more parameter values were invalid: An string set  may not be empty"},
	{`{"NS":[]}`, "One or more parameter values were invalid: An number set  may not be empty"},
	{`{"BS":[]}`, "One or more parameter values were invalid: Binary sets should not be empty"},
	{`{"SS":["a","a"]}`, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."},
	{`{"BS":["Yg==","Yg=="]}`, "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."},
	{`{"BS":["",""]}`, "One or more parameter values were invalid: Input collection [, ]of type BS contains duplicates."},
	{`{"M":{"a":{"SS":[]}},"N":"x"}`, "One or more parameter values were invalid: An string set  may not be empty"},
	{`{"SS":["a",null]}`, msgNullInSS},
	{`{"NS":[null]}`, msgNotNumeric},
	{`{"BS":[null]}`, msgNullInBS},
	{`{"NS":["x","1e999"]}`, msgNotNumeric + ": x"},
	{`{"NS":["1e999","x"]}`, msgOverflow},
	{nested(32), msgNesting},
	{nested(50), msgNesting},
}

func TestDecodeValidationErrors(t *testing.T) {
	for _, c := range validationCases {
		var v Value
		err := v.UnmarshalJSON([]byte(c.in))
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Msg != c.want {
			t.Errorf("UnmarshalJSON(%.80s) = %v; want ValidationError %q", c.in, err, c.want)
		}
	}
}

func TestNestingLimit(t *testing.T) {
	// The item is level 1 and its attribute value level 2, so the value and
	// 30 maps inside it reach level 32 (scylladb
	// test_almost_exceed_nested_level); one more is refused.
	var v Value
	if err := v.UnmarshalJSON([]byte(nested(31))); err != nil {
		t.Fatalf("31 nested maps: %v", err)
	}
	var it Item
	if err := it.UnmarshalJSON([]byte(`{"nested":` + nested(31) + `}`)); err != nil {
		t.Fatalf("item with 31 nested maps: %v", err)
	}
	if err := it.UnmarshalJSON([]byte(`{"nested":` + nested(32) + `}`)); err == nil {
		t.Fatal("item with 32 nested maps accepted")
	}
	// Very deep input is refused without exhausting the stack.
	deep := strings.Repeat(`{"L":[`, 200000) + strings.Repeat(`]}`, 200000)
	if err := v.UnmarshalJSON([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nested") {
		t.Fatalf("200000 levels: %v", err)
	}
}

// serializationCases: input -> DynamoDB's SerializationException text
// (dynalite test/helpers.js assertType, recorded against DynamoDB).
var serializationCases = []struct{ in, want string }{
	{`{"S":5}`, "NUMBER_VALUE cannot be converted to String"},
	{`{"S":-2147483648}`, "NUMBER_VALUE cannot be converted to String"},
	{`{"S":34.56}`, "DECIMAL_VALUE cannot be converted to String"},
	{`{"S":true}`, "TRUE_VALUE cannot be converted to String"},
	{`{"S":false}`, "FALSE_VALUE cannot be converted to String"},
	{`{"S":[]}`, "Unrecognized collection type class java.lang.String"},
	{`{"S":{}}`, "Start of structure or map found where not expected"},
	{`{"N":123}`, "NUMBER_VALUE cannot be converted to String"},
	{`{"SS":[1]}`, "NUMBER_VALUE cannot be converted to String"},
	{`{"NS":[{}]}`, "Start of structure or map found where not expected"},
	{`{"BOOL":"x"}`, "Unexpected token received from parser"},
	{`{"BOOL":"23"}`, "Unexpected token received from parser"},
	{`{"BOOL":23}`, "NUMBER_VALUE cannot be converted to Boolean"},
	{`{"NULL":34.56}`, "DECIMAL_VALUE cannot be converted to Boolean"},
	{`{"BOOL":[]}`, "Unrecognized collection type class java.lang.Boolean"},
	{`{"BOOL":{}}`, "Start of structure or map found where not expected"},
	{`{"B":true}`, "only base-64-encoded strings are convertible to bytes"},
	{`{"B":23}`, "only base-64-encoded strings are convertible to bytes"},
	{`{"B":[]}`, "Unrecognized collection type class java.nio.ByteBuffer"},
	{`{"B":{}}`, "Start of structure or map found where not expected"},
	{`{"B":"23456"}`, "Base64 encoded length is expected a multiple of 4 bytes but found: 5"},
	{`{"B":"=+/="}`, "Invalid last non-pad Base64 character dectected"},
	{`{"B":"+/+="}`, "Invalid last non-pad Base64 character dectected"},
	{`{"B":"ab!d"}`, "Invalid Base64 character: '!'"},
	{`{"BS":["AQ==","x"]}`, "Base64 encoded length is expected a multiple of 4 bytes but found: 1"},
	{`{"SS":"a"}`, "Unexpected field type"},
	{`{"L":true}`, "Unexpected field type"},
	{`{"L":{}}`, "Start of structure or map found where not expected"},
	{`{"M":"23"}`, "Unexpected field type"},
	{`{"M":[]}`, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>"},
	{`{"L":["a"]}`, "Unexpected value type in payload"},
	{`{"M":{"a":23}}`, "Unexpected value type in payload"},
	{`{"L":[[]]}`, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
	{`"x"`, "Unexpected value type in payload"},
	{`[]`, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue"},
	// A decoding error anywhere wins over an earlier validation error.
	{`{"M":{"a":{"SS":[]},"b":{"S":1}}}`, "NUMBER_VALUE cannot be converted to String"},
	{`{"S":"x"`, msgMalformed},
	{`{"S":"x"}}`, msgMalformed},
	{`{"S":"x",}`, msgMalformed},
	{`{"S":"a` + "\x01" + `"}`, msgMalformed},
	{`{"S":"\x"}`, msgMalformed},
	{``, msgMalformed},
	{`{"unknown":[1,}`, msgMalformed},
	{`{"N":01}`, msgMalformed},
}

func TestDecodeSerializationErrors(t *testing.T) {
	for _, c := range serializationCases {
		var v Value
		err := v.UnmarshalJSON([]byte(c.in))
		var se *SerializationError
		if !errors.As(err, &se) || se.Msg != c.want {
			t.Errorf("UnmarshalJSON(%s) = %v; want SerializationError %q", c.in, err, c.want)
		}
	}
}

func TestItemJSON(t *testing.T) {
	var it Item
	in := `{"pk":{"S":"k"},"n":{"N":"10.0"},"b":{"B":"AAE="},"l":{"L":[{"N":"1"}]}}`
	if err := json.Unmarshal([]byte(in), &it); err != nil {
		t.Fatal(err)
	}
	if len(it) != 4 || it["n"].S != "10" || it["b"].S != "\x00\x01" || it["pk"].S != "k" {
		t.Fatalf("decoded %#v", it)
	}
	out, err := json.Marshal(it)
	want := `{"b":{"B":"AAE="},"l":{"L":[{"N":"1"}]},"n":{"N":"10"},"pk":{"S":"k"}}`
	if err != nil || string(out) != want {
		t.Fatalf("Marshal = %s, %v; want %s", out, err, want)
	}
	for in, want := range map[string]string{
		`[]`:           msgMapOfAV,
		`"x"`:          msgFieldType,
		`{"a":"x"}`:    msgValueType,
		`{"a":[]}`:     msgAVCollection,
		`{"a":{"S":1}`: "NUMBER_VALUE cannot be converted to String",
	} {
		var it Item
		var se *SerializationError
		if err := it.UnmarshalJSON([]byte(in)); !errors.As(err, &se) || se.Msg != want {
			t.Errorf("Item.UnmarshalJSON(%s) = %v; want %q", in, err, want)
		}
	}
	var empty Item
	if err := json.Unmarshal([]byte(`null`), &empty); err != nil || empty != nil {
		t.Fatalf("null item: %v %v", empty, err)
	}
	if out, _ := json.Marshal(Item{}); string(out) != `{}` {
		t.Fatalf("empty item = %s", out)
	}
}

func TestMarshalNoType(t *testing.T) {
	out, err := Value{}.MarshalJSON()
	if err != nil || string(out) != "null" {
		t.Fatalf("got %s, %v", out, err)
	}
	out = AppendJSON(nil, List(Value{}))
	if string(out) != `{"L":[null]}` {
		t.Fatalf("got %s", out)
	}
}

func TestUnmarshalNullLeavesValue(t *testing.T) {
	v := Str("keep")
	if err := v.UnmarshalJSON([]byte(" null ")); err != nil || v.S != "keep" {
		t.Fatalf("got %v, %v", v, err)
	}
	var m map[string]Value
	if err := json.Unmarshal([]byte(`{":a":{"N":"1.0"},":b":{"S":"x"}}`), &m); err != nil || m[":a"].S != "1" {
		t.Fatalf("map of values: %v %v", m, err)
	}
}

func TestMarshalEscapes(t *testing.T) {
	v := Str("a\x00\x1f\"\\\t\r\n\xff\u2029")
	out, _ := v.MarshalJSON()
	want := `{"S":"a\u0000\u001f\"\\\t\r\n\ufffd\u2029"}`
	if string(out) != want {
		t.Fatalf("got %s want %s", out, want)
	}
	if !json.Valid(out) {
		t.Fatal("invalid JSON")
	}
}

func FuzzUnmarshalValue(f *testing.F) {
	for _, c := range decodeCases {
		f.Add(c.in)
	}
	for _, c := range validationCases {
		f.Add(c.in)
	}
	for _, c := range serializationCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var v Value
		if err := v.UnmarshalJSON([]byte(in)); err != nil {
			var ve *ValidationError
			var se *SerializationError
			if !errors.As(err, &ve) && !errors.As(err, &se) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		out, err := v.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if v.Type == Invalid {
			return // input was null
		}
		var w Value
		if err := w.UnmarshalJSON(out); err != nil {
			t.Fatalf("re-decoding %s (from %q): %v", out, in, err)
		}
		if !Equal(v, w) {
			t.Fatalf("%s re-decodes to a different value (from %q)", out, in)
		}
	})
}

const typicalItem = `{"pk":{"S":"user#12345"},"sk":{"S":"order#2024-01-01T00:00:00Z"},` +
	`"amount":{"N":"123.45"},"qty":{"N":"3"},"active":{"BOOL":true},"note":{"NULL":true},` +
	`"tags":{"SS":["a","b","c"]},"blob":{"B":"AAECAwQFBgc="},` +
	`"addr":{"M":{"city":{"S":"Paris"},"zip":{"S":"75001"}}},"hist":{"L":[{"N":"1"},{"N":"2"}]}}`

func BenchmarkDecodeItem(b *testing.B) {
	data := []byte(typicalItem)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var it Item
		if err := it.UnmarshalJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeItem(b *testing.B) {
	var it Item
	if err := it.UnmarshalJSON([]byte(typicalItem)); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, 1024)
	for b.Loop() {
		buf = AppendItemJSON(buf[:0], it)
	}
}

// TestValidationErrorClasses: an item's top-level names are reported before
// its nesting depth, and the depth before any other error, wherever each
// sits in the document.
func TestValidationErrorClasses(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat(`{"M":{"n":`, n) + `{"S":"leaf"}` + strings.Repeat(`}}`, n)
	}
	cases := []struct{ item, want string }{
		{`{"a":` + deep(40) + `,"":{"S":"x"}}`, MsgEmptyName},
		{`{"":{"S":"x"},"a":` + deep(40) + `}`, MsgEmptyName},
		{`{"m":{"M":{"":{"S":"x"}}},"d":` + deep(40) + `}`, msgNesting},
		{`{"s":{"SS":[]},"d":` + deep(40) + `}`, msgNesting},
		{`{"s":{"SS":[]},"m":{"M":{"":{"S":"x"}}}}`, msgEmptySS},
		{`{"m":{"M":{"":{"S":"x"}}},"s":{"SS":[]}}`, MsgEmptyName},
	}
	for _, c := range cases {
		var it Item
		err := it.UnmarshalJSON([]byte(c.item))
		if err == nil || err.Error() != c.want {
			t.Errorf("%.60s: error %v, want %q", c.item, err, c.want)
		}
	}
	_, err := UnmarshalPlaceholderValues([]byte(`{":a":{"SS":[]},":b":` + deep(40) + `}`))
	if want := "ExpressionAttributeValues contains invalid value: " + msgNesting + " for key :b"; err == nil || err.Error() != want {
		t.Errorf("placeholder values: %v, want %q", err, want)
	}
}

// TestDuplicateSetTextsByLayer: the current layer quotes a set's members,
// in byte order up to the first repeat (paritysuite valueLayers).
func TestDuplicateSetTextsByLayer(t *testing.T) {
	cases := []struct{ value, older, current string }{
		{`{"SS":["b","a","b"]}`, msgInvalidPre + "Input collection [b, a, b] contains duplicates.",
			msgInvalidPre + `Input collection ["a", "b", "b"] contains duplicates.`},
		{`{"BS":["/w==","AA==","AA=="]}`, msgInvalidPre + "Input collection [/w==, AA==, AA==]of type BS contains duplicates.",
			msgInvalidPre + `Input collection ["AA==","/w==","AA=="]of type BS contains duplicates.`},
		{`{"NS":["2","1","2"]}`, "Input collection contains duplicates",
			msgInvalidPre + "Input collection contains duplicates."},
	}
	for _, c := range cases {
		var v Value
		err := v.UnmarshalJSON([]byte(c.value))
		ve, ok := err.(*ValidationError)
		if !ok || ve.Msg != c.older || ve.Current() != c.current {
			t.Errorf("%s: %#v, want %q / %q", c.value, err, c.older, c.current)
		}
	}
	_, err := UnmarshalPlaceholderValues([]byte(`{":v":{"N":""}}`))
	ve, ok := err.(*ValidationError)
	if !ok || ve.Msg != "ExpressionAttributeValues contains invalid value: "+msgNotNumeric+" for key :v" || ve.Current() != msgNotNumeric+": " {
		t.Errorf("placeholder value: %#v", err)
	}
}
