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
// deadline finish and count; calls cut off by ctx do not. With a rate
// (calls per second in all), each worker calls on its own fixed schedule,
// the workers' schedules spread evenly over one interval.
func runWorkers(ctx context.Context, n int, seed uint64, rate float64, deadline time.Time, newOp func(worker int) op) *tally {
	tallies := make([]*tally, n)
	var every time.Duration
	if rate > 0 {
		every = max(time.Duration(float64(n)*float64(time.Second)/rate), 1)
	}
	first := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		tallies[i] = newTally()
		do, rng := newOp(i), rand.New(rand.NewPCG(seed, uint64(i)))
		p := pace{every: every, next: first.Add(every * time.Duration(i) / time.Duration(n))}
		wg.Go(func() { work(ctx, deadline, do, rng, p, tallies[i]) })
	}
	wg.Wait()
	total := newTally()
	for _, t := range tallies {
		total.add(t)
	}
	return total
}

// pace is a worker's schedule: a call every interval from next on; a zero
// interval calls again as soon as the last call is answered.
type pace struct {
	every time.Duration
	next  time.Time
}

// wait sleeps until the next call is due (at once when the worker is
// behind) and moves the schedule on; false when ctx ended first.
func (p *pace) wait(ctx context.Context) bool {
	if p.every == 0 {
		return true
	}
	due := p.next
	p.next = p.next.Add(p.every)
	if d := time.Until(due); d > 0 {
		return sleep(ctx, d) == nil
	}
	return true
}

// work is one worker's loop.
func work(ctx context.Context, deadline time.Time, do op, rng *rand.Rand, p pace, t *tally) {
	for ctx.Err() == nil {
		if !p.wait(ctx) {
			return
		}
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
