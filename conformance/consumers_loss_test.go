package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// The loss journal: a shard split, a periodic rollover and an admin trim
// each journal, per consumer, the records of the shard that consumer had
// not read, as entries of kind loss that GET /_admin/journal filters by
// kind, reason and consumer.

// partReader is a consumer that has read the first n records of the
// stream's only shard and stopped: it returns the shard and the records it
// read.
func (e *faultEnv) partReader(akid, arn string, n int32) (shard string, read []rec) {
	e.t.Helper()
	reader := e.as(akid)
	shard = aws.ToString(reader.shards(arn, 0)[0].ShardId)
	out := reader.records(reader.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""), n)
	if int32(len(out.Records)) != n {
		e.t.Fatalf("%s read %d records, want %d", akid, len(out.Records), n)
	}
	return shard, out.Records
}

// lossEntries reads the journal's loss entries with the reason about the
// consumer, through the journal's kind, reason and consumer filters.
func (e *faultEnv) lossEntries(reason, consumer string) []faults.Entry {
	e.t.Helper()
	es, err := e.adm.JournalAll(ctx(e.t), faults.JournalQuery{Kind: faults.KindLoss, Reason: reason, Consumer: consumer})
	if err != nil {
		e.t.Fatalf("journal of loss %s for %q: %v", reason, consumer, err)
	}
	return es
}

// wantLossEntries fails unless the entries name exactly recs (records of
// the stream of table as a reader got them), in order, as losses of the
// reason for the consumer.
func wantLossEntries(t *testing.T, got []faults.Entry, table, reason, consumer string, recs []rec) {
	t.Helper()
	if len(got) != len(recs) {
		t.Fatalf("%d loss entries %s for %s, want %d:\n%s", len(got), reason, consumer, len(recs), entriesString(got))
	}
	for i, x := range got {
		r := recs[i]
		pk := streamItem(r.Dynamodb.Keys)["pk"].(*types.AttributeValueMemberS).Value
		want := faults.Entry{Kind: faults.KindLoss, Reason: reason, Action: reason, Consumer: consumer,
			Target: faults.TargetStream, Table: table, Keys: faults.Key{"pk": faults.KeyS(pk)},
			EventName: string(r.EventName), EventID: aws.ToString(r.EventID),
			SequenceNumber: aws.ToString(r.Dynamodb.SequenceNumber)}
		if x.Kind != want.Kind || x.Reason != want.Reason || x.Action != want.Action || x.Consumer != want.Consumer ||
			x.Target != want.Target || x.Table != want.Table || x.Keys.String() != want.Keys.String() ||
			x.EventName != want.EventName || x.EventID != want.EventID || x.SequenceNumber != want.SequenceNumber {
			t.Errorf("loss entry %d:\n%s\nwant the record %s", i, entriesString(got[i:i+1]), recString(r))
		}
	}
}

// shardOfEntries fails unless every entry names the shard.
func shardOfEntries(t *testing.T, es []faults.Entry, shard string) {
	t.Helper()
	for _, x := range es {
		if x.ShardID != shard {
			t.Errorf("loss entry #%d names shard %s, want %s", x.Seq, x.ShardID, shard)
		}
	}
}

// auditShard reads a whole shard as a consumer that joins only now, to
// learn the records' event ids and sequence numbers as a reader gets them.
func (e *faultEnv) auditShard(arn, shard string) []rec {
	e.t.Helper()
	return e.as("auditor").readShard(arn, shard)
}

func TestLossJournalOfASplitNamesTheRecordsEachConsumerHadNotRead(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{StreamShards: 1})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.putOrders(table, "S", 5)
	parent, read := e.partReader("half-reader", arn, 2)
	e.as("whole-reader").readShard(arn, parent)
	kids, err := e.adm.Split(ctx(t), table, parent)
	if err != nil {
		t.Fatal(err)
	}
	all := e.auditShard(arn, parent)
	if len(all) != 5 || aws.ToString(all[1].EventID) != aws.ToString(read[1].EventID) {
		t.Fatalf("the parent holds %d records after the split", len(all))
	}
	got := e.lossEntries("split", "half-reader")
	wantLossEntries(t, got, table, "split", "half-reader", all[2:])
	shardOfEntries(t, got, parent)
	for _, x := range got {
		if !strings.Contains(x.Detail, kids.Children[0]) || !strings.Contains(x.Detail, kids.Children[1]) {
			t.Errorf("detail %q does not name the children %v", x.Detail, kids.Children)
		}
	}
	if es := e.lossEntries("split", "whole-reader"); len(es) != 0 {
		t.Errorf("a consumer that read the whole shard has split entries:\n%s", entriesString(es))
	}
	if es := e.lossEntries("trimmed", "half-reader"); len(es) != 0 {
		t.Errorf("a split is no trim:\n%s", entriesString(es))
	}
	// The records are at risk, not lost: the consumer can still read them.
	wantMissed(t, e.missed("half-reader"), "S#2 pending", "S#3 pending", "S#4 pending")
}

func TestLossJournalOfAPeriodicRolloverNamesTheUnreadRecords(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{StreamShards: 1, StreamRollover: 4 * time.Hour})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.putOrders(table, "R", 4)
	parent, _ := e.partReader("slow-reader", arn, 1)
	seqBefore, err := e.adm.JournalSeq(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if es := e.lossEntries("rollover", ""); len(es) != 0 {
		t.Fatalf("rollover entries before the clock moved:\n%s", entriesString(es))
	}
	e.advance(5 * time.Hour) // past one rollover period, within retention
	all := e.auditShard(arn, parent)
	if len(all) != 4 {
		t.Fatalf("the rolled-over shard holds %d records", len(all))
	}
	got := e.lossEntries("rollover", "slow-reader")
	wantLossEntries(t, got, table, "rollover", "slow-reader", all[1:])
	shardOfEntries(t, got, parent)
	for _, x := range got {
		if x.Seq <= seqBefore {
			t.Errorf("loss entry #%d predates the clock move (journal at #%d)", x.Seq, seqBefore)
		}
	}
	// The rollover itself is one shard entry, as an admin rollover is, and
	// no loss entry without a consumer.
	for _, x := range e.lossEntries("rollover", "") {
		if x.Consumer == "" {
			t.Errorf("a loss entry without a consumer: %s", entriesString([]faults.Entry{x}))
		}
	}
	shardEntries, err := e.adm.JournalAll(ctx(t), faults.JournalQuery{Kind: faults.KindShard})
	if err != nil {
		t.Fatal(err)
	}
	var closing []faults.Entry
	for _, x := range shardEntries {
		if x.Action == faults.ShardRollover && x.ShardID == parent {
			closing = append(closing, x)
		}
	}
	if len(closing) != 1 || !strings.Contains(closing[0].Detail, "closed with 4 readable records") {
		t.Errorf("shard entries of the rollover:\n%s", entriesString(closing))
	}
	wantMissed(t, e.missed("slow-reader"), "R#1 pending", "R#2 pending", "R#3 pending")
	// Two more periods roll over the (empty) children: nothing more is at
	// risk for the reader, and the records are not journaled again.
	e.advance(9 * time.Hour)
	wantLossEntries(t, e.lossEntries("rollover", "slow-reader"), table, "rollover", "slow-reader", all[1:])
}

func TestLossJournalOfAnAdminTrimNamesTheRecordsTrimmedUnread(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{StreamShards: 1})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.putOrders(table, "T", 6)
	shard, _ := e.partReader("trim-reader", arn, 2)
	all := e.auditShard(arn, shard)
	// Trim the records below the fifth: the reader loses the third and the
	// fourth; the fifth and sixth stay to read.
	action, err := e.adm.Trim(ctx(t), table, client.TrimOptions{Before: aws.ToString(all[4].Dynamodb.SequenceNumber)})
	if err != nil {
		t.Fatal(err)
	}
	got := e.lossEntries("trimmed", "trim-reader")
	wantLossEntries(t, got, table, "trimmed", "trim-reader", all[2:4])
	shardOfEntries(t, got, shard)
	// A name given to the consumer filters the journal as its id does.
	if err := e.adm.NameConsumer(ctx(t), "trim-reader", "orders-sink"); err != nil {
		t.Fatal(err)
	}
	wantLossEntries(t, e.lossEntries("trimmed", "orders-sink"), table, "trimmed", "trim-reader", all[2:4])
	for _, x := range got {
		if x.Seq >= action || !strings.Contains(x.Detail, "not yet read by the consumer") {
			t.Errorf("loss entry #%d (%q): want one before the trim's own entry #%d", x.Seq, x.Detail, action)
		}
	}
	if es := e.lossEntries("trimmed", "auditor"); len(es) != 0 {
		t.Errorf("the auditor read every record, yet lost:\n%s", entriesString(es))
	}
	shardAction, err := e.adm.JournalAll(ctx(t), faults.JournalQuery{Kind: faults.KindShard, After: action - 1, Limit: 1})
	if err != nil || len(shardAction) == 0 || shardAction[0].Seq != action || shardAction[0].Action != faults.ShardTrim {
		t.Errorf("the trim's own entry: %s (%v)", entriesString(shardAction), err)
	}
	wantMissed(t, e.missed("trim-reader"), "T#2 trimmed", "T#3 trimmed", "T#4 pending", "T#5 pending")
	if n := len(e.lossEntries("", "trim-reader")); n != 2 {
		t.Errorf("%d loss entries of any reason for the reader, want the 2 trimmed", n)
	}
	// A trim without a body removes every record: the last two go too.
	if _, err := e.adm.Trim(ctx(t), table, client.TrimOptions{}); err != nil {
		t.Fatal(err)
	}
	got = e.lossEntries("trimmed", "trim-reader")
	wantLossEntries(t, got, table, "trimmed", "trim-reader", all[2:])
	wantMissed(t, e.missed("trim-reader"), "T#2 trimmed", "T#3 trimmed", "T#4 trimmed", "T#5 trimmed")
}
