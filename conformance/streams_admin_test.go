package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
)

// Time-driven Streams behaviour, driven through dynafault's admin API:
// 24 h retention (TrimmedDataAccessException), 15 min iterator lifetime
// (ExpiredIteratorException), periodic shard rollover, forced rollover,
// split, trim and iterator expiry, and TTL deletes with the service
// userIdentity. Each test runs its own in-process emulator so that moving
// its clock affects no other test; against an external endpoint they are
// skipped. The AWS behaviour asserted: reference §6.1, §6.4, §3.4 (the
// userIdentity of TTL deletes, scylladb test_ttl.py), scylladb
// test_streams.py for closed shards.

// privateEnv starts a private in-process emulator for one test.
func privateEnv(t *testing.T) *streamEnv {
	t.Helper()
	if external() {
		t.Skip("drives dynafault's admin API; runs in-process only")
	}
	// Shards roll over every 4 hours, about as often as DynamoDB's do.
	emu, err := emulator.New(emulator.Options{StreamRollover: 4 * time.Hour})
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Close()
	})
	cfg := awsConfig()
	cfg.BaseEndpoint = aws.String(srv.URL)
	return &streamEnv{t: t, db: dynamodb.NewFromConfig(cfg), st: dynamodbstreams.NewFromConfig(cfg), url: srv.URL}
}

// admin POSTs body (JSON; nil sends no body) to /_admin/<path> and fails
// the test unless the answer is 200.
func (e *streamEnv) admin(path string, body any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatalf("marshal: %v", err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx(e.t), http.MethodPost, e.url+"/_admin/"+path, rd)
	if err != nil {
		e.t.Fatalf("admin request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatalf("POST /_admin/%s: %v", path, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("POST /_admin/%s: %d %s", path, resp.StatusCode, answer)
	}
}

// advance moves the emulator's clock forward.
func (e *streamEnv) advance(d time.Duration) {
	e.t.Helper()
	e.admin("clock", map[string]string{"advance": d.String()})
}

// shardAction POSTs /_admin/streams/{table}/shards/{shard}/{action}.
func (e *streamEnv) shardAction(table, shard, action string) {
	e.t.Helper()
	e.admin("streams/"+table+"/shards/"+shard+"/"+action, nil)
}

// getRecordsErr is GetRecords returning its error.
func (e *streamEnv) getRecordsErr(it string) error {
	_, err := e.st.GetRecords(ctx(e.t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(it)})
	return err
}

func TestStreamAdminIteratorLifetime(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.put(table, attrs{"pk": avS("a")})
	shard := e.shardOf(arn)
	first := e.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, "")
	e.advance(14 * time.Minute)
	out := e.records(first, 0) // 14 minutes old: still valid
	if len(out.Records) != 1 || out.NextShardIterator == nil {
		t.Fatalf("GetRecords at 14 min: %d records, NextShardIterator %v", len(out.Records), out.NextShardIterator)
	}
	e.advance(2 * time.Minute)
	wantAPIError(t, e.getRecordsErr(first), "ExpiredIteratorException", "")
	e.records(aws.ToString(out.NextShardIterator), 0) // issued 2 minutes ago
}

func TestStreamAdminExpireIterators(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.put(table, attrs{"pk": avS("a")})
	shard := e.shardOf(arn)
	old := e.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, "")
	e.admin("streams/"+table+"/iterators/expire", nil)
	wantAPIError(t, e.getRecordsErr(old), "ExpiredIteratorException", "")
	if recs := e.readShard(arn, shard); len(recs) != 1 {
		t.Errorf("a new iterator reads %d records, want 1", len(recs))
	}
}

// Records older than 24 h are trimmed: TRIM_HORIZON starts after them, and
// asking for one by sequence number is TrimmedDataAccessException (or, once
// its shard is no longer listed, ResourceNotFoundException).
func TestStreamAdminRetention(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	const v = types.StreamViewTypeNewImage
	table, arn := e.newTable(v, "pk")
	e.put(table, attrs{"pk": avS("old")})
	shard := e.shardOf(arn)
	seq := aws.ToString(e.readShard(arn, shard)[0].Dynamodb.SequenceNumber)
	e.advance(23 * time.Hour)
	e.put(table, attrs{"pk": avS("new")})
	e.advance(2 * time.Hour)
	wantEvents(t, e.readStream(arn), streamEvent(v, "INSERT", pk("new"), nil, attrs{"pk": avS("new")}))
	_, err := e.st.GetShardIterator(ctx(t), &dynamodbstreams.GetShardIteratorInput{
		StreamArn: aws.String(arn), ShardId: aws.String(shard),
		ShardIteratorType: sstypes.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String(seq),
	})
	listed := false
	for _, s := range e.shards(arn, 0) {
		listed = listed || aws.ToString(s.ShardId) == shard
	}
	if listed {
		wantAPIError(t, err, "TrimmedDataAccessException", "")
	} else {
		wantAPIError(t, err, "ResourceNotFoundException", "")
	}
}

// Shards close periodically (about every 4 h): the open shard gets an
// EndingSequenceNumber and a child; a consumer following the lineage still
// reads every record in order.
func TestStreamAdminPeriodicRollover(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	const v = types.StreamViewTypeNewImage
	table, arn := e.newTable(v, "pk")
	e.put(table, attrs{"pk": avS("a"), "v": avN("1")})
	first := e.shardOf(arn)
	e.advance(5 * time.Hour)
	e.put(table, attrs{"pk": avS("a"), "v": avN("2")})
	var closed bool
	children := 0
	for _, s := range e.shards(arn, 0) {
		if aws.ToString(s.ShardId) == first {
			closed = s.SequenceNumberRange.EndingSequenceNumber != nil
		}
		if aws.ToString(s.ParentShardId) == first {
			children++
		}
	}
	if !closed || children == 0 {
		t.Fatalf("after 5 h: shard %s closed %v, %d children; want closed with a child", first, closed, children)
	}
	wantEvents(t, e.readStream(arn),
		streamEvent(v, "INSERT", pk("a"), nil, attrs{"pk": avS("a"), "v": avN("1")}),
		streamEvent(v, "MODIFY", pk("a"), nil, attrs{"pk": avS("a"), "v": avN("2")}))
}

// A forced rollover closes the shard (reading it to its end gives no
// NextShardIterator), opens one child (ParentShardId, ShardFilter
// CHILD_SHARDS), and later writes of the item go to the child.
func TestStreamAdminRollover(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	const v = types.StreamViewTypeKeysOnly
	table, arn := e.newTable(v, "pk")
	e.put(table, attrs{"pk": avS("a")})
	parent := e.shardOf(arn)
	e.shardAction(table, parent, "rollover")
	e.put(table, attrs{"pk": avS("a"), "v": avN("2")})

	d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), ShardFilter: &sstypes.ShardFilter{
		Type: sstypes.ShardFilterTypeChildShards, ShardId: aws.String(parent),
	}})
	if len(d.Shards) != 1 || aws.ToString(d.Shards[0].ParentShardId) != parent || d.Shards[0].SequenceNumberRange.EndingSequenceNumber != nil {
		t.Fatalf("CHILD_SHARDS of %s = %+v, want one open child", parent, d.Shards)
	}
	child := aws.ToString(d.Shards[0].ShardId)
	recs, next := e.drain(e.iterator(arn, parent, sstypes.ShardIteratorTypeTrimHorizon, ""))
	if next != "" {
		t.Errorf("the closed parent read to its end still has a NextShardIterator")
	}
	wantEvents(t, recs, streamEvent(v, "INSERT", pk("a"), nil, nil))
	wantEvents(t, e.readShard(arn, child), streamEvent(v, "MODIFY", pk("a"), nil, nil))
	for _, s := range e.shards(arn, 1) {
		if aws.ToString(s.ShardId) == parent && s.SequenceNumberRange.EndingSequenceNumber == nil {
			t.Errorf("parent %s has no EndingSequenceNumber", parent)
		}
	}
}

// A split closes the shard and opens two children; each item's later
// records go to exactly one child, and a lineage-following consumer reads
// everything once, in per-item order.
func TestStreamAdminSplit(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	const v = types.StreamViewTypeNewImage
	table, arn := e.newTable(v, "pk")
	const items = 24
	for i := range items {
		e.put(table, attrs{"pk": avS("k" + strconv.Itoa(i)), "v": avN("1")})
	}
	var parents []string
	for _, s := range e.shards(arn, 0) {
		if s.SequenceNumberRange.EndingSequenceNumber == nil {
			parents = append(parents, aws.ToString(s.ShardId))
		}
	}
	for _, p := range parents {
		e.shardAction(table, p, "split")
	}
	for i := range items {
		e.put(table, attrs{"pk": avS("k" + strconv.Itoa(i)), "v": avN("2")})
	}
	for _, p := range parents {
		d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), ShardFilter: &sstypes.ShardFilter{
			Type: sstypes.ShardFilterTypeChildShards, ShardId: aws.String(p),
		}})
		if len(d.Shards) != 2 {
			t.Errorf("CHILD_SHARDS of split shard %s: %d shards, want 2", p, len(d.Shards))
		}
	}
	owner := map[string]string{}
	for _, s := range e.shards(arn, 1) {
		if s.SequenceNumberRange.EndingSequenceNumber != nil {
			continue
		}
		for _, r := range e.readShard(arn, aws.ToString(s.ShardId)) {
			k := attrsRender(streamItem(r.Dynamodb.Keys))
			if o, ok := owner[k]; ok && o != aws.ToString(s.ShardId) {
				t.Errorf("item %s has records in two children (%s, %s)", k, o, aws.ToString(s.ShardId))
			}
			owner[k] = aws.ToString(s.ShardId)
		}
	}
	recs := e.readStream(arn)
	if len(recs) != 2*items {
		t.Fatalf("%d records, want %d", len(recs), 2*items)
	}
	for i := range items {
		key := pk("k" + strconv.Itoa(i))
		wantEvents(t, recsFor(recs, key),
			streamEvent(v, "INSERT", key, nil, attrs{"pk": key["pk"], "v": avN("1")}),
			streamEvent(v, "MODIFY", key, nil, attrs{"pk": key["pk"], "v": avN("2")}))
	}
}

// Trimming moves the trim horizon: TRIM_HORIZON starts after the trimmed
// records; a sequence number or an iterator behind it is
// TrimmedDataAccessException.
func TestStreamAdminTrim(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	table, arn := e.newTable(types.StreamViewTypeNewImage, "pk")
	for i := 1; i <= 3; i++ {
		if i == 3 {
			e.advance(time.Hour)
		}
		e.put(table, attrs{"pk": avS("a"), "v": avN(strconv.Itoa(i))})
	}
	shard := e.shardOf(arn)
	recs := e.readShard(arn, shard)
	if len(recs) != 3 {
		t.Fatalf("%d records, want 3", len(recs))
	}
	seq := func(i int) string { return aws.ToString(recs[i].Dynamodb.SequenceNumber) }
	early := e.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, "")
	e.admin("streams/"+table+"/trim", map[string]string{"olderThan": "30m"})
	left := e.readShard(arn, shard)
	if len(left) != 1 || aws.ToString(left[0].Dynamodb.SequenceNumber) != seq(2) {
		t.Fatalf("after trimming the records older than 30 minutes: %d records, want the last one\n%s", len(left), recsString(left))
	}
	_, err := e.st.GetShardIterator(ctx(t), &dynamodbstreams.GetShardIteratorInput{
		StreamArn: aws.String(arn), ShardId: aws.String(shard),
		ShardIteratorType: sstypes.ShardIteratorTypeAtSequenceNumber, SequenceNumber: aws.String(seq(0)),
	})
	wantAPIError(t, err, "TrimmedDataAccessException", "")
	wantAPIError(t, e.getRecordsErr(early), "TrimmedDataAccessException", "")
	e.admin("streams/"+table+"/trim", nil)
	if left := e.readShard(arn, shard); len(left) != 0 {
		t.Errorf("after trimming every record: %d records", len(left))
	}
}

// A TTL delete is a REMOVE record with the old image and the service
// userIdentity; a user's delete has none (reference §3.4).
func TestStreamAdminTTLDeleteRecord(t *testing.T) {
	t.Parallel()
	e := privateEnv(t)
	const v = types.StreamViewTypeNewAndOldImages
	table, arn := e.newTable(v, "pk")
	if _, err := e.db.UpdateTimeToLive(ctx(t), &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(table), TimeToLiveSpecification: ttlSpec("exp", true),
	}); err != nil {
		t.Fatalf("UpdateTimeToLive: %v", err)
	}
	expires := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	expiring := attrs{"pk": avS("ttl"), "exp": avN(expires), "x": avS("kept in the old image")}
	e.put(table, expiring)
	e.put(table, attrs{"pk": avS("user")})
	e.del(table, pk("user"))
	e.advance(2 * time.Hour)
	e.admin("ttl/sweep", nil)
	got, err := e.db.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk("ttl"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	wantAttrs(t, "expired item after the sweep", got.Item, nil)
	recs := e.readStream(arn)
	ttl := recsFor(recs, pk("ttl"))
	wantEvents(t, ttl,
		streamEvent(v, "INSERT", pk("ttl"), nil, expiring),
		streamEvent(v, "REMOVE", pk("ttl"), expiring, nil))
	id := ttl[1].UserIdentity
	if id == nil || aws.ToString(id.Type) != "Service" || aws.ToString(id.PrincipalId) != "dynamodb.amazonaws.com" {
		t.Errorf("TTL delete userIdentity = %+v, want {Type: Service, PrincipalId: dynamodb.amazonaws.com}", id)
	}
	for _, r := range recsFor(recs, pk("user")) {
		if r.UserIdentity != nil {
			t.Errorf("user %s has userIdentity %+v", r.EventName, *r.UserIdentity)
		}
	}
}
