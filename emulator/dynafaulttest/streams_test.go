package dynafaulttest

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// createStreamTable creates table name (key pk S) with a NEW_IMAGE stream.
func createStreamTable(t *testing.T, srv *Server, name string) {
	t.Helper()
	_, err := srv.DynamoDB().CreateTable(t.Context(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
}

// putVersion writes item pk with version v.
func putVersion(t *testing.T, srv *Server, table, pk string, v int) {
	t.Helper()
	_, err := srv.DynamoDB().PutItem(t.Context(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: pk}, "v": &types.AttributeValueMemberN{Value: strconv.Itoa(v)},
	}})
	if err != nil {
		t.Fatalf("PutItem: %v", err)
	}
}

// versions maps each item to the versions its records carry, in order.
func versions(t *testing.T, recs []sstypes.Record) map[string][]int {
	t.Helper()
	out := map[string][]int{}
	for _, r := range recs {
		pk := r.Dynamodb.Keys["pk"].(*sstypes.AttributeValueMemberS).Value
		v, _ := strconv.Atoi(r.Dynamodb.NewImage["v"].(*sstypes.AttributeValueMemberN).Value)
		out[pk] = append(out[pk], v)
	}
	return out
}

func TestStreamReaderFollowsLineage(t *testing.T) {
	srv := Start(t)
	admin := srv.Admin()
	ctx := t.Context()
	createStreamTable(t, srv, "orders")
	keys := []string{"a", "b", "c", "d", "e", "f"}
	write := func(v int) {
		for _, k := range keys {
			putVersion(t, srv, "orders", k, v)
		}
	}
	// Version 1 in the first shard, 2 in its child, 3 in the children of a
	// split, so every item's records span three generations.
	write(1)
	st, err := admin.Stream(ctx, "orders")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := admin.Rollover(ctx, "orders", st[0].Shards[0].ShardID)
	if err != nil {
		t.Fatal(err)
	}
	write(2)
	if _, err := admin.Split(ctx, "orders", ch.Children[0]); err != nil {
		t.Fatal(err)
	}
	write(3)

	r := srv.StreamReader(t, "orders")
	recs, err := r.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := versions(t, recs)
	for _, k := range keys {
		if v := got[k]; len(v) != 3 || v[0] != 1 || v[1] != 2 || v[2] != 3 {
			t.Errorf("item %s: versions %v, want [1 2 3] in order", k, v)
		}
	}
	// Each generation of shards holds one version: lineage order reads
	// every version 1 before any version 2, and so on.
	gen := 0
	for i, rec := range recs {
		v := versions(t, []sstypes.Record{rec})[keyOf(rec)][0]
		if v < gen {
			t.Fatalf("record %d (version %d of %s) read after a version %d: a child shard before its parent", i, v, keyOf(rec), gen)
		}
		gen = v
	}

	// Caught up: nothing new; then only the new writes.
	if more, err := r.Read(ctx); err != nil || len(more) != 0 {
		t.Fatalf("second Read: %d records, %v", len(more), err)
	}
	putVersion(t, srv, "orders", "a", 4)
	if more, err := r.Read(ctx); err != nil || len(more) != 1 || versions(t, more)["a"][0] != 4 {
		t.Fatalf("Read after one write: %+v, %v", versions(t, more), err)
	}
	if all := srv.ReadStream(t, "orders"); len(all) != 3*len(keys)+1 {
		t.Errorf("ReadStream: %d records, want %d", len(all), 3*len(keys)+1)
	}
}

// keyOf is the pk of a record.
func keyOf(r sstypes.Record) string {
	return r.Dynamodb.Keys["pk"].(*sstypes.AttributeValueMemberS).Value
}

func TestStreamReaderRenewsExpiredIterators(t *testing.T) {
	srv := Start(t)
	createStreamTable(t, srv, "orders")
	for v := 1; v <= 3; v++ {
		putVersion(t, srv, "orders", "a", v)
	}
	client.AddRule(t, srv.Admin(), faults.Rule{ID: "expire-once", Target: faults.TargetAPI,
		Match:  faults.Match{Operation: []string{"GetRecords"}},
		Action: faults.Action{Type: faults.ActionError, Code: "ExpiredIteratorException"}, When: faults.When{Times: 1}})
	recs, err := srv.StreamReader(t, "orders").Read(t.Context())
	if err != nil || len(recs) != 3 {
		t.Fatalf("Read with an expired iterator: %d records, %v", len(recs), err)
	}
	client.WaitFired(t, srv.Admin(), "expire-once", 1, time.Second)
}

func TestStreamReaderReportsTrimmedRecords(t *testing.T) {
	srv := Start(t)
	admin := srv.Admin()
	createStreamTable(t, srv, "orders")
	putVersion(t, srv, "orders", "a", 1)
	r := srv.StreamReader(t, "orders")
	if recs, err := r.Read(t.Context()); err != nil || len(recs) != 1 {
		t.Fatalf("first Read: %d, %v", len(recs), err)
	}
	putVersion(t, srv, "orders", "a", 2)
	if _, err := admin.Trim(t.Context(), "orders", client.TrimOptions{}); err != nil {
		t.Fatal(err)
	}
	_, err := r.Read(t.Context())
	var trimmed *sstypes.TrimmedDataAccessException
	if !errors.As(err, &trimmed) {
		t.Fatalf("Read past a trim: %v, want TrimmedDataAccessException", err)
	}
}

func TestLineageOrder(t *testing.T) {
	sh := func(id, parent string) sstypes.Shard {
		s := sstypes.Shard{ShardId: aws.String(id)}
		if parent != "" {
			s.ParentShardId = aws.String(parent)
		}
		return s
	}
	// Shard IDs that do not sort by creation, a parent trimmed away (x0),
	// and a split.
	in := []sstypes.Shard{sh("a-child", "z-root"), sh("m-grandchild-2", "a-child"), sh("z-root", ""),
		sh("b-orphan", "x0"), sh("c-grandchild-1", "a-child")}
	var got []string
	for _, s := range lineageOrder(in) {
		got = append(got, aws.ToString(s.ShardId))
	}
	want := []string{"b-orphan", "z-root", "a-child", "c-grandchild-1", "m-grandchild-2"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("lineageOrder = %v, want %v", got, want)
	}
}
