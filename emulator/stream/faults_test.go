package stream

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// scripted is a Hook that decides by the record's partition key and new
// value of v ("pk:v"), or else by its partition key, once per key (the
// first record of that key), and records every call.
type scripted struct {
	plan    map[string]Decision
	decided []string // "pk action"
	notes   []string // "rule outcome eventID seq[<-original] detail"
}

func (h *scripted) Decide(_ *Stream, r Record) Decision {
	pk := r.KeysItem()["pk"].S
	key := pk + ":" + r.NewItem()["v"].S
	if _, ok := h.plan[key]; !ok {
		key = pk
	}
	d, ok := h.plan[key]
	if ok {
		delete(h.plan, key)
	}
	h.decided = append(h.decided, pk+" "+d.Action)
	return d
}

func (h *scripted) Note(_ *Stream, f FollowUp) {
	seq := f.Record.SequenceNumber
	if f.OriginalSequenceNumber != "" {
		seq += "<-" + f.OriginalSequenceNumber
	}
	h.notes = append(h.notes, f.Decision.Rule+" "+f.Outcome+" "+f.Record.EventID+" "+seq+" "+f.Detail)
}

// note is the prefix of a note of scripted: the rule, the outcome, the
// event id and sequence number of r and, when renumbered, the original.
func note(rule, outcome string, r Record, original string) string {
	seq := r.SequenceNumber
	if original != "" {
		seq += "<-" + original
	}
	return rule + " " + outcome + " " + r.EventID + " " + seq + " "
}

// wantNotes checks that the notes start with the prefixes, in order.
func wantNotes(t *testing.T, notes []string, prefixes ...string) {
	t.Helper()
	ok := len(notes) == len(prefixes)
	for i := 0; ok && i < len(notes); i++ {
		ok = strings.HasPrefix(notes[i], prefixes[i])
	}
	if !ok {
		t.Errorf("notes:\n  %s\nwant prefixes:\n  %s", strings.Join(notes, "\n  "), strings.Join(prefixes, "\n  "))
	}
}

// newFaultFixture is a one-shard fixture with the hook.
func newFaultFixture(t *testing.T, plan map[string]Decision) (*fixture, *scripted) {
	t.Helper()
	h := &scripted{plan: plan}
	return newFixture(t, Options{Hook: h}, 1, NewImage), h
}

// readAll reads the only shard from TRIM_HORIZON and returns the pks and
// the next iterator.
func (f *fixture) readAll(t *testing.T) ([]string, Page) {
	t.Helper()
	p := f.read(t, f.iter(t, f.shards()[0].ID, TrimHorizon, ""))
	return pksOf(p.Records), p
}

func pksOf(recs []Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.KeysItem()["pk"].S + ":" + r.NewItem()["v"].S
	}
	return out
}

func TestDropLeavesAGap(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{"b": {Action: FaultDrop}})
	ra := f.put(t, nil, item("a", 1, "v", "1"))
	rb := f.put(t, nil, item("b", 1, "v", "1"))
	rc := f.put(t, nil, item("c", 1, "v", "1"))
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "c:1"}) {
		t.Fatalf("read %v", got)
	}
	if !(ra.SequenceNumber < rb.SequenceNumber && rb.SequenceNumber < rc.SequenceNumber) || p.Records[1].SequenceNumber != rc.SequenceNumber {
		t.Errorf("dropped record should consume its number: %s %s %s", ra.SequenceNumber, rb.SequenceNumber, rc.SequenceNumber)
	}
	c := f.shards()[0].Counters
	if c.Appended != 2 || c.Dropped != 1 {
		t.Errorf("counters %+v", c)
	}
	if len(h.decided) != 3 {
		t.Errorf("decided %v", h.decided)
	}
}

func TestDuplicateDeliversTheSameRecordTwice(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"b": {Action: FaultDuplicate}})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.put(t, nil, item("b", 1, "v", "1"))
	f.put(t, nil, item("c", 1, "v", "1"))
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "b:1", "b:1", "c:1"}) {
		t.Fatalf("read %v", got)
	}
	if p.Records[1].EventID != p.Records[2].EventID || p.Records[1].SequenceNumber != p.Records[2].SequenceNumber {
		t.Errorf("the copies differ: %+v %+v", p.Records[1], p.Records[2])
	}
	// Limit never splits the pair: a page ends before it, or carries both.
	it := f.iter(t, f.shards()[0].ID, TrimHorizon, "")
	var pages [][]string
	for range 3 {
		pg, err := f.s.Read(it, 2, 1<<20, f.clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, pksOf(pg.Records))
		it = pg.Next
	}
	want := [][]string{{"a:1"}, {"b:1", "b:1"}, {"c:1"}}
	if !slices.EqualFunc(pages, want, slices.Equal) {
		t.Errorf("pages of 2: %v, want %v", pages, want)
	}
	if c := f.shards()[0].Counters; c.Appended != 3 || c.Delivered != 8 {
		t.Errorf("counters %+v", c)
	}
}

func TestReorderSwapsWithTheNextRecordOfTheItem(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{"a": {Action: FaultReorder, Rule: "r1"}})
	a1 := f.put(t, nil, item("a", 1, "v", "1"))
	b1 := f.put(t, nil, item("b", 1, "v", "1"))
	if got, _ := f.readAll(t); len(got) != 0 {
		t.Fatalf("reordered record visible before its partner: %v", got)
	}
	a2 := f.put(t, item("a", 1, "v", "1"), item("a", 1, "v", "2"))
	got, p := f.readAll(t)
	if !slices.Equal(got, []string{"a:2", "b:1", "a:1"}) {
		t.Fatalf("read %v, want the item's records swapped", got)
	}
	if p.Records[0].EventID != a2.EventID || p.Records[0].SequenceNumber != a1.SequenceNumber ||
		p.Records[2].EventID != a1.EventID || p.Records[2].SequenceNumber != a2.SequenceNumber {
		t.Errorf("swap moved changes wrongly: %+v", p.Records)
	}
	// Both changes moved: each is reported where it is now, with its slot.
	moved1, moved2 := a1, a2
	moved1.SequenceNumber, moved2.SequenceNumber = a2.SequenceNumber, a1.SequenceNumber
	// b:1 waited behind a:1 at its own number: it has an entry too.
	wantNotes(t, h.notes,
		note("r1", OutcomeHeldInPlace, b1, "")+"held in place behind record "+a1.EventID+" ("+a1.SequenceNumber+" in ",
		note("r1", OutcomeSwapped, moved1, a1.SequenceNumber)+"swapped with the next record of the item: eventID "+a1.EventID,
		note("r1", OutcomeSwapped, moved2, a2.SequenceNumber)+"swapped")
}

// A record released from a delay while the holds of a finished reorder
// are still registered is not held behind them: the holds end first. Here
// a:1 and a:2 are both reordered (a:1 is released in place, a:2 waits
// behind it), a:3 swaps with a:2, and then b:1 comes out of its delay.
func TestDelayedRecordIsNotHeldBehindAFinishedReorder(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{
		"a:1": {Action: FaultReorder, Rule: "r1"},
		"a:2": {Action: FaultReorder, Rule: "r2"},
		"b":   {Action: FaultDelay, Delay: 10 * time.Second, Rule: "d1"},
	})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.put(t, item("a", 1, "v", "1"), item("a", 1, "v", "2"))
	b1ID := f.put(t, nil, item("b", 1, "v", "1")).EventID
	f.put(t, item("a", 1, "v", "2"), item("a", 1, "v", "3"))
	f.advance(t, 10*time.Second)
	got, _ := f.readAll(t)
	if !slices.Equal(got, []string{"a:1", "a:3", "a:2", "b:1"}) {
		t.Fatalf("read %v", got)
	}
	for _, n := range h.notes {
		if strings.HasPrefix(n, " ") {
			t.Errorf("a note names no rule: %s", n)
		}
		if strings.Contains(n, " "+OutcomeHeldInPlace+" "+b1ID+" ") {
			t.Errorf("b:1 is reported held in place behind records that were free: %s", n)
		}
	}
	if !slices.ContainsFunc(h.notes, func(n string) bool { return strings.HasPrefix(n, "d1 "+OutcomeReleased+" ") }) {
		t.Errorf("no release of b:1 in %q", h.notes)
	}
}

func TestReorderWithoutPartnerIsReleasedInPlace(t *testing.T) {
	f, h := newFaultFixture(t, map[string]Decision{"a": {Action: FaultReorder, Rule: "r1"}})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.advance(t, ReorderWait)
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1"}) {
		t.Fatalf("read %v", got)
	}
	wantNotes(t, h.notes, "r1 "+OutcomeReleasedInPlace+" ")
	if !strings.Contains(h.notes[0], "no later record of the item within 1m0s") {
		t.Errorf("note %q", h.notes[0])
	}
	// On rollover the wait ends too.
	f.put(t, nil, item("b", 1, "v", "1"))
	h.plan["c"] = Decision{Action: FaultReorder, Rule: "r2"}
	f.put(t, nil, item("c", 1, "v", "1"))
	if _, err := f.s.Rollover(f.shards()[0].ID, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1", "b:1", "c:1"}) {
		t.Fatalf("after rollover read %v", got)
	}
	if len(h.notes) != 2 || !strings.HasPrefix(h.notes[1], "r2 "+OutcomeReleasedInPlace+" ") || !strings.Contains(h.notes[1], "shard closed") {
		t.Errorf("notes %q", h.notes)
	}
}

func TestPauseAndResume(t *testing.T) {
	f, _ := newFaultFixture(t, nil)
	id := f.shards()[0].ID
	f.put(t, nil, item("a", 1, "v", "1"))
	it := f.iter(t, id, TrimHorizon, "")
	if err := f.s.Pause(id); err != nil {
		t.Fatal(err)
	}
	p := f.read(t, it)
	if len(p.Records) != 0 || p.Next == "" {
		t.Fatalf("paused read %v next %q", pksOf(p.Records), p.Next)
	}
	f.put(t, nil, item("b", 1, "v", "1"))
	p = f.read(t, p.Next)
	if len(p.Records) != 0 || !f.shards()[0].Paused {
		t.Fatal("paused shard delivered")
	}
	if err := f.s.Resume(id); err != nil {
		t.Fatal(err)
	}
	if got := pksOf(f.read(t, p.Next).Records); !slices.Equal(got, []string{"a:1", "b:1"}) {
		t.Fatalf("after resume %v", got)
	}
	if err := f.s.Pause("shardId-nope"); err != ErrShardNotFound {
		t.Errorf("Pause(unknown) = %v", err)
	}
}

func TestReleaseFaultsReleasesEverything(t *testing.T) {
	f, _ := newFaultFixture(t, map[string]Decision{"a": {Action: FaultDelay, Delay: time.Hour, HoldShard: true}})
	f.put(t, nil, item("a", 1, "v", "1"))
	f.put(t, nil, item("b", 1, "v", "1"))
	if err := f.s.Pause(f.shards()[0].ID); err != nil {
		t.Fatal(err)
	}
	f.reg.ReleaseFaults()
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"a:1", "b:1"}) {
		t.Fatalf("after release %v", got)
	}
	if sh := f.shards()[0]; sh.Held != 0 || sh.Paused {
		t.Errorf("shard %+v", sh)
	}
}

func TestTrimBefore(t *testing.T) {
	f, _ := newFaultFixture(t, nil)
	f.put(t, nil, item("a", 1, "v", "1"))
	rb := f.put(t, nil, item("b", 1, "v", "1"))
	n, err := f.s.TrimBefore(rb.SequenceNumber, f.clk.Now())
	if err != nil || n != 1 {
		t.Fatalf("TrimBefore = %d, %v", n, err)
	}
	if got, _ := f.readAll(t); !slices.Equal(got, []string{"b:1"}) {
		t.Fatalf("read %v", got)
	}
	if _, err := f.s.TrimBefore("12", f.clk.Now()); err != ErrBadSequenceNumber {
		t.Errorf("TrimBefore(bad) = %v", err)
	}
}
