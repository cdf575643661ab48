package engine

import (
	"context"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// newStreamEngine returns an engine on a frozen clock with table name keyed
// on pk (S) and a stream of the view type; it returns the stream ARN.
func newStreamEngine(t *testing.T, name, view string, opts ...func(*Options)) (*Engine, string) {
	t.Helper()
	e := newTestEngine(t, opts...)
	return e, createStreamTable(t, e, name, view)
}

// createStreamTable creates table name keyed on pk with a stream.
func createStreamTable(t *testing.T, e *Engine, name, view string) string {
	t.Helper()
	in := simpleTable(name)
	in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp(view)}
	d := mustCreate(t, e, in)
	if d.LatestStreamArn == "" {
		t.Fatal("no LatestStreamArn")
	}
	return d.LatestStreamArn
}

// shardsOf lists every shard of the stream, following LastEvaluatedShardId.
func shardsOf(t *testing.T, e *Engine, arn string) []Shard {
	t.Helper()
	var all []Shard
	in := &DescribeStreamInput{StreamArn: sp(arn)}
	for {
		out, err := e.DescribeStream(context.Background(), in)
		if err != nil {
			t.Fatalf("DescribeStream: %v", err)
		}
		all = append(all, out.StreamDescription.Shards...)
		if out.StreamDescription.LastEvaluatedShardId == "" {
			return all
		}
		in.ExclusiveStartShardId = sp(out.StreamDescription.LastEvaluatedShardId)
	}
}

func iterOf(t *testing.T, e *Engine, arn, shard, typ string, seq *string) string {
	t.Helper()
	out, err := e.GetShardIterator(context.Background(), &GetShardIteratorInput{
		StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp(typ), SequenceNumber: seq})
	if err != nil {
		t.Fatalf("GetShardIterator: %v", err)
	}
	return out.ShardIterator
}

// readShard reads a shard from TRIM_HORIZON until it returns nothing or
// ends.
func readShard(t *testing.T, e *Engine, arn, shard string) []StreamRecordEnvelope {
	t.Helper()
	var recs []StreamRecordEnvelope
	it := iterOf(t, e, arn, shard, "TRIM_HORIZON", nil)
	for it != "" {
		out, err := e.GetRecords(context.Background(), &GetRecordsInput{ShardIterator: sp(it)})
		if err != nil {
			t.Fatalf("GetRecords: %v", err)
		}
		if out.Records == nil {
			t.Fatal("Records is nil")
		}
		recs = append(recs, out.Records...)
		if len(out.Records) == 0 {
			break
		}
		it = out.NextShardIterator
	}
	return recs
}

// readStream reads every shard of the stream in order.
func readStream(t *testing.T, e *Engine, arn string) []StreamRecordEnvelope {
	t.Helper()
	var recs []StreamRecordEnvelope
	for _, sh := range shardsOf(t, e, arn) {
		recs = append(recs, readShard(t, e, arn, sh.ShardId)...)
	}
	return recs
}

func eventNames(recs []StreamRecordEnvelope) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.EventName
	}
	return out
}

func pkItem(pk string, kv ...string) attr.Item {
	it := attr.Item{"pk": attr.Str(pk)}
	for i := 0; i+1 < len(kv); i += 2 {
		it[kv[i]] = attr.Str(kv[i+1])
	}
	return it
}

func mustUpdate(t *testing.T, e *Engine, table string, key attr.Item, upd string, vals ExpressionValues) {
	t.Helper()
	in := &UpdateItemInput{TableName: sp(table), Key: key, UpdateExpression: sp(upd), ExpressionAttributeValues: vals}
	if _, err := e.UpdateItem(context.Background(), in); err != nil {
		t.Fatalf("UpdateItem %s: %v", upd, err)
	}
}

func mustDelete(t *testing.T, e *Engine, table string, key attr.Item) {
	t.Helper()
	if _, err := e.DeleteItem(context.Background(), &DeleteItemInput{TableName: sp(table), Key: key}); err != nil {
		t.Fatalf("DeleteItem: %v", err)
	}
}
