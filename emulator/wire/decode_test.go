package wire

import (
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/engine"
)

// Messages as the service words them now (dynalite test/helpers.js
// assertType, recaptured against DynamoDB): Jackson token names for
// scalars, "Unrecognized collection type" for arrays.
func TestTypeErrorsAreJavaFlavouredSerializationExceptions(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	cases := []struct{ body, msg string }{
		{`{"S":true}`, "TRUE_VALUE cannot be converted to String"},
		{`{"S":false}`, "FALSE_VALUE cannot be converted to String"},
		{`{"S":23}`, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":-2147483648}`, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":2147483648}`, "NUMBER_VALUE cannot be converted to String"},
		{`{"S":34.56}`, "DECIMAL_VALUE cannot be converted to String"},
		{`{"S":[]}`, "Unrecognized collection type class java.lang.String"},
		{`{"S":{}}`, "Start of structure or map found where not expected"},
		{`{"Flag":"23"}`, "Unexpected token received from parser"},
		{`{"Flag":23}`, "NUMBER_VALUE cannot be converted to Boolean"},
		{`{"Flag":34.56}`, "DECIMAL_VALUE cannot be converted to Boolean"},
		{`{"Flag":[]}`, "Unrecognized collection type class java.lang.Boolean"},
		{`{"Flag":{}}`, "Start of structure or map found where not expected"},
		{`{"Limit":"23"}`, "STRING_VALUE cannot be converted to Integer"},
		{`{"Limit":true}`, "TRUE_VALUE cannot be converted to Integer"},
		{`{"Limit":false}`, "FALSE_VALUE cannot be converted to Integer"},
		{`{"Limit":[]}`, "Unrecognized collection type class java.lang.Integer"},
		{`{"Big":"23"}`, "STRING_VALUE cannot be converted to Long"},
		{`{"Big":[]}`, "Unrecognized collection type class java.lang.Long"},
		{`{"Blob":true}`, "only base-64-encoded strings are convertible to bytes"},
		{`{"Blob":23}`, "only base-64-encoded strings are convertible to bytes"},
		{`{"List":"23"}`, "Unexpected field type"},
		{`{"List":34.56}`, "Unexpected field type"},
		{`{"List":{}}`, "Start of structure or map found where not expected"},
		{`{"List":[true]}`, "TRUE_VALUE cannot be converted to String"},
		{`{"Map":true}`, "Unexpected field type"},
		{`{"Map":[]}`, "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>"},
		{`{"Nested":"23"}`, "Unexpected field type"},
	}
	for _, c := range cases {
		w := serve(t, h, signedRequest("DynamoDB_20120810.Echo", c.body))
		wantError(t, w, 400, "com.amazon.coral.service#SerializationException", c.msg)
		if !strings.Contains(w.Body.String(), `"Message":`) {
			t.Errorf("%s: SerializationException must use Message: %s", c.body, w.Body)
		}
	}
}

// Model shapes, as in CreateTable: a structure member is a "field", a
// structure inside a list or map a "value" (dynalite test/helpers.js
// assertType FieldStruct and ValueStruct).
type KeySchemaElement struct {
	AttributeName *string `json:"AttributeName"`
}

type ProvisionedThroughput struct {
	ReadCapacityUnits *int64 `json:"ReadCapacityUnits"`
}

type shapeInput struct {
	KeySchema             []KeySchemaElement           `json:"KeySchema"`
	ProvisionedThroughput *ProvisionedThroughput       `json:"ProvisionedThroughput"`
	Indexes               map[string]*KeySchemaElement `json:"Indexes"`
}

func TestTypeErrorsOfModelShapes(t *testing.T) {
	cases := []struct{ body, msg string }{
		{`{"KeySchema":["23"]}`, "Unexpected value type in payload"},
		{`{"KeySchema":[true]}`, "Unexpected value type in payload"},
		{`{"KeySchema":[[]]}`, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement"},
		{`{"KeySchema":[{"AttributeName":1}]}`, "NUMBER_VALUE cannot be converted to String"},
		{`{"ProvisionedThroughput":23}`, "Unexpected field type"},
		{`{"ProvisionedThroughput":[]}`, "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput"},
		{`{"ProvisionedThroughput":{"ReadCapacityUnits":"1"}}`, "STRING_VALUE cannot be converted to Long"},
		{`{"Indexes":{"a":"23"}}`, "Unexpected value type in payload"},
		{`{"Indexes":[]}`, "Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.KeySchemaElement>"},
	}
	for _, c := range cases {
		var in shapeInput
		err := decode([]byte(c.body), &in)
		e := engine.AsError(err)
		if e == nil || e.Code != engine.Serialization || e.Message != c.msg {
			t.Errorf("%s: got %v, want SerializationException %q", c.body, err, c.msg)
		}
	}
}

func TestNullsAndUnknownMembersAreIgnored(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	w := serve(t, h, signedRequest("DynamoDB_20120810.Echo", `{"S":null,"Limit":null,"Other":{"x":[1]}}`))
	if w.Code != 200 {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}

func TestLiteralBefore(t *testing.T) {
	body := []byte(`{"a":"x\\","b":-1.5e3}`)
	if got := literalBefore(body, int64(len(`{"a":"x\\"`))); got != `"x\\"` {
		t.Errorf("string literal = %s", got)
	}
	if got := literalBefore(body, int64(len(body)-1)); got != `-1.5e3` {
		t.Errorf("number literal = %s", got)
	}
	for _, off := range []int64{-1, 0, int64(len(body) + 1)} {
		if got := literalBefore(body, off); got != "" {
			t.Errorf("offset %d: %q", off, got)
		}
	}
}
