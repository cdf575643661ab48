package wire

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// call sends one signed operation and decodes a 200 answer into out.
func call(t *testing.T, h http.Handler, op, body string, out any) {
	t.Helper()
	w := serve(t, h, signedRequest(prefixDynamoDB+"."+op, body))
	if w.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", op, w.Code, w.Body)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatalf("%s: %v in %s", op, err, w.Body)
		}
	}
}

func TestControlPlaneThroughTheHandler(t *testing.T) {
	h, _ := newTestHandler(t)
	var created struct {
		TableDescription struct{ TableArn, TableName string }
	}
	call(t, h, "CreateTable", `{"TableName":"wire_t","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}]}`, &created)
	arn := created.TableDescription.TableArn
	if created.TableDescription.TableName != "wire_t" || !strings.HasSuffix(arn, ":table/wire_t") {
		t.Fatalf("CreateTable answered %+v", created)
	}
	var list struct{ TableNames []string }
	call(t, h, "ListTables", `{}`, &list)
	if len(list.TableNames) != 1 || list.TableNames[0] != "wire_t" {
		t.Fatalf("ListTables = %v", list.TableNames)
	}
	w := serve(t, h, signedRequest(prefixDynamoDB+".TagResource", `{"ResourceArn":"`+arn+`","Tags":[{"Key":"k","Value":"v"}]}`))
	if w.Code != http.StatusOK || w.Body.Len() != 0 {
		t.Fatalf("TagResource: %d %q, want 200 with an empty body", w.Code, w.Body)
	}
	r := signedRequest(prefixDynamoDB+".DescribeEndpoints", `{}`)
	r.Host = "localhost:4567"
	w = serve(t, h, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"Address":"localhost:4567"`) {
		t.Fatalf("DescribeEndpoints: %d %s", w.Code, w.Body)
	}
	wantError(t, serve(t, h, signedRequest(prefixDynamoDB+".DescribeTable", `{"TableName":"missing"}`)), 400,
		"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found: Table: missing not found")
}

// TestValueErrorsAfterMemberChecks: an invalid attribute value is reported
// after the constraints on the request's members and the checks DynamoDB
// makes before it validates values, wherever the value sits in the body.
func TestValueErrorsAfterMemberChecks(t *testing.T) {
	h, _ := newTestHandler(t)
	const empty = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	cases := []struct{ op, body, typ, msg string }{
		{"PutItem", `{"Item":{"a":{}},"TableName":"t"}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value 't' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"PutItem", `{"TableName":"tab","Item":{"a":{}},"ReturnValues":"ALL_NEW"}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: ReturnValues can only be ALL_OLD or NONE"},
		// PutItem, UpdateItem and DeleteItem envelope their checks before
		// the table, GetItem does not.
		{"PutItem", `{"TableName":"tab","Item":{"a":{}}}`, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: " + empty},
		{"GetItem", `{"TableName":"tab","Key":{"a":{}},"ProjectionExpression":"a,,b"}`, "com.amazon.coral.validate#ValidationException",
			`Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"`},
		// The values of a key are read after the table's name is checked,
		// and a missing table is looked up only after them.
		{"GetItem", `{"TableName":"missing","Key":{"a":{}}}`, "com.amazon.coral.validate#ValidationException", empty},
		// A body with a serialization error keeps its first error.
		{"PutItem", `{"TableName":"t","Item":{"a":{"B":"!!"}}}`, "com.amazon.coral.service#SerializationException", ""},
	}
	for _, c := range cases {
		w := serve(t, h, signedRequest(prefixDynamoDB+"."+c.op, c.body))
		if c.msg == "" {
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), c.typ) {
				t.Errorf("%s %s: %d %s", c.op, c.body, w.Code, w.Body)
			}
			continue
		}
		wantError(t, w, http.StatusBadRequest, c.typ, c.msg)
	}
}

func TestValueDecodeErrorsKeepDynamoDBText(t *testing.T) {
	h, _ := newTestHandler(t)
	w := serve(t, h, signedRequest(prefixDynamoDB+".PutItem", `{"TableName":"tab","Item":{"a":{}}}`))
	if w.Code != http.StatusBadRequest || strings.Contains(w.Body.String(), "json:") ||
		!strings.Contains(w.Body.String(), "Supplied AttributeValue is empty") {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
	w = serve(t, h, signedRequest(prefixDynamoDB+".PutItem", `{"TableName":"t","Item":{"a":{"B":"!!"}}}`))
	if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "SerializationException") {
		t.Fatalf("bad base64: got %d %s", w.Code, w.Body)
	}
}
