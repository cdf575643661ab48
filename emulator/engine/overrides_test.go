package engine

import (
	"context"
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// leaveKeys returns Overrides leaving the listed pk values unprocessed and
// records what it was asked.
func leaveKeys(asked *[]string, pks ...string) Overrides {
	return Overrides{Unprocessed: func(table string, key attr.Item) bool {
		*asked = append(*asked, table+"/"+key["pk"].S)
		if len(key) != 1 {
			panic("key has more than the key attributes")
		}
		return slices.Contains(pks, key["pk"].S)
	}}
}

func TestBatchWriteItemOverridesLeaveItemsUnprocessed(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("ow1"))
	var asked []string
	ctx := WithOverrides(context.Background(), leaveKeys(&asked, "k1"))
	reqs := puts(3)
	reqs[2] = delReq(pk("k2"))
	out, err := e.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"ow1": reqs}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []string{"ow1/k0", "ow1/k1", "ow1/k2"}) {
		t.Errorf("asked %v", asked)
	}
	left := out.UnprocessedItems["ow1"]
	if len(left) != 1 || left[0].PutRequest == nil || left[0].PutRequest.Item["pk"].S != "k1" {
		t.Fatalf("UnprocessedItems %+v", out.UnprocessedItems)
	}
	for k, want := range map[string]bool{"k0": true, "k1": false} {
		got, err := e.GetItem(context.Background(), &GetItemInput{TableName: sp("ow1"), Key: pk(k)})
		if err != nil || (!got.Item.IsZero()) != want {
			t.Errorf("item %s present = %v, want %v (%v)", k, !got.Item.IsZero(), want, err)
		}
	}
}

func TestBatchGetItemOverridesLeaveKeysUnprocessed(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("og1"))
	if _, err := e.BatchWriteItem(context.Background(), &BatchWriteItemInput{
		RequestItems: map[string][]WriteRequest{"og1": puts(3)}}); err != nil {
		t.Fatal(err)
	}
	var asked []string
	ctx := WithOverrides(context.Background(), leaveKeys(&asked, "k0", "k2"))
	out, err := e.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
		"og1": {Keys: hashKeys(3), ProjectionExpression: sp("pk")}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Responses["og1"]; len(got) != 1 || got[0].Item()["pk"].S != "k1" {
		t.Errorf("Responses %v", out.Responses)
	}
	left := out.UnprocessedKeys["og1"]
	if left == nil || len(left.Keys) != 2 || left.Keys[0]["pk"].S != "k0" || left.Keys[1]["pk"].S != "k2" ||
		left.ProjectionExpression == nil || *left.ProjectionExpression != "pk" {
		t.Fatalf("UnprocessedKeys %+v", left)
	}
}

func TestGetRecordsEmptyRecordsOverride(t *testing.T) {
	t.Parallel()
	e, arn := newStreamEngine(t, "oe1", "KEYS_ONLY")
	mustPut(t, e, "oe1", pkItem("a"))
	shard := shardsOf(t, e, arn)[0].ShardId
	it := iterOf(t, e, arn, shard, "TRIM_HORIZON", nil)
	ctx := WithOverrides(context.Background(), Overrides{EmptyRecords: true})
	out, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(it)})
	if err != nil || out.Records == nil || len(out.Records) != 0 || out.NextShardIterator == "" {
		t.Fatalf("GetRecords = %+v, %v", out, err)
	}
	next, err := e.GetRecords(context.Background(), &GetRecordsInput{ShardIterator: sp(out.NextShardIterator)})
	if err != nil || len(next.Records) != 1 {
		t.Fatalf("next page = %+v, %v: the iterator should not have advanced", next, err)
	}
}

func TestPauseResumeAndTrimBefore(t *testing.T) {
	t.Parallel()
	e, arn := newStreamEngine(t, "op1", "KEYS_ONLY")
	shard := shardsOf(t, e, arn)[0].ShardId
	if err := e.PauseShard("op1", shard); err != nil {
		t.Fatal(err)
	}
	mustPut(t, e, "op1", pkItem("a"))
	mustPut(t, e, "op1", pkItem("b"))
	if recs := readShard(t, e, arn, shard); len(recs) != 0 {
		t.Fatalf("paused shard delivered %d records", len(recs))
	}
	st, _ := e.StreamsStatus("op1")
	if !st[0].Shards[0].Paused {
		t.Error("status does not show the pause")
	}
	if err := e.ResumeShard("op1", shard); err != nil {
		t.Fatal(err)
	}
	recs := readShard(t, e, arn, shard)
	if len(recs) != 2 {
		t.Fatalf("after resume %d records", len(recs))
	}
	n, err := e.TrimStreamBefore("op1", recs[1].Dynamodb.SequenceNumber)
	if err != nil || n != 1 {
		t.Fatalf("TrimStreamBefore = %d, %v", n, err)
	}
	if _, err := e.TrimStreamBefore("op1", "x"); AsError(err).Code != Validation {
		t.Errorf("TrimStreamBefore(bad) = %v", err)
	}
	for _, err := range []error{e.PauseShard("op1", "shardId-nope"), e.ResumeShard("nope", shard)} {
		if AsError(err).Code != ResourceNotFound {
			t.Errorf("unknown shard or table: %v", err)
		}
	}
}
