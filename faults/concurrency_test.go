package faults

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// TestConcurrentUse runs decisions, rule changes and journal reads at once
// (meaningful under -race) and then checks that every firing is journaled.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 3)
	ti.mustAdd(t,
		dropRule("drop", "orders", When{Probability: 0.3}),
		errorRule("err", "orders", "ThrottlingException", When{EveryNth: 4}),
		Rule{ID: "lat", Target: TargetAPI, Action: Action{Type: ActionLatency, Jitter: Duration(time.Millisecond)}},
		Rule{ID: "pb", Target: TargetAPI, Action: Action{Type: ActionPartialBatch, Fraction: 0.5}},
	)
	const workers, n = 4, 300
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range n {
				ti.DecideStream(record("orders", w*n+i))
				d := ti.DecideAPI(APIEvent{Operation: OpBatchWriteItem, Table: "orders"})
				if d.PartialBatch != nil {
					d.PartialBatch.Unprocessed("orders", Key{"pk": KeyS(strconv.Itoa(i))})
				}
			}
		})
	}
	wg.Go(func() {
		for i := range n {
			id := "tmp-" + strconv.Itoa(i)
			if _, err := ti.Add(dropRule(id, "other", When{})); err != nil {
				t.Error(err)
			}
			ti.List()
			ti.Journal(JournalQuery{RuleID: "drop", Limit: 10})
			if _, err := ti.Patch(id, RulePatch{Enabled: ptr(false)}); err != nil {
				t.Error(err)
			}
			if err := ti.Delete(id); err != nil {
				t.Error(err)
			}
			ti.RecordShardAction(ShardPause, "orders", "s")
		}
	})
	wg.Wait()

	entries := ti.allEntries(JournalQuery{})
	perRule := map[string]uint64{}
	for _, e := range entries {
		if e.Detail != "unprocessed item" {
			perRule[e.RuleID]++
		}
	}
	for _, st := range ti.List() {
		if st.Stats.Fired != perRule[st.ID] {
			t.Errorf("rule %s fired %d times, journaled %d", st.ID, st.Stats.Fired, perRule[st.ID])
		}
		if st.Stats.Matched != workers*n {
			t.Errorf("rule %s matched %d, want %d", st.ID, st.Stats.Matched, workers*n)
		}
	}
	if perRule[""] != n {
		t.Errorf("%d shard actions journaled, want %d", perRule[""], n)
	}
	for i := 1; i < len(entries); i++ {
		if entries[i].Seq != entries[i-1].Seq+1 {
			t.Fatalf("journal sequence gap at %d: %d after %d", i, entries[i].Seq, entries[i-1].Seq)
		}
	}
}
