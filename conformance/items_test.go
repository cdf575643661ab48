package conformance

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item-level behaviour of PutItem, GetItem, DeleteItem and UpdateItem:
// round trips, key validation, ReturnValues. Texts are AWS-verified
// (dynalite test/putItem.js, getItem.js, updateItem.js, deleteItem.js,
// captured against live DynamoDB) unless a comment says otherwise.

// attrs is an item, a key or a set of expression attribute values.
type attrs = map[string]types.AttributeValue

func avS(v string) types.AttributeValue  { return &types.AttributeValueMemberS{Value: v} }
func avN(v string) types.AttributeValue  { return &types.AttributeValueMemberN{Value: v} }
func avB(v []byte) types.AttributeValue  { return &types.AttributeValueMemberB{Value: v} }
func avBool(v bool) types.AttributeValue { return &types.AttributeValueMemberBOOL{Value: v} }
func avNull() types.AttributeValue       { return &types.AttributeValueMemberNULL{Value: true} }

func avSS(v ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: v} }
func avNS(v ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: v} }
func avBS(v ...[]byte) types.AttributeValue { return &types.AttributeValueMemberBS{Value: v} }

func avL(v ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: v}
}
func avM(v attrs) types.AttributeValue { return &types.AttributeValueMemberM{Value: v} }

// avRender renders a value deterministically (sets sorted, map keys sorted)
// so that items compare independently of set and map order.
func avRender(v types.AttributeValue) string {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return "S:" + x.Value
	case *types.AttributeValueMemberN:
		return "N:" + x.Value
	case *types.AttributeValueMemberB:
		return "B:" + string(x.Value)
	case *types.AttributeValueMemberBOOL:
		if x.Value {
			return "BOOL:true"
		}
		return "BOOL:false"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberSS:
		return "SS:" + sortedJoin(x.Value)
	case *types.AttributeValueMemberNS:
		return "NS:" + sortedJoin(x.Value)
	case *types.AttributeValueMemberBS:
		s := make([]string, len(x.Value))
		for i, b := range x.Value {
			s[i] = string(b)
		}
		return "BS:" + sortedJoin(s)
	case *types.AttributeValueMemberL:
		parts := make([]string, len(x.Value))
		for i, e := range x.Value {
			parts[i] = avRender(e)
		}
		return "L:[" + strings.Join(parts, ", ") + "]"
	case *types.AttributeValueMemberM:
		return "M:" + attrsRender(x.Value)
	case nil:
		return "<nil>"
	default:
		return "?"
	}
}

func sortedJoin(s []string) string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return "[" + strings.Join(c, ", ") + "]"
}

// attrsRender renders an item deterministically; nil renders as "<none>".
func attrsRender(m attrs) string {
	if m == nil {
		return "<none>"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + avRender(m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// wantAttrs fails unless got and want hold the same attributes. A nil want
// means "absent" (no Item / no Attributes in the response).
func wantAttrs(t testing.TB, what string, got, want attrs) {
	t.Helper()
	if g, w := attrsRender(got), attrsRender(want); g != w {
		t.Fatalf("%s =\n  %s\nwant\n  %s", what, g, w)
	}
}

// putOK stores item in table and fails the test on error.
func putOK(t testing.TB, table string, item attrs) {
	t.Helper()
	if _, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatalf("PutItem %s: %v", attrsRender(item), err)
	}
}

// getOK reads key from table with a consistent read; nil when absent.
func getOK(t testing.TB, table string, key attrs) attrs {
	t.Helper()
	out, err := ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{
		TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem %s: %v", attrsRender(key), err)
	}
	return out.Item
}

// pk returns the key {pk: S v} of a hashTable item.
func pk(v string) attrs { return attrs{"pk": avS(v)} }

// wantConditionFailed fails unless err is ConditionalCheckFailedException
// with the AWS text, and returns the exception (its Item holds the old item
// when ReturnValuesOnConditionCheckFailure=ALL_OLD).
func wantConditionFailed(t testing.TB, err error) *types.ConditionalCheckFailedException {
	t.Helper()
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("error %T is not *types.ConditionalCheckFailedException", err)
	}
	return ccf
}

const keyMismatch = "The provided key element does not match the schema"

func TestItemPutGetAllTypes(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	item := attrs{
		"pk":   avS("all-types"),
		"s":    avS("text"),
		"n":    avN("-56.789"),
		"b":    avB([]byte("bin")),
		"t":    avBool(true),
		"f":    avBool(false),
		"null": avNull(),
		"ss":   avSS("a", "b"),
		"ns":   avNS("1", "2.5"),
		"bs":   avBS([]byte("x"), []byte("y")),
		"l":    avL(avS("a"), avN("1"), avL(), avM(attrs{})),
		"m":    avM(attrs{"x": avS("y"), "nested": avM(attrs{"deep": avN("7")})}),
	}
	putOK(t, table, item)
	wantAttrs(t, "GetItem Item", getOK(t, table, pk("all-types")), item)
}

func TestItemGetMissingHasNoItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	out, err := ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk("nope")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Item != nil {
		t.Fatalf("Item = %s, want absent", attrsRender(out.Item))
	}
}

func TestItemPutReplacesWholeItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, attrs{"pk": avS("k"), "a": avS("1"), "b": avS("2")})
	putOK(t, table, attrs{"pk": avS("k"), "c": avS("3")})
	wantAttrs(t, "item", getOK(t, table, pk("k")), attrs{"pk": avS("k"), "c": avS("3")})
}

func TestItemCompositeKeyDistinguishesRange(t *testing.T) {
	t.Parallel()
	table := compositeTable(t)
	a := attrs{"pk": avS("h"), "sk": avN("1"), "v": avS("one")}
	b := attrs{"pk": avS("h"), "sk": avN("2"), "v": avS("two")}
	putOK(t, table, a)
	putOK(t, table, b)
	wantAttrs(t, "sk=1", getOK(t, table, attrs{"pk": avS("h"), "sk": avN("1")}), a)
	wantAttrs(t, "sk=2", getOK(t, table, attrs{"pk": avS("h"), "sk": avN("2")}), b)
	// Numbers are keys by value: 1.0 and 1 are the same key.
	wantAttrs(t, "sk=1.0", getOK(t, table, attrs{"pk": avS("h"), "sk": avN("1.0")}), a)
}

func TestItemDelete(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	// Deleting a missing item is not an error and returns nothing.
	out, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: pk("missing"), ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		t.Fatalf("DeleteItem missing: %v", err)
	}
	wantAttrs(t, "Attributes (missing)", out.Attributes, nil)

	item := attrs{"pk": avS("k"), "b": avS("b")}
	putOK(t, table, item)
	out, err = c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: pk("k"), ReturnValues: types.ReturnValueAllOld,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "Attributes", out.Attributes, item)
	wantAttrs(t, "after delete", getOK(t, table, pk("k")), nil)
}

func TestItemPutKeyErrors(t *testing.T) {
	t.Parallel()
	hash := hashTable(t)
	comp := compositeTable(t)
	cases := []struct {
		name  string
		table string
		item  attrs
		msg   string
	}{
		{"empty item", hash, attrs{"x": avS("a")}, "One or more parameter values were invalid: Missing the key pk in the item"},
		{"hash N", hash, attrs{"pk": avN("1")}, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{"hash B", hash, attrs{"pk": avB([]byte("x"))}, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: B"},
		{"hash SS", hash, attrs{"pk": avSS("a")}, "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: SS"},
		{"missing range", comp, attrs{"pk": avS("a")}, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"range S", comp, attrs{"pk": avS("a"), "sk": avS("1")}, "One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(tc.table), Item: tc.item})
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}

// keyMismatchCases are keys a hashTable (pk S) must reject.
func keyMismatchCases() map[string]attrs {
	return map[string]attrs{
		"empty":      {},
		"other attr": {"b": avS("a")},
		"extra attr": {"pk": avS("a"), "b": avS("a")},
		"N":          {"pk": avN("1")},
		"B":          {"pk": avB([]byte("ab"))},
		"BOOL":       {"pk": avBool(true)},
		"NULL":       {"pk": avNull()},
		"SS":         {"pk": avSS("a")},
		"M":          {"pk": avM(attrs{})},
		"L":          {"pk": avL()},
	}
}

func TestItemKeyMismatch(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	comp := compositeTable(t)
	c := ddb(t)
	ops := map[string]func(table string, key attrs) error{
		"GetItem": func(tb string, key attrs) error {
			_, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(tb), Key: key})
			return err
		},
		"DeleteItem": func(tb string, key attrs) error {
			_, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(tb), Key: key})
			return err
		},
		"UpdateItem": func(tb string, key attrs) error {
			_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(tb), Key: key})
			return err
		},
	}
	for op, call := range ops {
		for name, key := range keyMismatchCases() {
			t.Run(op+"/"+name, func(t *testing.T) {
				wantAPIError(t, call(table, key), "ValidationException", keyMismatch)
			})
		}
		t.Run(op+"/missing range key", func(t *testing.T) {
			wantAPIError(t, call(comp, attrs{"pk": avS("a")}), "ValidationException", keyMismatch)
		})
		t.Run(op+"/range key wrong type", func(t *testing.T) {
			wantAPIError(t, call(comp, attrs{"pk": avS("a"), "sk": avS("1")}), "ValidationException", keyMismatch)
		})
	}
}

func TestItemMissingTable(t *testing.T) {
	t.Parallel()
	_, err := ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(uniqueName("absent")), Key: pk("a")})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
}

func TestItemPutReturnValues(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	first := attrs{"pk": avS("k"), "b": avN("-0015.789e6"), "c": avS("a")}
	out, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: first, ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "ALL_OLD on create", out.Attributes, nil)

	out, err = c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("k"), "b": avS("b")}, ReturnValues: types.ReturnValueAllOld})
	if err != nil {
		t.Fatal(err)
	}
	// Numbers come back normalised.
	wantAttrs(t, "ALL_OLD on replace", out.Attributes, attrs{"pk": avS("k"), "b": avN("-15789000"), "c": avS("a")})

	out, err = c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("k")}, ReturnValues: types.ReturnValueNone})
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "NONE", out.Attributes, nil)

	for _, rv := range []types.ReturnValue{types.ReturnValueUpdatedOld, types.ReturnValueAllNew, types.ReturnValueUpdatedNew} {
		t.Run(string(rv), func(t *testing.T) {
			_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("k"), ReturnValues: rv})
			wantAPIError(t, err, "ValidationException", one("ReturnValues can only be ALL_OLD or NONE"))
		})
	}
}

func TestItemDeleteInvalidReturnValues(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	for _, rv := range []types.ReturnValue{types.ReturnValueUpdatedOld, types.ReturnValueAllNew, types.ReturnValueUpdatedNew} {
		t.Run(string(rv), func(t *testing.T) {
			_, err := ddb(t).DeleteItem(ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: pk("k"), ReturnValues: rv})
			// Same text as PutItem; no live capture for DeleteItem was found,
			// so only the stable part is asserted.
			wantAPIErrorContains(t, err, "ValidationException", "ReturnValues can only be ALL_OLD or NONE")
		})
	}
}

func TestItemReturnValuesEnum(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	const msg = "1 validation error detected: Value 'hi' at 'returnValues' failed to satisfy constraint: " +
		"Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"
	_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("k"), ReturnValues: "hi"})
	wantAPIError(t, err, "ValidationException", msg)
	_, err = c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: pk("k"), ReturnValues: "hi"})
	wantAPIError(t, err, "ValidationException", msg)
	_, err = c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: pk("k"), ReturnValues: "hi"})
	wantAPIError(t, err, "ValidationException", msg)
}

func TestItemUpdateReturnValues(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	seed := attrs{"pk": avS("k"), "a": avS("old"), "keep": avS("same"), "gone": avN("1")}
	update := func(t *testing.T, rv types.ReturnValue) attrs {
		t.Helper()
		putOK(t, table, seed)
		out, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"),
			UpdateExpression:          aws.String("SET a = :a, fresh = :f REMOVE gone"),
			ExpressionAttributeValues: attrs{":a": avS("new"), ":f": avN("2")},
			ReturnValues:              rv,
		})
		if err != nil {
			t.Fatalf("UpdateItem %s: %v", rv, err)
		}
		return out.Attributes
	}
	// Subtests run sequentially: they share one item.
	t.Run("NONE", func(t *testing.T) { wantAttrs(t, "NONE", update(t, types.ReturnValueNone), nil) })
	t.Run("ALL_OLD", func(t *testing.T) { wantAttrs(t, "ALL_OLD", update(t, types.ReturnValueAllOld), seed) })
	t.Run("ALL_NEW", func(t *testing.T) {
		wantAttrs(t, "ALL_NEW", update(t, types.ReturnValueAllNew),
			attrs{"pk": avS("k"), "a": avS("new"), "keep": avS("same"), "fresh": avN("2")})
	})
	t.Run("UPDATED_OLD", func(t *testing.T) {
		// Only attributes that existed before and were touched.
		wantAttrs(t, "UPDATED_OLD", update(t, types.ReturnValueUpdatedOld), attrs{"a": avS("old"), "gone": avN("1")})
	})
	t.Run("UPDATED_NEW", func(t *testing.T) {
		// Only attributes that exist afterwards and were touched.
		wantAttrs(t, "UPDATED_NEW", update(t, types.ReturnValueUpdatedNew), attrs{"a": avS("new"), "fresh": avN("2")})
	})
	t.Run("ALL_OLD on create", func(t *testing.T) {
		out, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("new-item"),
			UpdateExpression:          aws.String("SET a = :a"),
			ExpressionAttributeValues: attrs{":a": avS("x")},
			ReturnValues:              types.ReturnValueAllOld,
		})
		if err != nil {
			t.Fatal(err)
		}
		wantAttrs(t, "ALL_OLD", out.Attributes, nil)
	})
}

func TestItemUpdateWithoutActionCreatesKeyOnlyItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	out, err := ddb(t).UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: pk("bare")})
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "Attributes", out.Attributes, nil)
	wantAttrs(t, "item", getOK(t, table, pk("bare")), pk("bare"))
}
