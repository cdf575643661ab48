package conformance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Limits DynamoDB enforces on names, expressions and index keys. Sources:
// attribute names up to 65,535 bytes (scylladb test_limits.py,
// AWS-verified: the message must mention 65535 or 65536); the empty-name,
// operator-count, path-depth and nested list_append texts are DynamoDB
// Local 3.3.1's; the GSI key size text is AWS's (a production error quoted
// in wellcomecollection/platform#2285). See README.md.

func TestLimitsAttributeNames(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	long := strings.Repeat("n", 65535)
	tooLong := long + "n"
	if _, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("ok"), long: avS("x")}}); err != nil {
		t.Fatalf("PutItem of a 65,535-byte name: %.300v", err)
	}
	get, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("ok")}, AttributesToGet: []string{long}})
	if err != nil || len(get.Item) != 1 {
		t.Fatalf("GetItem of a 65,535-byte name: %d attributes, %.300v", len(get.Item), err)
	}

	bad := []struct {
		name string
		call func() error
		msg  string
	}{
		{"item name too long", func() error {
			_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("1"), tooLong: avS("x")}})
			return err
		}, "65536"},
		{"map key too long", func() error {
			_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table),
				Item: attrs{"pk": avS("1"), "m": &types.AttributeValueMemberM{Value: attrs{tooLong: avS("x")}}}})
			return err
		}, "65536"},
		{"AttributesToGet too long", func() error {
			_, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")}, AttributesToGet: []string{tooLong}})
			return err
		}, "65536"},
		{"ExpressionAttributeNames too long", func() error {
			_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
				UpdateExpression: aws.String("SET #n = :v"), ExpressionAttributeNames: map[string]string{"#n": tooLong},
				ExpressionAttributeValues: attrs{":v": avS("x")}})
			return err
		}, "65536"},
		{"AttributeUpdates too long", func() error {
			_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
				AttributeUpdates: map[string]types.AttributeValueUpdate{tooLong: {Value: avS("x")}}})
			return err
		}, "65536"},
		{"empty item name", func() error {
			_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("1"), "": avS("x")}})
			return err
		}, "Empty attribute name"},
		{"empty map key", func() error {
			_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table),
				Item: attrs{"pk": avS("1"), "m": &types.AttributeValueMemberM{Value: attrs{"": avS("x")}}}})
			return err
		}, "Empty attribute name"},
		{"empty AttributesToGet", func() error {
			_, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")}, AttributesToGet: []string{""}})
			return err
		}, "Empty attribute name"},
		{"empty ExpressionAttributeNames value", func() error {
			_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
				UpdateExpression: aws.String("SET #a = :v"), ExpressionAttributeNames: map[string]string{"#a": ""},
				ExpressionAttributeValues: attrs{":v": avS("x")}})
			return err
		}, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"},
	}
	for _, b := range bad {
		err := b.call()
		wantAPIErrorContains(t, err, "ValidationException", b.msg)
	}
	if _, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")}}); err != nil {
		t.Fatal(err)
	} // no rejected request wrote anything:
	scanned, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table)})
	wantColumn(t, "items after the rejected writes", scanned, "pk", "ok")
}

func TestLimitsExpressions(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	v := attrs{":v": avN("1")}
	or := func(n int) string { return strings.Repeat("a = :v OR ", n-1) + "a = :v" }
	// 150 comparisons and 149 ORs: 299 operators.
	_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("1")},
		ConditionExpression: aws.String(or(150)), ExpressionAttributeValues: v})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	_, err = c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: attrs{"pk": avS("1")},
		ConditionExpression: aws.String(or(151)), ExpressionAttributeValues: v})
	wantAPIError(t, err, "ValidationException", one("Invalid ConditionExpression: The expression contains too many operators; operator count: 301"))
	_, err = c.Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(table),
		FilterExpression: aws.String(strings.Repeat("size(a) > :v AND ", 100) + "size(a) > :v"), ExpressionAttributeValues: v})
	wantAPIError(t, err, "ValidationException", "Invalid FilterExpression: The expression contains too many operators; operator count: 301")

	path := func(n int) string { return "a" + strings.Repeat(".b", n-1) }
	if _, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
		ProjectionExpression: aws.String(path(32))}); err != nil {
		t.Fatalf("32-level path: %v", err)
	}
	_, err = c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
		ProjectionExpression: aws.String(path(33))})
	wantAPIError(t, err, "ValidationException", "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33")
	_, err = c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
		UpdateExpression: aws.String("SET " + "a" + strings.Repeat("[0]", 32) + " = :v"), ExpressionAttributeValues: v})
	wantAPIError(t, err, "ValidationException", one("Invalid UpdateExpression: The document path has too many nesting levels; nesting levels: 33"))

	l := attrs{":l": &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("x")}}}
	update := func(ue string) error {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
			UpdateExpression: aws.String(ue), ExpressionAttributeValues: l})
		return err
	}
	if err := update("SET l = list_append(if_not_exists(l, :l), :l)"); err != nil {
		t.Fatalf("if_not_exists inside list_append: %v", err)
	}
	for _, ue := range []string{"SET l = list_append(:l, list_append(:l, :l))", "SET l = list_append(list_append(:l, :l), :l)", "SET l = if_not_exists(l, list_append(:l, :l))"} {
		wantAPIError(t, update(ue), "ValidationException", one("Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"))
	}
}

func TestLimitsIndexKeySizes(t *testing.T) {
	t.Parallel()
	table := createTable(t, &dynamodb.CreateTableInput{
		TableName:            aws.String("ks"),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS), attrDef("r", types.ScalarAttributeTypeS)},
		KeySchema:            hashKey("pk"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("byG"), KeySchema: hashRangeKey("g", "r"), Projection: projectAll()},
		},
	})
	c := ddb(t)
	put := func(item attrs) error {
		_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item})
		return err
	}
	if err := put(attrs{"pk": avS("1"), "g": avS(strings.Repeat("g", 2048)), "r": avS(strings.Repeat("r", 1024))}); err != nil {
		t.Fatalf("index keys at the limits: %v", err)
	}
	err := put(attrs{"pk": avS("2"), "g": avS(strings.Repeat("g", 2049))})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Size limit exceeded for Index Key g Actual Size: 2049 bytes Max Size: 2048 bytes IndexName: byG")
	err = put(attrs{"pk": avS("2"), "g": avS("g"), "r": avS(strings.Repeat("r", 1025))})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Size limit exceeded for Index Key r Actual Size: 1025 bytes Max Size: 1024 bytes IndexName: byG")
	_, err = c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: attrs{"pk": avS("1")},
		UpdateExpression: aws.String("SET g = :g"), ExpressionAttributeValues: attrs{":g": avS(strings.Repeat("g", 2049))}})
	wantAPIErrorContains(t, err, "ValidationException", "Size limit exceeded for Index Key g")
}

// An index added to a table whose items already hold key values over the
// limits leaves those items out (DynamoDB reports them as index key
// violations) and indexes the rest.
func TestLimitsIndexBackfillSkipsViolations(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	seed(t, table,
		attrs{"pk": avS("ok"), "g": avS("G")},
		attrs{"pk": avS("big"), "g": avS(strings.Repeat("g", 2049))},
	)
	_, err := ddb(t).UpdateTable(ctx(t), &dynamodb.UpdateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS)},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: hashKey("g"), Projection: projectAll(),
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitTableSettled(t, table)
	items, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table), IndexName: aws.String("byG")})
	wantColumn(t, "index after backfill", items, "pk", "ok")
}
