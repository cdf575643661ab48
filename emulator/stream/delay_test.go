package stream

import (
	"slices"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

// wantIncreasing fails unless the records' sequence numbers increase.
func wantIncreasing(t *testing.T, recs []Record) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		if recs[i].SequenceNumber <= recs[i-1].SequenceNumber {
			t.Fatalf("sequence numbers do not increase: %v", seqs(recs))
		}
	}
}

func TestDelayHoldsOnlyTheItem(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Minute, Rule: "d1"}})
	id := f.shards()[0].ID
	f.put(t, nil, item("x", 1, "v", "1"))
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	a2 := f.put(t, item("a", 1, "v", "1"), item("a", 1, "v", "2")) // same item: waits behind
	b1 := f.put(t, nil, item("b", 1, "v", "1"))                    // other item: flows
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"x:1", "b:1"}) {
		t.Fatalf("before release read %v, want the other items", got)
	}
	if sh := f.shards()[0]; sh.Held != 2 || sh.Counters.Delayed != 1 || sh.Counters.Appended != 2 {
		t.Errorf("held %d, counters %+v; want 2 held, 1 delayed, 2 appended", sh.Held, sh.Counters)
	}
	after := f.iter(t, id, AfterSequenceNumber, b1.SequenceNumber) // a consumer's checkpoint
	latest := f.iter(t, id, Latest, "")
	f.advance(t, 59*time.Second)
	if again := f.read(t, p.Next); len(again.Records) != 0 {
		t.Fatalf("visible before the delay ended: %v", pksOf(again.Records))
	}
	f.advance(t, time.Second)
	for name, it := range map[string]string{"next": p.Next, "AFTER_SEQUENCE_NUMBER": after, "LATEST": latest} {
		got := f.read(t, it).Records
		if !slices.Equal(pksOf(got), []string{"a:1", "a:2"}) {
			t.Fatalf("%s iterator after release read %v", name, pksOf(got))
		}
	}
	all, _ := f.readAll(t)
	if !slices.Equal(all, []string{"x:1", "b:1", "a:1", "a:2"}) {
		t.Fatalf("shard after release %v", all)
	}
	rel := f.read(t, after).Records
	wantIncreasing(t, append([]Record{b1}, rel...))
	for i, orig := range []Record{a1, a2} {
		r := rel[i]
		if r.EventID != orig.EventID || !r.Created.Equal(orig.Created) || r.SequenceNumber == orig.SequenceNumber || r.ShardID != id {
			t.Errorf("released %+v, first appended as %+v: want the same event id and creation time, a new number", r, orig)
		}
	}
	if sh := f.shards()[0]; sh.Held != 0 || sh.Counters.Appended != 4 || sh.Counters.Delayed != 1 {
		t.Errorf("after release: held %d, counters %+v", sh.Held, sh.Counters)
	}
	// The record held behind a1 is reported as it is held and as it is
	// released, each release with the new and the original number.
	wantNotes(t, h.notes,
		note("d1", OutcomeHeldBehind, a2, "")+"held behind delayed record "+a1.EventID+" (first appended to "+id+" as "+a1.SequenceNumber+")",
		note("d1", OutcomeReleased, rel[0], a1.SequenceNumber)+"released after 1m0s: appended to "+id+" as "+rel[0].SequenceNumber,
		note("d1", OutcomeReleased, rel[1], a2.SequenceNumber)+"released after waiting behind delayed record "+a1.EventID)
}

func TestDelayedItemsReleaseIndependently(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{
		"a": {Action: FaultDelay, Delay: 2 * time.Minute},
		"b": {Action: FaultDelay, Delay: time.Minute},
	})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.put(t, nil, item("b", 1, "v", "1"))
	f.put(t, item("b", 1, "v", "1"), item("b", 1, "v", "2"))
	f.advance(t, time.Minute)
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"b:1", "b:2"}) {
		t.Fatalf("after 1m read %v", got)
	}
	f.put(t, nil, item("a", 2, "v", "1")) // another item (sort key) of the same partition
	f.advance(t, time.Minute)
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"b:1", "b:2", "a:1", "a:1"}) {
		t.Fatalf("after 2m read %v", got)
	}
}

func TestDelayAcrossSplitReleasesIntoTheChild(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Minute}})
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	parent := f.shards()[0].ID
	kids, err := f.s.Split(parent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	owner := kids[0]
	if f.shards()[2].HashLo <= a1.Hash {
		owner = kids[1]
	}
	a2 := f.put(t, item("a", 1, "v", "1"), item("a", 1, "v", "2"))
	if a2.ShardID != owner {
		t.Fatalf("the item's next record went to %s, want %s", a2.ShardID, owner)
	}
	p := f.read(t, f.iter(t, parent, TrimHorizon, ""))
	if len(p.Records) != 0 || p.Next != "" {
		t.Fatalf("closed parent: %v, next %q; want empty and finished", pksOf(p.Records), p.Next)
	}
	c := f.read(t, f.iter(t, owner, TrimHorizon, ""))
	if len(c.Records) != 0 {
		t.Fatalf("child delivered %v before the item's delayed record", pksOf(c.Records))
	}
	for _, sh := range f.shards() {
		if want := map[bool]int{true: 2, false: 0}[sh.ID == owner]; sh.Held != want {
			t.Errorf("%s held %d, want %d", sh.ID, sh.Held, want)
		}
	}
	f.advance(t, time.Minute)
	got := f.read(t, c.Next).Records
	if !slices.Equal(pksOf(got), []string{"a:1", "a:2"}) || got[0].ShardID != owner || got[0].EventID != a1.EventID {
		t.Fatalf("child after release %v", got)
	}
	wantIncreasing(t, got)
}

func TestDelayAcrossRolloverOtherItemsFlow(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Minute}})
	f.put(t, nil, item("a", 1, "v", "1"))
	child, err := f.s.Rollover(f.shards()[0].ID, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, item("a", 1, "v", "1"), item("a", 1, "v", "2"))
	f.put(t, nil, item("b", 1, "v", "1"))
	p := f.read(t, f.iter(t, child, TrimHorizon, ""))
	if !slices.Equal(pksOf(p.Records), []string{"b:1"}) {
		t.Fatalf("child delivered %v, want the other item only", pksOf(p.Records))
	}
	f.advance(t, time.Minute)
	if got := pksOf(f.read(t, p.Next).Records); !slices.Equal(got, []string{"a:1", "a:2"}) {
		t.Fatalf("child after release %v", got)
	}
}

func TestHoldShardHoldsEveryLaterRecordOfTheRange(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Minute, HoldShard: true}})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.put(t, nil, item("b", 1, "v", "1"))
	parent := f.shards()[0].ID
	child, err := f.s.Rollover(parent, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.put(t, nil, item("c", 1, "v", "1"))
	shards := f.shards()
	if shards[0].Held != 0 || shards[1].ID != child || shards[1].Held != 3 {
		t.Fatalf("held %d and %d, want 0 and 3 (all bound for the child)", shards[0].Held, shards[1].Held)
	}
	if p := f.read(t, f.iter(t, child, TrimHorizon, "")); len(p.Records) != 0 {
		t.Fatalf("child delivered %v while the range is held", pksOf(p.Records))
	}
	f.advance(t, time.Minute)
	got := f.read(t, f.iter(t, child, TrimHorizon, "")).Records
	if !slices.Equal(pksOf(got), []string{"a:1", "b:1", "c:1"}) {
		t.Fatalf("child after release %v", pksOf(got))
	}
	wantIncreasing(t, got)
}

// otherPartition returns a partition key whose hash falls in the other
// half of a two-partition stream than pk's.
func otherPartition(t *testing.T, pk string) string {
	t.Helper()
	half := func(s string) bool { return attr.PartitionHash(attr.Str(s)) >= 1<<63 }
	for _, c := range []string{"b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} {
		if half(c) != half(pk) {
			return c
		}
	}
	t.Fatal("no key in the other partition")
	return ""
}

func TestHoldShardLeavesOtherShardsAlone(t *testing.T) {
	h := &scripted{plan: map[string]Decision{"a": {Action: FaultDelay, Delay: time.Minute, HoldShard: true}}}
	f := newFixture(t, Options{Hook: h}, 2, NewImage)
	other := otherPartition(t, "a")
	ra := f.put(t, nil, item("a", 1, "v", "1"))
	ro := f.put(t, nil, item(other, 1, "v", "1"))
	if got := pksOf(f.read(t, f.iter(t, ro.ShardID, TrimHorizon, "")).Records); !slices.Equal(got, []string{other + ":1"}) {
		t.Fatalf("other shard read %v", got)
	}
	if got := f.read(t, f.iter(t, ra.ShardID, TrimHorizon, "")).Records; len(got) != 0 {
		t.Fatalf("held shard read %v", pksOf(got))
	}
}

func TestDelayedRecordsReleasedOnResetAndDisable(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{
		"a": {Action: FaultDelay, Delay: time.Hour, HoldShard: true},
		"c": {Action: FaultDelay, Delay: time.Hour},
	})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.put(t, nil, item("b", 1, "v", "1"))
	f.reg.ReleaseFaults()
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1", "b:1"}) {
		t.Fatalf("after reset %v", got)
	}
	f.put(t, nil, item("c", 1, "v", "1"))
	f.put(t, item("c", 1, "v", "1"), item("c", 1, "v", "2"))
	f.s.Disable(f.clk.Now())
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "b:1", "c:1", "c:2"}) || p.Next != "" {
		t.Fatalf("disabled stream read %v, next %q", got, p.Next)
	}
	wantIncreasing(t, p.Records)
	sh := f.shards()[0]
	if sh.Held != 0 || sh.End != p.Records[3].SequenceNumber {
		t.Errorf("closed shard held %d, end %s; want 0 and the last released record's number", sh.Held, sh.End)
	}
}

func TestReleasedRecordKeepsRetentionFromItsRelease(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Hour}})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.advance(t, time.Hour)
	f.put(t, nil, item("b", 1, "v", "1"))
	f.advance(t, 23*time.Hour+30*time.Minute) // a:1 is 24h30m old, in the shard for 23h30m
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1", "b:1"}) {
		t.Fatalf("read %v", got)
	}
	f.advance(t, 30*time.Minute)
	if got, _ := f.readAll(t); len(got) != 0 {
		t.Fatalf("after retention read %v", got)
	}
}

func TestLaterActionsOfAWaitingRecordHappenAtRelease(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{
		"a": {Action: FaultDelay, Delay: time.Minute, HoldShard: true, Rule: "d"},
		"b": {Action: FaultDuplicate, Rule: "dup"},
		"c": {Action: FaultDrop, Rule: "drop"},
	})
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	b1 := f.put(t, nil, item("b", 1, "v", "1"))
	f.put(t, nil, item("c", 1, "v", "1"))
	f.advance(t, time.Minute)
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "b:1", "b:1"}) {
		t.Fatalf("read %v", got)
	}
	// b is reported under the delay it waited behind; its own duplicate
	// is the hook's decision (journaled by the fault layer as it decided).
	wantNotes(t, h.notes,
		note("d", OutcomeHeldBehind, b1, "")+"held behind delayed record "+a1.EventID,
		note("d", OutcomeReleased, p.Records[0], a1.SequenceNumber)+"released after 1m0s",
		note("d", OutcomeReleased, p.Records[1], b1.SequenceNumber)+"released after waiting behind delayed record "+a1.EventID+": appended to "+
			p.Records[1].ShardID+" as "+p.Records[1].SequenceNumber)
}

func TestDelayEndsAPendingReorderOfTheItem(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{"a": {Action: FaultReorder, Rule: "r"}})
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	h.plan["a"] = Decision{Action: FaultDelay, Delay: time.Minute, Rule: "d"}
	a2 := f.put(t, item("a", 1, "v", "1"), item("a", 1, "v", "2"))
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1"}) {
		t.Fatalf("read %v", got)
	}
	wantNotes(t, h.notes, note("r", OutcomeReleasedInPlace, a1, "")+"released in place: the next record of the item was delayed")
	f.advance(t, time.Minute)
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "a:2"}) {
		t.Fatalf("after release %v", got)
	}
	wantNotes(t, h.notes[1:], note("d", OutcomeReleased, p.Records[1], a2.SequenceNumber))
}

// TestNewestIsTheLatestCreationAfterARelease: a released record keeps its
// creation time, so the shard's newest record is not simply its last one.
func TestNewestIsTheLatestCreationAfterARelease(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Minute, Rule: "d1"}})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.advance(t, 30*time.Second)
	b := f.put(t, nil, item("b", 1, "v", "1"))
	f.advance(t, 30*time.Second) // releases a, created 30 s before b
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"b:1", "a:1"}) {
		t.Fatalf("shard holds %v, want b then the released a", got)
	}
	if sh := f.shards()[0]; !sh.Newest.Equal(b.Created) {
		t.Errorf("Newest = %v, want b's creation time %v", sh.Newest, b.Created)
	}
}

// TestHoldShardNotesEveryHeldRecord: records of other items held behind a
// holdShard delay are each reported as held (under the delay's rule, at
// the number they leave unused) and as released with both numbers; a
// second delay ahead makes the newest one their cause.
func TestHoldShardNotesEveryHeldRecord(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{
		"a": {Action: FaultDelay, Delay: time.Minute, HoldShard: true, Rule: "hold"},
		"c": {Action: FaultDelay, Delay: time.Minute, Rule: "late"},
	})
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	b1 := f.put(t, nil, item("b", 1, "v", "1"))
	c1 := f.put(t, nil, item("c", 1, "v", "1")) // delayed by its own rule, behind the hold too
	c2 := f.put(t, item("c", 1, "v", "1"), item("c", 1, "v", "2"))
	wantNotes(t, h.notes,
		note("hold", OutcomeHeldBehind, b1, "")+"held behind delayed record "+a1.EventID,
		note("late", OutcomeHeldBehind, c2, "")+"held behind delayed record "+c1.EventID)
	f.advance(t, time.Minute)
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "b:1", "c:1", "c:2"}) {
		t.Fatalf("read %v", got)
	}
	orig := []Record{a1, b1, c1, c2}
	rules := []string{"hold", "hold", "late", "late"}
	want := make([]string, len(orig))
	for i, r := range p.Records {
		want[i] = note(rules[i], OutcomeReleased, r, orig[i].SequenceNumber)
	}
	wantNotes(t, h.notes[2:], want...)
}

// TestReleaseFaultsNotesAWaitingReorder: releasing the faults (a reset)
// makes a record waiting for its reorder partner readable in place, and
// says so.
func TestReleaseFaultsNotesAWaitingReorder(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{"a": {Action: FaultReorder, Rule: "r"}})
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	f.s.ReleaseFaults()
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1"}) {
		t.Fatalf("read %v", got)
	}
	wantNotes(t, h.notes, note("r", OutcomeReleasedInPlace, a1, "")+"released in place: the faults were released")
}
