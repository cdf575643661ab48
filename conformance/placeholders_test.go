package conformance

import (
	"errors"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// ExpressionAttributeNames / ExpressionAttributeValues rules shared by all
// expression parameters. Texts are from dynalite's live-captured tests and
// validations/index.js.

// wantAPIErrorMatch is wantAPIError for messages whose parts come in no
// fixed order (sets of unused placeholder keys).
func wantAPIErrorMatch(t testing.TB, err error, code string, re *regexp.Regexp) {
	t.Helper()
	wantAPIErrorContains(t, err, code, "")
	var ae smithy.APIError
	if errors.As(err, &ae) && !re.MatchString(ae.ErrorMessage()) {
		t.Fatalf("%s message %q does not match %s", code, ae.ErrorMessage(), re)
	}
}

func TestPlaceholderMapRules(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	update := func(in *dynamodb.UpdateItemInput) error {
		in.TableName, in.Key = aws.String(table), pk("k")
		_, err := c.UpdateItem(ctx(t), in)
		return err
	}
	t.Run("empty names", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression: aws.String("SET a = :v"), ExpressionAttributeValues: attrs{":v": avS("x")},
			ExpressionAttributeNames: map[string]string{},
		})
		wantAPIError(t, err, "ValidationException", one("ExpressionAttributeNames must not be empty"))
	})
	t.Run("empty values", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{UpdateExpression: aws.String("REMOVE a"), ExpressionAttributeValues: attrs{}})
		wantAPIError(t, err, "ValidationException", one("ExpressionAttributeValues must not be empty"))
	})
	t.Run("invalid name key", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression: aws.String("REMOVE #a"), ExpressionAttributeNames: map[string]string{"#a": "a", "a": "a"},
		})
		wantAPIError(t, err, "ValidationException", one(`ExpressionAttributeNames contains invalid key: Syntax error; key: "a"`))
	})
	t.Run("invalid value key", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression: aws.String("SET a = :b"), ExpressionAttributeValues: attrs{":b": avS("a"), "b": avS("a")},
		})
		wantAPIError(t, err, "ValidationException", one(`ExpressionAttributeValues contains invalid key: Syntax error; key: "b"`))
	})
	t.Run("invalid value", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression: aws.String("SET a = :b"), ExpressionAttributeValues: attrs{":b": avN("b")},
		})
		// UpdateItem's current validation layer reports the value itself,
		// with no ExpressionAttributeValues wrapper (paritysuite valueLayers).
		wantAPIError(t, err, "ValidationException", one(msgNotNumeric+": b"))
	})
	t.Run("unused name", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression: aws.String("REMOVE #a"), ExpressionAttributeNames: map[string]string{"#a": "a", "#b": "b"},
		})
		wantAPIError(t, err, "ValidationException", one("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"))
	})
	t.Run("unused names", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression:          aws.String("remove a set b = list_append(b, if_not_exists(a, :a))"),
			ConditionExpression:       aws.String("a = :b"),
			ExpressionAttributeValues: attrs{":a": avS("a"), ":b": avS("a")},
			ExpressionAttributeNames:  map[string]string{"#a": "a", "#b": "b"},
		})
		wantAPIErrorMatch(t, err, "ValidationException",
			regexp.MustCompile(`^1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: \{(#a, #b|#b, #a)\}$`))
	})
	t.Run("unused values", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression:          aws.String("remove a"),
			ConditionExpression:       aws.String("a = :b"),
			ExpressionAttributeValues: attrs{":a": avS("a"), ":b": avS("a"), ":c": avS("a")},
		})
		wantAPIErrorMatch(t, err, "ValidationException",
			regexp.MustCompile(`^1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: \{(:c, :a|:a, :c)\}$`))
	})
	t.Run("use is counted across expressions", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression:          aws.String("SET #a = :a"),
			ConditionExpression:       aws.String("attribute_not_exists(#c) OR #c <> :c"),
			ExpressionAttributeNames:  map[string]string{"#a": "a", "#c": "c"},
			ExpressionAttributeValues: attrs{":a": avS("x"), ":c": avS("y")},
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("one placeholder used twice", func(t *testing.T) {
		err := update(&dynamodb.UpdateItemInput{
			UpdateExpression:          aws.String("SET #a = :v, b = :v"),
			ConditionExpression:       aws.String("#a = :v OR attribute_not_exists(#a)"),
			ExpressionAttributeNames:  map[string]string{"#a": "a"},
			ExpressionAttributeValues: attrs{":v": avS("x")},
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestPlaceholderWithoutExpression(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	t.Run("GetItem names", func(t *testing.T) {
		_, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{
			TableName: aws.String(table), Key: pk("k"), ExpressionAttributeNames: map[string]string{"#a": "a"},
		})
		wantAPIError(t, err, "ValidationException", "ExpressionAttributeNames can only be specified when using expressions")
	})
	t.Run("UpdateItem values", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"), ExpressionAttributeValues: attrs{":a": avS("a")},
		})
		wantAPIError(t, err, "ValidationException",
			one("ExpressionAttributeValues can only be specified when using expressions"))
	})
	t.Run("PutItem values", func(t *testing.T) {
		_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{
			TableName: aws.String(table), Item: pk("k"), ExpressionAttributeValues: attrs{":a": avS("a")},
		})
		wantAPIError(t, err, "ValidationException", one("ExpressionAttributeValues can only be specified when using expressions"))
	})
}

func TestPlaceholderUndefinedAndReserved(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	t.Run("undefined name in projection", func(t *testing.T) {
		_, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{
			TableName: aws.String(table), Key: pk("k"), ProjectionExpression: aws.String("#x"),
		})
		wantAPIError(t, err, "ValidationException",
			"Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x")
	})
	t.Run("undefined value in update", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"), UpdateExpression: aws.String("SET #a = if_not_exists(:c)"),
			ExpressionAttributeNames: map[string]string{"#a": "a"}, ExpressionAttributeValues: attrs{":a": avS("a")},
		})
		wantAPIErrorContains(t, err, "ValidationException",
			"Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :c")
	})
	t.Run("reserved word in condition", func(t *testing.T) {
		_, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
			TableName: aws.String(table), Key: pk("k"), ConditionExpression: aws.String("attribute_exists(Comment)"),
		})
		wantAPIError(t, err, "ValidationException",
			one("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Comment"))
	})
	t.Run("reserved word in update", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"), UpdateExpression: aws.String("SET #c = :c SET abOrt = :c"),
			ExpressionAttributeNames: map[string]string{"#c": "c"}, ExpressionAttributeValues: attrs{":c": avS("a")},
		})
		wantAPIError(t, err, "ValidationException",
			one("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt"))
	})
	t.Run("reserved word aliased", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"), UpdateExpression: aws.String("SET #s = :v, #n = :v"),
			ExpressionAttributeNames:  map[string]string{"#s": "status", "#n": "name"},
			ExpressionAttributeValues: attrs{":v": avS("x")},
			ReturnValues:              types.ReturnValueAllNew,
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestPlaceholderSyntaxErrorTokens(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	// Verified against live DynamoDB: LowVoltage's integration tests and a
	// FilterExpression error reported by a user of the real service.
	cases := []struct{ expr, msg string }{
		{"foo", `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"`},
		{"contains (s, :v", `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":v"`},
	}
	for _, tc := range cases {
		t.Run(tc.expr, func(t *testing.T) {
			in := &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: pk("k"), ConditionExpression: aws.String(tc.expr)}
			if tc.expr != "foo" {
				in.ExpressionAttributeValues = attrs{":v": avS("x")}
			}
			_, err := ddb(t).DeleteItem(ctx(t), in)
			wantAPIError(t, err, "ValidationException", one(tc.msg))
		})
	}
}
