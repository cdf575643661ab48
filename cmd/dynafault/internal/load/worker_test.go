package load

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

func TestPacedWorkersKeepToTheirSchedule(t *testing.T) {
	var calls atomic.Int64
	noop := func(context.Context, *rand.Rand) error { calls.Add(1); return nil }
	// 2 workers at 400 calls/s in all: each calls every 5 ms, the second
	// 2.5 ms after the first; 100 ms hold at most 21 calls each.
	total := runWorkers(context.Background(), 2, 1, 400, time.Now().Add(100*time.Millisecond), func(int) op { return noop })
	if got := calls.Load(); got > 42 || got < 10 {
		t.Fatalf("%d calls in 100 ms at 400/s: want about 40, never more than 42", got)
	}
	if total.ok != uint64(calls.Load()) {
		t.Fatalf("tally %d calls, made %d", total.ok, calls.Load())
	}
}

func TestUnpacedWorkersCallAsSoonAsAnswered(t *testing.T) {
	var calls atomic.Int64
	noop := func(context.Context, *rand.Rand) error { calls.Add(1); return nil }
	runWorkers(context.Background(), 2, 1, 0, time.Now().Add(20*time.Millisecond), func(int) op { return noop })
	if got := calls.Load(); got <= 42 {
		t.Fatalf("%d calls in 20 ms without a rate: want far more than a paced run makes", got)
	}
}

func TestPaceCatchesUpWhenBehind(t *testing.T) {
	p := pace{every: time.Millisecond, next: time.Now().Add(-time.Hour)}
	start := time.Now()
	for range 100 {
		if !p.wait(context.Background()) {
			t.Fatal("wait ended without ctx being done")
		}
	}
	if d := time.Since(start); d > 50*time.Millisecond {
		t.Fatalf("100 calls an hour behind schedule waited %v: a late worker calls at once", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p = pace{every: time.Hour, next: time.Now().Add(time.Hour)}
	if p.wait(ctx) {
		t.Fatal("wait on a done ctx reported a call due")
	}
}
