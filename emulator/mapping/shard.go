package mapping

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/mapping/filter"
	"github.com/dynafault/dynafault/emulator/stream"
)

// Entry states and outcomes.
const (
	waiting = iota // read, not yet in a batch
	busy           // in a batch under way
	done           // the mapping is done with it (see outcome)
)

const (
	delivered = iota + 1 // in a batch the function processed
	filtered             // filtered out by FilterCriteria
	discarded            // given up on (retries or age)
	lost                 // left the stream (retention) before it was processed
)

// entry is one record read by a shard worker, until its checkpoint passes.
type entry struct {
	rec     stream.Record
	pos     stream.Position // rec's position in its shard
	json    []byte          // its event record
	lane    int
	state   int
	outcome int
	reason  string // discarded: the condition
}

// lane is one of the ParallelizationFactor concurrent batch slots of a
// shard. Records of one partition key always go to the same lane, so
// per-key order holds.
type lane struct {
	idx     int
	busy    bool
	lastEnd time.Time // clock time the previous invocation of this lane ended
	win     *window   // tumbling window under way
}

// window is a tumbling window of a lane: its bounds and the state the
// function returned so far.
type window struct {
	start, end time.Time
	state      json.RawMessage
}

// progress is what a batch under way reports to its worker.
type progress struct {
	lane    *lane
	entries []*entry
	outcome int
	reason  string
	state   json.RawMessage // a window's new state (with hasState)
	closeW  bool            // the window's final invocation succeeded
	end     bool            // the batch is over: the lane is free
}

// worker processes one shard: it reads records from the mapping's
// checkpoint, hands them to lanes in batches, and moves the checkpoint
// past the records it is done with, in order.
type worker struct {
	r        *run
	id       string
	pos      stream.Position // next position to read
	pending  []*entry        // read and not yet checkpointed, in order
	bytes    int             // event JSON held in pending
	readDone bool            // the shard is closed and read to its end
	lanes    []*lane
	events   chan progress
	factor   int
	windowed bool
	winFrame int // a window event's size without records and state
}

// maxBuffered bounds the records a worker holds ahead of its checkpoint,
// and maxBufferedBytes (per lane) their event JSON: enough for a full
// batch in every lane and the next one read ahead.
const (
	maxBuffered      = 10000
	maxBufferedBytes = 2 * maxPayload
)

// newWorker prepares the worker of a shard, starting at the mapping's
// checkpoint or, for a shard it never read, at the trim horizon.
func (r *run) newWorker(ref stream.ShardRef) *worker {
	w := &worker{r: r, id: ref.ID, events: make(chan progress, 64), factor: r.cfg.ParallelizationFactor,
		windowed: r.cfg.TumblingWindowInSeconds > 0}
	if w.windowed || w.factor < 1 {
		w.factor = 1 // a window's state belongs to the shard
	}
	if w.windowed {
		w.winFrame = len(windowEvent(nil, &window{}, ref.ID, r.cfg.EventSourceArn, false, false)) - len("{}")
	}
	for i := range w.factor {
		w.lanes = append(w.lanes, &lane{idx: i})
	}
	r.m.mu.Lock()
	pos, ok := r.mp.ckpt[ref.ID]
	if !ok {
		pos = ref.TrimHorizon
		r.mp.ckpt[ref.ID] = pos
	}
	r.mp.shardStats(ref.ID)
	r.m.mu.Unlock()
	w.pos = pos
	return w
}

// loop runs the worker until its shard is finished or the run stops.
func (w *worker) loop() {
	r := w.r
	timer := time.NewTimer(r.m.opts.PollInterval)
	defer timer.Stop()
	for {
		wake := r.m.streams.Appended().Wait()
		clockCh := r.m.clock.Changed()
		stopping := r.stopCtx.Err() != nil
		if !stopping {
			w.fill()
		}
		w.commit()
		if stopping && !w.anyBusy() {
			return
		}
		if !stopping && len(w.pending) == 0 && !w.anyBusy() {
			w.caughtUp()
		}
		if w.readDone && len(w.pending) == 0 && !w.anyBusy() && !w.windowOpen() {
			w.finish()
			return
		}
		var deadline time.Time
		if !stopping {
			deadline = w.dispatch()
		}
		wait := r.m.opts.PollInterval
		if !deadline.IsZero() && r.m.clock.Mode() == clock.Real {
			wait = min(wait, max(deadline.Sub(r.m.clock.Now()), time.Millisecond))
		}
		timer.Reset(wait)
		stopCh := r.stopCtx.Done()
		if stopping {
			stopCh = nil // stopping already: wait for the lanes, without spinning
		}
		select {
		case p := <-w.events:
			w.apply(p)
		drain:
			for {
				select {
				case p := <-w.events:
					w.apply(p)
				default:
					break drain
				}
			}
		case <-wake:
		case <-clockCh:
		case <-timer.C:
		case <-stopCh:
			if !w.anyBusy() {
				w.commit()
				return
			}
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}

// caughtUp notes that the shard is read to its tip with nothing left to
// deliver: its iterator age is 0 (the age of the last batch would
// otherwise stay in the IteratorAge gauge while nothing is behind).
func (w *worker) caughtUp() {
	r := w.r
	r.m.mu.Lock()
	if st := r.mp.shardStats(w.id); st.iteratorAge != 0 {
		st.iteratorAge = 0
	}
	r.m.mu.Unlock()
}

func (w *worker) anyBusy() bool {
	for _, l := range w.lanes {
		if l.busy {
			return true
		}
	}
	return false
}

func (w *worker) windowOpen() bool {
	for _, l := range w.lanes {
		if l.win != nil {
			return true
		}
	}
	return false
}

// fill reads records from the shard into pending, filtering them.
func (w *worker) fill() {
	r := w.r
	for !w.readDone && len(w.pending) < maxBuffered && w.bytes < maxBufferedBytes*w.factor {
		limit := min(maxBuffered-len(w.pending), 1000)
		c, err := r.m.streams.ReadAt(r.cfg.EventSourceArn, w.id, w.pos, limit, maxPayload)
		switch {
		case errors.Is(err, stream.ErrTrimmed):
			// The records at the position left the stream (retention):
			// resume at the trim horizon. The trim journals them.
			if h, ok := w.horizon(); ok && h > w.pos {
				w.pos = h
				continue
			}
			return
		case errors.Is(err, stream.ErrShardNotFound), errors.Is(err, stream.ErrStreamNotFound):
			w.readDone = true
			return
		case err != nil:
			return
		}
		w.pos, w.readDone = c.Next, c.Done
		if len(c.Records) == 0 {
			return
		}
		nFiltered := 0
		for _, rec := range c.Records {
			e := &entry{rec: rec, pos: rec.Pos(), json: appendRecordJSON(nil, rec, r.src)}
			e.lane = int(rec.Hash % uint64(w.factor))
			if !r.matches(e.json) {
				e.state, e.outcome = done, filtered
				nFiltered++
			}
			w.pending = append(w.pending, e)
			w.bytes += len(e.json)
		}
		r.m.mu.Lock()
		r.mp.stats.PolledEventCount += uint64(len(c.Records))
		r.mp.stats.FilteredOutEventCount += uint64(nFiltered)
		r.m.mu.Unlock()
		if len(c.Records) < limit {
			return
		}
	}
}

// matches reports whether an event record passes FilterCriteria (any of
// the patterns; every record when there are none).
func (r *run) matches(js []byte) bool {
	if len(r.filters) == 0 {
		return true
	}
	v, err := filter.Decode(js)
	if err != nil {
		return false
	}
	for _, p := range r.filters {
		if p.MatchValue(v) {
			return true
		}
	}
	return false
}

// horizon is the shard's current trim horizon position.
func (w *worker) horizon() (stream.Position, bool) {
	refs, err := w.r.m.streams.ShardList(w.r.cfg.EventSourceArn)
	if err != nil {
		return 0, false
	}
	for _, ref := range refs {
		if ref.ID == w.id {
			return ref.TrimHorizon, true
		}
	}
	return 0, false
}

// apply records a batch's progress.
func (w *worker) apply(p progress) {
	for _, e := range p.entries {
		e.state, e.outcome, e.reason = done, p.outcome, p.reason
	}
	if p.lane.win != nil {
		if p.state != nil {
			p.lane.win.state = p.state
		}
		if p.closeW {
			p.lane.win = nil
		}
	}
	if p.end {
		p.lane.busy = false
		p.lane.lastEnd = w.r.m.clock.Now()
		for _, e := range w.pending {
			if e.lane == p.lane.idx && e.state == busy {
				e.state = waiting // the run stopped mid-batch
			}
		}
	}
}

// commit moves the checkpoint past the leading records the mapping is done
// with and tells the observer about them, in order.
func (w *worker) commit() {
	k := 0
	for k < len(w.pending) && w.pending[k].state == done {
		k++
	}
	if k == 0 {
		return
	}
	head := w.pending[:k]
	r := w.r
	r.m.mu.Lock()
	next := head[k-1].pos + 1
	if cur := r.mp.ckpt[w.id]; next > cur {
		r.mp.ckpt[w.id] = next
	}
	st := r.mp.shardStats(w.id)
	st.checkpoint = head[k-1].rec.SequenceNumber
	for _, e := range head {
		switch e.outcome {
		case delivered:
			st.delivered++
		case filtered:
			st.filtered++
		case discarded:
			st.discarded++
		case lost:
			st.lost++
		}
	}
	r.m.mu.Unlock()
	if obs := r.m.opts.Observer; obs != nil {
		for i := 0; i < k; {
			j := i + 1
			for j < k && head[j].outcome == head[i].outcome && head[j].reason == head[i].reason {
				j++
			}
			recs := make([]stream.Record, j-i)
			for x := i; x < j; x++ {
				recs[x-i] = head[x].rec
			}
			switch head[i].outcome {
			case delivered:
				obs.Handled(r.uuid, r.cfg.EventSourceArn, w.id, recs, false)
			case filtered:
				obs.Handled(r.uuid, r.cfg.EventSourceArn, w.id, recs, true)
			case discarded:
				obs.Discarded(r.uuid, r.cfg.EventSourceArn, w.id, recs, head[i].reason)
			}
			i = j
		}
	}
	for _, e := range head {
		w.bytes -= len(e.json)
	}
	clear(w.pending[:k])
	w.pending = w.pending[k:]
}

// finish marks the shard processed to its end, so its children start.
func (w *worker) finish() {
	r := w.r
	r.m.mu.Lock()
	r.mp.finished[w.id] = true
	r.mp.shardStats(w.id).finished = true
	r.m.mu.Unlock()
}

// dispatch starts a batch on every free lane that has one ready and
// returns the earliest clock time at which a lane waiting for its batching
// window (or a tumbling window's end) should be looked at again.
func (w *worker) dispatch() time.Time {
	var next time.Time
	now := w.r.m.clock.Now()
	note := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, l := range w.lanes {
		if l.busy {
			continue
		}
		batch, full := w.collect(l)
		if w.windowed {
			w.dispatchWindow(l, batch, full, now, note)
			continue
		}
		if len(batch) == 0 {
			continue
		}
		if !w.ready(l, batch, full, now, note) {
			continue
		}
		w.launch(l, batch, false)
	}
	return next
}

// ready applies the batching window: a batch that is not full (BatchSize
// records or the payload limit) waits until the window after the lane's
// previous invocation (or, before the first, after its first record's
// arrival) has passed; the end of a closed shard flushes it.
func (w *worker) ready(l *lane, batch []*entry, full bool, now time.Time, note func(time.Time)) bool {
	win := time.Duration(w.r.cfg.MaximumBatchingWindowInSeconds) * time.Second
	if win == 0 || full || w.readDone {
		return true
	}
	start := l.lastEnd
	if start.IsZero() {
		start = batch[0].rec.Created
	}
	if due := start.Add(win); now.Before(due) {
		note(due)
		return false
	}
	return true
}

// collect returns the next batch of a lane: its waiting records in order,
// at most BatchSize and at most the invoke payload limit with the rest of
// the event (see frame); full reports that one of the limits was reached.
func (w *worker) collect(l *lane) (batch []*entry, full bool) {
	size := w.frame(l)
	for _, e := range w.pending {
		if e.lane != l.idx || e.state != waiting {
			continue
		}
		if len(batch) >= w.r.cfg.BatchSize || (len(batch) > 0 && size+len(e.json)+1 > maxPayload-1024) {
			return batch, true
		}
		batch = append(batch, e)
		size += len(e.json) + 1
	}
	return batch, len(batch) >= w.r.cfg.BatchSize
}

// frame is the size of the lane's next event without its records: the
// {"Records":[]} object, and with a tumbling window the window, the
// shard, the flags and the state the lane's window carries (up to
// maxWindowState; "{}" before the window opens).
func (w *worker) frame(l *lane) int {
	if !w.windowed {
		return 64
	}
	state := 2
	if l.win != nil && len(l.win.state) > 0 {
		state = len(l.win.state)
	}
	return w.winFrame + state
}

// launch marks the batch busy and processes it in its own goroutine.
func (w *worker) launch(l *lane, batch []*entry, final bool) {
	l.busy = true
	for _, e := range batch {
		e.state = busy
	}
	var win *window
	if l.win != nil {
		cp := *l.win
		win = &cp
	}
	w.r.m.wg.Add(1)
	go func() {
		defer w.r.m.wg.Done()
		w.process(l, batch, win, final)
		w.events <- progress{lane: l, end: true}
	}()
}

// dispatchWindow forms the batches of a tumbling window: records of one
// window per invocation, and a final invocation (isFinalInvokeForWindow,
// no records) once a later record arrives, the window's end has passed on
// the clock, or the shard ended.
func (w *worker) dispatchWindow(l *lane, batch []*entry, full bool, now time.Time, note func(time.Time)) {
	length := time.Duration(w.r.cfg.TumblingWindowInSeconds) * time.Second
	if l.win == nil {
		if len(batch) == 0 {
			return
		}
		secs := batch[0].rec.Created.Unix()
		start := time.Unix(secs-secs%int64(length/time.Second), 0).UTC()
		l.win = &window{start: start, end: start.Add(length)}
	}
	in := 0
	for in < len(batch) && batch[in].rec.Created.Before(l.win.end) {
		in++
	}
	switch {
	case in > 0:
		// Full: BatchSize records, or cut at the payload bound within
		// the window.
		if w.ready(l, batch[:in], in >= w.r.cfg.BatchSize || (full && in == len(batch)), now, note) {
			w.launch(l, batch[:in], false)
		}
	case len(batch) > 0 || !now.Before(l.win.end) || w.readDone:
		w.launch(l, nil, true)
	default:
		note(l.win.end)
	}
}
