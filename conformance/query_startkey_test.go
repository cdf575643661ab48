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

// The start-key checks of dynalite test/query.js (recorded against
// DynamoDB) on a table with an LSI and two GSIs: without a sort-key
// condition a start key in another partition is outside the query's
// boundaries; with one, a start key outside the sort-key predicate is
// reported first, and one in another partition then "can return at most
// one row". A hash-only table's start key holds exactly its key.
func TestQueryStartKeyIndexEdges(t *testing.T) {
	t.Parallel()
	s := types.ScalarAttributeTypeS
	table := createTable(t, &dynamodb.CreateTableInput{
		TableName:            aws.String("eskix"),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s), attrDef("b", s), attrDef("c", s), attrDef("d", s)},
		KeySchema:            hashRangeKey("a", "b"),
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{
			{IndexName: aws.String("index1"), KeySchema: hashRangeKey("a", "c"), Projection: projectAll()},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("index3"), KeySchema: hashKey("c"), Projection: projectAll()},
			{IndexName: aws.String("index4"), KeySchema: hashRangeKey("c", "d"), Projection: projectAll()},
		},
	})
	const (
		outside   = "The provided starting key is outside query boundaries based on provided conditions"
		predicate = "The provided starting key does not match the range key predicate"
		oneRow    = "The query can return at most one row and cannot be restarted"
	)
	key := func(kv ...string) attrs {
		m := attrs{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = avS(kv[i+1])
		}
		return m
	}
	vals := attrs{":a": avS("b")}
	cases := []struct {
		name, index, kce string
		start            attrs
		want             string
	}{
		{"table, other partition", "", "a = :a", key("a", "a", "b", "a"), outside},
		{"LSI, other partition", "index1", "a = :a", key("a", "a", "b", "a", "c", "a"), outside},
		{"hash-only GSI, other partition", "index3", "c = :a", key("a", "a", "b", "a", "c", "a"), outside},
		{"GSI without its sort key, other partition", "index4", "c = :a", key("a", "a", "b", "a", "c", "a", "d", "a"), outside},
		{"table, outside the predicate", "", "a = :a and b > :a", key("a", "a", "b", "a"), predicate},
		{"LSI, outside the predicate", "index1", "a = :a and c > :a", key("a", "a", "b", "a", "c", "a"), predicate},
		{"GSI, outside the predicate, same partition", "index4", "c = :a and d > :a", key("a", "a", "b", "a", "c", "b", "d", "a"), predicate},
		{"GSI, outside the predicate, other partition", "index4", "c = :a and d > :a", key("a", "a", "b", "a", "c", "a", "d", "a"), predicate},
		{"table, in the predicate, other partition", "", "a = :a and b < :a", key("a", "a", "b", "a"), oneRow},
		{"GSI pinned, other partition", "index4", "c = :a and d = :a", key("a", "a", "b", "a", "c", "c", "d", "b"), oneRow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := qIn(table, c.kce, vals)
			if c.index != "" {
				in.IndexName = aws.String(c.index)
			}
			in.ExclusiveStartKey = c.start
			_, err := ddb(t).Query(ctx(t), in)
			wantAPIError(t, err, "ValidationException", c.want)
		})
	}

	// A hash-only table: the start key is exactly the table key; it pages
	// backwards as forwards.
	hash := hashTable(t)
	putOK(t, hash, attrs{"pk": avS("p")})
	for _, bad := range []attrs{{}, {"pk": avS("p"), "x": avS("x")}, {"x": avS("p")}} {
		q := qIn(hash, "pk = :p", attrs{":p": avS("p")})
		q.ExclusiveStartKey = bad
		_, err := ddb(t).Query(ctx(t), q)
		wantAPIErrorContains(t, err, "ValidationException", "The provided starting key is invalid")
	}
	q := qIn(hash, "pk = :p", attrs{":p": avS("p")})
	q.ExclusiveStartKey = attrs{"pk": avN("1")}
	_, err := ddb(t).Query(ctx(t), q)
	wantAPIError(t, err, "ValidationException", keyMismatch)
	q.ExclusiveStartKey = attrs{"pk": avS("p")}
	q.ScanIndexForward = aws.Bool(false)
	if out := queryOK(t, q); len(out.Items) != 0 || out.LastEvaluatedKey != nil {
		t.Fatalf("backward query after its only item: %v %v", out.Items, out.LastEvaluatedKey)
	}
}
