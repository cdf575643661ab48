package engine

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Helpers of the item operation tests. Each test builds its own Engine and
// table, so tests run in parallel without sharing state.

// itemHashDef is a table keyed by the string "pk".
func itemHashDef(name string) store.TableDef {
	return store.TableDef{Name: name, Key: store.KeySchema{Hash: "pk", HashType: attr.S}}
}

// itemRangeDef is a table keyed by "pk" (S) and "sk" (N) with a GSI on
// "g" (S) and an LSI on "l" (S).
func itemRangeDef(name string) store.TableDef {
	return store.TableDef{
		Name: name,
		Key:  store.KeySchema{Hash: "pk", HashType: attr.S, Range: "sk", RangeType: attr.N},
		Indexes: []store.IndexDef{
			{
				Name:       "gsi",
				Key:        store.KeySchema{Hash: "g", HashType: attr.S},
				Projection: store.Projection{Type: "KEYS_ONLY"},
			},
			{
				Name:       "lsi",
				Local:      true,
				Key:        store.KeySchema{Hash: "pk", HashType: attr.S, Range: "l", RangeType: attr.S},
				Projection: store.Projection{Type: "ALL"},
			},
		},
	}
}

// newItemEngine returns an Engine holding one table shaped like def,
// created with CreateTable.
func newItemEngine(tb testing.TB, def store.TableDef) *Engine {
	tb.Helper()
	e := New(Options{})
	if _, err := e.CreateTable(context.Background(), createInputOf(def)); err != nil {
		tb.Fatalf("CreateTable: %v", err)
	}
	return e
}

// createInputOf is the on-demand CreateTable request for def.
func createInputOf(def store.TableDef) *CreateTableInput {
	in := &CreateTableInput{TableName: itemStr(def.Name), BillingMode: itemStr("PAY_PER_REQUEST")}
	types := map[string]attr.Type{}
	keySchema := func(ks store.KeySchema) []KeySchemaElement {
		types[ks.Hash] = ks.HashType
		out := []KeySchemaElement{{AttributeName: itemStr(ks.Hash), KeyType: itemStr("HASH")}}
		if ks.Range != "" {
			types[ks.Range] = ks.RangeType
			out = append(out, KeySchemaElement{AttributeName: itemStr(ks.Range), KeyType: itemStr("RANGE")})
		}
		return out
	}
	in.KeySchema = keySchema(def.Key)
	for _, ix := range def.Indexes {
		proj := &Projection{ProjectionType: itemStr(ix.Projection.Type), NonKeyAttributes: ix.Projection.NonKey}
		if ix.Local {
			in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes,
				LocalSecondaryIndex{IndexName: itemStr(ix.Name), KeySchema: keySchema(ix.Key), Projection: proj})
			continue
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes,
			GlobalSecondaryIndex{IndexName: itemStr(ix.Name), KeySchema: keySchema(ix.Key), Projection: proj})
	}
	for _, name := range sortedKeys(types) {
		in.AttributeDefinitions = append(in.AttributeDefinitions,
			AttributeDefinition{AttributeName: itemStr(name), AttributeType: itemStr(types[name].String())})
	}
	return in
}

func itemS(s string) attr.Value      { return attr.Str(s) }
func itemN(n string) attr.Value      { return attr.Num(n) }
func itemStr(s string) *string       { return &s }
func itemBool(b bool) *bool          { return &b }
func itemNS(ns ...string) attr.Value { return attr.Value{Type: attr.NS, Set: ns} }
func itemSS(ss ...string) attr.Value { return attr.Value{Type: attr.SS, Set: ss} }

// wantItemErr fails unless err is an *Error with code and message msg.
func wantItemErr(tb testing.TB, err error, code Code, msg string) {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("error = %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		tb.Fatalf("error = %s: %q\nwant    %s: %q", e.Code, e.Message, code, msg)
	}
}

// wantValidation fails unless err is a ValidationException with message msg.
func wantValidation(tb testing.TB, err error, msg string) {
	tb.Helper()
	wantItemErr(tb, err, Validation, msg)
}

// wantItem fails unless got and want hold equal attributes.
func wantItem(tb testing.TB, got, want attr.Item) {
	tb.Helper()
	if !itemsEqual(got, want) || (got == nil) != (want == nil) {
		tb.Fatalf("item = %v\nwant   %v", got, want)
	}
}

// mustPut stores item in table or fails.
func mustPut(tb testing.TB, e *Engine, table string, item attr.Item) {
	tb.Helper()
	if _, err := e.PutItem(context.Background(), &PutItemInput{TableName: &table, Item: item}); err != nil {
		tb.Fatalf("PutItem: %v", err)
	}
}

// mustGet returns the item with key in table (nil if none) or fails.
func mustGet(tb testing.TB, e *Engine, table string, key attr.Item) attr.Item {
	tb.Helper()
	out, err := e.GetItem(context.Background(), &GetItemInput{TableName: &table, Key: key, ConsistentRead: itemBool(true)})
	if err != nil {
		tb.Fatalf("GetItem: %v", err)
	}
	return out.Item.Item()
}

func TestItemKeyChecks(t *testing.T) {
	t.Parallel()
	const tbl = "keys"
	e := newItemEngine(t, itemRangeDef(tbl))
	ctx := context.Background()
	long := func(n int) string { return strings.Repeat("x", n) }
	badKeys := []attr.Item{
		{},
		{"pk": itemS("a")},
		{"pk": itemS("a"), "sk": itemS("1")},
		{"pk": itemN("1"), "sk": itemN("1")},
		{"pk": itemS("a"), "sk": itemN("1"), "x": itemS("y")},
		{"pk": itemS("a"), "other": itemN("1")},
	}
	for _, key := range badKeys {
		_, err := e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: key})
		wantValidation(t, err, msgKeySchema)
		_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr(tbl), Key: key})
		wantValidation(t, err, msgKeySchema)
		_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr(tbl), Key: key})
		wantValidation(t, err, msgKeySchema)
	}
	cases := []struct {
		key  attr.Item
		want string
	}{
		{attr.Item{"pk": itemS(""), "sk": itemN("1")},
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{attr.Item{"pk": itemS(long(2049)), "sk": itemN("1")}, msgHashKeyTooBig},
	}
	for _, c := range cases {
		_, err := e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: c.key})
		wantValidation(t, err, c.want)
	}
	_, err := e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS(long(2048)), "sk": itemN("1")}})
	if err != nil {
		t.Fatalf("2048-byte partition key: %v", err)
	}
}

func TestItemKeySizeLimits(t *testing.T) {
	t.Parallel()
	const tbl = "sizes"
	def := store.TableDef{Name: tbl, Key: store.KeySchema{Hash: "pk", HashType: attr.B, Range: "sk", RangeType: attr.S}}
	e := newItemEngine(t, def)
	ctx := context.Background()
	put := func(pk, sk string) error {
		_, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": attr.Bin([]byte(pk)), "sk": itemS(sk)}})
		return err
	}
	if err := put(strings.Repeat("p", 2048), strings.Repeat("s", 1024)); err != nil {
		t.Fatalf("keys at the limits: %v", err)
	}
	wantValidation(t, put(strings.Repeat("p", 2049), "s"), msgHashKeyTooBig)
	wantValidation(t, put("p", strings.Repeat("s", 1025)), msgRangeKeyTooBig)
	wantValidation(t, put("", "s"),
		"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk")
	wantValidation(t, put("p", ""),
		"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk")
}

func TestItemTableLookup(t *testing.T) {
	t.Parallel()
	e := newItemEngine(t, itemHashDef("lookup"))
	ctx := context.Background()
	key := attr.Item{"pk": itemS("a")}
	_, err := e.GetItem(ctx, &GetItemInput{TableName: itemStr("missing"), Key: key})
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")
	_, err = e.PutItem(ctx, &PutItemInput{TableName: itemStr("missing"), Item: key})
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")
	_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr("missing"), Key: key})
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")
	_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr("missing"), Key: key})
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")

	// Expression errors are reported before the table is looked up.
	_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr("missing"), Key: key, ConditionExpression: itemStr("a = ")})
	if err.(*Error).Code != Validation {
		t.Fatalf("bad expression on a missing table: %v, want ValidationException", err)
	}

	arn := e.tableARN("lookup")
	mustPut(t, e, arn, attr.Item{"pk": itemS("a"), "v": itemN("1")})
	wantItem(t, mustGet(t, e, "lookup", key), attr.Item{"pk": itemS("a"), "v": itemN("1")})
}

func TestItemConstraintMessages(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	ctx := context.Background()
	_, err := e.UpdateItem(ctx, &UpdateItemInput{})
	wantValidation(t, err, "2 validation errors detected: "+
		"Value null at 'tableName' failed to satisfy constraint: Member must not be null; "+
		"Value null at 'key' failed to satisfy constraint: Member must not be null")
	_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr("abc;"), ReturnConsumedCapacity: itemStr("hi"),
		ReturnItemCollectionMetrics: itemStr("hi"), ReturnValues: itemStr("hi")})
	wantValidation(t, err, "5 validation errors detected: "+
		"Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "+
		"Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "+
		"Value 'hi' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy enum value set: [SIZE, NONE]; "+
		"Value 'hi' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "+
		"Value null at 'key' failed to satisfy constraint: Member must not be null")
	_, err = e.PutItem(ctx, &PutItemInput{TableName: itemStr("ab")})
	wantValidation(t, err, "2 validation errors detected: "+
		"Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; "+
		"Value null at 'item' failed to satisfy constraint: Member must not be null")
	_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr("abc"), Key: attr.Item{},
		ReturnValuesOnConditionCheckFailure: itemStr("ALL_NEW")})
	wantValidation(t, err, "1 validation error detected: "+
		"Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]")
	_, err = e.GetItem(ctx, &GetItemInput{TableName: itemStr("abc"), Key: attr.Item{}, AttributesToGet: []string{}})
	wantValidation(t, err, "1 validation error detected: "+
		"Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1")
	_, err = e.PutItem(ctx, &PutItemInput{TableName: itemStr("abc"), Item: attr.Item{}, ReturnValues: itemStr("ALL_NEW")})
	wantValidation(t, err, "1 validation error detected: ReturnValues can only be ALL_OLD or NONE")
	_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr("abc"), Key: attr.Item{}, ReturnValues: itemStr("UPDATED_OLD")})
	wantValidation(t, err, "1 validation error detected: ReturnValues can only be ALL_OLD or NONE")
}

func TestItemExpressionStyle(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	ctx := context.Background()
	tbl := itemStr("abc")
	names := map[string]string{"#a": "a"}
	values := map[string]attr.Value{":a": itemS("a")}
	_, err := e.UpdateItem(ctx, &UpdateItemInput{TableName: tbl, Key: attr.Item{},
		UpdateExpression: itemStr("SET a = :a"), ConditionExpression: itemStr("a = :a"),
		AttributeUpdates: map[string]expr.AttributeValueUpdate{}, Expected: map[string]expr.ExpectedAttributeValue{}})
	wantValidation(t, err, "1 validation error detected: Can not use both expression and non-expression parameters in the same request: "+
		"Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}")
	_, err = e.GetItem(ctx, &GetItemInput{TableName: tbl, Key: attr.Item{},
		ProjectionExpression: itemStr("a"), AttributesToGet: []string{"a"}})
	wantValidation(t, err, "Can not use both expression and non-expression parameters in the same request: "+
		"Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
	_, err = e.PutItem(ctx, &PutItemInput{TableName: tbl, Item: attr.Item{}, ExpressionAttributeNames: names})
	wantValidation(t, err, "1 validation error detected: ExpressionAttributeNames can only be specified when using expressions")
	_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: tbl, Key: attr.Item{}, ExpressionAttributeValues: values})
	// The current layer's text names no expression (it is enveloped).
	wantValidation(t, err, "1 validation error detected: ExpressionAttributeValues can only be specified when using expressions")
	_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: tbl, Key: attr.Item{}, ExpressionAttributeValues: values})
	wantValidation(t, err, "1 validation error detected: ExpressionAttributeValues can only be specified when using expressions")
	_, err = e.GetItem(ctx, &GetItemInput{TableName: tbl, Key: attr.Item{}, AttributesToGet: []string{"a", "b", "a"}})
	wantValidation(t, err, "One or more parameter values were invalid: Duplicate value in attribute name: a")
}
