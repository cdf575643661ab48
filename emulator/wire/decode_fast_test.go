package wire

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/dynafault/dynafault/emulator/engine"
)

// checkFastDecode decodes body with the fast decoder of In and, when it
// takes the body, checks that encoding/json decodes it without error into
// the same value. It reports whether the fast decoder took the body.
func checkFastDecode[In any](t testing.TB, body string) bool {
	t.Helper()
	dec := fastDecoder[In]()
	if dec == nil {
		t.Fatalf("no fast decoder for %T", (*In)(nil))
	}
	got := new(In)
	if !dec([]byte(body), got) {
		return false
	}
	want := new(In)
	if err := json.Unmarshal([]byte(body), want); err != nil {
		t.Fatalf("fast decoder took %s, encoding/json: %v", body, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\nfast %+v\njson %+v", body, got, want)
	}
	return true
}

// SDK-shaped bodies: the fast decoder must take them.
var fastBodies = []struct {
	name string
	try  func(testing.TB, string) bool
	body string
}{
	{"GetItem", checkFastDecode[engine.GetItemInput], `{"TableName":"t","Key":{"pk":{"S":"a"}}}`},
	{"GetItem all", checkFastDecode[engine.GetItemInput], ` { "TableName" : "t" , "Key":{"pk":{"S":"é"},"sk":{"N":"1"}},"ConsistentRead":true,` +
		`"ProjectionExpression":"#a, b","ExpressionAttributeNames":{"#a":"a","#a":"c"},"ReturnConsumedCapacity":"TOTAL"}` + "\n"},
	{"GetItem legacy", checkFastDecode[engine.GetItemInput], `{"TableName":"t","Key":{},"AttributesToGet":["a","b"],"ConsistentRead":false}`},
	{"GetItem empty lists", checkFastDecode[engine.GetItemInput], `{"AttributesToGet":[],"ExpressionAttributeNames":{}}`},
	{"empty", checkFastDecode[engine.GetItemInput], `{}`},
	{"PutItem", checkFastDecode[engine.PutItemInput], `{"TableName":"t","Item":{"pk":{"S":"a"},"m":{"M":{"x":{"L":[{"N":"1e3"},{"BOOL":true},{"NULL":true}]}}},` +
		`"b":{"B":"AAE="},"ss":{"SS":["a","b"]}},"ConditionExpression":"attribute_not_exists(pk) AND #n < :v",` +
		`"ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":v":{"N":"-0.5"}},"ReturnValues":"ALL_OLD"}`},
	{"PutItem Expected", checkFastDecode[engine.PutItemInput], `{"TableName":"t","Item":{"pk":{"S":"a"}},` +
		`"Expected":{"a":{"Exists":false},"b":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"x"}]}},"ConditionalOperator":"AND"}`},
	{"UpdateItem", checkFastDecode[engine.UpdateItemInput], `{"TableName":"t","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET a = :a ADD n :one",` +
		`"ExpressionAttributeValues":{":a":{"S":"x"},":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"}`},
	{"UpdateItem legacy", checkFastDecode[engine.UpdateItemInput], `{"TableName":"t","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"a":{"Action":"PUT","Value":{"S":"x"}}}}`},
	{"DeleteItem", checkFastDecode[engine.DeleteItemInput], `{"TableName":"t","Key":{"pk":{"S":"a"}},"ReturnValues":"ALL_OLD"}`},
	{"Query", checkFastDecode[engine.QueryInput], `{"TableName":"t","IndexName":"i","KeyConditionExpression":"pk = :p AND sk > :s",` +
		`"ExpressionAttributeValues":{":p":{"S":"a"},":s":{"N":"5"}},"Limit":100,"ScanIndexForward":false,` +
		`"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"6"}},"Select":"ALL_ATTRIBUTES","FilterExpression":"x <> :s"}`},
	{"Query limits", checkFastDecode[engine.QueryInput], `{"Limit":-0}`},
	{"Query limit max", checkFastDecode[engine.QueryInput], `{"Limit":999999999}`},
	{"Query legacy", checkFastDecode[engine.QueryInput], `{"TableName":"t","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]}}}`},
	{"Scan", checkFastDecode[engine.ScanInput], `{"TableName":"t","Segment":0,"TotalSegments":4,"ConsistentRead":true}`},
	{"BatchWriteItem", checkFastDecode[engine.BatchWriteItemInput], `{"RequestItems":{"t":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},` +
		`{"DeleteRequest":{"Key":{"pk":{"S":"b"}}}}]},"ReturnConsumedCapacity":"TOTAL"}`},
	{"BatchGetItem", checkFastDecode[engine.BatchGetItemInput], `{"RequestItems":{"t":{"Keys":[{"pk":{"S":"a"}}],"ConsistentRead":true}}}`},
	{"CreateTable", checkFastDecode[engine.CreateTableInput], `{"TableName":"t","BillingMode":"PAY_PER_REQUEST",` +
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`},
	{"nested strings", checkFastDecode[engine.PutItemInput], `{"Expected":{"a\"b":{"Value":{"S":"\u00e9\n"}}}}`},
}

func TestFastDecoderTakesPlainBodies(t *testing.T) {
	for _, c := range fastBodies {
		if !c.try(t, c.body) {
			t.Errorf("%s: fast decoder left %s to encoding/json", c.name, c.body)
		}
	}
}

// Bodies the fast decoder must leave to decode (which may accept them or
// answer an error): anything but plain members, and anything malformed.
func TestFastDecoderLeavesTheRestToDecode(t *testing.T) {
	for _, body := range []string{
		``, ` `, `[]`, `null`, `"x"`, `{`, `{}x`, `{} {}`, `{"TableName":"t"`, `{"TableName":"t",}`, `{,}`,
		`{"TableName":null}`, `{"Key":null}`, `{"ExpressionAttributeNames":null}`, `{"AttributesToGet":null}`,
		`{"TableName":"t","TableName":"u"}`, `{"tablename":"t"}`, `{"Unknown":1}`, `{"Table\u004eame":"t"}`,
		`{"TableName":"a\"b"}`, `{"TableName":"a\u00e9"}`, "{\"TableName\":\"\xff\"}", "{\"TableName\":\"a\x01\"}",
		`{"TableName":1}`, `{"TableName":true}`, `{"ConsistentRead":"true"}`, `{"ConsistentRead":1}`, `{"ConsistentRead":tru}`,
		`{"AttributesToGet":"a"}`, `{"AttributesToGet":["a",1]}`, `{"AttributesToGet":["a",]}`, `{"AttributesToGet":[null]}`,
		`{"ExpressionAttributeNames":{"#a":1}}`, `{"ExpressionAttributeNames":{"#a":"b",}}`, `{"ExpressionAttributeNames":[]}`,
		`{"Key":{"pk":{"S":"a"}},"Key":{"pk":{"S":"b"}}}`, `{"Key":{"pk":{"S":1}}}`, `{"Key":{"pk":{}}}`, `{"Key":{"pk":{"S":"a"}}`,
		`{"Key":{"pk":{"S":"a\x"}}}`, `{"Key":[1,2,]}`, `{"Key":{"pk":{"S":"a"}}}}`,
	} {
		if checkFastDecode[engine.GetItemInput](t, body) {
			t.Errorf("fast decoder took %q", body)
		}
	}
	for _, body := range []string{
		`{"Limit":1.0}`, `{"Limit":1e2}`, `{"Limit":01}`, `{"Limit":-}`, `{"Limit":2147483648}`, `{"Limit":9999999999}`,
		`{"Limit":"1"}`, `{"Limit":null}`, `{"ExclusiveStartKey":null}`, `{"KeyConditions":{"pk":{"ComparisonOperator":1}}}`,
		`{"KeyConditions":{"pk":{"AttributeValueList":[{"S":"a"}]}},"Limit":-01}`, `{"QueryFilter":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}`,
	} {
		if checkFastDecode[engine.QueryInput](t, body) {
			t.Errorf("fast decoder took %q", body)
		}
	}
}

func TestFastPlanRefusesUnusualStructs(t *testing.T) {
	if newFastPlan(reflect.TypeFor[struct{ engine.GetItemInput }]()) != nil {
		t.Error("a struct with an embedded field has a fast plan")
	}
	if newFastPlan(reflect.TypeFor[struct {
		N int `json:",string"`
	}]()) != nil {
		t.Error("a struct with a ,string member has a fast plan")
	}
}

// FuzzFastDecoder: whatever the body, the fast decoder either leaves it to
// decode or yields exactly what encoding/json yields without error.
func FuzzFastDecoder(f *testing.F) {
	for _, c := range fastBodies {
		f.Add(c.body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkFastDecode[engine.GetItemInput](t, body)
		checkFastDecode[engine.PutItemInput](t, body)
		checkFastDecode[engine.QueryInput](t, body)
	})
}
