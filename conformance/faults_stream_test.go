package conformance

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
)

// Stream fault rules (drop, delay, duplicate, reorder), the emptyRecords api
// action and shard pause/resume, as a Streams consumer sees them through
// aws-sdk-go-v2, with the journal entries naming the very records affected.
// The item write itself always succeeds.

// streamRule is a stream rule for one event name of one item (pk) of table.
func streamRule(id, table, pkValue, event string, a faults.Action, times int) faults.Rule {
	return faults.Rule{
		ID: id, Target: faults.TargetStream, Action: a, When: faults.When{Times: times},
		Match: faults.Match{
			Table: table, EventName: []string{event},
			Key: map[string]faults.KeyPredicate{"pk": {Equals: aws.String(pkValue)}},
		},
	}
}

// vItem is item pk with version v.
func vItem(pkValue, v string) attrs { return attrs{"pk": avS(pkValue), "v": avN(v)} }

// bump sets the version of pk to v.
func (e *faultEnv) bump(table, pkValue, v string) {
	e.t.Helper()
	e.update(table, pk(pkValue), "SET v = :v", attrs{":v": avN(v)})
}

// seqBetween fails unless lo < s < hi as numbers.
func seqBetween(t testing.TB, s, lo, hi string) {
	t.Helper()
	n, a, b := seqNum(t, s), seqNum(t, lo), seqNum(t, hi)
	if n.Cmp(a) <= 0 || n.Cmp(b) >= 0 {
		t.Fatalf("sequence number %s not strictly between %s and %s", s, lo, hi)
	}
}

// Drop: the write succeeds and GetItem sees it; the stream never has the
// record, and the journal names it. Its sequence number stays unused: a
// gap between its neighbours (DynamoDB's sequence numbers are not
// contiguous either, so a consumer cannot detect the loss from them).
func TestFaultStreamDrop(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	const view = types.StreamViewTypeNewImage
	table, arn := e.newTable(view, "pk")
	id := e.addRule(streamRule("drop-a", table, "a", "MODIFY", faults.Action{Type: faults.ActionDrop}, 1)).ID
	e.put(table, vItem("a", "1"))
	e.bump(table, "a", "2") // dropped
	e.bump(table, "a", "3")
	e.put(table, vItem("b", "1"))
	wantAttrs(t, "item a", e.get(table, pk("a")), vItem("a", "3"))
	recs := e.readStream(arn)
	wantEvents(t, recs,
		streamEvent(view, "INSERT", pk("a"), nil, vItem("a", "1")),
		streamEvent(view, "MODIFY", pk("a"), nil, vItem("a", "3")),
		streamEvent(view, "INSERT", pk("b"), nil, vItem("b", "1")))
	e.wantStats(id, 2, 1)
	x := e.journalN(id, 1)[0]
	wantEntry(t, x, faults.Entry{RuleID: id, Action: faults.ActionDrop, Target: faults.TargetStream, Table: table,
		Keys: faultKey(pk("a")), EventName: "MODIFY", StreamArn: arn})
	for _, r := range recs {
		if aws.ToString(r.EventID) == x.EventID {
			t.Fatalf("dropped record %s is in the stream", x.EventID)
		}
	}
	if x.EventID == "" || x.ShardID == "" {
		t.Fatalf("drop entry lacks eventId or shardId:\n%s", entriesString([]faults.Entry{x}))
	}
	seqBetween(t, x.SequenceNumber, aws.ToString(recs[0].Dynamodb.SequenceNumber), aws.ToString(recs[1].Dynamodb.SequenceNumber))
}

// Delay: the record leaves the stream until the clock has moved past its
// delay. Later records of the same item wait behind it, so per-item order
// holds, while other items keep flowing. At the release the held records
// are appended after everything already in the shard, with new (higher)
// sequence numbers and their original event ids and creation times, so
// the consumer's iterator chain, or a checkpoint at its last record, reads
// them next. The journal has the decision (with the original sequence
// number) and a follow-up entry for the release (with the new one).
func TestFaultStreamDelay(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	const view = types.StreamViewTypeNewImage
	table, arn := e.newTable(view, "pk")
	id := e.addRule(streamRule("delay-a", table, "a", "MODIFY",
		faults.Action{Type: faults.ActionDelay, For: faults.Duration(10 * time.Minute)}, 1)).ID
	e.put(table, vItem("a", "1"))
	e.bump(table, "a", "2")       // delayed
	e.bump(table, "a", "3")       // waits behind it
	e.put(table, vItem("b", "1")) // another item: flows
	wantAttrs(t, "item a", e.get(table, pk("a")), vItem("a", "3"))

	shard, it := e.trimHorizon(arn)
	out := e.records(it, 0)
	wantEvents(t, out.Records,
		streamEvent(view, "INSERT", pk("a"), nil, vItem("a", "1")),
		streamEvent(view, "INSERT", pk("b"), nil, vItem("b", "1")))
	a1, b1 := out.Records[0], out.Records[1]
	// The delay is a firing; the record held behind it has an entry too,
	// at the number it left unused.
	j := e.journalN(id, 2)
	decided, behind := j[0], j[1]
	wantEntry(t, decided, faults.Entry{Kind: faults.KindFiring, RuleID: id, Action: faults.ActionDelay, Target: faults.TargetStream,
		Table: table, Keys: faultKey(pk("a")), EventName: "MODIFY", ShardID: shard, StreamArn: arn})
	wantEntry(t, behind, faults.Entry{Kind: faults.KindFollowUp, Outcome: faults.OutcomeHeldBehind, RuleID: id,
		Action: faults.ActionDelay, Target: faults.TargetStream, Table: table, Keys: faultKey(pk("a")), EventName: "MODIFY",
		ShardID: shard, StreamArn: arn})
	seqBetween(t, decided.SequenceNumber, aws.ToString(a1.Dynamodb.SequenceNumber), aws.ToString(b1.Dynamodb.SequenceNumber))
	seqBetween(t, behind.SequenceNumber, decided.SequenceNumber, aws.ToString(b1.Dynamodb.SequenceNumber))
	if held := e.held(table); held != 2 {
		t.Errorf("stream status: %d records held, want 2", held)
	}
	checkpoint := e.iterator(arn, shard, sstypes.ShardIteratorTypeAfterSequenceNumber, aws.ToString(b1.Dynamodb.SequenceNumber))

	e.advance(9 * time.Minute)
	out = e.records(aws.ToString(out.NextShardIterator), 0)
	if len(out.Records) != 0 {
		t.Fatalf("after 9 of 10 minutes the held records are visible:\n%s", recsString(out.Records))
	}
	e.advance(time.Minute)
	out = e.records(aws.ToString(out.NextShardIterator), 0)
	wantEvents(t, out.Records,
		streamEvent(view, "MODIFY", pk("a"), nil, vItem("a", "2")),
		streamEvent(view, "MODIFY", pk("a"), nil, vItem("a", "3")))
	if !seqsIncreasing(t, append([]rec{b1}, out.Records...)) {
		t.Fatalf("released records are not numbered after the last record read: %v", sortedSeqs(append([]rec{b1}, out.Records...)))
	}
	released := out.Records[0]
	if aws.ToString(released.EventID) != decided.EventID {
		t.Errorf("released record has event id %s, the delay entry %s", aws.ToString(released.EventID), decided.EventID)
	}
	if lag := aws.ToTime(released.Dynamodb.ApproximateCreationDateTime).Sub(aws.ToTime(a1.Dynamodb.ApproximateCreationDateTime)); lag > time.Minute {
		t.Errorf("released record's ApproximateCreationDateTime is %v after the previous write's: it should keep its creation time", lag)
	}
	wantEvents(t, e.records(checkpoint, 0).Records,
		streamEvent(view, "MODIFY", pk("a"), nil, vItem("a", "2")),
		streamEvent(view, "MODIFY", pk("a"), nil, vItem("a", "3")))
	e.wantStats(id, 2, 1)
	// Each released record has an entry with its new and its original
	// number; follow-ups are not firings.
	j = e.journalN(id, 4)
	for i, x := range []struct {
		r    rec
		from faults.Entry
	}{{out.Records[0], decided}, {out.Records[1], behind}} {
		wantEntry(t, j[2+i], faults.Entry{Kind: faults.KindFollowUp, Outcome: faults.OutcomeReleased, RuleID: id,
			Action: faults.ActionDelay, Target: faults.TargetStream, Table: table, Keys: faultKey(pk("a")), EventName: "MODIFY",
			EventID: x.from.EventID, SequenceNumber: aws.ToString(x.r.Dynamodb.SequenceNumber), ShardID: shard, StreamArn: arn,
			OriginalSequenceNumber: x.from.SequenceNumber, OriginalShardID: shard})
		if aws.ToString(x.r.EventID) != x.from.EventID {
			t.Errorf("released record %d has event id %s, its entry %s", i, aws.ToString(x.r.EventID), x.from.EventID)
		}
	}
	if held := e.held(table); held != 0 {
		t.Errorf("stream status: %d records held after the release, want 0", held)
	}
	all := e.readStream(arn)
	if seqs := sortedSeqs(all); len(all) != 4 || !seqsIncreasing(t, all) {
		t.Fatalf("stream after the release has %d records, sequence numbers %v, want 4 increasing", len(all), seqs)
	}
}

// Delay with holdShard: every later record of the shard, of any item,
// waits behind the delayed one; at the release they are appended in
// commit order.
func TestFaultStreamDelayHoldShard(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	const view = types.StreamViewTypeKeysOnly
	table, arn := e.newTable(view, "pk")
	id := e.addRule(streamRule("hold-a", table, "a", "INSERT",
		faults.Action{Type: faults.ActionDelay, For: faults.Duration(time.Minute), HoldShard: true}, 1)).ID
	e.put(table, pk("a")) // delayed, holding the shard
	e.put(table, pk("b"))
	e.put(table, pk("c"))
	_, it := e.trimHorizon(arn)
	out := e.records(it, 0)
	if len(out.Records) != 0 {
		t.Fatalf("held shard delivered:\n%s", recsString(out.Records))
	}
	if held := e.held(table); held != 3 {
		t.Errorf("stream status: %d records held, want 3", held)
	}
	e.advance(time.Minute)
	out = e.records(aws.ToString(out.NextShardIterator), 0)
	wantEvents(t, out.Records,
		streamEvent(view, "INSERT", pk("a"), nil, nil),
		streamEvent(view, "INSERT", pk("b"), nil, nil),
		streamEvent(view, "INSERT", pk("c"), nil, nil))
	if !seqsIncreasing(t, out.Records) {
		t.Errorf("sequence numbers %v do not increase", sortedSeqs(out.Records))
	}
	// Every record of the held shard is named: the delay's firing, b and
	// c held behind it, then each release with its new number.
	j := e.journalN(id, 6)
	for i, x := range j[1:3] {
		if x.Outcome != faults.OutcomeHeldBehind || x.Keys.String() != faultKey(pk([]string{"b", "c"}[i])).String() {
			t.Errorf("entry %d does not name the record held behind the delay:\n%s", 1+i, entriesString(j))
		}
	}
	for i, r := range out.Records {
		x := j[3+i]
		if x.Outcome != faults.OutcomeReleased || x.EventID != aws.ToString(r.EventID) ||
			x.SequenceNumber != aws.ToString(r.Dynamodb.SequenceNumber) || x.OriginalSequenceNumber != j[i].SequenceNumber {
			t.Errorf("release entry %d does not name released record %d:\n%s", 3+i, i, entriesString(j))
		}
	}
}

// held sums the records held back in the shards of the table's streams,
// from the admin stream status.
func (e *faultEnv) held(table string) int {
	e.t.Helper()
	ss, err := e.adm.Stream(ctx(e.t), table)
	if err != nil {
		e.t.Fatalf("stream status of %s: %v", table, err)
	}
	n := 0
	for _, s := range ss {
		for _, sh := range s.Shards {
			n += sh.Held
		}
	}
	return n
}

// seqsIncreasing reports whether the records' sequence numbers increase.
func seqsIncreasing(t testing.TB, recs []rec) bool {
	t.Helper()
	var prev *big.Int
	for _, r := range recs {
		n := seqNum(t, aws.ToString(r.Dynamodb.SequenceNumber))
		if prev != nil && n.Cmp(prev) <= 0 {
			return false
		}
		prev = n
	}
	return true
}

// Duplicate: the record is delivered twice in a row, the same event id and
// sequence number both times, as a redelivery.
func TestFaultStreamDuplicate(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	const view = types.StreamViewTypeKeysOnly
	table, arn := e.newTable(view, "pk")
	id := e.addRule(streamRule("dup-a", table, "a", "INSERT", faults.Action{Type: faults.ActionDuplicate}, 1)).ID
	e.put(table, pk("a"))
	e.put(table, pk("b"))
	recs := e.readStream(arn)
	wantEvents(t, recs,
		streamEvent(view, "INSERT", pk("a"), nil, nil),
		streamEvent(view, "INSERT", pk("a"), nil, nil),
		streamEvent(view, "INSERT", pk("b"), nil, nil))
	if ids := eventIDs(recs); ids[0] != ids[1] || ids[1] == ids[2] {
		t.Errorf("event ids %v, want the first two equal", ids)
	}
	if s := sortedSeqs(recs[:2]); s[0] != s[1] {
		t.Errorf("duplicate sequence numbers %v, want equal", s)
	}
	e.wantStats(id, 1, 1)
	wantStreamEntry(t, e.journalN(id, 1)[0], id, faults.ActionDuplicate, table, recs[0])
}

// Reorder: the record is swapped with the next record of the same item,
// which violates the per-item ordering DynamoDB Streams guarantees: the
// consumer sees the MODIFY before the INSERT. Each slot keeps its sequence
// number, so sequence numbers still increase.
func TestFaultStreamReorder(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	const view = types.StreamViewTypeNewImage
	table, arn := e.newTable(view, "pk")
	id := e.addRule(streamRule("reorder-a", table, "a", "INSERT", faults.Action{Type: faults.ActionReorder}, 1)).ID
	e.put(table, vItem("a", "1"))
	e.bump(table, "a", "2")
	recs := e.readStream(arn)
	wantEvents(t, recs,
		streamEvent(view, "MODIFY", pk("a"), nil, vItem("a", "2")),
		streamEvent(view, "INSERT", pk("a"), nil, vItem("a", "1")))
	if !seqsIncreasing(t, recs) {
		t.Errorf("sequence numbers %v do not increase", sortedSeqs(recs))
	}
	e.wantStats(id, 1, 1)
	// The decision is journaled as the INSERT is appended: its event id,
	// and the sequence number of the slot it was appended to, which the
	// MODIFY now occupies. When the MODIFY arrives, each of the two moved
	// records gets a follow-up entry (not a firing): where its change is
	// now, and the slot it was appended to.
	j := e.journalN(id, 3)
	insert, modify := aws.ToString(recs[1].EventID), aws.ToString(recs[0].EventID)
	first, second := aws.ToString(recs[0].Dynamodb.SequenceNumber), aws.ToString(recs[1].Dynamodb.SequenceNumber)
	reorder := faults.Entry{RuleID: id, Action: faults.ActionReorder, Target: faults.TargetStream, Table: table, Keys: faultKey(pk("a"))}
	want := []faults.Entry{
		{Kind: faults.KindFiring, EventName: "INSERT", EventID: insert, SequenceNumber: first},
		{Kind: faults.KindFollowUp, Outcome: faults.OutcomeSwapped, EventName: "INSERT", EventID: insert,
			SequenceNumber: second, OriginalSequenceNumber: first},
		{Kind: faults.KindFollowUp, Outcome: faults.OutcomeSwapped, EventName: "MODIFY", EventID: modify,
			SequenceNumber: first, OriginalSequenceNumber: second},
	}
	for i, w := range want {
		w.RuleID, w.Action, w.Target, w.Table, w.Keys = reorder.RuleID, reorder.Action, reorder.Target, reorder.Table, reorder.Keys
		wantEntry(t, j[i], w)
	}
	if !strings.Contains(j[1].Detail, insert) || !strings.Contains(j[1].Detail, modify) {
		t.Errorf("swap entry detail %q does not name both event ids %s and %s", j[1].Detail, insert, modify)
	}
}

// emptyRecords: GetRecords answers no records and a next iterator at the
// same position, which then reads them.
func TestFaultStreamEmptyRecords(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.put(table, pk("a"))
	id := e.addRule(apiRule("empty", table, "GetRecords", faults.Action{Type: faults.ActionEmptyRecords}, faults.When{Times: 1})).ID
	_, it := e.trimHorizon(arn)
	out, err := e.st.GetRecords(ctx(t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(it)})
	if err != nil {
		t.Fatalf("GetRecords: %v", err)
	}
	if len(out.Records) != 0 || aws.ToString(out.NextShardIterator) == "" {
		t.Fatalf("GetRecords: %d records, NextShardIterator %q; want none and an iterator", len(out.Records), aws.ToString(out.NextShardIterator))
	}
	reqID := requestIDOK(t, out.ResultMetadata)
	wantEvents(t, e.records(aws.ToString(out.NextShardIterator), 0).Records,
		streamEvent(types.StreamViewTypeKeysOnly, "INSERT", pk("a"), nil, nil))
	e.wantStats(id, 2, 1)
	e.wantAPIEntries(id, faults.ActionEmptyRecords, table, "GetRecords", 1, reqID)
}

// Pause: GetRecords answers empty pages with valid iterators while writes
// keep landing; resume releases the backlog in order. Both are journaled
// as shard actions.
func TestFaultShardPauseResume(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	const view = types.StreamViewTypeKeysOnly
	table, arn := e.newTable(view, "pk")
	e.put(table, pk("a"))
	shard, it := e.trimHorizon(arn)
	out := e.records(it, 0)
	wantEvents(t, out.Records, streamEvent(view, "INSERT", pk("a"), nil, nil))
	e.pause(table, shard)
	e.put(table, pk("b"))
	e.put(table, pk("c"))
	wantAttrs(t, "item c written while paused", e.get(table, pk("c")), pk("c"))
	for range 3 {
		out = e.records(aws.ToString(out.NextShardIterator), 0)
		if len(out.Records) != 0 || aws.ToString(out.NextShardIterator) == "" {
			t.Fatalf("paused shard: %d records, NextShardIterator %q; want none and an iterator",
				len(out.Records), aws.ToString(out.NextShardIterator))
		}
	}
	if recs := e.readShard(arn, shard); len(recs) != 0 {
		t.Fatalf("a new TRIM_HORIZON iterator of the paused shard reads %d records, want none", len(recs))
	}
	e.resume(table, shard)
	out = e.records(aws.ToString(out.NextShardIterator), 0)
	wantEvents(t, out.Records,
		streamEvent(view, "INSERT", pk("b"), nil, nil),
		streamEvent(view, "INSERT", pk("c"), nil, nil))
	j := e.journalN("", 2)
	wantEntry(t, j[0], faults.Entry{Action: faults.ShardPause, Target: faults.TargetShard, Table: table, ShardID: shard})
	wantEntry(t, j[1], faults.Entry{Action: faults.ShardResume, Target: faults.TargetShard, Table: table, ShardID: shard})
}
