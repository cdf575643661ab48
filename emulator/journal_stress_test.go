package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dynafault/dynafault/faults"
)

// streamRec is one record as a consumer reads it.
type streamRec struct {
	eventID, seq, shard, pk string
	v                       int
}

// TestJournalNamesEveryMovedRecord writes many items from concurrent
// clients under small-probability drop, delay (one holding the shard) and
// reorder rules while the clock moves, releases everything, then compares
// the stream with the journal record by record: every number a record
// left unused is journaled (a drop, a delay, a record held behind one) and
// every record readable at another number than its first one has a chain
// of journal entries from that number to where it is.
func TestJournalNamesEveryMovedRecord(t *testing.T) {
	if testing.Short() {
		t.Skip("stress test")
	}
	rules, err := faults.ParseRules([]byte(`[
		{"id":"drop","target":"stream","match":{"table":"orders"},"action":{"type":"drop"},"when":{"probability":0.005}},
		{"id":"hold","target":"stream","match":{"table":"orders"},"action":{"type":"delay","for":"PT30S","holdShard":true},"when":{"probability":0.003}},
		{"id":"delay","target":"stream","match":{"table":"orders"},"action":{"type":"delay","for":"PT1M"},"when":{"probability":0.02}},
		{"id":"swap","target":"stream","match":{"table":"orders"},"action":{"type":"reorder"},"when":{"probability":0.01}}]`))
	if err != nil {
		t.Fatal(err)
	}
	e, c := newFaultEmulator(t, Options{Seed: 42, Rules: rules, StreamShards: 2})
	const writers, perWriter, items = 8, 500, 20
	writes := writeConcurrently(t, c, writers, perWriter, items)

	// Two minutes end every delay; a released record the reorder rule
	// holds for a partner waits up to a minute more.
	for range 2 {
		if code, body := c.admin(http.MethodPost, "/_admin/clock", `{"advance":"2m"}`); code != http.StatusOK {
			t.Fatalf("clock: %d %s", code, body)
		}
	}
	if n := heldRecords(t, c); n != 0 {
		t.Fatalf("%d records still held", n)
	}
	recs, starts := readWholeStream(c)
	journal := wholeJournal(e)
	fired := map[string]int{}
	for _, en := range journal {
		if en.Kind == faults.KindFiring {
			fired[en.RuleID]++
		}
	}
	for _, id := range []string{"drop", "hold", "delay", "swap"} {
		if fired[id] == 0 {
			t.Fatalf("rule %s never fired (%v): the test shows nothing", id, fired)
		}
	}
	if want := writes - fired["drop"]; len(recs) != want {
		t.Errorf("%d records for %d writes and %d drops, want %d", len(recs), writes, fired["drop"], want)
	}
	checkGaps(t, recs, starts, journal)
	checkHeldInPlace(t, recs, journal)
	moved := checkRenumbered(t, recs, journal)
	t.Logf("%d writes, firings %v, %d journal entries, %d records renumbered", writes, fired, len(journal), moved)
}

// writeConcurrently has writers goroutines put perWriter items each, each
// writer to items items of its own ("w<writer>-<i>") with increasing v,
// moving the clock 5 s every 40 writes of the first writer so that delays
// end while writes go on. It returns the number of writes.
func writeConcurrently(t *testing.T, c client, writers, perWriter, items int) int {
	t.Helper()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				body := fmt.Sprintf(`{"TableName":"orders","Item":{"pk":{"S":"w%d-%d"},"v":{"N":"%d"}}}`, w, i%items, i)
				if code, out := c.op("PutItem", body); code != http.StatusOK {
					t.Errorf("PutItem: %d %v", code, out)
					return
				}
				if w == 0 && i%40 == 39 {
					if code, body := c.admin(http.MethodPost, "/_admin/clock", `{"advance":"5s"}`); code != http.StatusOK {
						t.Errorf("clock: %d %s", code, body)
					}
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	return writers * perWriter
}

// readWholeStream reads every shard of the orders stream from TRIM_HORIZON
// to its end and returns the records and the shards' starting numbers.
func readWholeStream(c client) ([]streamRec, map[string]bool) {
	arn := c.ok("DescribeTable", `{"TableName":"orders"}`)["Table"].(map[string]any)["LatestStreamArn"].(string)
	desc := c.ok("Streams.DescribeStream", `{"StreamArn":"`+arn+`"}`)["StreamDescription"].(map[string]any)
	var out []streamRec
	starts := map[string]bool{}
	for _, s := range desc["Shards"].([]any) {
		sh := s.(map[string]any)
		id := sh["ShardId"].(string)
		starts[sh["SequenceNumberRange"].(map[string]any)["StartingSequenceNumber"].(string)] = true
		it, _ := c.ok("Streams.GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+id+`","ShardIteratorType":"TRIM_HORIZON"}`)["ShardIterator"].(string)
		for it != "" {
			page := c.ok("Streams.GetRecords", `{"ShardIterator":"`+it+`"}`)
			for _, x := range page["Records"].([]any) {
				r := x.(map[string]any)
				d := r["dynamodb"].(map[string]any)
				img := d["NewImage"].(map[string]any)
				v, _ := strconv.Atoi(img["v"].(map[string]any)["N"].(string))
				out = append(out, streamRec{eventID: r["eventID"].(string), seq: d["SequenceNumber"].(string), shard: id,
					pk: img["pk"].(map[string]any)["S"].(string), v: v})
			}
			it, _ = page["NextShardIterator"].(string)
			if len(page["Records"].([]any)) == 0 {
				break // an open shard read to its end
			}
		}
	}
	return out, starts
}

// heldRecords sums the held records of the orders stream's shards from the
// admin stream status.
func heldRecords(t *testing.T, c client) int {
	t.Helper()
	_, body := c.admin(http.MethodGet, "/_admin/streams/orders", "")
	var st struct {
		Streams []struct{ Shards []struct{ Held int } }
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatalf("stream status %s: %v", body, err)
	}
	n := 0
	for _, s := range st.Streams {
		for _, sh := range s.Shards {
			n += sh.Held
		}
	}
	return n
}

// wholeJournal pages through the journal.
func wholeJournal(e *Emulator) []faults.Entry {
	var all []faults.Entry
	q := faults.JournalQuery{Limit: faults.MaxPageLimit}
	for {
		p := e.Faults().Journal(q)
		all = append(all, p.Entries...)
		if !p.More {
			return all
		}
		q.After = p.Next
	}
}

// checkGaps checks that every sequence number up to the highest one that
// no record carries is a shard's starting number or journaled as the
// number a record left: a drop or delay firing, or a record held behind a
// delay; and that each record taken out of the sequence came back
// (a released entry from that number).
func checkGaps(t *testing.T, recs []streamRec, starts map[string]bool, journal []faults.Entry) {
	t.Helper()
	seen := map[string]bool{}
	var top uint64
	for _, r := range recs {
		seen[r.seq] = true
		top = max(top, seqCounter(t, r.seq))
	}
	left := map[string]faults.Entry{} // numbers records left, by the entry saying so
	released := map[string]bool{}     // original numbers of released records
	for _, en := range journal {
		switch {
		case en.Kind == faults.KindFiring && (en.Action == faults.ActionDrop || en.Action == faults.ActionDelay),
			en.Outcome == faults.OutcomeHeldBehind:
			left[en.SequenceNumber] = en
		case en.Outcome == faults.OutcomeReleased:
			released[en.OriginalSequenceNumber] = true
		}
	}
	for n := uint64(1); n <= top; n++ {
		seq := fmt.Sprintf("4%020d", n)
		if seen[seq] || starts[seq] {
			continue
		}
		if _, ok := left[seq]; !ok {
			t.Errorf("sequence number %s is unused and no journal entry names it", seq)
		}
	}
	for seq, en := range left {
		if en.Action != faults.ActionDrop && !released[seq] {
			t.Errorf("record %s left %s (%s %s) and no release entry names it", en.EventID, seq, en.RuleID, en.Outcome)
		}
	}
}

// checkRenumbered checks that every record readable at another number than
// the one it was first appended with (its event id ends with that counter)
// is reached from it through journal entries (released or swapped, each
// from an original number to a new one), and that no such entry names a
// place where its record is not. It also checks per-item order for the
// items no swap touched, and returns how many records were renumbered.
func checkRenumbered(t *testing.T, recs []streamRec, journal []faults.Entry) int {
	t.Helper()
	moves := map[string]map[string]faults.Entry{} // event id -> original number -> entry
	swapped := map[string]bool{}                  // items with a swap
	for _, en := range journal {
		if en.OriginalSequenceNumber == "" {
			continue
		}
		if moves[en.EventID] == nil {
			moves[en.EventID] = map[string]faults.Entry{}
		}
		moves[en.EventID][en.OriginalSequenceNumber] = en
		if en.Outcome == faults.OutcomeSwapped {
			swapped[en.Keys["pk"].Value] = true
		}
	}
	renumbered := 0
	for _, r := range recs {
		first, err := strconv.ParseUint(r.eventID[16:], 16, 64)
		if err != nil {
			t.Fatalf("event id %s: %v", r.eventID, err)
		}
		at, used := fmt.Sprintf("4%020d", first), 0
		for at != r.seq {
			en, ok := moves[r.eventID][at]
			if !ok {
				t.Errorf("record %s (%s) is at %s in %s but no journal entry moves it from %s", r.eventID, r.pk, r.seq, r.shard, at)
				break
			}
			at, used = en.SequenceNumber, used+1
		}
		if at == r.seq && used != len(moves[r.eventID]) {
			t.Errorf("record %s: %d journal entries move it, %d lead to where it is", r.eventID, len(moves[r.eventID]), used)
		}
		if used > 0 {
			renumbered++
		}
	}
	wantItemOrder(t, recs, swapped)
	return renumbered
}

// wantItemOrder checks that each item's records, in sequence-number order,
// carry increasing values, except for items a swap reordered on purpose.
func wantItemOrder(t *testing.T, recs []streamRec, skip map[string]bool) {
	t.Helper()
	byItem := map[string][]streamRec{}
	for _, r := range recs {
		byItem[r.pk] = append(byItem[r.pk], r)
	}
	for pk, rs := range byItem {
		if skip[pk] {
			continue
		}
		slices.SortFunc(rs, func(a, b streamRec) int { return strings.Compare(a.seq, b.seq) })
		for i := 1; i < len(rs); i++ {
			if rs[i].v < rs[i-1].v {
				t.Errorf("item %s: v %d at %s after v %d at %s", pk, rs[i].v, rs[i].seq, rs[i-1].v, rs[i-1].seq)
			}
		}
	}
}

// seqCounter is the counter value of a sequence number of this server.
func seqCounter(t *testing.T, seq string) uint64 {
	t.Helper()
	n, err := strconv.ParseUint(seq[1:], 10, 64)
	if err != nil {
		t.Fatalf("sequence number %s: %v", seq, err)
	}
	return n
}

// checkHeldInPlace checks the records held unreadable behind a reordered
// one: there are some (with 1% reorders over 4,000 writes on two shards),
// and each entry names a record the stream has at that number with that
// event id, or one that was swapped away from it later.
func checkHeldInPlace(t *testing.T, recs []streamRec, journal []faults.Entry) {
	t.Helper()
	at := map[string]string{} // sequence number -> event id
	for _, r := range recs {
		at[r.seq] = r.eventID
	}
	swappedFrom := map[string]string{} // original number -> event id
	for _, en := range journal {
		if en.Outcome == faults.OutcomeSwapped {
			swappedFrom[en.OriginalSequenceNumber] = en.EventID
		}
	}
	n := 0
	for _, en := range journal {
		if en.Outcome != faults.OutcomeHeldInPlace {
			continue
		}
		n++
		if en.RuleID != "swap" || en.Action != faults.ActionReorder {
			t.Errorf("heldInPlace entry %d follows %s/%s, want the reorder rule", en.Seq, en.RuleID, en.Action)
		}
		if at[en.SequenceNumber] != en.EventID && swappedFrom[en.SequenceNumber] != en.EventID {
			t.Errorf("heldInPlace entry %d names %s at %s: the stream has %q there", en.Seq, en.EventID, en.SequenceNumber, at[en.SequenceNumber])
		}
	}
	if n == 0 {
		t.Error("no record was held in place behind a reordered one: the test shows nothing")
	}
}
