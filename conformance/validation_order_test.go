package conformance

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// Which error DynamoDB reports first when a request has several faults.
// Sources, in this order of authority: paritysuite's tier 3
// validation-ordering tests (recorded against DynamoDB in us-east-1 and
// eu-west-2 in October 2026, some in ten regions), dynalite's tests
// (recorded against DynamoDB, older), and DynamoDB Local 3.3.1 where both
// are silent. See conformance/README.md, "Validation order and value layers".
//
// Most requests name a table that does not exist: each answer comes before
// the table is looked up.

// Texts of the errors these tests combine.
const (
	enumRCC = "Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: " +
		"Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
	enumRICM = "Value 'BOGUS2' at 'returnItemCollectionMetrics' failed to satisfy constraint: " +
		"Member must satisfy enum value set: [SIZE, NONE]"
	msgNesting  = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	msgEmptySS  = "One or more parameter values were invalid: An string set  may not be empty"
	msgEmptyAtt = "Empty attribute name"
)

// one is a constraint message on its own.
func one(m string) string { return "1 validation error detected: " + m }

// deepAV is a string nested in depth single-member maps.
func deepAV(depth int) types.AttributeValue {
	var v types.AttributeValue = avS("leaf")
	for range depth {
		v = &types.AttributeValueMemberM{Value: attrs{"n": v}}
	}
	return v
}

// emptySS is an empty string set, which no attribute may hold.
func emptySS() types.AttributeValue { return &types.AttributeValueMemberSS{Value: []string{}} }

// wantValidationOneOf fails unless err is a ValidationException whose
// message is one of msgs (regions answer some of these differently).
func wantValidationOneOf(t testing.TB, err error, msgs ...string) {
	t.Helper()
	wantAPIErrorContains(t, err, "ValidationException", "")
	var ae smithy.APIError
	errors.As(err, &ae)
	if got := ae.ErrorMessage(); !slices.Contains(msgs, got) {
		t.Fatalf("ValidationException message =\n  %q\nwant one of\n  %q", ae.ErrorMessage(), msgs)
	}
}

func TestValidationOrderBatches(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	bogus := types.ReturnConsumedCapacity("BOGUS")
	write := func(name string, k attrs, rcc types.ReturnConsumedCapacity, ricm types.ReturnItemCollectionMetrics) error {
		_, err := ddb(t).BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{
			RequestItems:           map[string][]types.WriteRequest{name: {putReq(k)}},
			ReturnConsumedCapacity: rcc, ReturnItemCollectionMetrics: ricm,
		})
		return err
	}
	// Member constraints first; BatchWriteItem reports unknown enums alone.
	wantAPIError(t, write(table, pk("bw-rcc"), bogus, ""), "ValidationException", one(enumRCC))
	wantAPIError(t, write(table, pk("bw-ricm"), "", "BOGUS2"), "ValidationException", one(enumRICM))
	wantAPIError(t, write(table, pk("bw-both"), bogus, "BOGUS2"), "ValidationException",
		"2 validation errors detected: "+enumRCC+"; "+enumRICM)
	wantAPIError(t, write(absent, pk("a"), bogus, ""), "ValidationException", one(enumRCC))
	wantAPIError(t, write("bad!name", pk("a"), bogus, ""), "ValidationException", one(enumRCC))
	for _, k := range []string{"bw-rcc", "bw-ricm", "bw-both"} {
		wantAttrs(t, "refused write", getOK(t, table, pk(k)), nil)
	}

	get := func(name string, rcc types.ReturnConsumedCapacity) error {
		_, err := ddb(t).BatchGetItem(ctx(t), &dynamodb.BatchGetItemInput{
			RequestItems:           map[string]types.KeysAndAttributes{name: {Keys: []attrs{pk("a")}}},
			ReturnConsumedCapacity: rcc,
		})
		return err
	}
	wantAPIError(t, get(table, bogus), "ValidationException", one(enumRCC))
	wantAPIError(t, get(absent, bogus), "ValidationException", one(enumRCC))
	// BatchGetItem reports a malformed table name with the enum, first.
	wantAPIError(t, get("bad!name", bogus), "ValidationException", "2 validation errors detected: "+
		`Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at 'requestItems' failed to satisfy constraint: `+
		"Map keys must satisfy constraint: [Member must have length less than or equal to 255, "+
		"Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]; "+enumRCC)

	// An invalid key value comes after the mixing of projection styles
	// (DynamoDB Local) and before the table is looked up.
	_, err := ddb(t).BatchGetItem(ctx(t), &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		absent: {Keys: []attrs{{"pk": avN("x")}}, ProjectionExpression: aws.String("a")},
		table:  {Keys: []attrs{pk("a")}, AttributesToGet: []string{"a"}},
	}})
	wantAPIError(t, err, "ValidationException", "Can not use both expression and non-expression parameters in the same request: "+
		"Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}")
	_, err = ddb(t).BatchGetItem(ctx(t), &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		absent: {Keys: []attrs{{"pk": emptySS()}}}}})
	wantAPIError(t, err, "ValidationException", msgEmptySS)
	wantAPIError(t, write(absent, attrs{"pk": avS("a"), "x": emptySS()}, "", ""), "ValidationException", msgEmptySS)
}

func TestValidationOrderTransactWrite(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	tx := func(in *dynamodb.TransactWriteItemsInput, items ...types.TransactWriteItem) error {
		in.TransactItems = items
		_, err := ddb(t).TransactWriteItems(ctx(t), in)
		return err
	}
	put := func(name string, item attrs) types.TransactWriteItem {
		return types.TransactWriteItem{Put: &types.Put{TableName: aws.String(name), Item: item}}
	}
	check := func(name string, key attrs, cond string, vals attrs) types.TransactWriteItem {
		return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{TableName: aws.String(name), Key: key,
			ConditionExpression: aws.String(cond), ExpressionAttributeValues: vals}}
	}
	del := func(name string, key attrs) types.TransactWriteItem {
		return types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(name), Key: key}}
	}

	// Member constraints first, reported together.
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: "BOGUS"}, put(table, pk("tx-rcc"))),
		"ValidationException", one(enumRCC))
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{ReturnItemCollectionMetrics: "BOGUS2"}, put(table, pk("tx-ricm"))),
		"ValidationException", one(enumRICM))
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: "BOGUS", ReturnItemCollectionMetrics: "BOGUS2"},
		put(table, pk("tx-both"))), "ValidationException", "2 validation errors detected: "+enumRCC+"; "+enumRICM)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: "BOGUS"}, put(absent, pk("a"))),
		"ValidationException", one(enumRCC))
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: "BOGUS"},
		put(table, pk("tx-dup")), del(table, pk("tx-dup"))), "ValidationException", one(enumRCC))
	token := strings.Repeat("x", 37)
	echoed := "Value '" + token + "' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"
	generic := "Value at 'ClientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"
	wantValidationOneOf(t, tx(&dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(token)}, put(table, pk("tx-token"))),
		one(echoed), one(generic))
	wantValidationOneOf(t, tx(&dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(token), ReturnConsumedCapacity: "BOGUS"},
		put(table, pk("tx-token"))), "2 validation errors detected: "+echoed+"; "+enumRCC, one(generic))
	for _, k := range []string{"tx-rcc", "tx-ricm", "tx-both", "tx-dup", "tx-token"} {
		wantAttrs(t, "refused transaction", getOK(t, table, pk(k)), nil)
	}

	// Then the actions, one after the other and all before any table is
	// looked up: a malformed condition, an unused value or an invalid value
	// of an action is reported before anything of a later action.
	const syntax = `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("`
	malformed := check(table, pk("tx-cc"), "attribute_not_exists(", nil)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, put(absent, pk("a")), malformed), "ValidationException", syntax)
	deep := put(table, attrs{"pk": avS("tx-deep"), "data": deepAV(32)})
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, malformed, deep), "ValidationException", syntax)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, deep, malformed), "ValidationException", msgNesting)
	const unused = "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
	unusedCheck := check(table, pk("tx-cc"), "attribute_not_exists(pk)", attrs{":v": avS("x")})
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, put(absent, pk("a")), unusedCheck), "ValidationException", unused)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, unusedCheck, put(absent, pk("a"))), "ValidationException", unused)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, put(table, pk("tx-cc")), unusedCheck), "ValidationException", unused)
	wantAttrs(t, "refused transaction", getOK(t, table, pk("tx-cc")), nil)

	// Values nested too deep, empty names and expressions, in request order
	// (paritysuite deepRequests, ten regions). A top-level empty name comes
	// before a value nested too deep in the same item, wherever it is, and a
	// value nested too deep before an empty name inside a map.
	emptyName := put(absent, attrs{"pk": avS("a"), "": avS("x")})
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, put(absent, attrs{"pk": avS("b"), "d": deepAV(40)}), emptyName),
		"ValidationException", msgNesting)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, emptyName, put(absent, attrs{"pk": avS("b"), "d": deepAV(100)})),
		"ValidationException", msgEmptyAtt)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, put(absent, attrs{"pk": avS("a"), "": avS("x"), "d": deepAV(100)})),
		"ValidationException", msgEmptyAtt)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{},
		put(absent, attrs{"pk": avS("a"), "m": &types.AttributeValueMemberM{Value: attrs{"": avS("x")}}, "d": deepAV(40)})),
		"ValidationException", msgNesting)
	wantValidationOneOf(t, tx(&dynamodb.TransactWriteItemsInput{},
		check(absent, pk("b"), "d = :deep", attrs{":deep": deepAV(40)}), emptyName),
		"ExpressionAttributeValues contains invalid value: "+msgNesting+" for key :deep", msgNesting)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{}, del(absent, attrs{"pk": deepAV(40)}),
		types.TransactWriteItem{Put: &types.Put{TableName: aws.String(absent), Item: pk("a"), ConditionExpression: aws.String("a = = b")}}),
		"ValidationException", msgNesting)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{},
		types.TransactWriteItem{Put: &types.Put{TableName: aws.String(absent), Item: pk("a"), ConditionExpression: aws.String("a = = b")}},
		del(absent, attrs{"pk": deepAV(100)})), "ValidationException", `Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"`)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{},
		types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(absent), Key: attrs{"pk": deepAV(100)},
			ConditionExpression: aws.String("a = = b")}}), "ValidationException", `Invalid ConditionExpression: Syntax error; token: "=", near: "= = b"`)
	long := "a = :v" + strings.Repeat(" AND a = :v", 373)
	wantAPIError(t, tx(&dynamodb.TransactWriteItemsInput{},
		types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(absent), Key: attrs{"pk": deepAV(100)},
			ConditionExpression: aws.String(long), ExpressionAttributeValues: attrs{":v": avS("x")}}}),
		"ValidationException", "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4109")
}

func TestValidationOrderTransactGet(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")
	putOK(t, table, pk("tg-item"))
	get := func(name string, key attrs, proj string) types.TransactGetItem {
		g := &types.Get{TableName: aws.String(name), Key: key}
		if proj != "" {
			g.ProjectionExpression = aws.String(proj)
		}
		return types.TransactGetItem{Get: g}
	}
	tx := func(rcc types.ReturnConsumedCapacity, items ...types.TransactGetItem) error {
		_, err := ddb(t).TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: items, ReturnConsumedCapacity: rcc})
		return err
	}
	wantAPIError(t, tx("BOGUS", get(table, pk("tg-item"), "")), "ValidationException", one(enumRCC))
	wantAPIError(t, tx("BOGUS", get(absent, pk("a"), "")), "ValidationException", one(enumRCC))
	wantAPIError(t, tx("BOGUS", get(table, pk("tg-item"), ""), get(table, pk("tg-item"), "")), "ValidationException", one(enumRCC))
	// One Get after the other: a projection, then the key's values (DynamoDB
	// Local), before any table is looked up.
	const syntax = `Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"`
	wantAPIError(t, tx("", get(absent, pk("a"), "a,,b"), get(absent, attrs{"pk": emptySS()}, "")), "ValidationException", syntax)
	wantAPIError(t, tx("", get(absent, attrs{"pk": emptySS()}, ""), get(absent, pk("a"), "a,,b")), "ValidationException", msgEmptySS)
}

func TestValidationOrderItems(t *testing.T) {
	t.Parallel()
	table, absent := hashTable(t), uniqueName("absent")

	// UpdateItem without a Key: the member errors in one message, member by
	// member; an empty table name breaks only its length (paritysuite,
	// raw requests: the SDK requires Key).
	const (
		emptyName = "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1"
		noKey     = "Value null at 'key' failed to satisfy constraint: Member must not be null"
	)
	update := map[string]any{"TableName": "", "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": map[string]any{":a": map[string]string{"S": "x"}}}
	wantRawError(t, ddbCall(t, "UpdateItem", update), nsValidate+"ValidationException", "2 validation errors detected: "+emptyName+"; "+noKey)
	update["ReturnConsumedCapacity"], update["ReturnValues"] = "INVALID", "INVALID"
	wantRawError(t, ddbCall(t, "UpdateItem", update), nsValidate+"ValidationException", "4 validation errors detected: "+
		"Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "+
		emptyName+"; "+
		"Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]; "+
		noKey)
	xor := map[string]any{"TableName": absent, "ConditionalOperator": "XOR",
		"AttributeUpdates": map[string]any{"x": map[string]any{"Action": "PUT", "Value": map[string]string{"S": "1"}}},
		"Expected":         map[string]any{"a": map[string]bool{"Exists": false}, "b": map[string]bool{"Exists": false}}}
	wantRawError(t, ddbCall(t, "UpdateItem", xor), nsValidate+"ValidationException", "2 validation errors detected: "+
		"Value 'XOR' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]; "+noKey)

	// A member constraint comes before an invalid value in the item, and so
	// do the rules on expression parameters and ReturnValues (DynamoDB
	// Local; paritysuite deepRequests for ReturnValues); a malformed
	// condition comes after it.
	bad := attrs{"pk": avS("a"), "x": emptySS()}
	_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: bad, ReturnConsumedCapacity: "BOGUS"})
	wantAPIError(t, err, "ValidationException", one(enumRCC))
	_, err = ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: bad, ReturnValues: types.ReturnValueAllNew})
	wantAPIErrorContains(t, err, "ValidationException", "ReturnValues can only be ALL_OLD or NONE")
	_, err = ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: bad,
		Expected: map[string]types.ExpectedAttributeValue{"a": {Exists: aws.Bool(false)}}, ConditionExpression: aws.String("a = b")})
	wantAPIErrorContains(t, err, "ValidationException", "Can not use both expression and non-expression parameters in the same request")
	_, err = ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: bad,
		ExpressionAttributeValues: attrs{":v": avS("x")}})
	wantAPIErrorContains(t, err, "ValidationException", "ExpressionAttributeValues can only be specified when using expressions")
	for _, cond := range []string{"a = = b", "a = :undefined", ""} {
		_, err = ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: bad, ConditionExpression: aws.String(cond)})
		wantAPIErrorContains(t, err, "ValidationException", msgEmptySS)
	}
	_, err = ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table),
		Item: attrs{"pk": avS("a"), "x": emptySS(), "big": avS(strings.Repeat("y", 410*1024))}})
	wantAPIErrorContains(t, err, "ValidationException", msgEmptySS)
	wantAttrs(t, "refused writes", getOK(t, table, pk("a")), nil)

	// DeleteItem: ReturnValues before the key's values, as in
	// paritysuite deepRequests (where the value is nested 100 levels).
	_, err = ddb(t).DeleteItem(ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(absent), Key: attrs{"pk": deepAV(100)},
		ReturnValues: types.ReturnValueUpdatedNew})
	wantAPIErrorContains(t, err, "ValidationException", "ReturnValues can only be ALL_OLD or NONE")
	_, err = ddb(t).DeleteItem(ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(absent), Key: attrs{"pk": deepAV(63)},
		ReturnValues: "BOGUS"})
	wantAPIError(t, err, "ValidationException", one("Value 'BOGUS' at 'returnValues' failed to satisfy constraint: "+
		"Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"))

	// UpdateItem: the key's values, then a malformed Expected, then the
	// other values (DynamoDB Local).
	_, err = ddb(t).UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(absent), Key: attrs{"pk": emptySS()},
		AttributeUpdates: map[string]types.AttributeValueUpdate{"b": {Action: types.AttributeActionPut}}})
	wantAPIErrorContains(t, err, "ValidationException", msgEmptySS)
	_, err = ddb(t).UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(absent), Key: pk("a"),
		AttributeUpdates: map[string]types.AttributeValueUpdate{"b": {Action: types.AttributeActionPut, Value: emptySS()}},
		Expected:         map[string]types.ExpectedAttributeValue{"a": {Exists: aws.Bool(true)}}})
	wantAPIErrorContains(t, err, "ValidationException", "Value must be provided when Exists is true for Attribute: a")

	// GetItem parses its projection before it validates the key's values.
	_, err = ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(absent), Key: attrs{"pk": emptySS()},
		ProjectionExpression: aws.String("a,,b")})
	wantAPIError(t, err, "ValidationException", `Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"`)
	_, err = ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(absent), Key: attrs{"pk": emptySS()}})
	wantAPIErrorContains(t, err, "ValidationException", msgEmptySS)
}

func TestValidationOrderReads(t *testing.T) {
	t.Parallel()
	table, absent := compositeTable(t), uniqueName("absent")
	// Query: an unknown ConditionalOperator alone, before an unknown Select,
	// in the validation framework's words (paritysuite, both regions).
	r := ddbCall(t, "Query", map[string]any{"TableName": absent, "ConditionalOperator": "XOR", "Select": "BOGUS",
		"KeyConditions": map[string]any{"pk": map[string]any{"ComparisonOperator": "EQ", "AttributeValueList": []any{map[string]string{"S": "a"}}}},
		"QueryFilter":   map[string]any{"b": map[string]string{"ComparisonOperator": "NULL"}, "c": map[string]string{"ComparisonOperator": "NULL"}}})
	wantRawError(t, r, nsValidate+"ValidationException", "Failed to satisfy constraint: Member must satisfy enum value set: [ALL, OR]")

	// The clauses of a key condition in the order written, operand types
	// before the table (paritysuite queryKeyCondition).
	const (
		operand   = "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"
		undefined = "Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing"
	)
	q := func(name, kce string, vals attrs) error {
		_, err := ddb(t).Query(ctx(t), &dynamodb.QueryInput{TableName: aws.String(name), KeyConditionExpression: aws.String(kce),
			ExpressionAttributeValues: vals})
		return err
	}
	wantAPIError(t, q(table, "pk = :missing AND begins_with(sk, :n)", attrs{":n": avN("1")}), "ValidationException", undefined)
	wantAPIError(t, q(table, "begins_with(sk, :n) AND pk = :missing", attrs{":n": avN("1")}), "ValidationException", operand)
	wantAPIError(t, q(table, "pk = :p AND begins_with(sk, :n) AND sk = :missing", attrs{":p": avS("q"), ":n": avN("1")}),
		"ValidationException", operand)
	wantAPIError(t, q(absent, "pk = :p AND begins_with(sk, :n)", attrs{":p": avS("q"), ":n": avN("1")}), "ValidationException", operand)
	wantAPIErrorContains(t, q(absent, "pk = :p AND begins_with(sk, :s)", attrs{":p": avS("q"), ":s": avS("a")}),
		"ResourceNotFoundException", "")

	// The values of ExpressionAttributeValues before the expressions, those
	// of ExclusiveStartKey after them (DynamoDB Local). Query reports a value
	// in the current layer's words, with no wrapper (paritysuite valueLayers).
	wantAPIError(t, q(absent, "pk = = :v", attrs{":v": emptySS()}), "ValidationException", msgEmptySS)
	_, err := ddb(t).Query(ctx(t), &dynamodb.QueryInput{TableName: aws.String(absent), KeyConditionExpression: aws.String("pk = = :v"),
		ExpressionAttributeValues: attrs{":v": avS("a")}, ExclusiveStartKey: attrs{"pk": emptySS()}})
	wantAPIError(t, err, "ValidationException", `Invalid KeyConditionExpression: Syntax error; token: "=", near: "= = :v"`)

	// Scan: one ScanFilter condition nested 40 levels with
	// ConditionalOperator AND: regions differ (paritysuite deepRequests).
	_, err = ddb(t).Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(absent), ConditionalOperator: types.ConditionalOperatorAnd,
		ScanFilter: map[string]types.Condition{"a": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{deepAV(40)}}}})
	wantValidationOneOf(t, err, msgNesting, "ConditionalOperator can only be used when Filter or Expected has two or more elements")
}

func TestValidationOrderCreateTable(t *testing.T) {
	t.Parallel()
	// Index names too short on a GSI and an LSI: the GSI's error first,
	// whatever the order of the request and of the names (paritysuite).
	tooShort := func(name, member string) string {
		return "Value '" + name + "' at '" + member + ".1.member.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"
	}
	for _, names := range [][2]string{{"l1", "g1"}, {"aa", "zz"}} {
		_, err := ddb(t).CreateTable(ctx(t), &dynamodb.CreateTableInput{
			TableName:   aws.String(uniqueName("vo_ct_index_names")),
			BillingMode: types.BillingModePayPerRequest,
			AttributeDefinitions: []types.AttributeDefinition{
				attrDef("pk", types.ScalarAttributeTypeS), attrDef("sk", types.ScalarAttributeTypeS),
			},
			KeySchema: hashRangeKey("pk", "sk"),
			LocalSecondaryIndexes: []types.LocalSecondaryIndex{
				{IndexName: aws.String(names[0]), KeySchema: hashRangeKey("pk", "lr"), Projection: projectAll()},
			},
			GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
				{IndexName: aws.String(names[1]), KeySchema: hashKey("gh"), Projection: projectAll()},
			},
		})
		wantAPIError(t, err, "ValidationException", "2 validation errors detected: "+
			tooShort(names[1], "globalSecondaryIndexes")+"; "+tooShort(names[0], "localSecondaryIndexes"))
	}
}
