package stream

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestReadAtFollowsShardToItsEnd(t *testing.T) {
	f := newFixture(t, Options{}, 1, NewImage)
	sh := f.shards()[0].ID
	list := f.s.ShardList(f.clk.Now())
	if len(list) != 1 || list[0].ID != sh || list[0].Closed || list[0].TrimHorizon != list[0].Latest {
		t.Fatalf("ShardList of an empty stream = %+v", list)
	}
	a := f.put(t, nil, item("a", 1))
	b := f.put(t, nil, item("b", 1))
	c, err := f.s.ReadAt(sh, list[0].TrimHorizon, 1, 1<<20, f.clk.Now())
	if err != nil || len(c.Records) != 1 || c.Records[0].EventID != a.EventID || c.Done {
		t.Fatalf("first ReadAt = %+v, %v", c, err)
	}
	if c.Records[0].Pos() != c.Next-1 {
		t.Fatalf("Pos %d, Next %d", c.Records[0].Pos(), c.Next)
	}
	child, err := f.s.Rollover(sh, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	c, err = f.s.ReadAt(sh, c.Next, 10, 1<<20, f.clk.Now())
	if err != nil || len(c.Records) != 1 || c.Records[0].EventID != b.EventID || !c.Done {
		t.Fatalf("ReadAt to the end of the closed shard = %+v, %v", c, err)
	}
	list = f.s.ShardList(f.clk.Now())
	if len(list) != 2 || list[1].ID != child || list[1].Parent != sh || !list[0].Closed {
		t.Fatalf("ShardList after rollover = %+v", list)
	}
	// LATEST of the parent is past its end: a reader there is done at once.
	c, err = f.s.ReadAt(sh, list[0].Latest, 10, 1<<20, f.clk.Now())
	if err != nil || len(c.Records) != 0 || !c.Done {
		t.Fatalf("ReadAt at LATEST of a closed shard = %+v, %v", c, err)
	}
}

func TestReadAtTrimmedAndUnknown(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	sh := f.shards()[0].ID
	start := f.s.ShardList(f.clk.Now())[0].TrimHorizon
	f.put(t, nil, item("a", 1))
	f.advance(t, 25*time.Hour)
	last := f.put(t, nil, item("b", 1))
	if _, err := f.s.ReadAt(sh, start, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrTrimmed) {
		t.Fatalf("ReadAt behind the trim horizon: %v, want ErrTrimmed", err)
	}
	h := f.s.ShardList(f.clk.Now())[0].TrimHorizon
	c, err := f.s.ReadAt(sh, h, 10, 1<<20, f.clk.Now())
	if err != nil || !slices.Equal(seqs(c.Records), []string{last.SequenceNumber}) {
		t.Fatalf("ReadAt at the trim horizon = %+v, %v", c, err)
	}
	if _, err := f.s.ReadAt("shardId-nope", 1, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrShardNotFound) {
		t.Fatalf("unknown shard: %v", err)
	}
	if p, ok := ParsePosition(last.SequenceNumber); !ok || p != last.Pos() {
		t.Fatalf("ParsePosition(%s) = %d, %v; want %d", last.SequenceNumber, p, ok, last.Pos())
	}
}

func TestReadAtHonoursPause(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	sh := f.shards()[0].ID
	start := f.s.ShardList(f.clk.Now())[0].TrimHorizon
	if err := f.s.Pause(sh); err != nil {
		t.Fatal(err)
	}
	f.put(t, nil, item("a", 1))
	c, err := f.s.ReadAt(sh, start, 10, 1<<20, f.clk.Now())
	if err != nil || len(c.Records) != 0 || c.Next != start {
		t.Fatalf("ReadAt of a paused shard = %+v, %v", c, err)
	}
	wake := f.reg.Appended().Wait()
	if err := f.s.Resume(sh); err != nil {
		t.Fatal(err)
	}
	select {
	case <-wake:
	default:
		t.Fatal("Resume did not kick the append signal")
	}
	if c, _ = f.s.ReadAt(sh, start, 10, 1<<20, f.clk.Now()); len(c.Records) != 1 {
		t.Fatalf("ReadAt after Resume = %+v", c)
	}
}

func TestAppendKicksSignal(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	f.put(t, nil, item("a", 1)) // unarmed: nothing to close
	w := f.reg.Appended().Wait()
	select {
	case <-w:
		t.Fatal("signal closed before an append")
	default:
	}
	f.put(t, nil, item("b", 1))
	select {
	case <-w:
	default:
		t.Fatal("append did not close the signal")
	}
	if w2 := f.reg.Appended().Wait(); w2 == w {
		t.Fatal("Wait after a kick returned the closed channel")
	}
}
