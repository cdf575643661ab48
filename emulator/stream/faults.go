package stream

import "time"

// Fault actions a Hook may decide for an appended record.
const (
	FaultDrop      = "drop"
	FaultDelay     = "delay"
	FaultDuplicate = "duplicate"
	FaultReorder   = "reorder"
)

// ReorderWait bounds, in clock time, how long a reordered record waits for
// the next record of its item before it is released in place.
const ReorderWait = time.Minute

// Decision is what the fault layer does with one appended record. The zero
// value appends it normally.
type Decision struct {
	// Action is "" or one of FaultDrop, FaultDelay, FaultDuplicate,
	// FaultReorder; anything else appends normally.
	Action string
	// Delay is how long (clock time) a delayed record stays invisible.
	Delay time.Duration
	// HoldShard: a delayed record also holds every later record appended
	// to its hash range (its shard and the shard's children).
	HoldShard bool
	// Rule names the decision for Hook.Note (the fault rule's id).
	Rule string
}

// Hook is the fault layer at the append point.
//
// Decide is called once per record as it is appended, with its sequence
// number, event id and shard set, while the table's write lock and the
// stream's mutex are held: in commit order. Note is told, with the
// stream's mutex held, of every later consequence of a decision for a
// record, one FollowUp per record concerned, so that nothing is moved,
// held or renumbered without a report naming it. Neither may call back
// into the Stream.
type Hook interface {
	Decide(s *Stream, r Record) Decision
	Note(s *Stream, f FollowUp)
}

// Outcomes of a FollowUp.
const (
	// OutcomeHeldBehind: a record without a delay of its own was taken out
	// of its shard's sequence to wait behind a delayed record (of its item,
	// or a holdShard delay over its hash range). Record is as first
	// appended; its sequence number stays unused.
	OutcomeHeldBehind = "heldBehind"
	// OutcomeReleased: a delayed record, or one held behind it, was
	// appended at its release with a new sequence number at the end of the
	// open shard of its hash range (Record; Original... name where it was
	// first appended), keeping its event id, images and creation time.
	OutcomeReleased = "released"
	// OutcomeSwapped: a reordered record and the next record of its item
	// traded places; each gets a FollowUp (Record where its change is now,
	// Original... the slot it was appended to). Both keep their event ids.
	OutcomeSwapped = "swapped"
	// OutcomeReleasedInPlace: a reordered record found no partner (none
	// within ReorderWait, the next one went elsewhere, the shard closed or
	// the faults were released) and became readable where it was appended.
	OutcomeReleasedInPlace = "releasedInPlace"
	// OutcomeHeldInPlace: a record appended to a shard behind a record
	// held in place for a reorder (of another item, or waiting behind one)
	// stays unreadable at its own sequence number until the records before
	// it are released; Record is where it is and stays.
	OutcomeHeldInPlace = "heldInPlace"
)

// FollowUp is a later consequence of a decision, reported to Hook.Note.
type FollowUp struct {
	// Decision is the decision it follows from: the record's own delay or
	// reorder, or for a record held behind a delayed one, that delay's.
	Decision Decision
	Outcome  string // OutcomeHeldBehind, OutcomeReleased, ...
	// Record is the record concerned, as it is now.
	Record Record
	// OriginalSequenceNumber and OriginalShardID are where Record was
	// first appended when it was renumbered (released or swapped); "" for
	// the other outcomes.
	OriginalSequenceNumber, OriginalShardID string
	// Detail says what happened, naming the other records involved.
	Detail string
}

// hold is why one record (by counter value) stays invisible at its place
// in its shard: a reordered record waiting for the next record of its
// item, or a record of the same item waiting behind one. It is released
// once its reorder partner arrived (or the wait ended) and every record it
// waits behind was released. Delayed records are not held in place: they
// leave the sequence (queued, delay.go).
type hold struct {
	sh      *shard
	until   time.Time // zero: no time condition
	reorder *Decision // non-nil: waiting for the next record of its item
	after   []uint64  // counter values of held records it waits behind
	item    string
	// cause is the reorder decision that put it in place: its own, or
	// that of the record it waits behind. It outlives reorder (cleared
	// once a partner came or the wait ended) so that a record held behind
	// it later still names the rule.
	cause Decision
}

// faultState is the fault layer's state of a stream. Guarded by the
// stream's mutex.
type faultState struct {
	holds map[uint64]*hold
	order []uint64          // keys of holds, ascending
	items map[string]uint64 // newest held record of each item

	queue    []*queued          // records out of sequence until released, oldest first
	qitems   map[string]*queued // newest queued record of each item
	barriers []*queued          // queued holdShard delays
}

// held reports whether any record is held, in place or queued.
func (f *faultState) held() bool { return len(f.order) > 0 || len(f.queue) > 0 }

// place stores the record x, just numbered for shard sh (r is it as a
// Record), as the fault hook decides: dropped, queued out of sequence
// (delayed, or behind a delayed record of its item or a holdShard delay
// over its hash), or appended to sh. Must be called with s.mu held.
func (s *Stream) place(sh *shard, x rec, r Record, now time.Time) {
	sh.last = x.n // a dropped or queued record's number stays consumed: a gap
	var d Decision
	if hook := s.cfg.hook; hook != nil {
		d = hook.Decide(s, r)
	}
	switch {
	case d.Action == FaultDrop:
		sh.n.dropped++
		s.noteDropped()
		s.ledger.add(s, sh.id, x, FateDropped)
		return
	case (d.Action == "" || d.Action == FaultDuplicate) && !s.f.held():
		// Nothing held that it could wait behind or pair with.
		x.dup = d.Action == FaultDuplicate
		sh.push(x)
		sh.n.appended++
		s.ledger.add(s, sh.id, x, FateStored)
		return
	}
	item := x.keys // packed in key order: equal keys, equal strings
	if d.Action == FaultDelay || s.queuedAhead(x, item) {
		s.enqueue(sh, x, d, item, now, s.ledger.add(s, sh.id, x, FateHeld))
		return
	}
	s.ledger.add(s, sh.id, x, FateStored)
	s.placeDecided(sh, x, d, item, now)
}

// placeDecided appends x to sh as d decides, d being no delay: duplicated,
// held in place for a reorder, or held in place behind a held record of
// its item. Must be called with s.mu held.
func (s *Stream) placeDecided(sh *shard, x rec, d Decision, item string, now time.Time) {
	x.dup = d.Action == FaultDuplicate
	sh.push(x)
	sh.n.appended++
	if (d.Action == "" || x.dup) && len(s.f.order) == 0 {
		return // nothing held in place that it could wait behind or pair with
	}
	if s.swapReordered(sh, d, item) {
		return
	}
	s.noteHeldInPlace(sh, x)
	h := &hold{sh: sh, item: item, after: s.waitsBehind(item)}
	if d.Action == FaultReorder {
		dc := d
		h.reorder, h.until, h.cause = &dc, now.Add(ReorderWait), d
	} else if len(h.after) > 0 {
		h.cause = s.reorderBehind(h.after[0])
	}
	if h.reorder == nil && len(h.after) == 0 {
		return // visible at once
	}
	s.addHold(x.n, h)
}

// waitsBehind returns the records held in place that a record of item
// must wait behind: the newest one of the item. Must be called with s.mu
// held.
func (s *Stream) waitsBehind(item string) []uint64 {
	if n, ok := s.f.items[item]; ok {
		return []uint64{n}
	}
	return nil
}

// swapReordered completes a pending reorder of the item of sh's last
// record, just appended as d decides: when the newest held record of the
// item waits for a partner in the same shard and the last record is
// appended normally (or duplicated), the two records trade places (each
// keeps its slot's sequence number) and both become visible together,
// unless the earlier one still waits for something else. It reports
// whether the last record was handled. Must be called with s.mu held.
func (s *Stream) swapReordered(sh *shard, d Decision, item string) bool {
	n, ok := s.f.items[item]
	if !ok {
		return false
	}
	h := s.f.holds[n]
	if h.reorder == nil {
		return false
	}
	if h.sh != sh || (d.Action != "" && d.Action != FaultDuplicate) {
		s.endReorder(n, h, "released in place: the next record of the item was "+partnerWhy(h.sh != sh, d.Action))
		return false
	}
	i, j := sh.index(n), len(sh.recs)-1
	if i < 0 {
		return false
	}
	a, b := sh.recs[i], sh.recs[j]
	sh.recs[i], sh.recs[j] = b.movedTo(a), a.movedTo(b)
	if hook := s.cfg.hook; hook != nil {
		ra, rb := s.out(a, sh.id), s.out(b, sh.id)
		detail := "swapped with the next record of the item: eventID " + ra.EventID + " now at " + rb.SequenceNumber +
			", eventID " + rb.EventID + " now at " + ra.SequenceNumber
		for _, x := range [][2]Record{{ra, rb}, {rb, ra}} {
			moved := x[0]
			moved.SequenceNumber = x[1].SequenceNumber
			hook.Note(s, FollowUp{Decision: *h.reorder, Outcome: OutcomeSwapped, Record: moved,
				OriginalSequenceNumber: x[0].SequenceNumber, OriginalShardID: sh.id, Detail: detail})
		}
	}
	h.reorder, h.until = nil, time.Time{}
	if len(h.after) == 0 {
		s.dropHold(n)
	}
	return true
}

// noteHeldInPlace reports that x, just appended to sh, is unreadable
// where it is because an older record of sh is held in place (a reordered
// record waiting for its partner, or a record waiting behind one): it
// keeps its number and becomes readable once the records before it are
// released. Must be called with s.mu held.
func (s *Stream) noteHeldInPlace(sh *shard, x rec) {
	hook := s.cfg.hook
	if hook == nil {
		return
	}
	fh := s.firstHeld(sh)
	if fh == 0 || fh >= x.n {
		return
	}
	i := sh.index(fh)
	if i < 0 {
		return
	}
	d := s.reorderBehind(fh)
	b := s.out(sh.recs[i], sh.id)
	hook.Note(s, FollowUp{Decision: d, Outcome: OutcomeHeldInPlace, Record: s.out(x, sh.id),
		Detail: "held in place behind record " + b.EventID + " (" + b.SequenceNumber + " in " + sh.id +
			"), held for a reorder: keeps its sequence number, readable once that record is released"})
}

// reorderBehind returns the reorder decision that holds record n in place:
// its own, or that of the record it waits behind. Must be called with s.mu
// held.
func (s *Stream) reorderBehind(n uint64) Decision {
	for range len(s.f.order) {
		h := s.f.holds[n]
		if h == nil {
			break
		}
		if h.reorder != nil {
			return *h.reorder
		}
		if h.cause.Action != "" {
			return h.cause
		}
		if len(h.after) == 0 {
			break
		}
		n = h.after[0]
	}
	for _, m := range s.f.order {
		if h := s.f.holds[m]; h.reorder != nil {
			return *h.reorder
		}
	}
	return Decision{Action: FaultReorder}
}

// partnerWhy says why a record did not become a reorder partner.
func partnerWhy(otherShard bool, action string) string {
	if otherShard {
		return "appended to another shard"
	}
	return action + "ed"
}

// movedTo returns x's change in slot's place: the slot keeps its sequence
// number and store time (so the shard stays ordered); the event id, event
// name, keys, images, creation time and duplicate mark travel with the
// change.
func (x rec) movedTo(slot rec) rec {
	x.n, x.wait = slot.n, slot.stored().Sub(x.created)
	return x
}

// endReorder ends the wait of a reordered record without a partner and
// notes it. Must be called with s.mu held.
func (s *Stream) endReorder(n uint64, h *hold, detail string) {
	if hook := s.cfg.hook; hook != nil {
		if i := h.sh.index(n); i >= 0 {
			hook.Note(s, FollowUp{Decision: *h.reorder, Outcome: OutcomeReleasedInPlace, Record: s.out(h.sh.recs[i], h.sh.id), Detail: detail})
		}
	}
	h.reorder, h.until = nil, time.Time{}
}

// addHold registers the hold of record n. Must be called with s.mu held.
func (s *Stream) addHold(n uint64, h *hold) {
	if s.f.holds == nil {
		s.f.holds, s.f.items = map[uint64]*hold{}, map[string]uint64{}
	}
	s.f.holds[n] = h
	s.f.order = append(s.f.order, n) // n is the newest counter value
	s.f.items[h.item] = n
}

// dropHold releases record n. Must be called with s.mu held.
func (s *Stream) dropHold(n uint64) {
	h := s.f.holds[n]
	if h == nil {
		return
	}
	delete(s.f.holds, n)
	for i, m := range s.f.order {
		if m == n {
			s.f.order = append(s.f.order[:i], s.f.order[i+1:]...)
			break
		}
	}
	if s.f.items[h.item] == n {
		delete(s.f.items, h.item)
	}
}

// releaseHeld releases every held record whose conditions are met at now:
// first the queued records that are due, appended at the end of the open
// shards (where they may join an item's records held in place), then the
// records held in place. Records wait only behind older ones, so one pass
// in counter order suffices. Must be called with s.mu held.
func (s *Stream) releaseHeld(now time.Time) {
	if !s.f.held() {
		return
	}
	// Holds that ended since the last pass (a swap, a reorder released in
	// place) go first, so that a record released from the queue is not
	// held, nor reported held, behind records already free.
	for _, n := range append([]uint64(nil), s.f.order...) {
		if h := s.f.holds[n]; h.reorder == nil && !s.waiting(h) {
			s.dropHold(n)
		}
	}
	s.releaseQueued(now, false)
	for _, n := range append([]uint64(nil), s.f.order...) {
		h := s.f.holds[n]
		if h.reorder != nil && (h.sh.closed || !now.Before(h.until)) {
			why := "released in place: no later record of the item within " + ReorderWait.String()
			if h.sh.closed {
				why = "released in place: the shard closed before a later record of the item arrived"
			}
			s.endReorder(n, h, why)
		}
		if h.reorder != nil || (!h.until.IsZero() && now.Before(h.until)) || s.waiting(h) {
			continue
		}
		s.dropHold(n)
	}
}

// waiting reports whether h still waits behind a held record.
func (s *Stream) waiting(h *hold) bool {
	for _, m := range h.after {
		if _, ok := s.f.holds[m]; ok {
			return true
		}
	}
	return false
}

// releaseAll releases every held record at once: the queued ones are
// appended in order at now, then every record held in place becomes
// visible where it is (a reordered one noted as released in place). Must
// be called with s.mu held.
func (s *Stream) releaseAll(now time.Time) {
	s.releaseQueued(now, true)
	for _, n := range s.f.order {
		if h := s.f.holds[n]; h.reorder != nil {
			s.endReorder(n, h, "released in place: the faults were released")
		}
	}
	s.f.holds, s.f.order, s.f.items = nil, nil, nil
}

// forgetTrimmed drops the holds of records of sh that were trimmed. Must
// be called with s.mu held.
func (s *Stream) forgetTrimmed(sh *shard) {
	for _, n := range append([]uint64(nil), s.f.order...) {
		if h := s.f.holds[n]; h.sh == sh && n <= sh.trimmed {
			s.dropHold(n)
		}
	}
}

// firstHeld returns the counter value of the oldest record held in place
// in sh, or 0. Must be called with s.mu held.
func (s *Stream) firstHeld(sh *shard) uint64 {
	for _, n := range s.f.order {
		if s.f.holds[n].sh == sh {
			return n
		}
	}
	return 0
}

// heldIn counts the records held in place in sh. Must be called with s.mu
// held.
func (s *Stream) heldIn(sh *shard) int {
	c := 0
	for _, n := range s.f.order {
		if s.f.holds[n].sh == sh {
			c++
		}
	}
	return c
}

// index returns the index in sh.recs of the record with counter value n,
// or -1.
func (sh *shard) index(n uint64) int {
	lo, hi := 0, len(sh.recs)
	for lo < hi {
		mid := (lo + hi) / 2
		if sh.recs[mid].n < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(sh.recs) && sh.recs[lo].n == n {
		return lo
	}
	return -1
}
