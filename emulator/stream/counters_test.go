package stream

import (
	"testing"
	"time"
)

func TestCountersAppendReadDropDelay(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	id := f.shards()[0].ID
	f.put(t, nil, item("a", 1))
	f.advance(t, time.Second)
	second := f.put(t, nil, item("a", 2))
	f.put(t, nil, item("a", 3))
	if c := f.shards()[0].Counters; c.Appended != 3 || c.Delivered != 0 || !c.OldestUndelivered.Equal(t0) {
		t.Fatalf("after appends: %+v", c)
	}
	p, err := f.s.Read(f.iter(t, id, TrimHorizon, ""), 1, 1<<20, f.clk.Now())
	if err != nil || len(p.Records) != 1 {
		t.Fatalf("read: %d records, %v", len(p.Records), err)
	}
	if c := f.shards()[0].Counters; c.Delivered != 1 || !c.OldestUndelivered.Equal(second.Created) {
		t.Fatalf("after one delivered: %+v", c)
	}
	f.read(t, p.Next)
	f.read(t, f.iter(t, id, TrimHorizon, "")) // a second consumer reads all three again
	c := f.shards()[0].Counters
	if c.Delivered != 6 || !c.OldestUndelivered.IsZero() {
		t.Fatalf("after everything delivered: %+v", c)
	}
	unappended, _ := f.s.Build(nil, item("b", 1), false)
	f.s.CountDropped(unappended, unappended)
	f.s.CountDelayed(second)
	if c := f.shards()[0].Counters; c.Dropped != 2 || c.Delayed != 1 || c.Appended != 3 {
		t.Fatalf("dropped and delayed: %+v", c)
	}
}

func TestCountersOnDisabledStream(t *testing.T) {
	f := newFixture(t, Options{}, 2, KeysOnly)
	f.s.Disable(f.clk.Now())
	r, _ := f.s.Build(nil, item("a", 1), false)
	f.s.CountDropped(r) // no open shard: nothing to count, no panic
	for _, sh := range f.shards() {
		if sh.Counters.Dropped != 0 {
			t.Fatalf("%s: %+v", sh.ID, sh.Counters)
		}
	}
}
