package stream

import (
	"cmp"
	"slices"
	"sort"
	"time"
)

// ConsumerInfo is the state of one consumer of one stream.
type ConsumerInfo struct {
	ID, Kind    string
	StreamARN   string
	Table       string
	First, Last time.Time // first and latest contact (clock)
	// Since is the sequence number its scope starts at: records numbered
	// lower were never its to miss.
	Since string
	// Missed counts, by reason, the records of its scope it did not
	// receive: lost for good (dropped, trimmed, skipped, discarded, unread)
	// and still to read (pending). Counts of records lost for good never
	// go down.
	Missed map[string]int
	// Duplicates counts records handed to it again; OrderViolations the
	// child shards it read before it had finished their parent.
	Duplicates, OrderViolations uint64
	// Lag is the largest of its shards' lags.
	Lag    time.Duration
	Shards []ConsumerShardInfo
}

// ConsumerShardInfo is a consumer's state in one shard of its scope.
type ConsumerShardInfo struct {
	ShardID, Parent string
	Open            bool
	// Position is where its reads reached (the sequence number of the
	// next record it would read); "" before its first read.
	Position string
	// Lag is the clock age of the oldest record of its scope in the shard
	// it was not handed, counting records trimmed before it read them
	// until it reads on past them; 0 when it is caught up.
	Lag    time.Duration
	Missed map[string]int
}

// ConsumerInfos returns the state of every consumer of the stream as of
// now, ordered by ID.
func (s *Stream) ConsumerInfos(now time.Time) []ConsumerInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	out := make([]ConsumerInfo, 0, len(s.cons))
	for _, c := range s.cons {
		out = append(out, s.consumerInfo(c, now))
	}
	slices.SortFunc(out, func(a, b ConsumerInfo) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	return out
}

// ConsumerInfo returns the state of the consumer with the ID; ok is false
// when the stream does not know it.
func (s *Stream) ConsumerInfo(id string, now time.Time) (ConsumerInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	c := s.cons[id]
	if c == nil {
		return ConsumerInfo{}, false
	}
	return s.consumerInfo(c, now), true
}

// HasConsumer reports whether the stream knows the consumer with the ID.
func (s *Stream) HasConsumer(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cons[id] != nil
}

// consumerInfo summarises c. Must be called with s.mu held.
func (s *Stream) consumerInfo(c *consumer, now time.Time) ConsumerInfo {
	in := ConsumerInfo{
		ID: c.id, Kind: c.kind, StreamARN: s.spec.ARN, Table: s.spec.Table, First: c.first, Last: c.last,
		Since: formatSeq(c.since), Missed: map[string]int{}, Duplicates: c.dups,
		OrderViolations: c.orderViolations,
	}
	for reason, n := range c.lost { // for good: dropped, trimmed, skipped at a trim, discarded
		in.Missed[reason] += int(n)
	}
	for _, sh := range s.shards {
		cs := c.shards[sh.id]
		if cs == nil && (sh.last < c.since || len(sh.recs) == 0) {
			continue // nothing of its scope ever in this shard, or nothing left
		}
		si := ConsumerShardInfo{ShardID: sh.id, Parent: sh.parent, Open: !sh.closed, Missed: map[string]int{}}
		if cs != nil && cs.readTo > 0 {
			si.Position = formatSeq(cs.readTo)
		}
		var oldest time.Time
		s.walkMissing(c, sh, func(x rec, reason string) bool {
			si.Missed[reason]++
			if oldest.IsZero() || x.created.Before(oldest) {
				oldest = x.created
			}
			return true
		})
		for reason, n := range si.Missed {
			if reason != LossDiscarded { // counted in c.lost
				in.Missed[reason] += n
			}
		}
		if cs != nil {
			delete(si.Missed, LossDiscarded) // the spans count them, stored or not
			for _, l := range cs.lost {
				si.Missed[l.reason] += l.count
				if l.reason == LossTrimmed && cs.readTo <= l.hi && (oldest.IsZero() || l.oldest.Before(oldest)) {
					oldest = l.oldest // trimmed before it read them, and it has not read on since
				}
			}
		}
		if !oldest.IsZero() {
			si.Lag = max(0, now.Sub(oldest))
		}
		in.Lag = max(in.Lag, si.Lag)
		in.Shards = append(in.Shards, si)
	}
	for reason, n := range in.Missed {
		if n == 0 {
			delete(in.Missed, reason)
		}
	}
	return in
}

// walkMissing calls visit, in shard order, for every record still stored
// in sh (or held back by a fault, to be appended to it) that is in c's
// scope and was not handed to c, with the reason: discarded, skipped,
// unread or pending. It stops when visit returns false. Must be called
// with s.mu held.
func (s *Stream) walkMissing(c *consumer, sh *shard, visit func(rec, string) bool) bool {
	cs := c.shards[sh.id]
	unread := sh.closed && (cs == nil || s.readChildOf(c, sh))
	if !unread && cs == nil && sh.parent != "" {
		if p := s.find(sh.parent); p == nil || s.movedPast(c, p) {
			unread = true // it moved past the parent without reading this child
		}
	}
	for _, x := range sh.recs[firstAtOrAfter(sh.recs, c.since):] {
		if cs != nil && cs.got.has(x.n) {
			continue
		}
		reason := LossPending
		switch {
		case cs != nil && cs.lostHas(x.n):
			reason = LossDiscarded // a mapping gave up on it; still stored
		case cs != nil && cs.readTo > x.n:
			reason = LossSkipped
		case unread:
			reason = LossUnread
		}
		if !visit(x, reason) {
			return false
		}
	}
	if sh.closed {
		return true
	}
	for _, q := range s.f.queue {
		if q.r.n >= c.since && s.openShardFor(q.r.hash) == sh && !visit(q.r, LossPending) {
			return false
		}
	}
	return true
}

// readChildOf reports whether c read any child of sh. Must be called with
// s.mu held.
func (s *Stream) readChildOf(c *consumer, sh *shard) bool {
	for _, o := range s.shards {
		if o.parent == sh.id {
			if cs := c.shards[o.id]; cs != nil && cs.read {
				return true
			}
		}
	}
	return false
}

// movedPast reports whether c is done with the closed shard sh as far as
// its children are concerned: it read sh to its end, or sh is an empty
// link of the lineage (a periodic rollover's child that received nothing
// in c's scope) whose own parent c moved past. Must be called with s.mu
// held.
func (s *Stream) movedPast(c *consumer, sh *shard) bool {
	if c.finishedShard(sh) {
		return true
	}
	if !sh.closed || c.shards[sh.id] != nil || firstAtOrAfter(sh.recs, c.since) < len(sh.recs) {
		return false
	}
	p := s.find(sh.parent)
	return sh.parent != "" && (p == nil || s.movedPast(c, p))
}

// finishedShard reports whether c's reads reached the end of the closed
// shard sh.
func (c *consumer) finishedShard(sh *shard) bool {
	cs := c.shards[sh.id]
	return sh.closed && cs != nil && cs.readTo > sh.end()
}

// MissedRecord is one record a consumer did not receive, or a run of them
// whose details the change ledger no longer holds (Count > 1).
type MissedRecord struct {
	StreamARN, Table, ShardID string
	// Reason is LossDropped, LossTrimmed, LossSkipped, LossUnread,
	// LossDiscarded or LossPending.
	Reason string
	// Record is the record as appended; only SequenceNumber and ShardID
	// are set for a run without details.
	Record
	n uint64 // its counter value, for ordering
	// LostAt is when it was lost for good (trimmed, skipped at its trim,
	// discarded); zero for reasons about records still stored and for
	// drops (Record.Created is the drop time).
	LostAt time.Time
	// Count is 1 for one record; for a run without details, how many
	// records it stands for, the last of them numbered LastSequenceNumber.
	Count              int
	LastSequenceNumber string
}

// Missed calls visit for every record the consumer with the ID did not
// receive, shard by shard in creation order and in sequence order within
// a shard, until visit returns false. It reports whether the stream knows
// the consumer.
func (s *Stream) Missed(id string, now time.Time, visit func(MissedRecord) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	c := s.cons[id]
	if c == nil {
		return false
	}
	byN, dropped := s.ledger.byCounter(s)
	shardIDs := s.missedShards(c, dropped)
	for _, id := range shardIDs {
		if !s.missedIn(c, id, byN, dropped, visit) {
			break
		}
	}
	return true
}

// missedShards lists, in creation order, the IDs of the shards where c
// may have missed records: the listed ones and those it lost records of
// or a dropped record of its scope was numbered for. Must be called with
// s.mu held.
func (s *Stream) missedShards(c *consumer, dropped []ledgerEntry) []string {
	seen := map[string]bool{}
	var ids []string
	add := func(id string) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, sh := range s.shards {
		add(sh.id)
	}
	for id, cs := range c.shards {
		if len(cs.lost) > 0 {
			add(id)
		}
	}
	for _, d := range dropped {
		if d.x.n >= c.since {
			add(d.shard)
		}
	}
	sort.Strings(ids) // shard IDs sort in creation order
	return ids
}

// missedIn visits c's missed records of the shard with the ID: those lost
// for good (from its loss spans, detailed from the ledger), those dropped
// (from the ledger) and those still stored it was not handed, merged in
// sequence order. Must be called with s.mu held.
func (s *Stream) missedIn(c *consumer, shardID string, byN map[uint64]ledgerEntry, dropped []ledgerEntry,
	visit func(MissedRecord) bool) bool {
	var rows []MissedRecord
	row := func(x rec, reason string, at time.Time) MissedRecord {
		return MissedRecord{StreamARN: s.spec.ARN, Table: s.spec.Table, ShardID: shardID, Reason: reason,
			Record: s.out(x, shardID), n: x.n, LostAt: at, Count: 1}
	}
	cs := c.shards[shardID]
	sh := s.find(shardID)
	if cs != nil {
		for _, l := range cs.lost {
			rows = append(rows, s.lossRows(cs, sh, l, shardID, byN, row)...)
		}
	}
	for _, d := range dropped {
		if d.shard == shardID && d.x.n >= c.since {
			rows = append(rows, row(d.x, LossDropped, time.Time{}))
		}
	}
	if sh != nil {
		s.walkMissing(c, sh, func(x rec, reason string) bool {
			if reason != LossDiscarded { // listed from the loss spans
				rows = append(rows, row(x, reason, time.Time{}))
			}
			return true
		})
	}
	slices.SortStableFunc(rows, func(a, b MissedRecord) int { return cmp.Compare(a.n, b.n) })
	for _, r := range rows {
		if !visit(r) {
			return false
		}
	}
	return true
}

// lossRows lists the records of loss span l of the shard sh (nil once
// unlisted): those still stored (discarded ones) from the shard, the
// others from the ledger, and one run row for those neither holds any
// more. Must be called with s.mu held.
func (s *Stream) lossRows(cs *consumerShard, sh *shard, l lossSpan, shardID string, byN map[uint64]ledgerEntry,
	row func(rec, string, time.Time) MissedRecord) []MissedRecord {
	var rows []MissedRecord
	if sh != nil && l.reason == LossDiscarded {
		for _, x := range sh.recs[firstAtOrAfter(sh.recs, l.lo):] {
			if x.n > l.hi {
				break
			}
			if !cs.got.has(x.n) {
				rows = append(rows, row(x, l.reason, l.at))
			}
		}
	}
	for _, n := range ledgerCounters(byN, l.lo, l.hi) {
		e := byN[n]
		stored := sh != nil && n > sh.trimmed && sh.index(n) >= 0
		if e.shard != shardID || e.fate == FateDropped || cs.got.has(n) || (l.reason == LossDiscarded && stored) {
			continue
		}
		rows = append(rows, row(e.x, l.reason, l.at))
	}
	if len(rows) < l.count {
		r := row(rec{n: l.lo}, l.reason, l.at)
		r.Record = Record{SequenceNumber: formatSeq(l.lo), ShardID: shardID}
		r.Count, r.LastSequenceNumber = l.count-len(rows), formatSeq(l.hi)
		rows = append(rows, r)
	}
	return rows
}

// ledgerCounters returns, sorted, the counter values in [lo, hi] the
// ledger holds.
func ledgerCounters(byN map[uint64]ledgerEntry, lo, hi uint64) []uint64 {
	var ns []uint64
	if hi-lo < uint64(len(byN)) {
		for n := lo; n <= hi; n++ {
			if _, ok := byN[n]; ok {
				ns = append(ns, n)
			}
		}
		return ns
	}
	for n := range byN {
		if n >= lo && n <= hi {
			ns = append(ns, n)
		}
	}
	slices.Sort(ns)
	return ns
}
