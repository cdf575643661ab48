package load

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// op is one call of a workload, made by one worker with its own random
// source.
type op func(ctx context.Context, rng *rand.Rand) error

// tally is what one worker measured. Workers never share a tally.
type tally struct {
	lat    *Histogram        // latencies of successful calls
	ok     uint64            // successful calls
	errors map[string]uint64 // failed calls by errorName
	sample map[string]string // the first message of each errorName
}

func newTally() *tally {
	return &tally{lat: new(Histogram), errors: map[string]uint64{}, sample: map[string]string{}}
}

// fail counts a failed call.
func (t *tally) fail(err error) {
	name := errorName(err)
	if t.errors[name]++; t.errors[name] == 1 {
		t.sample[name] = err.Error()
	}
}

// add merges o into t.
func (t *tally) add(o *tally) {
	t.lat.Merge(o.lat)
	t.ok += o.ok
	for k, v := range o.errors {
		t.errors[k] += v
	}
	for k, v := range o.sample {
		if _, ok := t.sample[k]; !ok {
			t.sample[k] = v
		}
	}
}

// runWorkers runs n workers calling newOp(i) until the deadline or until
// ctx is done and returns their merged tally. Calls in flight at the
// deadline finish and count; calls cut off by ctx do not.
func runWorkers(ctx context.Context, n int, seed uint64, deadline time.Time, newOp func(worker int) op) *tally {
	tallies := make([]*tally, n)
	var wg sync.WaitGroup
	for i := range n {
		tallies[i] = newTally()
		do, rng := newOp(i), rand.New(rand.NewPCG(seed, uint64(i)))
		wg.Go(func() { work(ctx, deadline, do, rng, tallies[i]) })
	}
	wg.Wait()
	total := newTally()
	for _, t := range tallies {
		total.add(t)
	}
	return total
}

// work is one worker's loop.
func work(ctx context.Context, deadline time.Time, do op, rng *rand.Rand, t *tally) {
	for ctx.Err() == nil {
		start := time.Now()
		if !start.Before(deadline) {
			return
		}
		err := do(ctx, rng)
		elapsed := time.Since(start)
		switch {
		case err == nil:
			t.ok++
			t.lat.Record(elapsed)
		case ctx.Err() != nil:
			return
		default:
			t.fail(err)
		}
	}
}
