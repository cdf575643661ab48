package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Legacy conditions on documents: EQ and NE take every type, lists, maps
// and Booleans included; CONTAINS and NOT_CONTAINS find a member of a list
// (AWS API reference, Condition: "EQ is supported for all data types,
// including lists and maps"; "If the target attribute of the comparison is
// a list, the operator checks for a member of the list"). Checked with
// DynamoDB Local 3.3.1.

func docItems() []attrs {
	return []attrs{
		{"pk": avS("1"), "l": &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("a"), avN("1"), avBool(true)}},
			"m": &types.AttributeValueMemberM{Value: attrs{"k": avS("v")}}, "b": avBool(true), "z": avNull()},
		{"pk": avS("2"), "l": &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("b")}},
			"m": &types.AttributeValueMemberM{Value: attrs{"k": avS("w")}}, "b": avBool(false)},
	}
}

func TestLegacyFiltersOnDocuments(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	seed(t, table, docItems()...)
	// The QueryFilter half reads one partition holding both documents (sort
	// key 1 and 2, as their pk above): each filter must drop one of them.
	inOne := compositeTable(t)
	for _, it := range docItems() {
		it["sk"] = avN(scalar(it["pk"]))
		it["pk"] = avS("docs")
		putOK(t, inOne, it)
	}
	cond := func(op types.ComparisonOperator, v types.AttributeValue) types.Condition {
		return types.Condition{ComparisonOperator: op, AttributeValueList: []types.AttributeValue{v}}
	}
	cases := []struct {
		name string
		attr string
		c    types.Condition
		want string
	}{
		{"EQ list", "l", cond("EQ", &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("b")}}), "2"},
		{"NE list", "l", cond("NE", &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("b")}}), "1"},
		{"EQ map", "m", cond("EQ", &types.AttributeValueMemberM{Value: attrs{"k": avS("v")}}), "1"},
		{"NE map", "m", cond("NE", &types.AttributeValueMemberM{Value: attrs{"k": avS("v")}}), "2"},
		{"EQ BOOL", "b", cond("EQ", avBool(false)), "2"},
		{"NE BOOL", "b", cond("NE", avBool(false)), "1"},
		{"EQ NULL", "z", cond("EQ", avNull()), "1"},
		{"CONTAINS list member S", "l", cond("CONTAINS", avS("a")), "1"},
		{"CONTAINS list member N", "l", cond("CONTAINS", avN("1")), "1"},
		{"CONTAINS list member BOOL", "l", cond("CONTAINS", avBool(true)), "1"},
		{"NOT_CONTAINS list member", "l", cond("NOT_CONTAINS", avS("a")), "2"},
	}
	for _, c := range cases {
		items, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table), ScanFilter: map[string]types.Condition{c.attr: c.c}})
		wantColumn(t, "ScanFilter "+c.name, items, "pk", c.want)
		items, _, scanned := queryAll(t, &dynamodb.QueryInput{TableName: aws.String(inOne),
			KeyConditions: map[string]types.Condition{"pk": cond("EQ", avS("docs"))},
			QueryFilter:   map[string]types.Condition{c.attr: c.c}})
		wantColumn(t, "QueryFilter "+c.name, items, "sk", c.want)
		if scanned != 2 {
			t.Fatalf("QueryFilter %s: ScannedCount %d, want 2 (the filter runs after the key condition)", c.name, scanned)
		}
	}
	_, err := ddb(t).Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(table),
		ScanFilter: map[string]types.Condition{"l": cond("CONTAINS", &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("a")}})}})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L AttributeValue type")
	_, err = ddb(t).Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(table),
		ScanFilter: map[string]types.Condition{"l": cond("GT", &types.AttributeValueMemberL{})}})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: ComparisonOperator GT is not valid for L AttributeValue type")
}

func TestLegacyExpectedOnDocuments(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	seed(t, table, docItems()[0])
	put := func(exp map[string]types.ExpectedAttributeValue) error {
		_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: docItems()[0], Expected: exp})
		return err
	}
	ok := []map[string]types.ExpectedAttributeValue{
		{"l": legacyCond("EQ", &types.AttributeValueMemberL{Value: []types.AttributeValue{avS("a"), avN("1"), avBool(true)}})},
		{"m": legacyCond("EQ", &types.AttributeValueMemberM{Value: attrs{"k": avS("v")}})},
		{"m": {Value: &types.AttributeValueMemberM{Value: attrs{"k": avS("v")}}}},
		{"b": legacyCond("EQ", avBool(true))},
		{"b": legacyCond("NE", avBool(false))},
		{"l": legacyCond("CONTAINS", avN("1"))},
		{"l": legacyCond("NOT_CONTAINS", avS("zz"))},
	}
	for i, exp := range ok {
		if err := put(exp); err != nil {
			t.Errorf("case %d: %v", i, err)
		}
	}
	err := put(map[string]types.ExpectedAttributeValue{"l": legacyCond("CONTAINS", avS("zz"))})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	err = put(map[string]types.ExpectedAttributeValue{"b": legacyCond("EQ", avBool(false))})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
}
