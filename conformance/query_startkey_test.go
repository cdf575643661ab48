package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Exclusive start keys at the edges: a GSI query whose key condition pins
// both parts of the index key pages like any other (index keys are not
// unique), and a hash-only table's query restarts only from its own
// partition. Checked with DynamoDB Local 3.3.1 (it returns the index
// query's LastEvaluatedKey too).
func TestQueryStartKeyEdges(t *testing.T) {
	t.Parallel()
	table := createTable(t, &dynamodb.CreateTableInput{
		TableName:            aws.String("esk"),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS), attrDef("r", types.ScalarAttributeTypeS)},
		KeySchema:            hashKey("pk"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("gsi"), KeySchema: hashRangeKey("g", "r"), Projection: projectAll()},
		},
	})
	for _, pk := range []string{"p1", "p2", "p3"} {
		putOK(t, table, attrs{"pk": avS(pk), "g": avS("G"), "r": avS("R")})
	}
	in := indexQuery(table, "gsi", "g = :g AND r = :r", attrs{":g": avS("G"), ":r": avS("R")})
	in.Limit = aws.Int32(1)
	items, pages, _ := queryAll(t, in)
	if len(items) != 3 || pages < 3 {
		t.Fatalf("index query pinning the index key: %d items in %d pages, want 3 items one per page", len(items), pages)
	}

	q := qIn(table, "pk = :p", attrs{":p": avS("p1")})
	q.ExclusiveStartKey = attrs{"pk": avS("p1")}
	out := queryOK(t, q)
	if len(out.Items) != 0 || out.LastEvaluatedKey != nil {
		t.Fatalf("hash-only query after its only item: %v", out.Items)
	}
	q.ExclusiveStartKey = attrs{"pk": avS("p2")}
	_, err := ddb(t).Query(ctx(t), q)
	wantAPIErrorContains(t, err, "ValidationException", "The provided starting key")
}
