package stream

import "time"

// queued is a record taken out of its shard's sequence by the fault layer:
// a delayed record, or a later record that waits behind one (of its item,
// or of a holdShard delay's hash range). It is appended at its release
// with a new sequence number at the end of the open shard of its hash,
// keeping its event id, images and creation time.
type queued struct {
	r     rec       // as first appended: its original number
	shard string    // the shard it was first appended to
	d     Decision  // its own decision; a delay is over once released
	until time.Time // release time of a delay; zero: no time condition
	item  string
	// lo and hi are the hash range a holdShard delay holds.
	lo, hi uint64
	// ledger is the Seq of its change in the table's ledger (0: none).
	ledger uint64
}

// barrier reports whether q is a holdShard delay.
func (q *queued) barrier() bool { return q.d.Action == FaultDelay && q.d.HoldShard }

// queuedAhead reports whether a record of item with r's hash must wait
// behind a queued record: one of its item, or a holdShard delay over its
// hash. Must be called with s.mu held.
func (s *Stream) queuedAhead(x rec, item string) bool {
	if s.f.qitems[item] > 0 {
		return true
	}
	return covered(s.f.barriers, x.hash)
}

// covered reports whether a holdShard delay of bs holds hash h.
func covered(bs []*queued, h uint64) bool {
	for _, b := range bs {
		if b.lo <= h && h <= b.hi {
			return true
		}
	}
	return false
}

// enqueue takes x, just numbered for shard sh, out of the sequence: a
// delay decided now, or a record waiting behind a queued one. A reorder of
// its item waiting for a partner ends in place, as the partner left the
// sequence. Must be called with s.mu held.
func (s *Stream) enqueue(sh *shard, x rec, d Decision, item string, now time.Time, ledger uint64) {
	if n, ok := s.f.items[item]; ok && s.f.holds[n].reorder != nil {
		why := "delayed"
		if d.Action != FaultDelay {
			why = "held behind a delayed record"
		}
		s.endReorder(n, s.f.holds[n], "released in place: the next record of the item was "+why)
	}
	q := &queued{r: x, shard: sh.id, d: d, item: item, ledger: ledger}
	if d.Action == FaultDelay {
		sh.n.delayed++
		q.until = now.Add(max(0, d.Delay))
		q.lo, q.hi = sh.lo, sh.hi
	}
	s.f.queue = append(s.f.queue, q)
	if s.f.qitems == nil {
		s.f.qitems = map[string]int{}
	}
	s.f.qitems[item]++
	if q.barrier() {
		s.f.barriers = append(s.f.barriers, q)
	}
}

// releaseQueued appends, in queue order, every queued record that is due
// at now and waits behind no record still queued (all: every record), and
// keeps the others. Must be called with s.mu held.
func (s *Stream) releaseQueued(now time.Time, all bool) {
	if len(s.f.queue) == 0 || len(s.open) == 0 {
		return // a disabled stream released its queue when disabled
	}
	var waiting map[string]bool // items with a record still queued
	var holding []*queued       // holdShard delays still queued
	kept := s.f.queue[:0]
	for _, q := range s.f.queue {
		if !all && (now.Before(q.until) || waiting[q.item] || covered(holding, q.r.hash)) {
			kept = append(kept, q)
			if waiting == nil {
				waiting = map[string]bool{}
			}
			waiting[q.item] = true
			if q.barrier() {
				holding = append(holding, q)
			}
			continue
		}
		s.release(q, now)
	}
	clear(s.f.queue[len(kept):])
	s.f.queue, s.f.barriers = kept, holding
	clear(s.f.qitems)
	for _, q := range kept {
		s.f.qitems[q.item]++
	}
}

// release appends the queued record q at now with a new sequence number at
// the end of the open shard of its hash (the child that owns its range if
// its shard closed meanwhile), then lets its own decision act (a delay is
// over; a duplicate or reorder happens now) and notes it. Must be called
// with s.mu held.
func (s *Stream) release(q *queued, now time.Time) {
	sh := s.openShardFor(q.r.hash)
	x := q.r
	x.n = s.next
	s.next++
	x.wait = now.Sub(x.created)
	sh.last = x.n
	s.ledger.released(q.ledger, sh.id, x)
	if hook := s.cfg.hook; hook != nil && q.d.Action != "" {
		r := s.out(x, sh.id)
		hook.Note(s, q.d, r, Record{}, releaseDetail(q, r))
	}
	d := q.d
	if d.Action == FaultDelay {
		d = Decision{}
	}
	s.placeDecided(sh, x, d, q.item, now)
}

// releaseDetail describes the release of q as r for Hook.Note.
func releaseDetail(q *queued, r Record) string {
	how := "released after waiting behind a delayed record"
	if q.d.Action == FaultDelay {
		how = "released after " + q.d.Delay.String()
	}
	return how + ": appended to " + r.ShardID + " as " + r.SequenceNumber + " (appended first to " +
		q.shard + " as " + formatSeq(q.r.n) + ")"
}

// queuedFor counts the queued records by the open shard each would be
// appended to now. Must be called with s.mu held.
func (s *Stream) queuedFor() map[*shard]int {
	if len(s.f.queue) == 0 || len(s.open) == 0 {
		return nil
	}
	m := map[*shard]int{}
	for _, q := range s.f.queue {
		m[s.openShardFor(q.r.hash)]++
	}
	return m
}
