package dynafaulttest_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator/dynafaulttest"
)

// TestExample is the package's usage example: a table with a stream, one
// write, the item read back and its stream record read.
func TestExample(t *testing.T) {
	srv := dynafaulttest.Start(t) // stopped by t.Cleanup
	ctx := t.Context()
	db := srv.DynamoDB()

	out, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification: &types.StreamSpecification{
			StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages,
		},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	item := map[string]types.AttributeValue{
		"id":    &types.AttributeValueMemberS{Value: "o-1"},
		"total": &types.AttributeValueMemberN{Value: "42.5"},
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	got, err := db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String("orders"), ConsistentRead: aws.Bool(true),
		Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "o-1"}},
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if n, ok := got.Item["total"].(*types.AttributeValueMemberN); !ok || n.Value != "42.5" {
		t.Fatalf("GetItem total = %#v", got.Item["total"])
	}

	rec := firstRecord(ctx, t, srv.Streams(), aws.ToString(out.TableDescription.LatestStreamArn))
	if rec.EventName != sstypes.OperationTypeInsert {
		t.Errorf("eventName = %q, want INSERT", rec.EventName)
	}
	if id, ok := rec.Dynamodb.NewImage["id"].(*sstypes.AttributeValueMemberS); !ok || id.Value != "o-1" {
		t.Errorf("NewImage id = %#v", rec.Dynamodb.NewImage["id"])
	}
}

// firstRecord reads the first record of the stream's first shard.
func firstRecord(ctx context.Context, t *testing.T, st *dynamodbstreams.Client, arn string) sstypes.Record {
	t.Helper()
	desc, err := st.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		t.Fatalf("DescribeStream: %v", err)
	}
	it, err := st.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
		StreamArn: aws.String(arn), ShardId: desc.StreamDescription.Shards[0].ShardId,
		ShardIteratorType: sstypes.ShardIteratorTypeTrimHorizon,
	})
	if err != nil {
		t.Fatalf("GetShardIterator: %v", err)
	}
	iter := it.ShardIterator
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && iter != nil; {
		recs, err := st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
		if err != nil {
			t.Fatalf("GetRecords: %v", err)
		}
		if len(recs.Records) > 0 {
			return recs.Records[0]
		}
		iter = recs.NextShardIterator
	}
	t.Fatal("no stream record")
	return sstypes.Record{}
}
