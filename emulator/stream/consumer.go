package stream

import (
	"sort"
	"time"
)

// Consumer kinds.
const (
	// ConsumerReader is an external reader (GetShardIterator/GetRecords),
	// identified by the access key id of its requests' signatures.
	ConsumerReader = "reader"
	// ConsumerMapping is an event source mapping, identified by its UUID.
	ConsumerMapping = "mapping"
)

// consumer is what one consumer was handed from one stream. Guarded by
// the stream's mutex.
//
// Its scope is every record whose counter value is at least since: since
// is fixed at its first contact with the stream, as the trim horizon then
// when that contact was a TRIM_HORIZON iterator, else the position it
// asked for (at most the stream's next counter value). Records before it
// were never the consumer's to miss. Counter values are drawn from one
// counter per stream in append order, so the records of shards opened
// later are all in scope.
type consumer struct {
	id, kind    string
	since       uint64
	first, last time.Time // first and latest contact (clock)
	shards      map[string]*consumerShard
	// lost counts the records lost for good, by reason; it never goes
	// down (Prometheus counters and the report's totals).
	lost map[string]uint64
	// dups counts records handed again (a re-read, a duplicate fault);
	// orderViolations the child shards read before their parent was
	// finished.
	dups, orderViolations uint64
}

// consumerShard is one consumer's progress in one shard.
type consumerShard struct {
	// got holds the counter values of the records handed: every stored
	// record of the shard in a span was handed.
	got spans
	// readTo is the position its reads reached (exclusive): records
	// below it that are not in got were read past.
	readTo uint64
	// lost are the records of the shard it lost for good, in order.
	lost []lossSpan
	// expired is the position whose iterator expiry was journaled last.
	expired uint64
	// read: it has been handed records of the shard (the parent check
	// runs at the first).
	read bool
}

// lossSpan is a run of records of one shard a consumer lost for one
// reason: every stored record of the shard in [lo, hi] that it had not
// been handed when the loss happened.
type lossSpan struct {
	lo, hi uint64
	count  int
	reason string
	at     time.Time // when they were lost (clock)
	oldest time.Time // creation time of the first of them
}

// consumerFor returns the consumer with the ID, created at first contact
// with since, or nil for an anonymous request (id ""). Must be called with
// s.mu held.
func (s *Stream) consumerFor(id, kind string, since uint64, now time.Time) *consumer {
	if id == "" {
		return nil
	}
	c := s.cons[id]
	if c == nil {
		if s.cons == nil {
			s.cons = map[string]*consumer{}
		}
		c = &consumer{id: id, kind: kind, since: min(since, s.next), first: now,
			shards: map[string]*consumerShard{}, lost: map[string]uint64{}}
		s.cons[id] = c
		s.countLedgerDrops(c)
	}
	c.last = now
	return c
}

// shard returns c's progress in sh, created empty.
func (c *consumer) shard(sh *shard) *consumerShard {
	cs := c.shards[sh.id]
	if cs == nil {
		cs = &consumerShard{}
		c.shards[sh.id] = cs
	}
	return cs
}

// horizon is the lowest counter value of a record still readable in any
// listed shard (its next counter value when it holds none). Must be
// called with s.mu held.
func (s *Stream) horizon() uint64 {
	h := s.next
	for _, sh := range s.shards {
		if len(sh.recs) > 0 {
			h = min(h, sh.recs[0].n)
		}
	}
	return h
}

// notePositioned is the tracking of GetShardIterator: the consumer's first
// contact fixes its scope. Must be called with s.mu held.
func (s *Stream) notePositioned(id string, sh *shard, typ string, pos uint64, now time.Time) {
	if id == "" {
		return
	}
	since := pos
	if typ == TrimHorizon {
		since = s.horizon()
	}
	c := s.consumerFor(id, ConsumerReader, since, now)
	c.shard(sh)
}

// noteRead is the tracking of GetRecords: the consumer was handed xs (a
// duplicated record counting twice), read from position pos of sh, and
// its reads reached next. Must be called with s.mu held.
func (s *Stream) noteRead(id string, sh *shard, pos, next uint64, xs []rec, now time.Time) {
	if id == "" {
		return
	}
	c := s.consumerFor(id, ConsumerReader, pos, now)
	cs := c.shard(sh)
	cs.readTo = max(cs.readTo, next)
	if len(xs) == 0 {
		return
	}
	first, last := xs[0].n, xs[len(xs)-1].n
	lo := min(pos, first)
	if cs.got.overlaps(lo, last) {
		for _, x := range xs {
			if cs.got.has(x.n) {
				c.dups += uint64(x.copies())
			}
		}
	}
	for _, x := range xs {
		if x.dup {
			c.dups++ // a duplicate fault: handed twice in a row
		}
	}
	s.handOut(c, cs, sh, lo, last)
}

// handOut notes that c was handed every stored record of sh from position
// lo up to last (the caller counts duplicates). Must be called with s.mu
// held.
func (s *Stream) handOut(c *consumer, cs *consumerShard, sh *shard, lo, last uint64) {
	if !cs.read {
		cs.read = true
		if !s.parentFinished(c, sh) {
			c.orderViolations++
		}
	}
	cs.got.add(lo, last)
}

// Handled notes that the consumer with the ID (an event source mapping)
// is done with recs, records of the shard in order: its checkpoint moved
// past them. It is a no-op for an unknown shard.
func (s *Stream) Handled(id, shardID string, recs []Record) {
	s.mappingDone(id, shardID, recs, func(c *consumer, cs *consumerShard, sh *shard, ns []uint64, _ time.Time) {
		for i, n := range ns {
			if (i > 0 && n == ns[i-1]) || cs.got.has(n) {
				c.dups++ // handed before (a redelivery)
			}
		}
		s.handOut(c, cs, sh, min(sh.after(ns[0]), ns[0]), ns[len(ns)-1])
	})
}

// mappingDone is the common part of Handled and Discarded: it finds the
// shard and the mapping's progress in it, moves its position past recs
// (their counter values are ns, in order) and calls note, all with s.mu
// held. Records this package did not number and unknown shards are
// ignored.
func (s *Stream) mappingDone(id, shardID string, recs []Record,
	note func(c *consumer, cs *consumerShard, sh *shard, ns []uint64, now time.Time)) {
	ns := seqCounters(recs)
	if len(ns) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.find(shardID)
	if sh == nil {
		return
	}
	now := s.cfg.clock.Now()
	c := s.consumerFor(id, ConsumerMapping, ns[0], now)
	cs := c.shard(sh)
	cs.readTo = max(cs.readTo, ns[len(ns)-1]+1)
	note(c, cs, sh, ns, now)
}

// seqCounters returns the counter values of records this package numbered
// (their sequence numbers); records with other numbers are left out.
func seqCounters(recs []Record) []uint64 {
	ns := make([]uint64, 0, len(recs))
	for _, r := range recs {
		if n, ok := parseSeq(r.SequenceNumber); ok {
			ns = append(ns, n)
		}
	}
	return ns
}

// Track registers a consumer that reads on its own (an event source
// mapping) at its creation: its scope starts at the trim horizon for
// TrimHorizon, else at the next record appended. Tracking an existing
// consumer changes nothing.
func (s *Stream) Track(id, kind, from string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	since := s.next
	if from == TrimHorizon {
		since = s.horizon()
	}
	s.consumerFor(id, kind, since, now)
}

// Forget stops tracking the consumer with the ID.
func (s *Stream) Forget(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cons, id)
}

// after is the lowest position from which n is the first stored record of
// sh: one past the record before it, or the first position the shard can
// hold. Must be called with s.mu held.
func (sh *shard) after(n uint64) uint64 {
	i := sort.Search(len(sh.recs), func(i int) bool { return sh.recs[i].n >= n })
	if i > 0 {
		return sh.recs[i-1].n + 1
	}
	return max(sh.start+1, sh.trimmed+1)
}

// parentFinished reports whether c is done with the ancestors of sh: it
// has no parent listed, or every record of its parent in c's scope was
// handed to c or lost, and so on up the lineage (a rolled-over shard's
// empty children do not hide a grandparent c has not finished). Must be
// called with s.mu held.
func (s *Stream) parentFinished(c *consumer, sh *shard) bool {
	p := s.find(sh.parent)
	if sh.parent == "" || p == nil {
		return true
	}
	if !p.closed {
		return false
	}
	cp := c.shards[p.id]
	for _, x := range p.recs {
		if x.n < c.since {
			continue
		}
		if cp == nil || (!cp.got.has(x.n) && !cp.lostHas(x.n)) {
			return false
		}
	}
	return s.parentFinished(c, p)
}

// lostHas reports whether n is in one of cs's loss spans.
func (cs *consumerShard) lostHas(n uint64) bool {
	i := sort.Search(len(cs.lost), func(i int) bool { return cs.lost[i].hi >= n })
	return i < len(cs.lost) && cs.lost[i].lo <= n
}
