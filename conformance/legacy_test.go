package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Legacy (pre-expression) parameters: Expected + ConditionalOperator,
// AttributeUpdates, AttributesToGet, and the lease-table write pattern of the
// Kinesis Client Library. Texts are from dynalite test/putItem.js,
// updateItem.js, getItem.js and validations/index.js (live-captured).

func legacyCond(op types.ComparisonOperator, vals ...types.AttributeValue) types.ExpectedAttributeValue {
	return types.ExpectedAttributeValue{ComparisonOperator: op, AttributeValueList: vals}
}

func TestLegacyExpectedOperators(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	seed := attrs{"pk": avS("k"), "s": avS("hello"), "b": avS("b"), "n": avN("5"), "ss": avSS("x", "y")}
	putOK(t, table, seed)
	cases := []struct {
		name     string
		expected map[string]types.ExpectedAttributeValue
		op       types.ConditionalOperator
		pass     bool
	}{
		{"Value equal", map[string]types.ExpectedAttributeValue{"s": {Value: avS("hello")}}, "", true},
		{"Value different", map[string]types.ExpectedAttributeValue{"s": {Value: avS("bye")}}, "", false},
		{"Value on missing", map[string]types.ExpectedAttributeValue{"ghost": {Value: avS("x")}}, "", false},
		{"Exists true", map[string]types.ExpectedAttributeValue{"s": {Value: avS("hello"), Exists: aws.Bool(true)}}, "", true},
		{"Exists false on missing", map[string]types.ExpectedAttributeValue{"ghost": {Exists: aws.Bool(false)}}, "", true},
		{"Exists false on present", map[string]types.ExpectedAttributeValue{"s": {Exists: aws.Bool(false)}}, "", false},
		{"Value with EQ", map[string]types.ExpectedAttributeValue{"s": {Value: avS("hello"), ComparisonOperator: types.ComparisonOperatorEq}}, "", true},
		{"EQ", map[string]types.ExpectedAttributeValue{"s": legacyCond("EQ", avS("hello"))}, "", true},
		{"EQ fail", map[string]types.ExpectedAttributeValue{"s": legacyCond("EQ", avS("x"))}, "", false},
		{"EQ set", map[string]types.ExpectedAttributeValue{"ss": legacyCond("EQ", avSS("y", "x"))}, "", true},
		{"NE", map[string]types.ExpectedAttributeValue{"s": legacyCond("NE", avS("x"))}, "", true},
		{"NE fail", map[string]types.ExpectedAttributeValue{"s": legacyCond("NE", avS("hello"))}, "", false},
		{"LE", map[string]types.ExpectedAttributeValue{"b": legacyCond("LE", avS("c"))}, "", true},
		{"LE fail", map[string]types.ExpectedAttributeValue{"b": legacyCond("LE", avS("a"))}, "", false},
		{"LT", map[string]types.ExpectedAttributeValue{"n": legacyCond("LT", avN("10"))}, "", true},
		{"LT fail", map[string]types.ExpectedAttributeValue{"n": legacyCond("LT", avN("5"))}, "", false},
		{"GE", map[string]types.ExpectedAttributeValue{"b": legacyCond("GE", avS("b"))}, "", true},
		{"GE fail", map[string]types.ExpectedAttributeValue{"b": legacyCond("GE", avS("c"))}, "", false},
		{"GT", map[string]types.ExpectedAttributeValue{"n": legacyCond("GT", avN("4.5"))}, "", true},
		{"GT fail", map[string]types.ExpectedAttributeValue{"n": legacyCond("GT", avN("5"))}, "", false},
		{"CONTAINS", map[string]types.ExpectedAttributeValue{"s": legacyCond("CONTAINS", avS("ell"))}, "", true},
		{"CONTAINS set", map[string]types.ExpectedAttributeValue{"ss": legacyCond("CONTAINS", avS("x"))}, "", true},
		{"CONTAINS fail", map[string]types.ExpectedAttributeValue{"s": legacyCond("CONTAINS", avS("goodbye"))}, "", false},
		{"NOT_CONTAINS", map[string]types.ExpectedAttributeValue{"s": legacyCond("NOT_CONTAINS", avS("goodbye"))}, "", true},
		{"NOT_CONTAINS fail", map[string]types.ExpectedAttributeValue{"s": legacyCond("NOT_CONTAINS", avS("ell"))}, "", false},
		{"BEGINS_WITH", map[string]types.ExpectedAttributeValue{"s": legacyCond("BEGINS_WITH", avS("he"))}, "", true},
		{"BEGINS_WITH fail", map[string]types.ExpectedAttributeValue{"s": legacyCond("BEGINS_WITH", avS("lo"))}, "", false},
		{"NOT_NULL", map[string]types.ExpectedAttributeValue{"s": legacyCond("NOT_NULL")}, "", true},
		{"NOT_NULL fail", map[string]types.ExpectedAttributeValue{"ghost": legacyCond("NOT_NULL")}, "", false},
		{"NULL", map[string]types.ExpectedAttributeValue{"ghost": legacyCond("NULL")}, "", true},
		{"NULL fail", map[string]types.ExpectedAttributeValue{"s": legacyCond("NULL")}, "", false},
		{"IN", map[string]types.ExpectedAttributeValue{"b": legacyCond("IN", avS("c"), avS("b"))}, "", true},
		{"IN fail", map[string]types.ExpectedAttributeValue{"b": legacyCond("IN", avS("c"))}, "", false},
		{"BETWEEN", map[string]types.ExpectedAttributeValue{"b": legacyCond("BETWEEN", avS("a"), avS("c"))}, "", true},
		{"BETWEEN fail", map[string]types.ExpectedAttributeValue{"b": legacyCond("BETWEEN", avS("c"), avS("d"))}, "", false},
		{"several all true", map[string]types.ExpectedAttributeValue{
			"pk": {Value: avS("k")}, "ghost": {Exists: aws.Bool(false)}, "s": legacyCond("GE", avS("hello")),
		}, "", true},
		{"AND one false", map[string]types.ExpectedAttributeValue{
			"pk": legacyCond("EQ", avS("k")), "ghost": legacyCond("NULL"), "s": legacyCond("EQ", avS("x")),
		}, types.ConditionalOperatorAnd, false},
		{"OR one true", map[string]types.ExpectedAttributeValue{
			"pk": legacyCond("EQ", avS("k")), "s": legacyCond("EQ", avS("x")),
		}, types.ConditionalOperatorOr, true},
		{"OR all false", map[string]types.ExpectedAttributeValue{
			"pk": legacyCond("EQ", avS("x")), "s": legacyCond("EQ", avS("x")),
		}, types.ConditionalOperatorOr, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Re-putting the same item keeps the table unchanged for the
			// other cases.
			_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{
				TableName: aws.String(table), Item: seed, Expected: tc.expected, ConditionalOperator: tc.op,
			})
			if tc.pass {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantConditionFailed(t, err)
		})
	}
}

func TestLegacyExpectedValidation(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	const p = "One or more parameter values were invalid: "
	cases := []struct {
		name     string
		expected types.ExpectedAttributeValue
		msg      string
	}{
		{"Exists true without Value", types.ExpectedAttributeValue{Exists: aws.Bool(true)}, p + "Value must be provided when Exists is true for Attribute: a"},
		{"Exists false with Value", types.ExpectedAttributeValue{Exists: aws.Bool(false), Value: avS("a")}, p + "Value cannot be used when Exists is false for Attribute: a"},
		{"operator alone", types.ExpectedAttributeValue{ComparisonOperator: "LT"}, p + "Value or AttributeValueList must be used with ComparisonOperator: LT for Attribute: a"},
		{"operator with Exists", types.ExpectedAttributeValue{Exists: aws.Bool(true), ComparisonOperator: "LT"}, p + "Exists and ComparisonOperator cannot be used together for Attribute: a"},
		{"Value and list", types.ExpectedAttributeValue{Value: avS("a"), AttributeValueList: []types.AttributeValue{avS("a")}, ComparisonOperator: "LT"}, p + "Value and AttributeValueList cannot be used together for Attribute: a"},
		{"list without operator", types.ExpectedAttributeValue{AttributeValueList: []types.AttributeValue{avS("a")}}, p + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"},
		{"EQ without values", types.ExpectedAttributeValue{ComparisonOperator: "EQ", AttributeValueList: []types.AttributeValue{}}, p + "Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"NULL with a value", types.ExpectedAttributeValue{ComparisonOperator: "NULL", AttributeValueList: []types.AttributeValue{avS("a")}}, p + "Invalid number of argument(s) for the NULL ComparisonOperator"},
		{"BETWEEN with three", types.ExpectedAttributeValue{ComparisonOperator: "BETWEEN", AttributeValueList: []types.AttributeValue{avN("1"), avN("10"), avN("12")}}, p + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
		{"BETWEEN with Value", types.ExpectedAttributeValue{ComparisonOperator: "BETWEEN", Value: avS("a")}, p + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{
				TableName: aws.String(table), Item: pk("k"),
				Expected: map[string]types.ExpectedAttributeValue{"a": tc.expected},
			})
			wantAPIError(t, err, "ValidationException", one(tc.msg))
		})
	}
}

func TestLegacyAttributeUpdates(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	update := func(t *testing.T, key string, au map[string]types.AttributeValueUpdate, rv types.ReturnValue) attrs {
		t.Helper()
		out, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk(key), AttributeUpdates: au, ReturnValues: rv,
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.Attributes
	}
	t.Run("PUT", func(t *testing.T) {
		t.Parallel()
		got := update(t, "put", map[string]types.AttributeValueUpdate{
			"c": {Action: types.AttributeActionPut, Value: avN("1")},
		}, types.ReturnValueAllNew)
		wantAttrs(t, "ALL_NEW", got, attrs{"pk": avS("put"), "c": avN("1")})
	})
	t.Run("PUT is the default action", func(t *testing.T) {
		t.Parallel()
		got := update(t, "default", map[string]types.AttributeValueUpdate{
			"b": {Value: avS("a")}, "c": {Action: types.AttributeActionPut, Value: avN("1")},
		}, types.ReturnValueAllNew)
		wantAttrs(t, "ALL_NEW", got, attrs{"pk": avS("default"), "b": avS("a"), "c": avN("1")})
	})
	t.Run("actions on a missing item", func(t *testing.T) {
		t.Parallel()
		got := update(t, "fresh", map[string]types.AttributeValueUpdate{
			"b": {Action: types.AttributeActionDelete},
			"c": {Action: types.AttributeActionDelete, Value: avSS("a", "b")},
			"d": {Action: types.AttributeActionAdd, Value: avN("5")},
			"e": {Action: types.AttributeActionAdd, Value: avSS("a", "b")},
			"f": {Action: types.AttributeActionAdd, Value: avL(avS("a"), avN("1"))},
		}, types.ReturnValueUpdatedNew)
		want := attrs{"d": avN("5"), "e": avSS("a", "b"), "f": avL(avS("a"), avN("1"))}
		wantAttrs(t, "UPDATED_NEW", got, want)
		want["pk"] = avS("fresh")
		wantAttrs(t, "item", getOK(t, table, pk("fresh")), want)
	})
	t.Run("ADD, DELETE and PUT on existing", func(t *testing.T) {
		t.Parallel()
		putOK(t, table, attrs{"pk": avS("ex"), "n": avN("1"), "ss": avSS("a", "b"), "ns": avNS("1", "2", "3"),
			"l": avL(avS("a")), "gone": avS("x"), "keep": avS("k")})
		got := update(t, "ex", map[string]types.AttributeValueUpdate{
			"n":    {Action: types.AttributeActionAdd, Value: avN("3")},
			"ss":   {Action: types.AttributeActionAdd, Value: avSS("b", "c")},
			"ns":   {Action: types.AttributeActionDelete, Value: avNS("1", "4")},
			"l":    {Action: types.AttributeActionAdd, Value: avL(avS("b"))},
			"gone": {Action: types.AttributeActionDelete},
			"keep": {Action: types.AttributeActionPut, Value: avS("k2")},
		}, types.ReturnValueUpdatedOld)
		wantAttrs(t, "UPDATED_OLD", got, attrs{"n": avN("1"), "ss": avSS("a", "b"), "ns": avNS("1", "2", "3"),
			"l": avL(avS("a")), "gone": avS("x"), "keep": avS("k")})
		wantAttrs(t, "item", getOK(t, table, pk("ex")), attrs{"pk": avS("ex"), "n": avN("4"), "ss": avSS("a", "b", "c"),
			"ns": avNS("2", "3"), "l": avL(avS("a"), avS("b")), "keep": avS("k2")})
	})
	t.Run("DELETE every element removes the set", func(t *testing.T) {
		t.Parallel()
		putOK(t, table, attrs{"pk": avS("del"), "ns": avNS("2", "3"), "c": avS("a")})
		got := update(t, "del", map[string]types.AttributeValueUpdate{
			"ns": {Action: types.AttributeActionDelete, Value: avNS("2", "3")},
		}, types.ReturnValueAllNew)
		wantAttrs(t, "ALL_NEW", got, attrs{"pk": avS("del"), "c": avS("a")})
	})
}

func TestLegacyAttributeUpdatesErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	putOK(t, table, attrs{"pk": avS("k"), "b": avSS("1"), "c": avN("1"), "d": avNS("1")})
	const p = "One or more parameter values were invalid: "
	// The type names in "ADD action is not supported for the type …" differ
	// between sources (S/BOOL in dynalite's captures, STRING/BOOLEAN in
	// DynamoDB Local), so those cases assert the text up to the type.
	const addType = p + "ADD action is not supported for the type "
	const deleteType = p + "DELETE action with value is not supported for the type "
	cases := []struct {
		name string
		au   map[string]types.AttributeValueUpdate
		msg  string
	}{
		{"PUT without value", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionPut}}, one(p + "Only DELETE action is allowed when no attribute value is specified")},
		{"ADD string", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionAdd, Value: avS("1")}}, addType},
		{"ADD bool", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionAdd, Value: avBool(true)}}, addType},
		{"ADD map", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionAdd, Value: avM(attrs{})}}, addType},
		{"DELETE string", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionDelete, Value: avS("1")}}, deleteType},
		{"DELETE number", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionDelete, Value: avN("1")}}, deleteType},
		{"DELETE list", map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionDelete, Value: avL()}}, deleteType},
		{"key attribute", map[string]types.AttributeValueUpdate{"pk": {Value: avS("x")}}, p + "Cannot update attribute pk. This attribute is part of the key"},
		{"DELETE NS from SS", map[string]types.AttributeValueUpdate{"b": {Action: types.AttributeActionDelete, Value: avNS("1")}}, "Type mismatch for attribute to update"},
		{"DELETE NS from N", map[string]types.AttributeValueUpdate{"c": {Action: types.AttributeActionDelete, Value: avNS("1")}}, "Type mismatch for attribute to update"},
		{"ADD NS to SS", map[string]types.AttributeValueUpdate{"b": {Action: types.AttributeActionAdd, Value: avNS("1")}}, "Type mismatch for attribute to update"},
		{"ADD N to NS", map[string]types.AttributeValueUpdate{"d": {Action: types.AttributeActionAdd, Value: avN("1")}}, "Type mismatch for attribute to update"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: pk("k"), AttributeUpdates: tc.au})
			if tc.msg == addType || tc.msg == deleteType {
				wantAPIErrorContains(t, err, "ValidationException", tc.msg)
				return
			}
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}

func TestLegacyAttributesToGet(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	putOK(t, table, attrs{"pk": avS("k"), "b": avS("a"), "g": avN("23"), "m": avM(attrs{"x": avS("y")})})
	out, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{
		TableName: aws.String(table), Key: pk("k"), ConsistentRead: aws.Bool(true), AttributesToGet: []string{"b", "g", "ghost"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantAttrs(t, "Item", out.Item, attrs{"b": avS("a"), "g": avN("23")})

	_, err = c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk("k"), AttributesToGet: []string{"a", "a"}})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Duplicate value in attribute name: a")
}

func TestLegacyMixedWithExpressions(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	const p = "Can not use both expression and non-expression parameters in the same request: "
	t.Run("GetItem", func(t *testing.T) {
		_, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{
			TableName: aws.String(table), Key: pk("k"), AttributesToGet: []string{"a"}, ProjectionExpression: aws.String("a"),
		})
		wantAPIError(t, err, "ValidationException", p+"Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
	})
	t.Run("PutItem", func(t *testing.T) {
		_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{
			TableName: aws.String(table), Item: pk("k"),
			Expected:            map[string]types.ExpectedAttributeValue{"a": {Exists: aws.Bool(false)}},
			ConditionExpression: aws.String("attribute_not_exists(a)"),
		})
		wantAPIError(t, err, "ValidationException", one(p+"Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"))
	})
	t.Run("UpdateItem", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"),
			Expected:            map[string]types.ExpectedAttributeValue{"a": {Exists: aws.Bool(false)}},
			AttributeUpdates:    map[string]types.AttributeValueUpdate{"b": {Value: avS("x")}},
			ConditionExpression: aws.String("attribute_not_exists(a)"),
			UpdateExpression:    aws.String("SET b = :x"), ExpressionAttributeValues: attrs{":x": avS("x")},
		})
		wantAPIError(t, err, "ValidationException", one(p+"Non-expression parameters: {AttributeUpdates, Expected} Expression parameters: {UpdateExpression, ConditionExpression}"))
	})
	t.Run("DeleteItem", func(t *testing.T) {
		_, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
			TableName: aws.String(table), Key: pk("k"),
			Expected:            map[string]types.ExpectedAttributeValue{"a": {Exists: aws.Bool(false)}},
			ConditionExpression: aws.String("attribute_not_exists(a)"),
		})
		wantAPIError(t, err, "ValidationException", one(p+"Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"))
	})
	t.Run("names with legacy only", func(t *testing.T) {
		_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{
			TableName: aws.String(table), Item: pk("k"),
			Expected:                 map[string]types.ExpectedAttributeValue{"a": {Exists: aws.Bool(false)}},
			ExpressionAttributeNames: map[string]string{"#a": "a"},
		})
		wantAPIError(t, err, "ValidationException", one("ExpressionAttributeNames can only be specified when using expressions"))
	})
}

// TestLegacyKCLLeaseSequence follows the lease-table writes of the Kinesis
// Client Library (DynamoDBLeaseRefresher): create with Exists=false, take and
// renew guarded by the lease counter, a stale renew that must fail, evict and
// delete.
func TestLegacyKCLLeaseSequence(t *testing.T) {
	t.Parallel()
	table := createTable(t, &dynamodb.CreateTableInput{
		TableName:            aws.String("leases"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("leaseKey"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("leaseKey"), KeyType: types.KeyTypeHash}},
	})
	c := ddb(t)
	key := attrs{"leaseKey": avS("shardId-000000000001")}
	lease := attrs{
		"leaseKey": avS("shardId-000000000001"), "leaseCounter": avN("0"),
		"checkpoint": avS("TRIM_HORIZON"), "checkpointSubSequenceNumber": avN("0"),
		"ownerSwitchesSinceCheckpoint": avN("0"),
	}
	notExists := map[string]types.ExpectedAttributeValue{"leaseKey": {Exists: aws.Bool(false)}}

	// createLeaseIfNotExists
	if _, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: lease, Expected: notExists}); err != nil {
		t.Fatalf("create lease: %v", err)
	}
	_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: lease, Expected: notExists})
	wantConditionFailed(t, err)

	counterIs := func(n string) types.ExpectedAttributeValue { return types.ExpectedAttributeValue{Value: avN(n)} }
	addOne := types.AttributeValueUpdate{Action: types.AttributeActionAdd, Value: avN("1")}

	// takeLease: counter must still be 0; bump it and set the owner.
	out, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
		TableName: aws.String(table), Key: key,
		Expected: map[string]types.ExpectedAttributeValue{"leaseCounter": counterIs("0")},
		AttributeUpdates: map[string]types.AttributeValueUpdate{
			"leaseCounter":                 addOne,
			"leaseOwner":                   {Action: types.AttributeActionPut, Value: avS("worker-A")},
			"ownerSwitchesSinceCheckpoint": addOne,
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if err != nil {
		t.Fatalf("take lease: %v", err)
	}
	if got := attrsRender(attrs{"c": out.Attributes["leaseCounter"], "o": out.Attributes["leaseOwner"]}); got != "{c=N:1, o=S:worker-A}" {
		t.Fatalf("after take: %s", attrsRender(out.Attributes))
	}

	// renewLease by the owner: counter 1 -> 2.
	renew := func(counter, owner string) error {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: key,
			Expected: map[string]types.ExpectedAttributeValue{
				"leaseCounter": counterIs(counter), "leaseOwner": {Value: avS(owner)},
			},
			AttributeUpdates: map[string]types.AttributeValueUpdate{"leaseCounter": addOne},
		})
		return err
	}
	if err := renew("1", "worker-A"); err != nil {
		t.Fatalf("renew: %v", err)
	}
	// A worker holding a stale counter (or the wrong owner) loses.
	wantConditionFailed(t, renew("1", "worker-A"))
	wantConditionFailed(t, renew("2", "worker-B"))

	// updateLease (checkpoint) guarded by counter and owner.
	_, err = c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
		TableName: aws.String(table), Key: key,
		Expected: map[string]types.ExpectedAttributeValue{"leaseCounter": counterIs("2"), "leaseOwner": {Value: avS("worker-A")}},
		AttributeUpdates: map[string]types.AttributeValueUpdate{
			"leaseCounter":                 addOne,
			"checkpoint":                   {Action: types.AttributeActionPut, Value: avS("49590338271490256608559692538361571095921575989136588898")},
			"ownerSwitchesSinceCheckpoint": {Action: types.AttributeActionPut, Value: avN("0")},
		},
	})
	if err != nil {
		t.Fatalf("checkpoint: %v", err)
	}

	// evictLease: owner must match; the owner attribute is deleted.
	_, err = c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
		TableName: aws.String(table), Key: key,
		Expected: map[string]types.ExpectedAttributeValue{"leaseOwner": {Value: avS("worker-A")}},
		AttributeUpdates: map[string]types.AttributeValueUpdate{
			"leaseOwner":   {Action: types.AttributeActionDelete},
			"leaseCounter": addOne,
		},
	})
	if err != nil {
		t.Fatalf("evict: %v", err)
	}
	wantAttrs(t, "lease after evict", getOK(t, table, key), attrs{
		"leaseKey": avS("shardId-000000000001"), "leaseCounter": avN("4"),
		"checkpoint": avS("49590338271490256608559692538361571095921575989136588898"), "checkpointSubSequenceNumber": avN("0"),
		"ownerSwitchesSinceCheckpoint": avN("0"),
	})

	// deleteLease guarded by the owner: fails now that there is no owner.
	_, err = c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: key,
		Expected: map[string]types.ExpectedAttributeValue{"leaseOwner": {Value: avS("worker-A")}},
	})
	wantConditionFailed(t, err)
	_, err = c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: key,
		Expected: map[string]types.ExpectedAttributeValue{"leaseCounter": counterIs("4")},
	})
	if err != nil {
		t.Fatalf("delete lease: %v", err)
	}
	wantAttrs(t, "lease after delete", getOK(t, table, key), nil)
}
