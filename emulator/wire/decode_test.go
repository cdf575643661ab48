package wire

import (
	"strings"
	"testing"
)

// Messages are dynalite's, captured against live DynamoDB (test/helpers.js
// assertType).
func TestTypeErrorsAreJavaFlavouredSerializationExceptions(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	cases := []struct{ body, msg string }{
		{`{"S":true}`, "class java.lang.Boolean can not be converted to an String"},
		{`{"S":23}`, "class java.lang.Short can not be converted to an String"},
		{`{"S":-2147483648}`, "class java.lang.Integer can not be converted to an String"},
		{`{"S":2147483648}`, "class java.lang.Long can not be converted to an String"},
		{`{"S":34.56}`, "class java.lang.Double can not be converted to an String"},
		{`{"S":[]}`, "Start of list found where not expected"},
		{`{"S":{}}`, "Start of structure or map found where not expected."},
		{`{"Flag":"23"}`, "'23' can not be converted to an Boolean"},
		{`{"Flag":"he\"llo"}`, "'HE\"LLO' can not be converted to an Boolean"},
		{`{"Flag":23}`, "class java.lang.Short can not be converted to an Boolean"},
		{`{"Flag":[]}`, "Start of list found where not expected"},
		{`{"Flag":{}}`, "Start of structure or map found where not expected."},
		{`{"Limit":"23"}`, "class java.lang.String can not be converted to an Integer"},
		{`{"Limit":true}`, "class java.lang.Boolean can not be converted to an Integer"},
		{`{"Big":"23"}`, "class java.lang.String can not be converted to an Long"},
		{`{"Blob":true}`, "class java.lang.Boolean can not be converted to a Blob"},
		{`{"Blob":23}`, "class java.lang.Short can not be converted to a Blob"},
		{`{"List":"23"}`, "Expected list or null"},
		{`{"List":34.56}`, "Expected list or null"},
		{`{"List":{}}`, "Start of structure or map found where not expected."},
		{`{"List":[true]}`, "class java.lang.Boolean can not be converted to an String"},
		{`{"Map":true}`, "Expected map or null"},
		{`{"Map":[]}`, "Start of list found where not expected"},
		{`{"Nested":"23"}`, "Expected null"},
		{`{"Nested":[]}`, "Start of list found where not expected"},
	}
	for _, c := range cases {
		w := serve(t, h, signedRequest("DynamoDB_20120810.Echo", c.body))
		wantError(t, w, 400, "com.amazon.coral.service#SerializationException", c.msg)
		if !strings.Contains(w.Body.String(), `"Message":`) {
			t.Errorf("%s: SerializationException must use Message: %s", c.body, w.Body)
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
