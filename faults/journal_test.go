package faults

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// journalFixture journals 30 firings: rule "a" on orders (odd records),
// rule "b" on users-1 (every record).
func journalFixture(t *testing.T, limit int) *testInjector {
	t.Helper()
	ti := newTestInjector(t, 1)
	ti.Injector = New(Options{Now: ti.virtual.Now, WallNow: ti.wall.Now, JournalLimit: limit})
	ti.mustAdd(t, dropRule("a", "orders", When{EveryNth: 2}), dropRule("b", "users-*", When{}))
	for i := 1; i <= 20; i++ {
		ti.DecideStream(record("orders", i))
	}
	for i := 1; i <= 20; i++ {
		ti.DecideStream(record("users-1", i))
	}
	return ti
}

func TestJournalPaging(t *testing.T) {
	t.Parallel()
	ti := journalFixture(t, 0)
	p := ti.Journal(JournalQuery{Limit: 12})
	if len(p.Entries) != 12 || !p.More || p.Next != 12 || p.Entries[0].Seq != 1 {
		t.Fatalf("page 1: %d entries, more %v, next %d", len(p.Entries), p.More, p.Next)
	}
	p = ti.Journal(JournalQuery{Limit: 12, After: p.Next})
	if len(p.Entries) != 12 || !p.More || p.Entries[0].Seq != 13 {
		t.Fatalf("page 2: %d entries, more %v, first %d", len(p.Entries), p.More, p.Entries[0].Seq)
	}
	p = ti.Journal(JournalQuery{Limit: 12, After: p.Next})
	if len(p.Entries) != 6 || p.More || p.Next != 30 {
		t.Fatalf("page 3: %d entries, more %v, next %d", len(p.Entries), p.More, p.Next)
	}
	p = ti.Journal(JournalQuery{After: 30})
	if len(p.Entries) != 0 || p.More || p.Next != 30 {
		t.Fatalf("past the end: %+v", p)
	}
	if p := ti.Journal(JournalQuery{}); len(p.Entries) != 30 {
		t.Errorf("default limit: %d entries", len(p.Entries))
	}
}

func TestJournalFilters(t *testing.T) {
	t.Parallel()
	ti := journalFixture(t, 0)
	tests := []struct {
		q    JournalQuery
		want int
	}{
		{JournalQuery{RuleID: "a"}, 10},
		{JournalQuery{RuleID: "b"}, 20},
		{JournalQuery{RuleID: "c"}, 0},
		{JournalQuery{Table: "orders"}, 10},
		{JournalQuery{Table: "users-*"}, 20},
		{JournalQuery{Table: "users"}, 0},
		{JournalQuery{RuleID: "a", Table: "users-1"}, 0},
	}
	for _, tt := range tests {
		got := ti.allEntries(tt.q)
		if len(got) != tt.want {
			t.Errorf("%+v: %d entries, want %d", tt.q, len(got), tt.want)
		}
		for _, e := range got {
			if (tt.q.RuleID != "" && e.RuleID != tt.q.RuleID) || (tt.q.Table != "" && !matchTable(tt.q.Table, e.Table)) {
				t.Errorf("%+v: entry %+v passed the filter", tt.q, e)
			}
		}
	}
	// A filtered page stops at the limit and resumes after it.
	p := ti.Journal(JournalQuery{RuleID: "a", Limit: 4})
	if len(p.Entries) != 4 || !p.More || p.Next != p.Entries[3].Seq {
		t.Fatalf("filtered page: %+v", p)
	}
	p = ti.Journal(JournalQuery{RuleID: "a", Limit: 100, After: p.Next})
	if len(p.Entries) != 6 || p.More || p.Next != 30 {
		t.Fatalf("filtered rest: %d entries, more %v, next %d", len(p.Entries), p.More, p.Next)
	}
}

func TestJournalBounded(t *testing.T) {
	t.Parallel()
	ti := journalFixture(t, 7)
	p := ti.Journal(JournalQuery{Limit: 100})
	if len(p.Entries) != 7 || p.Evicted != 23 || p.Entries[0].Seq != 24 || p.Entries[6].Seq != 30 {
		t.Fatalf("bounded journal: %d entries from %d, evicted %d", len(p.Entries), p.Entries[0].Seq, p.Evicted)
	}
	if p := ti.Journal(JournalQuery{After: 3, Limit: 2}); p.Entries[0].Seq != 24 || !p.More {
		t.Errorf("a cursor before the evicted entries: %+v", p)
	}
	if len(ti.journal.entries) > 14 {
		t.Errorf("journal storage grew to %d entries for a limit of 7", len(ti.journal.entries))
	}
}

func TestJournalClear(t *testing.T) {
	t.Parallel()
	ti := journalFixture(t, 0)
	ti.ClearJournal()
	if p := ti.Journal(JournalQuery{}); len(p.Entries) != 0 || p.Next != 30 {
		t.Fatalf("after clear: %+v", p)
	}
	ti.DecideStream(record("users-2", 1))
	if p := ti.Journal(JournalQuery{After: 30}); len(p.Entries) != 1 || p.Entries[0].Seq != 31 {
		t.Fatalf("after clear, new entry: %+v", p)
	}
	st, _ := ti.Get("b")
	if st.Stats.Fired != 21 {
		t.Errorf("ClearJournal reset the counters: %+v", st.Stats)
	}
}

func TestJournalJSON(t *testing.T) {
	t.Parallel()
	ti := journalFixture(t, 0)
	p := ti.Journal(JournalQuery{Limit: 1})
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"seq":1`, `"ruleId":"a"`, `"action":"drop"`, `"target":"stream"`,
		`"keys":{"pk":{"S":"ORDER#2"}}`, `"eventName":"MODIFY"`, `"eventId":"ev2"`, `"shardId":"shardId-1"`,
		`"time":"2025-01-01T00:00:00Z"`, `"wallTime":"2025-06-02T10:15:00Z"`, `"next":1`, `"more":true`, `"evicted":0`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %s", data, want)
		}
	}
	var back JournalPage
	if err := json.Unmarshal(data, &back); err != nil || !reflect.DeepEqual(back, p) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

func TestJournalKindFilter(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, dropRule("d", "", When{}))
	ti.DecideStream(record("a", 1))
	ti.RecordShardAction(ShardPause, "orders", "shardId-1")
	ti.RecordStreamFollowUp(StreamFollowUp{RuleID: "d", Action: ActionDrop, Event: record("a", 1), Detail: "later"})
	ti.RecordClockChange(ClockChange{Action: ClockFreeze, Mode: "frozen"})
	for kind, want := range map[string]int{"": 4, KindFiring: 1, KindShard: 1, KindFollowUp: 1, KindLoss: 0, KindClock: 1} {
		got := ti.allEntries(JournalQuery{Kind: kind})
		if len(got) != want {
			t.Errorf("kind %q: %d entries, want %d", kind, len(got), want)
		}
		for _, e := range got {
			if kind != "" && e.Kind != kind {
				t.Errorf("kind %q: entry of kind %q", kind, e.Kind)
			}
		}
	}
}
