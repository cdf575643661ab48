package stream

import (
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

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
// stream's mutex are held: in commit order. Note is told, under the same
// locks, of a later consequence of an earlier reorder decision: the record
// was swapped with the next record of its item (other is that record, as
// appended) or released in place without a partner (other is zero).
// Neither may call back into the Stream.
type Hook interface {
	Decide(s *Stream, r Record) Decision
	Note(s *Stream, d Decision, r, other Record, detail string)
}

// hold is why one record (by counter value) is not visible yet. It is
// released once its time has come, its reorder partner arrived (or the
// wait ended) and every record it waits behind was released.
type hold struct {
	sh      *shard
	until   time.Time // zero: no time condition
	reorder *Decision // non-nil: waiting for the next record of its item
	after   []uint64  // counter values of held records it waits behind
	item    string
}

// barrier is a holdShard delay: records appended to hash range [lo, hi]
// wait behind record n until it is released.
type barrier struct {
	lo, hi, n uint64
}

// faultState is the fault layer's state of a stream. Guarded by the
// stream's mutex.
type faultState struct {
	holds    map[uint64]*hold
	order    []uint64          // keys of holds, ascending
	items    map[string]uint64 // newest held record of each item
	barriers []barrier
}

// held reports whether any record is held.
func (f *faultState) held() bool { return len(f.order) > 0 }

// place stores the record r, just numbered for shard sh, as the fault hook
// decides. Must be called with s.mu held.
func (s *Stream) place(sh *shard, r Record, now time.Time) {
	sh.last = r.n
	hook := s.cfg.hook
	if hook == nil && !s.f.held() {
		sh.recs = append(sh.recs, r)
		sh.n.appended++
		return
	}
	var d Decision
	if hook != nil {
		d = hook.Decide(s, r)
	}
	if d.Action == FaultDrop {
		sh.n.dropped++ // the sequence number stays consumed: a gap
		return
	}
	r.dup = d.Action == FaultDuplicate
	sh.recs = append(sh.recs, r)
	sh.n.appended++
	if (d.Action == "" || r.dup) && !s.f.held() {
		return // nothing held that it could wait behind or pair with
	}
	item := s.itemKey(r.Keys)
	if s.swapReordered(sh, r, d, item) {
		return
	}
	h := &hold{sh: sh, item: item, after: s.waitsBehind(r, item)}
	switch d.Action {
	case FaultDelay:
		sh.n.delayed++
		h.until = now.Add(max(0, d.Delay))
		if d.HoldShard {
			s.f.barriers = append(s.f.barriers, barrier{lo: sh.lo, hi: sh.hi, n: r.n})
		}
	case FaultReorder:
		dc := d
		h.reorder, h.until = &dc, now.Add(ReorderWait)
	}
	if h.until.IsZero() && len(h.after) == 0 {
		return // visible at once
	}
	s.addHold(r.n, h)
}

// waitsBehind returns the held records r must wait behind: the newest held
// record of its item and every holdShard delay over its hash. Must be
// called with s.mu held.
func (s *Stream) waitsBehind(r Record, item string) []uint64 {
	var after []uint64
	if n, ok := s.f.items[item]; ok {
		after = append(after, n)
	}
	for _, b := range s.f.barriers {
		if b.lo <= r.Hash && r.Hash <= b.hi {
			after = append(after, b.n)
		}
	}
	return after
}

// swapReordered completes a pending reorder of r's item: when the newest
// held record of the item waits for a partner in the same shard and r is
// appended normally (or duplicated), the two records trade places (each
// keeps its slot's sequence number) and both become visible together,
// unless the earlier one still waits for something else. It reports
// whether r was handled. Must be called with s.mu held.
func (s *Stream) swapReordered(sh *shard, r Record, d Decision, item string) bool {
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
		hook.Note(s, *h.reorder, a, b, "swapped with the next record of the item: eventID "+
			a.EventID+" now at "+b.SequenceNumber+", eventID "+b.EventID+" now at "+a.SequenceNumber)
	}
	h.reorder, h.until = nil, time.Time{}
	if len(h.after) == 0 {
		s.dropHold(n)
	}
	return true
}

// partnerWhy says why a record did not become a reorder partner.
func partnerWhy(otherShard bool, action string) string {
	if otherShard {
		return "appended to another shard"
	}
	return action + "ed"
}

// movedTo returns r's change in slot's place: the slot keeps its sequence
// number (so the shard stays ordered); the event id, event name, keys,
// images, creation time and duplicate mark travel with the change.
func (r Record) movedTo(slot Record) Record {
	r.SequenceNumber, r.n, r.ShardID = slot.SequenceNumber, slot.n, slot.ShardID
	return r
}

// endReorder ends the wait of a reordered record without a partner and
// notes it. Must be called with s.mu held.
func (s *Stream) endReorder(n uint64, h *hold, detail string) {
	if hook := s.cfg.hook; hook != nil {
		if i := h.sh.index(n); i >= 0 {
			hook.Note(s, *h.reorder, h.sh.recs[i], Record{}, detail)
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
	kept := s.f.barriers[:0]
	for _, b := range s.f.barriers {
		if b.n != n {
			kept = append(kept, b)
		}
	}
	s.f.barriers = kept
}

// releaseHeld releases every held record whose conditions are met at now.
// Records wait only behind older ones, so one pass in counter order
// suffices. Must be called with s.mu held.
func (s *Stream) releaseHeld(now time.Time) {
	if !s.f.held() {
		return
	}
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

// releaseAll releases every held record at once. Must be called with s.mu
// held.
func (s *Stream) releaseAll() {
	s.f = faultState{}
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

// firstHeld returns the counter value of the oldest held record of sh, or
// 0. Must be called with s.mu held.
func (s *Stream) firstHeld(sh *shard) uint64 {
	for _, n := range s.f.order {
		if s.f.holds[n].sh == sh {
			return n
		}
	}
	return 0
}

// heldIn counts the held records of sh. Must be called with s.mu held.
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

// itemKey identifies an item by its key attributes.
func (s *Stream) itemKey(keys attr.Item) string {
	k := attr.EncodeKey(keys[s.spec.Key.Hash])
	if rk := s.spec.Key.Range; rk != "" {
		k += "\x00" + attr.EncodeKey(keys[rk])
	}
	return k
}
