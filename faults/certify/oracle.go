package certify

import (
	"context"
	"math/big"
	"slices"
	"time"

	"github.com/dynafault/dynafault/faults/client"
)

// Polling of the consumer oracle.
const (
	firstPoll   = 10 * time.Millisecond
	maxPoll     = 200 * time.Millisecond
	lagInterval = 250 * time.Millisecond
)

// consumerStream returns the oracle's view of the consumer in the
// scenario's stream; ok is false before its first request there.
func (r *run) consumerStream(ctx context.Context) (cs client.ConsumerStream, ok bool, err error) {
	c, err := r.b.adm.Consumer(ctx, r.key)
	if client.IsNotFound(err) {
		return cs, false, nil
	}
	if err != nil {
		return cs, false, err
	}
	for _, s := range c.Streams {
		if s.StreamArn == r.arn {
			return s, true, nil
		}
	}
	return cs, false, nil
}

// poll calls check with a growing interval until it reports done, an
// error, or timeout passes (false, nil).
func poll(ctx context.Context, timeout time.Duration, check func() (bool, error)) (bool, error) {
	deadline := time.Now().Add(timeout)
	wait := firstPoll
	for {
		done, err := check()
		if done || err != nil {
			return done, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return false, nil
		}
		if err := sleep(ctx, min(wait, left)); err != nil {
			return false, err
		}
		wait = min(2*wait, maxPoll)
	}
}

// waitReady waits until the consumer has read every open shard once (the
// workload should not start before it listens), at most ReadyWithin. A
// running consumer is ready at once.
func (r *run) waitReady(ctx context.Context) bool {
	if r.b.attached != nil {
		return true
	}
	ok, err := poll(ctx, r.b.cfg.ReadyWithin, func() (bool, error) {
		cs, known, err := r.consumerStream(ctx)
		if err != nil || !known {
			return false, err
		}
		streams, err := r.b.adm.Stream(ctx, r.table)
		if err != nil {
			return false, err
		}
		for _, s := range streams {
			if s.StreamArn != r.arn {
				continue
			}
			for _, id := range s.OpenShards() {
				i := slices.IndexFunc(cs.Shards, func(sh client.ConsumerShard) bool { return sh.ShardID == id })
				if i < 0 || cs.Shards[i].Position == "" {
					return false, nil
				}
			}
		}
		return true, nil
	})
	return ok && err == nil
}

// caughtUp reports whether the consumer has been handed, or lost for
// good, every change of the scenario: nothing pending, no closed shard or
// child left unread.
func (r *run) caughtUp(ctx context.Context) (bool, error) {
	cs, known, err := r.consumerStream(ctx)
	if err != nil || !known {
		return false, err
	}
	r.notePeak(cs.LagSeconds)
	if r.fromSeq == nil && r.cursor == 0 {
		return cs.Missed[client.MissedPending] == 0 && cs.Missed[client.MissedUnread] == 0, nil
	}
	open, err := r.missed(ctx, client.MissedPending, client.MissedUnread)
	return len(open) == 0, err
}

// waitCaughtUp waits until the consumer has caught up, at most timeout.
func (r *run) waitCaughtUp(ctx context.Context, timeout time.Duration) (bool, error) {
	return poll(ctx, timeout, func() (bool, error) { return r.caughtUp(ctx) })
}

// missed returns the consumer's missed changes of the scenario with the
// given reasons (all when none).
func (r *run) missed(ctx context.Context, reasons ...string) ([]client.MissedChange, error) {
	all, err := r.b.adm.MissedAll(ctx, r.key, client.MissedQuery{Table: r.table, Reasons: reasons, Limit: 1000})
	if client.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, m := range all {
		if m.StreamArn == r.arn && r.inScenario(m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// inScenario reports whether a missed change belongs to this scenario: on
// a table of its own every change does; on a running consumer's table,
// those numbered from the scenario's first change on (dynafault numbers
// the records of a stream from one counter).
func (r *run) inScenario(m client.MissedChange) bool {
	if r.cursor == 0 && r.fromSeq == nil {
		return true
	}
	if r.fromSeq == nil {
		return false // the scenario wrote nothing yet
	}
	last := m.SequenceNumber
	if m.LastSequenceNumber != "" {
		last = m.LastSequenceNumber
	}
	n, ok := new(big.Int).SetString(last, 10)
	return ok && n.Cmp(r.fromSeq) >= 0
}

// notePeak keeps the largest lag seen.
func (r *run) notePeak(lag float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peakLag = max(r.peakLag, lag)
}

// sampleLag reads the consumer's lag until ctx ends.
func (r *run) sampleLag(ctx context.Context) {
	for ctx.Err() == nil {
		if cs, ok, err := r.consumerStream(ctx); err == nil && ok {
			r.notePeak(cs.LagSeconds)
		}
		_ = sleep(ctx, lagInterval)
	}
}
