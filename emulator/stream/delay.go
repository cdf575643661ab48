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
	// cause is the delayed record it waits behind (itself for a delay):
	// the newest of those of its item and the holdShard delays over its
	// hash. Its decision is the one the record's FollowUps report.
	cause *queued
	// ledger is the Seq of its change in the table's ledger (0: none).
	ledger uint64
}

// barrier reports whether q is a holdShard delay.
func (q *queued) barrier() bool { return q.d.Action == FaultDelay && q.d.HoldShard }

// queuedAhead reports whether a record of item with r's hash must wait
// behind a queued record: one of its item, or a holdShard delay over its
// hash. Must be called with s.mu held.
func (s *Stream) queuedAhead(x rec, item string) bool {
	return s.f.qitems[item] != nil || covered(s.f.barriers, x.hash)
}

// covered reports whether a holdShard delay of bs holds hash h.
func covered(bs []*queued, h uint64) bool { return coveredBy(bs, h) != nil }

// coveredBy returns the newest holdShard delay of bs holding hash h, or
// nil.
func coveredBy(bs []*queued, h uint64) *queued {
	for i := len(bs) - 1; i >= 0; i-- {
		if b := bs[i]; b.lo <= h && h <= b.hi {
			return b
		}
	}
	return nil
}

// causeOf returns the delayed record a record of item with hash h queued
// now waits behind: the newest of the cause of its item's newest queued
// record and the newest holdShard delay over h. Must be called with s.mu
// held.
func (s *Stream) causeOf(item string, h uint64) *queued {
	var c *queued
	if q := s.f.qitems[item]; q != nil {
		c = q.cause
	}
	if b := coveredBy(s.f.barriers, h); b != nil && (c == nil || b.r.n > c.r.n) {
		c = b
	}
	return c
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
		q.cause = q
	} else {
		q.cause = s.causeOf(item, x.hash)
		s.noteHeldBehind(q)
	}
	s.f.queue = append(s.f.queue, q)
	if s.f.qitems == nil {
		s.f.qitems = map[string]*queued{}
	}
	s.f.qitems[item] = q
	if q.barrier() {
		s.f.barriers = append(s.f.barriers, q)
	}
}

// noteHeldBehind reports that q was taken out of the sequence to wait
// behind its cause. Must be called with s.mu held.
func (s *Stream) noteHeldBehind(q *queued) {
	hook := s.cfg.hook
	if hook == nil {
		return
	}
	c := s.out(q.cause.r, q.cause.shard)
	hook.Note(s, FollowUp{Decision: q.cause.d, Outcome: OutcomeHeldBehind, Record: s.out(q.r, q.shard),
		Detail: "held behind delayed record " + c.EventID + " (first appended to " + c.ShardID + " as " + c.SequenceNumber +
			"): out of the sequence until released"})
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
		s.f.qitems[q.item] = q
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
	if hook := s.cfg.hook; hook != nil {
		r := s.out(x, sh.id)
		hook.Note(s, FollowUp{Decision: q.cause.d, Outcome: OutcomeReleased, Record: r,
			OriginalSequenceNumber: formatSeq(q.r.n), OriginalShardID: q.shard, Detail: s.releaseDetail(q, r)})
	}
	d := q.d
	if d.Action == FaultDelay {
		d = Decision{}
	}
	s.placeDecided(sh, x, d, q.item, now)
}

// releaseDetail describes the release of q as r for Hook.Note.
func (s *Stream) releaseDetail(q *queued, r Record) string {
	how := "released after " + q.d.Delay.String()
	if q.cause != q {
		how = "released after waiting behind delayed record " + s.out(q.cause.r, q.cause.shard).EventID
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
