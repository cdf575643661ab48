package stream

import (
	"sort"
	"time"
)

// counters are the per-shard delivery counts behind the metrics. They are
// plain integers guarded by the stream's mutex, which every path that
// changes them already holds, so appending and reading pay one increment.
type counters struct {
	appended, delivered, dropped, delayed uint64
	// readTo is the highest position a GetRecords of the shard returned
	// up to: records at or after it were never delivered to any consumer.
	readTo uint64
	// lostOldest is the creation time of the oldest record trimmed before
	// any read delivered it, and lostTo the counter value of the newest
	// such record: until a read passes lostTo the shard's oldest
	// undelivered change is that trimmed one, so the age does not drop
	// back when the loss happens.
	lostOldest time.Time
	lostTo     uint64
}

// ShardCounters are the delivery counts of one shard since it was opened.
type ShardCounters struct {
	Appended  uint64 // records appended (Append)
	Delivered uint64 // records returned by reads, each consumer counted
	Dropped   uint64 // records the fault layer dropped (CountDropped)
	Delayed   uint64 // records the fault layer delayed (CountDelayed)
	// OldestUndelivered is the creation time of the oldest record that no
	// read has returned yet: a readable one, or one trimmed before any
	// read delivered it while no read has gone past it since; zero when
	// every record was delivered.
	OldestUndelivered time.Time
}

// noteDelivered notes that a read returned the records up to (excluding)
// position next. Must be called with the stream's mutex held.
func (sh *shard) noteDelivered(n int, next uint64) {
	sh.n.delivered += uint64(n)
	sh.n.readTo = max(sh.n.readTo, next)
}

// counters returns the shard's counts. Must be called with the stream's
// mutex held.
func (sh *shard) counters() ShardCounters {
	c := ShardCounters{
		Appended: sh.n.appended, Delivered: sh.n.delivered, Dropped: sh.n.dropped, Delayed: sh.n.delayed,
	}
	i := sort.Search(len(sh.recs), func(i int) bool { return sh.recs[i].n >= sh.n.readTo })
	if i < len(sh.recs) {
		c.OldestUndelivered = sh.recs[i].created
	}
	if !sh.n.lostOldest.IsZero() && sh.n.readTo <= sh.n.lostTo {
		c.OldestUndelivered = sh.n.lostOldest
	}
	return c
}

// noteUndeliveredTrim notes that xs, records about to be trimmed, include
// some no read delivered. Must be called with the stream's mutex held.
func (sh *shard) noteUndeliveredTrim(xs []rec) {
	i := firstAtOrAfter(xs, sh.n.readTo)
	if i == len(xs) {
		return
	}
	if sh.n.lostOldest.IsZero() || sh.n.readTo > sh.n.lostTo {
		sh.n.lostOldest = xs[i].created
	}
	sh.n.lostTo = xs[len(xs)-1].n
}

// CountDropped counts records the fault layer dropped instead of
// appending: each is counted on the shard that holds it (ShardID) or, when
// it was never appended, on the open shard of its Hash. It must not be
// called with the stream's mutex held (it takes it).
func (s *Stream) CountDropped(recs ...Record) {
	s.count(recs, func(c *counters) { c.dropped++ })
}

// CountDelayed counts records the fault layer held back to append later,
// on the same shard CountDropped would pick.
func (s *Stream) CountDelayed(recs ...Record) {
	s.count(recs, func(c *counters) { c.delayed++ })
}

// count applies inc to the counters of each record's shard.
func (s *Stream) count(recs []Record, inc func(*counters)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		if sh := s.shardOf(r); sh != nil {
			inc(&sh.n)
		}
	}
}

// shardOf is the shard a record belongs to: the listed shard named by its
// ShardID, else the open shard of its Hash (nil on a disabled stream).
// Must be called with s.mu held.
func (s *Stream) shardOf(r Record) *shard {
	if r.ShardID != "" {
		if sh := s.find(r.ShardID); sh != nil {
			return sh
		}
	}
	if len(s.open) == 0 {
		return nil
	}
	return s.openShardFor(r.Hash)
}
