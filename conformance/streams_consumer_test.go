package conformance

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// GetRecords as consumers use it, and a consumer that reads every shard
// following the lineage. Sources: scylladb test_streams.py
// (test_get_records_too_high_limit, test_streams_no_records,
// test_streams_last_result, test_streams_another_result,
// test_streams_at_sequence_number, test_streams_after_sequence_number,
// test_streams_trim_horizon, test_streams_starting_sequence_number,
// test_streams_closed_read, test_get_records_nonexistent_iterator),
// reference §6.1 and §6.4.

// firstShard returns the stream's first shard.
func (e *streamEnv) firstShard(arn string) sstypes.Shard {
	e.t.Helper()
	return e.shards(arn, 0)[0]
}

func TestStreamGetRecordsLimit(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	it := e.iterator(arn, aws.ToString(e.firstShard(arn).ShardId), sstypes.ShardIteratorTypeLatest, "")
	e.records(it, 1000)
	get := func(limit int32) error {
		_, err := e.st.GetRecords(ctx(t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(it), Limit: aws.Int32(limit)})
		return err
	}
	wantAPIError(t, get(0), "ValidationException", limitTooLow(0))
	wantAPIError(t, get(-1), "ValidationException", limitTooLow(-1))
	wantAPIErrorMatching(t, get(1001), "ValidationException", `[Ll]imit`)
}

// Records is present, [], when nothing is available; an open shard still
// gives a NextShardIterator.
func TestStreamGetRecordsEmpty(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	it := e.iterator(arn, aws.ToString(e.firstShard(arn).ShardId), sstypes.ShardIteratorTypeLatest, "")
	r := streamsCall(t, "GetRecords", map[string]any{"ShardIterator": it})
	m := wantRawOK(t, r)
	if recs, ok := m["Records"].([]any); !ok || len(recs) != 0 {
		t.Errorf("GetRecords body %s, want \"Records\": []", r.Body)
	}
	if next, ok := m["NextShardIterator"].(string); !ok || next == "" {
		t.Errorf("GetRecords of an open shard without NextShardIterator: %s", r.Body)
	}
}

// After the last record the next call gives [] and never the record again;
// a later write to the same item shows up through the same chain.
func TestStreamGetRecordsNoRepeatThenMore(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	var its []string
	for _, s := range e.shards(arn, 0) {
		its = append(its, e.iterator(arn, aws.ToString(s.ShardId), sstypes.ShardIteratorTypeLatest, ""))
	}
	e.update(table, pk("a"), "SET x = :v", attrs{":v": avN("5")})
	var next string
	for _, it := range its {
		if recs, n := e.drain(it); len(recs) > 0 {
			wantEvents(t, recs, streamEvent(types.StreamViewTypeKeysOnly, "INSERT", pk("a"), nil, nil))
			next = n
		}
	}
	if next == "" {
		t.Fatalf("the write did not show up on any shard (or its shard ended)")
	}
	out := e.records(next, 0)
	if len(out.Records) != 0 || out.NextShardIterator == nil {
		t.Fatalf("after the last record: %d records, NextShardIterator %v; want [] and an iterator", len(out.Records), out.NextShardIterator)
	}
	e.update(table, pk("a"), "SET x = :v", attrs{":v": avN("7")})
	recs, _ := e.drain(aws.ToString(out.NextShardIterator))
	wantEvents(t, recs, streamEvent(types.StreamViewTypeKeysOnly, "MODIFY", pk("a"), nil, nil))
}

// Limit pages through the records one at a time, in order; AT_ and
// AFTER_SEQUENCE_NUMBER start at and after a record; TRIM_HORIZON and
// AT_SEQUENCE_NUMBER of StartingSequenceNumber read everything.
func TestStreamGetRecordsPositions(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	table, arn := e.newTable(types.StreamViewTypeNewImage, "pk")
	for i := 1; i <= 3; i++ {
		e.put(table, attrs{"pk": avS("a"), "v": avN(strconv.Itoa(i))})
	}
	e.waitStream(arn, 3)
	var shard sstypes.Shard
	for _, s := range e.shards(arn, 0) {
		if len(e.readShard(arn, aws.ToString(s.ShardId))) == 3 {
			shard = s
		}
	}
	id := aws.ToString(shard.ShardId)
	if id == "" {
		t.Fatalf("no shard holds the item's 3 records")
	}
	var seqs []string
	it := e.iterator(arn, id, sstypes.ShardIteratorTypeTrimHorizon, "")
	for i := 1; i <= 3; i++ {
		out := e.records(it, 1)
		if len(out.Records) != 1 {
			t.Fatalf("GetRecords Limit 1: %d records", len(out.Records))
		}
		if got := streamItem(out.Records[0].Dynamodb.NewImage)["v"]; avRender(got) != "N:"+strconv.Itoa(i) {
			t.Fatalf("record %d has v %s", i, avRender(got))
		}
		seqs = append(seqs, aws.ToString(out.Records[0].Dynamodb.SequenceNumber))
		it = aws.ToString(out.NextShardIterator)
	}
	if seqNum(t, seqs[0]).Cmp(seqNum(t, seqs[1])) >= 0 || seqNum(t, seqs[1]).Cmp(seqNum(t, seqs[2])) >= 0 {
		t.Errorf("sequence numbers not increasing: %v", seqs)
	}
	firstSeq := func(t *testing.T, typ sstypes.ShardIteratorType, seq string) string {
		e := &streamEnv{t: t, db: e.db, st: e.st, url: e.url}
		out := e.records(e.iterator(arn, id, typ, seq), 0)
		if len(out.Records) == 0 {
			return "<none>"
		}
		return aws.ToString(out.Records[0].Dynamodb.SequenceNumber)
	}
	for _, c := range []struct {
		typ       sstypes.ShardIteratorType
		seq, want string
	}{
		{sstypes.ShardIteratorTypeAtSequenceNumber, seqs[1], seqs[1]},
		{sstypes.ShardIteratorTypeAfterSequenceNumber, seqs[1], seqs[2]},
		{sstypes.ShardIteratorTypeAtSequenceNumber, aws.ToString(shard.SequenceNumberRange.StartingSequenceNumber), seqs[0]},
		{sstypes.ShardIteratorTypeTrimHorizon, "", seqs[0]},
	} {
		t.Run(string(c.typ)+" "+c.seq, func(t *testing.T) {
			if got := firstSeq(t, c.typ, c.seq); got != c.want {
				t.Errorf("first record %s, want %s", got, c.want)
			}
		})
	}
}

// At the end of a closed shard NextShardIterator is absent: not null, not
// "" (scylladb test_streams_closed_read, AWS behaviour).
func TestStreamGetRecordsClosedShardEnd(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.put(table, attrs{"pk": avS("a")})
	e.waitStream(arn, 1)
	e.setStream(table, "")
	e.waitStreamStatus(arn, sstypes.StreamStatusDisabled)
	total := 0
	for _, s := range e.shards(arn, 0) {
		it := e.iterator(arn, aws.ToString(s.ShardId), sstypes.ShardIteratorTypeTrimHorizon, "")
		for range 1000 {
			r := streamsCall(t, "GetRecords", map[string]any{"ShardIterator": it})
			m := wantRawOK(t, r)
			var body struct {
				Records           []json.RawMessage
				NextShardIterator *string
			}
			_ = json.Unmarshal(r.Body, &body)
			total += len(body.Records)
			next, present := m["NextShardIterator"]
			if !present {
				break
			}
			if s, ok := next.(string); !ok || s == "" {
				t.Fatalf("NextShardIterator %v in %s; want a token or no member", next, r.Body)
			}
			it = *body.NextShardIterator
		}
	}
	if total != 1 {
		t.Errorf("read %d records from the closed shards, want 1", total)
	}
}

func TestStreamGetRecordsBogusIterator(t *testing.T) {
	t.Parallel()
	_, err := streams(t).GetRecords(ctx(t), &dynamodbstreams.GetRecordsInput{
		ShardIterator: aws.String("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg"), Limit: aws.Int32(1000),
	})
	wantAPIError(t, err, "ValidationException", "")
}

// A consumer that reads every shard, parents before children, gets every
// record exactly once and each item's records in write order, while
// several writers change many items concurrently.
func TestStreamConsumerExactlyOnceInItemOrder(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	table, arn := e.newTable(types.StreamViewTypeNewImage, "pk")
	const items, versions = 16, 6
	c := ctx(t)
	var wg sync.WaitGroup
	for i := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("item-%02d", i)
			for v := 1; v <= versions; v++ {
				if _, err := e.db.PutItem(c, &dynamodb.PutItemInput{
					TableName: aws.String(table), Item: attrs{"pk": avS(key), "v": avN(strconv.Itoa(v))},
				}); err != nil {
					t.Errorf("PutItem %s v%d: %v", key, v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	recs := e.waitStream(arn, items*versions)
	if len(recs) != items*versions {
		t.Fatalf("%d records, want %d", len(recs), items*versions)
	}
	ids := map[string]bool{}
	last := map[string]int{}
	for _, r := range recs {
		if id := aws.ToString(r.EventID); ids[id] {
			t.Errorf("eventID %s delivered twice", id)
		} else {
			ids[id] = true
		}
		key := avRender(streamItem(r.Dynamodb.Keys)["pk"])
		v, _ := strconv.Atoi(avRender(streamItem(r.Dynamodb.NewImage)["v"])[2:])
		if v != last[key]+1 {
			t.Errorf("%s: version %d after %d", key, v, last[key])
		}
		last[key] = v
		wantName := sstypes.OperationTypeModify
		if v == 1 {
			wantName = sstypes.OperationTypeInsert
		}
		if r.EventName != wantName {
			t.Errorf("%s v%d: eventName %s, want %s", key, v, r.EventName, wantName)
		}
	}
}
