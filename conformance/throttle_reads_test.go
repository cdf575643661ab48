package conformance

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Reads draw from the read buckets of what they read: a Query of a GSI
// from the index's, a Scan from the table's (no partition), a transaction
// twice the units of its reads.
func TestThrottleReads(t *testing.T) {
	e := newThrottleEnv(t)
	gsi := types.GlobalSecondaryIndex{
		IndexName:             aws.String("byG"),
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
		Projection:            &types.Projection{ProjectionType: types.ProjectionTypeAll},
		ProvisionedThroughput: pt(1, 100),
	}
	table := e.table(pt(4, 100), nil, gsi)
	for i := range 3 {
		item := pk(fmt.Sprint("k", i))
		item["g"] = avS("group")
		if _, err := e.db.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	e.enforce(table, 2) // 8 table read units, 2 index read units

	query := func() error {
		_, err := e.db.Query(ctx(t), &dynamodb.QueryInput{TableName: aws.String(table), IndexName: aws.String("byG"),
			KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: attrs{":g": avS("group")}})
		return err
	}
	// An eventually consistent query of 3 small items reads 0.5 units.
	for i := range 4 {
		if err := query(); err != nil {
			t.Fatalf("query %d: %v", i, err)
		}
	}
	wantThrottled(t, "fifth query", query(), "PTEE", "IndexReadProvisionedThroughputExceeded "+arnOf(table)+"/index/byG")

	scan := func() error {
		_, err := e.db.Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(table), ConsistentRead: aws.Bool(true)})
		return err
	}
	for i := range 8 {
		if err := scan(); err != nil {
			t.Fatalf("scan %d: %v", i, err)
		}
	}
	wantThrottled(t, "ninth scan", scan(), "PTEE", "TableReadProvisionedThroughputExceeded "+arnOf(table))

	e.step(time.Second) // 4 table read units
	get := types.TransactGetItem{Get: &types.Get{TableName: aws.String(table), Key: pk("k0")}}
	if _, err := e.db.TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{get}}); err != nil {
		t.Fatalf("a transactional read of 2 units: %v", err)
	}
	get2 := types.TransactGetItem{Get: &types.Get{TableName: aws.String(table), Key: pk("k1")}}
	_, err := e.db.TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{get, get2}})
	if rs := wantCancelled(t, err); len(rs) != 2 || aws.ToString(rs[0].Code) != "None" || aws.ToString(rs[1].Code) != "ProvisionedThroughputExceeded" {
		t.Fatalf("4 units with 2 left: %s", renderReasons(rs))
	}
}

// PartiQL statements are charged like the operations they stand for; in a
// batch, a throttled statement fails on its own.
func TestThrottlePartiQL(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(pt(100, 1), nil)
	e.enforce(table, 2)
	insert := func(k string) error {
		_, err := e.db.ExecuteStatement(ctx(t), &dynamodb.ExecuteStatementInput{
			Statement: aws.String(fmt.Sprintf(`INSERT INTO "%s" VALUE {'pk': '%s'}`, table, k))})
		return err
	}
	for i := range 2 {
		if err := insert(fmt.Sprint("p", i)); err != nil {
			t.Fatal(err)
		}
	}
	wantThrottled(t, "third insert", insert("p2"), "PTEE", "TableWriteProvisionedThroughputExceeded "+arnOf(table))
	e.step(time.Second)
	out, err := e.db.BatchExecuteStatement(ctx(t), &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(fmt.Sprintf(`INSERT INTO "%s" VALUE {'pk': 'b0'}`, table))},
		{Statement: aws.String(fmt.Sprintf(`INSERT INTO "%s" VALUE {'pk': 'b1'}`, table))},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Responses[0].Error != nil || out.Responses[1].Error == nil || out.Responses[1].Error.Code != types.BatchStatementErrorCodeEnumProvisionedThroughputExceeded {
		t.Fatalf("batch responses %+v %+v", out.Responses[0].Error, out.Responses[1].Error)
	}
}
