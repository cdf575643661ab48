package stream

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// lossLog is a LossRecorder that keeps every event.
type lossLog struct {
	events    []Loss
	rollovers []Rollover
}

func (l *lossLog) Lost(_ *Stream, e Loss) {
	e.Records = slices.Clone(e.Records)
	l.events = append(l.events, e)
}

func (l *lossLog) RolledOver(_ *Stream, r Rollover) {
	l.rollovers = append(l.rollovers, r)
}

// of returns the events with the reason and consumer.
func (l *lossLog) of(reason, consumer string) []Loss {
	var out []Loss
	for _, e := range l.events {
		if e.Reason == reason && e.Consumer == consumer {
			out = append(out, e)
		}
	}
	return out
}

func newOracleFixture(t *testing.T, partitions int, hook Hook) (*fixture, *lossLog) {
	t.Helper()
	log := &lossLog{}
	return newFixture(t, Options{Losses: log, Hook: hook}, partitions, NewImage), log
}

// readFor reads from it as consumer until the page is empty or the shard
// ends, and returns the records and the last next iterator.
func (f *fixture) readFor(t *testing.T, consumer, it string) ([]Record, string) {
	t.Helper()
	var all []Record
	for it != "" {
		p, err := f.s.ReadFor(consumer, it, 2, 1<<20, f.clk.Now())
		if err != nil {
			t.Fatalf("ReadFor(%s): %v", consumer, err)
		}
		all = append(all, p.Records...)
		if len(p.Records) == 0 {
			return all, p.Next
		}
		it = p.Next
	}
	return all, ""
}

func (f *fixture) iterFor(t *testing.T, consumer, shard, typ, seq string) string {
	t.Helper()
	it, err := f.s.ShardIteratorFor(consumer, shard, typ, seq, f.clk.Now())
	if err != nil {
		t.Fatalf("ShardIteratorFor(%s): %v", consumer, err)
	}
	return it
}

// missed lists the consumer's missed records as "pk reason".
func (f *fixture) missed(t *testing.T, consumer string) []string {
	t.Helper()
	var out []string
	ok := f.s.Missed(consumer, f.clk.Now(), func(m MissedRecord) bool {
		pk := "?"
		if k := m.KeysItem(); k != nil {
			pk = k["pk"].S
		}
		out = append(out, fmt.Sprintf("%s %s", pk, m.Reason))
		return true
	})
	if !ok {
		t.Fatalf("consumer %s unknown", consumer)
	}
	return out
}

func (f *fixture) info(t *testing.T, consumer string) ConsumerInfo {
	t.Helper()
	in, ok := f.s.ConsumerInfo(consumer, f.clk.Now())
	if !ok {
		t.Fatalf("consumer %s unknown", consumer)
	}
	return in
}

func (f *fixture) putN(t *testing.T, prefix string, n int) {
	t.Helper()
	for i := range n {
		f.put(t, nil, item(fmt.Sprintf("%s%d", prefix, i), 1, "v", "1"))
	}
}

func TestConsumerThatReadsEverythingMissesNothing(t *testing.T) {
	f, log := newOracleFixture(t, 1, nil)
	f.putN(t, "a", 5)
	sh := f.shards()[0].ID
	got, _ := f.readFor(t, "k1", f.iterFor(t, "k1", sh, TrimHorizon, ""))
	if len(got) != 5 {
		t.Fatalf("read %d records", len(got))
	}
	if m := f.missed(t, "k1"); len(m) != 0 {
		t.Errorf("missed %v", m)
	}
	in := f.info(t, "k1")
	if in.Lag != 0 || len(in.Missed) != 0 || in.Duplicates != 0 || in.OrderViolations != 0 {
		t.Errorf("info %+v", in)
	}
	f.advance(t, 25*time.Hour) // every record read: the trim loses nothing
	f.s.Advance(f.clk.Now())
	if m := f.missed(t, "k1"); len(m) != 0 {
		t.Errorf("missed after the trim %v", m)
	}
	if len(log.events) != 0 {
		t.Errorf("loss events %+v", log.events)
	}
}

func TestStalledConsumerLosesExactlyWhatItDidNotRead(t *testing.T) {
	f, log := newOracleFixture(t, 1, nil)
	f.putN(t, "r", 3)
	sh := f.shards()[0].ID
	got, next := f.readFor(t, "k1", f.iterFor(t, "k1", sh, TrimHorizon, ""))
	if len(got) != 3 || next == "" {
		t.Fatalf("read %d records", len(got))
	}
	f.putN(t, "u", 4) // never read
	f.advance(t, time.Hour)
	if in := f.info(t, "k1"); in.Lag != time.Hour || in.Missed[LossPending] != 4 {
		t.Fatalf("before the trim: %+v", in)
	}
	f.advance(t, 24*time.Hour)
	f.s.Advance(f.clk.Now())
	want := []string{"u0 trimmed", "u1 trimmed", "u2 trimmed", "u3 trimmed"}
	if m := f.missed(t, "k1"); !slices.Equal(m, want) {
		t.Errorf("missed %v, want %v", m, want)
	}
	in := f.info(t, "k1")
	if in.Missed[LossTrimmed] != 4 || len(in.Missed) != 1 {
		t.Errorf("counts %v", in.Missed)
	}
	if in.Lag < 25*time.Hour {
		t.Errorf("lag %v after the loss: it must keep climbing while the consumer has not read on", in.Lag)
	}
	ev := log.of(LossTrimmed, "k1")
	if len(ev) != 1 || ev[0].Count != 4 || len(ev[0].Records) != 4 || ev[0].Records[0].KeysItem()["pk"].S != "u0" {
		t.Errorf("loss events %+v", ev)
	}
	// The consumer reads on: the lag clears, the loss stays.
	f.putN(t, "n", 1)
	if _, err := f.s.ReadFor("k1", next, 10, 1<<20, f.clk.Now()); err != ErrExpiredIterator {
		t.Fatalf("old iterator: %v", err)
	}
	if ev := log.of(LossExpired, "k1"); len(ev) != 1 {
		t.Errorf("expiry events %+v", ev)
	}
	f.readFor(t, "k1", f.iterFor(t, "k1", sh, TrimHorizon, ""))
	in = f.info(t, "k1")
	if in.Lag != 0 || in.Missed[LossTrimmed] != 4 {
		t.Errorf("after reading on: lag %v, missed %v", in.Lag, in.Missed)
	}
}

func TestReaderRestartingAtLatestSkips(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	sh := f.shards()[0].ID
	f.putN(t, "a", 2)
	f.readFor(t, "k1", f.iterFor(t, "k1", sh, TrimHorizon, ""))
	f.putN(t, "b", 3)
	f.s.ExpireIterators()
	f.readFor(t, "k1", f.iterFor(t, "k1", sh, Latest, "")) // re-opened at LATEST
	f.putN(t, "c", 1)
	want := []string{"b0 skipped", "b1 skipped", "b2 skipped", "c0 pending"}
	if m := f.missed(t, "k1"); !slices.Equal(m, want) {
		t.Errorf("missed %v, want %v", m, want)
	}
	// Once trimmed, skipped records stay skipped (they were read past).
	f.advance(t, 25*time.Hour)
	f.s.Advance(f.clk.Now())
	want = []string{"b0 skipped", "b1 skipped", "b2 skipped", "c0 trimmed"}
	if m := f.missed(t, "k1"); !slices.Equal(m, want) {
		t.Errorf("after the trim: missed %v, want %v", m, want)
	}
	if in := f.info(t, "k1"); in.Missed[LossSkipped] != 3 || in.Missed[LossTrimmed] != 1 {
		t.Errorf("counts %v", in.Missed)
	}
}

func TestReaderIgnoringChildrenLeavesThemUnread(t *testing.T) {
	f, log := newOracleFixture(t, 1, nil)
	parent := f.shards()[0].ID
	f.putN(t, "p", 2)
	kids, err := f.s.Split(parent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.putN(t, "c", 6)
	got, next := f.readFor(t, "k1", f.iterFor(t, "k1", parent, TrimHorizon, ""))
	if len(got) != 2 || next != "" {
		t.Fatalf("parent: %d records, next %q", len(got), next)
	}
	m := f.missed(t, "k1")
	if len(m) != 6 {
		t.Fatalf("missed %v", m)
	}
	for _, row := range m {
		if !strings.HasSuffix(row, " unread") {
			t.Errorf("row %q, want unread", row)
		}
	}
	// A reader that reads the children too misses nothing.
	f.readFor(t, "k2", f.iterFor(t, "k2", parent, TrimHorizon, ""))
	for _, k := range kids {
		f.readFor(t, "k2", f.iterFor(t, "k2", k, TrimHorizon, ""))
	}
	if m := f.missed(t, "k2"); len(m) != 0 {
		t.Errorf("k2 missed %v", m)
	}
	if in := f.info(t, "k2"); in.OrderViolations != 0 {
		t.Errorf("k2 order violations %d", in.OrderViolations)
	}
	if len(log.events) != 0 {
		t.Errorf("loss events %+v: no consumer knew the parent when it was split", log.events)
	}
}

func TestShardClosedUnderAReaderIsJournaledForIt(t *testing.T) {
	f, log := newOracleFixture(t, 1, nil)
	parent := f.shards()[0].ID
	f.putN(t, "p", 3)
	p, err := f.s.ReadFor("k1", f.iterFor(t, "k1", parent, TrimHorizon, ""), 1, 1<<20, f.clk.Now())
	if err != nil || len(p.Records) != 1 {
		t.Fatalf("read %v %d", err, len(p.Records))
	}
	if _, err := f.s.Rollover(parent, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	ev := log.of(LossRollover, "k1")
	if len(ev) != 1 || ev[0].Count != 2 || ev[0].ShardID != parent || ev[0].Records[0].KeysItem()["pk"].S != "p1" {
		t.Errorf("rollover events %+v", ev)
	}
	if len(log.of(LossRollover, "")) != 0 || len(log.rollovers) != 0 {
		t.Errorf("an admin rollover is journaled by the admin action, not as a stream-wide loss event or a periodic rollover")
	}
}

// Each periodic rollover is reported once, as a rollover (not as a loss
// event), with the child and the records the shard closed with; a
// consumer that had not read them still gets its loss event.
func TestPeriodicRolloverIsReported(t *testing.T) {
	log := &lossLog{}
	f := newFixture(t, Options{Losses: log, Rollover: 4 * time.Hour}, 1, KeysOnly)
	root := f.shards()[0].ID
	f.putN(t, "p", 2)
	f.iterFor(t, "k1", root, TrimHorizon, "")
	f.advance(t, 9*time.Hour)
	shards := f.shards()
	if len(shards) != 3 {
		t.Fatalf("after 9 h with a 4 h rollover: %+v", shards)
	}
	want := []Rollover{
		{ShardID: root, Child: shards[1].ID, At: t0.Add(4 * time.Hour), Records: 2,
			First: "400000000000000000002", Last: "400000000000000000003"},
		{ShardID: shards[1].ID, Child: shards[2].ID, At: t0.Add(8 * time.Hour)},
	}
	if !reflect.DeepEqual(log.rollovers, want) {
		t.Errorf("rollovers\n %+v\nwant\n %+v", log.rollovers, want)
	}
	if ev := log.of(LossRollover, ""); len(ev) != 0 {
		t.Errorf("periodic rollovers also reported as stream-wide loss events: %+v", ev)
	}
	if ev := log.of(LossRollover, "k1"); len(ev) != 1 || ev[0].ShardID != root || ev[0].Count != 2 {
		t.Errorf("k1's loss events %+v, want the 2 records of the closed root", ev)
	}
}

func TestReadingChildBeforeParentIsAnOrderViolation(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	parent := f.shards()[0].ID
	f.putN(t, "p", 2)
	child, err := f.s.Rollover(parent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.putN(t, "c", 2)
	f.readFor(t, "k1", f.iterFor(t, "k1", child, TrimHorizon, ""))
	f.readFor(t, "k1", f.iterFor(t, "k1", parent, TrimHorizon, ""))
	if in := f.info(t, "k1"); in.OrderViolations != 1 {
		t.Errorf("order violations %d, want 1", in.OrderViolations)
	}
}

// Reading a grandchild while the grandparent still has records the
// reader was not handed breaks per-item order as much as reading a child
// does: the empty shard between them (a rollover that received nothing)
// does not hide it.
func TestReadingGrandchildBeforeGrandparentIsAnOrderViolation(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	grandparent := f.shards()[0].ID
	f.putN(t, "p", 2)
	parent, err := f.s.Rollover(grandparent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	child, err := f.s.Rollover(parent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.putN(t, "c", 2)
	f.readFor(t, "k1", f.iterFor(t, "k1", child, TrimHorizon, ""))
	if in := f.info(t, "k1"); in.OrderViolations != 1 {
		t.Errorf("k1 read the grandchild first: order violations %d, want 1", in.OrderViolations)
	}
	for _, id := range []string{grandparent, parent, child} {
		f.readFor(t, "k2", f.iterFor(t, "k2", id, TrimHorizon, ""))
	}
	if in := f.info(t, "k2"); in.OrderViolations != 0 {
		t.Errorf("k2 read the lineage in order: order violations %d, want 0", in.OrderViolations)
	}
}

// A reader that finished a shard and never reads on through an empty
// child leaves the grandchild's records unread (not merely pending).
func TestReaderStoppingAtAnEmptyChildLeavesGrandchildUnread(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	grandparent := f.shards()[0].ID
	f.putN(t, "p", 2)
	f.readFor(t, "k1", f.iterFor(t, "k1", grandparent, TrimHorizon, ""))
	parent, err := f.s.Rollover(grandparent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Rollover(parent, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	f.putN(t, "c", 3)
	if got, next := f.readFor(t, "k1", f.iterFor(t, "k1", grandparent, Latest, "")); len(got) != 0 || next != "" {
		t.Fatalf("the closed grandparent: %d records, next %q", len(got), next)
	}
	m := f.missed(t, "k1")
	if len(m) != 3 {
		t.Fatalf("missed %v, want the grandchild's 3 records", m)
	}
	for _, row := range m {
		if !strings.HasSuffix(row, " unread") {
			t.Errorf("row %q, want unread", row)
		}
	}
}

func TestDroppedRecordIsMissedByEveryConsumer(t *testing.T) {
	h := &scripted{plan: map[string]Decision{"a1": {Action: FaultDrop, Rule: "drop"}}}
	f, _ := newOracleFixture(t, 1, h)
	sh := f.shards()[0].ID
	f.iterFor(t, "k1", sh, TrimHorizon, "")
	f.putN(t, "a", 3)
	f.readFor(t, "k1", f.iterFor(t, "k1", sh, TrimHorizon, ""))
	f.readFor(t, "k2", f.iterFor(t, "k2", sh, TrimHorizon, "")) // met after the drop: still its loss
	for _, k := range []string{"k1", "k2"} {
		if m := f.missed(t, k); !slices.Equal(m, []string{"a1 dropped"}) {
			t.Errorf("%s missed %v", k, m)
		}
		if in := f.info(t, k); in.Missed[LossDropped] != 1 {
			t.Errorf("%s counts %v", k, in.Missed)
		}
	}
}

func TestTwoConsumersHaveIndependentReports(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	sh := f.shards()[0].ID
	f.putN(t, "a", 4)
	f.readFor(t, "fast", f.iterFor(t, "fast", sh, TrimHorizon, ""))
	p, err := f.s.ReadFor("slow", f.iterFor(t, "slow", sh, TrimHorizon, ""), 1, 1<<20, f.clk.Now())
	if err != nil || len(p.Records) != 1 {
		t.Fatalf("slow read %v %d", err, len(p.Records))
	}
	f.advance(t, 25*time.Hour)
	f.s.Advance(f.clk.Now())
	if m := f.missed(t, "fast"); len(m) != 0 {
		t.Errorf("fast missed %v", m)
	}
	if m := f.missed(t, "slow"); !slices.Equal(m, []string{"a1 trimmed", "a2 trimmed", "a3 trimmed"}) {
		t.Errorf("slow missed %v", m)
	}
}

func TestConsumerScopeStartsAtFirstContact(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	sh := f.shards()[0].ID
	f.putN(t, "old", 3)
	f.readFor(t, "late", f.iterFor(t, "late", sh, Latest, ""))
	f.putN(t, "new", 1)
	if m := f.missed(t, "late"); !slices.Equal(m, []string{"new0 pending"}) {
		t.Errorf("missed %v: records before a LATEST first contact are not its to miss", m)
	}
}

func TestMappingConsumerHandledAndDiscarded(t *testing.T) {
	f, _ := newOracleFixture(t, 1, nil)
	sh := f.shards()[0].ID
	f.s.Track("uuid-1", ConsumerMapping, TrimHorizon, f.clk.Now())
	f.putN(t, "a", 4)
	recs := f.read(t, f.iter(t, sh, TrimHorizon, "")).Records
	f.s.Handled("uuid-1", sh, recs[:2])
	f.s.Discarded("uuid-1", sh, recs[2:3])
	want := []string{"a2 discarded", "a3 pending"}
	if m := f.missed(t, "uuid-1"); !slices.Equal(m, want) {
		t.Errorf("missed %v, want %v", m, want)
	}
	in := f.info(t, "uuid-1")
	if in.Kind != ConsumerMapping || in.Missed[LossDiscarded] != 1 || in.Missed[LossPending] != 1 {
		t.Errorf("info %+v", in)
	}
	f.advance(t, 25*time.Hour)
	f.s.Advance(f.clk.Now())
	want = []string{"a2 discarded", "a3 trimmed"}
	if m := f.missed(t, "uuid-1"); !slices.Equal(m, want) {
		t.Errorf("after the trim: missed %v, want %v", m, want)
	}
}

func TestLedgerKeepsEveryChangeWithItsFate(t *testing.T) {
	h := &scripted{plan: map[string]Decision{"a1": {Action: FaultDrop}}}
	f, _ := newOracleFixture(t, 1, h)
	f.putN(t, "a", 3)
	f.advance(t, 25*time.Hour)
	f.s.Advance(f.clk.Now()) // retention does not touch the ledger
	p := f.reg.Ledger("T").Page(0, 10)
	if len(p.Changes) != 3 || p.More {
		t.Fatalf("ledger %+v", p)
	}
	for i, fate := range []string{FateStored, FateDropped, FateStored} {
		c := p.Changes[i]
		if c.Seq != uint64(i+1) || c.Fate != fate || c.KeysItem()["pk"].S != fmt.Sprintf("a%d", i) || !c.HasNewImage() {
			t.Errorf("change %d: %+v", i, c)
		}
	}
	if p2 := f.reg.Ledger("T").Page(p.Next, 10); len(p2.Changes) != 0 || p2.Next != 3 {
		t.Errorf("next page %+v", p2)
	}
}

func TestLedgerIsBounded(t *testing.T) {
	clkFix := newFixture(t, Options{LedgerSize: 2}, 1, KeysOnly)
	clkFix.putN(t, "a", 5)
	p := clkFix.reg.Ledger("T").Page(0, 10)
	if len(p.Changes) != 2 || p.Evicted != 3 || p.Changes[0].Seq != 4 {
		t.Errorf("ledger %+v", p)
	}
}

func TestConsumerStateDoesNotGrowWithRecordsRead(t *testing.T) {
	f, _ := newOracleFixture(t, 2, nil)
	for round := range 20 {
		f.putN(t, fmt.Sprintf("r%d-", round), 50)
		for _, sh := range f.shards() {
			f.readFor(t, "k1", f.iterFor(t, "k1", sh.ID, TrimHorizon, ""))
		}
	}
	c := f.s.cons["k1"]
	for id, cs := range c.shards {
		if len(cs.got) != 1 || len(cs.lost) != 0 {
			t.Errorf("shard %s: %d spans, %d losses after reading 1000 records in order, want 1 and 0", id, len(cs.got), len(cs.lost))
		}
	}
	if c.dups == 0 {
		t.Error("re-reading from TRIM_HORIZON counted no duplicates")
	}
}
