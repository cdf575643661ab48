package faults

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testInjector is an Injector on fake clocks.
type testInjector struct {
	*Injector
	virtual, wall *fakeClock
}

// newTestInjector returns an Injector seeded with seed on fake clocks.
func newTestInjector(tb testing.TB, seed uint64) *testInjector {
	tb.Helper()
	virtual := newFakeClock(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	wall := newFakeClock(time.Date(2025, 6, 2, 10, 15, 0, 0, time.UTC))
	in := New(Options{Seed: seed, Now: virtual.Now, WallNow: wall.Now})
	return &testInjector{Injector: in, virtual: virtual, wall: wall}
}

// mustAdd adds rules or fails the test.
func (ti *testInjector) mustAdd(tb testing.TB, rules ...Rule) []RuleStatus {
	tb.Helper()
	st, err := ti.Add(rules...)
	if err != nil {
		tb.Fatalf("Add: %v", err)
	}
	return st
}

// allEntries reads the whole journal.
func (ti *testInjector) allEntries(q JournalQuery) []Entry {
	var out []Entry
	q.Limit = MaxPageLimit
	for {
		p := ti.Journal(q)
		out = append(out, p.Entries...)
		if !p.More {
			return out
		}
		q.After = p.Next
	}
}

// dropRule is a stream drop rule on table with trigger w.
func dropRule(id, table string, w When) Rule {
	return Rule{ID: id, Target: TargetStream, Match: Match{Table: table}, Action: Action{Type: ActionDrop}, When: w}
}

// errorRule is an api error rule on table with trigger w.
func errorRule(id, table, code string, w When) Rule {
	return Rule{ID: id, Target: TargetAPI, Match: Match{Table: table}, Action: Action{Type: ActionError, Code: code}, When: w}
}

// record returns the n-th test stream event on table.
func record(table string, n int) StreamEvent {
	s := strconv.Itoa(n)
	return StreamEvent{
		Table: table, EventName: "MODIFY", Keys: Key{"pk": KeyS("ORDER#" + s)},
		EventID: "ev" + s, SequenceNumber: "4000000000000000000" + s, ShardID: "shardId-1",
	}
}

// firedAt runs n records on table through in and returns the 1-based
// positions where a rule fired.
func firedAt(in *Injector, table string, n int) []int {
	var out []int
	for i := 1; i <= n; i++ {
		if in.DecideStream(record(table, i)).Action != "" {
			out = append(out, i)
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }
