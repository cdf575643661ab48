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

// TestFractionalNumbersInIntegerMembers: a number with a fraction or an
// exponent in an integer member is truncated toward zero, as DynamoDB's
// deserializer does; one out of the member's range is refused.
func TestFractionalNumbersInIntegerMembers(t *testing.T) {
	cases := []struct {
		body       string
		limit, big int64
		msg        string // a SerializationException
	}{
		{body: `{"Limit":1.9}`, limit: 1},
		{body: `{"Limit":-1.5}`, limit: -1},
		{body: `{"Limit":2.0}`, limit: 2},
		{body: `{"Limit":1e3}`, limit: 1000},
		{body: `{"Limit":1.5E1}`, limit: 15},
		{body: `{"Limit":1e-5}`, limit: 0},
		{body: `{"Limit":2147483647.9}`, limit: 2147483647},
		{body: `{"Limit":-2147483648.9}`, limit: -2147483648},
		{body: `{"Limit": 7.5 ,"Big":12345678901.5,"S":"x"}`, limit: 7, big: 12345678901},
		{body: `{"Big":1e18}`, big: 1_000_000_000_000_000_000},
		{body: `{"Limit":2147483648.5}`, msg: "DECIMAL_VALUE cannot be converted to Integer"},
		{body: `{"Limit":1e10}`, msg: "DECIMAL_VALUE cannot be converted to Integer"},
		{body: `{"Big":1e19}`, msg: "DECIMAL_VALUE cannot be converted to Long"},
		{body: `{"Limit":2147483648}`, msg: "NUMBER_VALUE cannot be converted to Integer"},
		{body: `{"S":1.5,"Limit":1.5}`, msg: "DECIMAL_VALUE cannot be converted to String"},
	}
	for _, c := range cases {
		var in testInput
		err := decode([]byte(c.body), &in)
		if c.msg != "" {
			if e := engine.AsError(err); e == nil || e.Code != engine.Serialization || e.Message != c.msg {
				t.Errorf("%s: %v, want SerializationException %q", c.body, err, c.msg)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.body, err)
			continue
		}
		var limit, big int64
		if in.Limit != nil {
			limit = int64(*in.Limit)
		}
		if in.Big != nil {
			big = *in.Big
		}
		if limit != c.limit || big != c.big {
			t.Errorf("%s: Limit %d Big %d, want %d and %d", c.body, limit, big, c.limit, c.big)
		}
	}
}

// TestFractionalLimitThroughAnOperation: the truncated number is what the
// operation checks, and a deferred value error still finds the members.
func TestFractionalLimitThroughAnOperation(t *testing.T) {
	h, _ := newTestHandler(t)
	wantError(t, serve(t, h, signedRequest(prefixDynamoDB+".Scan", `{"TableName":"tab","Limit":0.5}`)), 400,
		"com.amazon.coral.validate#ValidationException",
		"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
	wantError(t, serve(t, h, signedRequest(prefixDynamoDB+".Query",
		`{"TableName":"t","Limit":0.5,"ExpressionAttributeValues":{":v":{}},"KeyConditionExpression":"a = :v"}`)), 400,
		"com.amazon.coral.validate#ValidationException",
		"2 validation errors detected: Value 't' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "+
			"Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
}
