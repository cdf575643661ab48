package mapping

import (
	"fmt"
	"time"

	"github.com/dynafault/dynafault/emulator/stream"
)

// sub is a part of a batch with its own retry count: the whole batch, or
// a half after a bisection.
type sub struct {
	entries  []*entry
	attempts int // failed invocations (function errors, failed responses)
	invokes  int // invocations, for approximateInvokeCount
	// last is the outcome of the latest invocation (nil before the
	// first) and reported whether its response reported the failure.
	last     *Outcome
	reported bool
}

// process delivers one batch of a lane (or a window's final invocation)
// until every record is delivered, discarded or lost, or the run stops:
// function errors are retried after the backoff until
// MaximumRetryAttempts; BisectBatchOnFunctionError splits a failing batch
// in halves, each with a fresh retry count (a split is not a retry);
// throttles and invoke errors are retried without counting; records older
// than MaximumRecordAgeInSeconds and records that left the stream are
// dropped before each invocation; a partial batch response completes the
// records before the lowest reported one and retries the rest.
func (w *worker) process(l *lane, batch []*entry, win *window, final bool) {
	r := w.r
	queue := []*sub{{entries: batch}}
	throttled := 0
	for len(queue) > 0 {
		s := queue[0]
		if !final {
			s.entries = w.dropLost(l, s.entries)
			s.entries = w.dropAged(l, s)
			if len(s.entries) == 0 {
				queue = queue[1:]
				continue
			}
		}
		if r.stopCtx.Err() != nil {
			return
		}
		out, payload := w.invokeBatch(l, s.entries, win, final, false, s.invokes+1)
		s.invokes++
		s.last = &out
		if r.killCtx.Err() != nil {
			return
		}
		switch out.Kind {
		case Throttled, InvokeError:
			throttled++
			if !w.sleep(r.m.opts.Backoff.Wait(throttled)) {
				return
			}
			continue
		}
		throttled = 0
		var v verdict
		if out.Kind == OK {
			v = judge(out.Body, s.entries, r.cfg.reportsItemFailures(), w.windowed)
		} else {
			v = verdict{kind: allFailed}
		}
		switch v.kind {
		case allDone:
			if w.windowed && !final && len(v.state) > maxWindowState {
				v.state = w.terminateEarly(l, win, v.state)
			}
			w.done(l, s.entries, delivered, "", v.state, final)
			r.setResult(ResultOK)
			queue = queue[1:]
			continue
		case partial:
			r.count(func(st *Stats) { st.FailedInvokeEventCount += uint64(len(s.entries) - v.from) })
			w.done(l, s.entries[:v.from], delivered, "", v.state, false)
			s.entries = s.entries[v.from:]
		default:
			r.count(func(st *Stats) { st.FailedInvokeEventCount += uint64(len(s.entries)) })
			if out.Kind == OK {
				r.m.log.Debug("batch failed by its response", "mapping", r.uuid, "shard", w.id, "why", v.why)
			}
		}
		s.attempts++
		s.reported = v.kind == partial || out.Kind == OK
		r.setResult(ResultProblem)
		if v.kind == allFailed && r.cfg.BisectBatchOnFunctionError && len(s.entries) > 1 {
			h := len(s.entries) / 2
			queue = append([]*sub{{entries: s.entries[:h]}, {entries: s.entries[h:]}}, queue[1:]...)
			continue
		}
		if max := r.cfg.MaximumRetryAttempts; max >= 0 && s.attempts > max {
			w.discard(l, s, RetryAttemptsExhausted, payload)
			if final {
				w.events <- progress{lane: l, closeW: true}
			}
			queue = queue[1:]
			continue
		}
		if !w.sleep(r.m.opts.Backoff.Wait(s.attempts)) {
			return
		}
	}
}

// maxWindowState is the largest tumbling-window state Lambda carries:
// 1 MB per shard.
const maxWindowState = 1 << 20

// terminateEarly ends a window whose state outgrew maxWindowState the way
// Lambda does: an invocation with isFinalInvokeForWindow and
// isWindowTerminatedEarly carrying that state (once; its outcome is not
// retried), after which the window goes on with a fresh state, which it
// returns.
func (w *worker) terminateEarly(l *lane, win *window, state []byte) []byte {
	if win != nil {
		cp := *win
		cp.state = state
		w.invokeBatch(l, nil, &cp, true, true, 1)
	}
	return []byte("{}")
}

// invokeBatch invokes the function with the batch's event.
func (w *worker) invokeBatch(l *lane, entries []*entry, win *window, final, early bool, attempt int) (Outcome, []byte) {
	r := w.r
	var payload []byte
	if w.windowed {
		payload = windowEvent(entries, win, w.id, r.cfg.EventSourceArn, final, early)
	} else {
		payload = batchEvent(entries)
	}
	inv := Invocation{
		MappingUUID: r.uuid, StreamARN: r.cfg.EventSourceArn, ShardID: w.id, FunctionName: r.fnName,
		FunctionARN: r.fnARN, RequestID: newRequestID(), Payload: payload, Records: make([]stream.Record, len(entries)),
	}
	for i, e := range entries {
		inv.Records[i] = e.rec
	}
	if f := r.m.funcs.get(r.fnName); f != nil {
		inv.Timeout = f.Timeout
	}
	now := r.m.clock.Now()
	r.m.mu.Lock()
	st := r.mp.shardStats(w.id)
	b := &BatchStatus{Lane: l.idx, Records: len(entries), Attempt: attempt, Invoking: true, Final: final}
	if len(entries) > 0 {
		b.First, b.Last = entries[0].rec.SequenceNumber, entries[len(entries)-1].rec.SequenceNumber
		st.iteratorAge = now.Sub(entries[len(entries)-1].rec.Created)
		st.ageAt = now
		r.mp.stats.IteratorAgeMs = st.iteratorAge.Milliseconds()
	}
	st.batches[l.idx] = b
	r.m.mu.Unlock()
	out := r.m.call(r.killCtx, inv)
	r.m.mu.Lock()
	b.Invoking = false
	b.LastOutcome = out.Kind
	switch out.Kind {
	case Throttled:
		r.mp.stats.Throttles++
		r.mp.lastResult = ResultThrottled
	case InvokeError:
		r.mp.stats.InvokeErrors++
		if out.ErrorType == CodeNotFound {
			r.mp.lastResult = ResultNoFunction
		}
	case FunctionError:
		r.mp.stats.Invocations++
		r.mp.stats.Errors++
		r.mp.stats.InvokedEventCount += uint64(len(entries))
	default:
		r.mp.stats.Invocations++
		r.mp.stats.InvokedEventCount += uint64(len(entries))
	}
	r.m.mu.Unlock()
	return out, payload
}

// done reports records of a batch as finished with an outcome.
func (w *worker) done(l *lane, entries []*entry, outcome int, reason string, state []byte, closeW bool) {
	if outcome == delivered || outcome == discarded {
		w.r.m.mu.Lock()
		delete(w.r.mp.shardStats(w.id).batches, l.idx)
		w.r.m.mu.Unlock()
	}
	w.events <- progress{lane: l, entries: entries, outcome: outcome, reason: reason, state: state, closeW: closeW}
}

// dropLost removes the records that left the stream (trimmed by
// retention) while the batch waited; the trim journals them.
func (w *worker) dropLost(l *lane, entries []*entry) []*entry {
	h, ok := w.horizon()
	if !ok {
		w.done(l, entries, lost, "", nil, false)
		return nil
	}
	k := 0
	for k < len(entries) && entries[k].pos < h {
		k++
	}
	if k > 0 {
		w.done(l, entries[:k], lost, "", nil, false)
	}
	return entries[k:]
}

// dropAged discards the records of the batch older than
// MaximumRecordAgeInSeconds.
func (w *worker) dropAged(l *lane, s *sub) []*entry {
	limit := w.r.cfg.MaximumRecordAgeInSeconds
	if limit < 0 {
		return s.entries
	}
	now := w.r.m.clock.Now()
	var keep, aged []*entry
	for _, e := range s.entries {
		if now.Sub(e.rec.Created) > time.Duration(limit)*time.Second {
			aged = append(aged, e)
		} else {
			keep = append(keep, e)
		}
	}
	if len(aged) > 0 {
		w.discard(l, &sub{entries: aged, invokes: s.invokes, last: s.last, reported: s.reported}, RecordAgeExceeded, nil)
	}
	return keep
}

// sleep waits d of clock time for a retry; false when the run stopped.
func (w *worker) sleep(d time.Duration) bool {
	r := w.r
	return r.m.clock.Sleep(r.stopCtx, r.m.clock.Now().Add(d), nil) && r.stopCtx.Err() == nil
}

// setResult sets the mapping's LastProcessingResult.
func (r *run) setResult(s string) {
	r.m.mu.Lock()
	r.mp.lastResult = s
	r.m.mu.Unlock()
}

// count updates the mapping's counters.
func (r *run) count(f func(*Stats)) {
	r.m.mu.Lock()
	f(&r.mp.stats)
	r.m.mu.Unlock()
}

// describeOutcome says what the last invocation of a discarded batch
// returned, for the journal.
func describeOutcome(o *Outcome, reported bool) string {
	switch {
	case o == nil:
		return "never invoked"
	case o.Kind == OK && reported:
		return "last response reported failed records"
	case o.Kind == OK:
		return "last invocation succeeded"
	case o.ErrorType != "":
		return fmt.Sprintf("last %s %s: %s", o.Kind, o.ErrorType, o.ErrorMessage)
	}
	return "last " + o.Kind
}
