package stream

import (
	"strconv"
	"time"
)

// Reasons a consumer did not receive a record (the missed-changes report)
// and reasons of loss events (LossRecorder).
const (
	// LossDropped: a stream fault dropped the record; it was never stored.
	LossDropped = "dropped"
	// LossTrimmed: retention or a trim removed the record before the
	// consumer read it.
	LossTrimmed = "trimmed"
	// LossSkipped: the consumer read past the record on its shard without
	// receiving it (an iterator re-opened at LATEST, a checkpoint that
	// jumped).
	LossSkipped = "skipped"
	// LossUnread: the record is in a shard the consumer never read, a
	// closed shard or a child, while it moved on.
	LossUnread = "unread"
	// LossDiscarded: an event source mapping gave up on the record.
	LossDiscarded = "discarded"
	// LossPending: the record is still in the stream, not yet read: lag,
	// not loss.
	LossPending = "pending"
	// LossExpired: the consumer's iterator expired (a loss event; the
	// records it was about to read are at risk, not lost).
	LossExpired = "expired"
	// LossRollover and LossSplit: a shard closed with records the
	// consumer had not read (a loss event; they are at risk until read).
	LossRollover = "rollover"
	LossSplit    = "split"
)

// Loss is one event by which records left, or may leave, a consumer's
// reach, for the journal.
type Loss struct {
	Reason string
	// Consumer is the consumer it concerns; "" for the stream as a whole
	// (records trimmed that no read had delivered, a shard closed).
	Consumer string
	ShardID  string
	// Records are the records it names, in shard order, when they are
	// at hand (at most LossDetailLimit per event); Count is how many
	// records it concerns and First and Last their sequence numbers.
	Records     []Record
	Count       int
	First, Last string
	Detail      string
}

// LossDetailLimit bounds the records one Loss carries: a trim of a
// million records a stalled consumer never read names the first ones,
// and Count, First and Last the whole run.
const LossDetailLimit = 1000

// LossRecorder journals loss events. Lost is called with the stream's
// mutex held and must not call back into the Stream.
type LossRecorder interface {
	Lost(s *Stream, l Loss)
}

// lossOf builds a Loss over recs (in shard order, at least one).
func lossOf(reason, consumer, shardID string, recs []Record, detail string) Loss {
	l := Loss{Reason: reason, Consumer: consumer, ShardID: shardID, Count: len(recs),
		First: recs[0].SequenceNumber, Last: recs[len(recs)-1].SequenceNumber, Detail: detail}
	l.Records = recs[:min(len(recs), LossDetailLimit)]
	return l
}

// lost reports l to the loss recorder, if any. Must be called with s.mu
// held.
func (s *Stream) lost(l Loss) {
	if rec := s.cfg.losses; rec != nil {
		rec.Lost(s, l)
	}
}

// trimShard removes the k oldest records of sh at now: each consumer loses
// those of them in its scope it was not handed (skipped when it had read
// past them, trimmed otherwise), and those no read ever delivered are
// journaled. Must be called with s.mu held.
func (s *Stream) trimShard(sh *shard, k int, now time.Time, how string) {
	recs := sh.recs[:k]
	for _, c := range s.cons {
		s.loseTrimmed(c, sh, recs, now, how)
	}
	if i := firstAtOrAfter(recs, sh.n.readTo); i < len(recs) && len(s.cons) == 0 {
		// No consumer is known to name them for: journal them once for
		// the stream.
		s.lost(lossOf(LossTrimmed, "", sh.id, recs[i:], how+": never delivered to any reader"))
	}
	sh.trimmed = recs[k-1].n
	sh.trimCount += k
	clear(sh.recs[:k]) // let the images be collected
	sh.recs = sh.recs[k:]
	s.forgetTrimmed(sh)
}

// firstAtOrAfter is the index of the first of recs with a counter value
// of at least n.
func firstAtOrAfter(recs []Record, n uint64) int {
	lo, hi := 0, len(recs)
	for lo < hi {
		mid := (lo + hi) / 2
		if recs[mid].n < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// loseTrimmed records, for consumer c, the trimmed records recs of sh in
// its scope that it was not handed. Must be called with s.mu held.
func (s *Stream) loseTrimmed(c *consumer, sh *shard, recs []Record, now time.Time, how string) {
	i := firstAtOrAfter(recs, c.since)
	if i == len(recs) {
		return
	}
	cs := c.shards[sh.id]
	if cs != nil && cs.got.covers(recs[i].n, recs[len(recs)-1].n) {
		return // the common case: it read them all
	}
	var run []Record
	reason := ""
	flush := func() {
		if len(run) == 0 {
			return
		}
		if cs == nil {
			cs = c.shard(sh)
		}
		cs.addLoss(run, reason, now)
		c.lost[reason] += uint64(len(run))
		detail := how + ": not yet read by the consumer"
		if reason == LossSkipped {
			detail = how + ": the consumer had read past it without receiving it"
		}
		s.lost(lossOf(reason, c.id, sh.id, run, detail))
		run = nil
	}
	for _, r := range recs[i:] {
		if cs != nil && (cs.got.has(r.n) || cs.lostHas(r.n)) {
			flush()
			continue
		}
		why := LossTrimmed
		if cs != nil && cs.readTo > r.n {
			why = LossSkipped
		}
		if why != reason {
			flush()
			reason = why
		}
		run = append(run, r)
	}
	flush()
}

// addLoss appends the loss of recs (in order, after every earlier loss of
// the shard) for reason at now.
func (cs *consumerShard) addLoss(recs []Record, reason string, now time.Time) {
	cs.lost = append(cs.lost, lossSpan{lo: recs[0].n, hi: recs[len(recs)-1].n, count: len(recs),
		reason: reason, at: now, oldest: recs[0].Created})
}

// Discarded notes that the consumer with the ID (an event source mapping)
// gave up on recs, records of the shard in order, and moved its
// checkpoint past them. The mapping journals the discard itself.
func (s *Stream) Discarded(id, shardID string, recs []Record) {
	if len(recs) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.find(shardID)
	if sh == nil {
		return
	}
	now := s.cfg.clock.Now()
	c := s.consumerFor(id, ConsumerMapping, recs[0].n, now)
	cs := c.shard(sh)
	cs.readTo = max(cs.readTo, recs[len(recs)-1].n+1)
	cs.addLoss(recs, LossDiscarded, now)
	c.lost[LossDiscarded] += uint64(len(recs))
}

// noteDropped counts a record a fault dropped as lost to every consumer
// (it is in the scope of all of them: it was just numbered). Must be
// called with s.mu held.
func (s *Stream) noteDropped() {
	for _, c := range s.cons {
		c.lost[LossDropped]++
	}
}

// noteClosed journals the closing of sh (rolled over or split into
// children at now): once for the stream, and once per consumer that had
// not read every record of it in its scope. Must be called with s.mu
// held.
func (s *Stream) noteClosed(sh *shard, reason string, children []string) {
	if s.cfg.losses == nil {
		return
	}
	kids := ""
	for i, k := range children {
		if i > 0 {
			kids += ", "
		}
		kids += k
	}
	l := Loss{Reason: reason, ShardID: sh.id, Count: len(sh.recs),
		Detail: "closed with " + strconv.Itoa(len(sh.recs)) + " readable records; children: " + kids}
	if len(sh.recs) > 0 {
		l.First, l.Last = sh.recs[0].SequenceNumber, sh.recs[len(sh.recs)-1].SequenceNumber
	}
	s.lost(l)
	for _, c := range s.cons {
		if unread := s.notHanded(c, sh); len(unread) > 0 {
			s.lost(lossOf(reason, c.id, sh.id, unread,
				"the shard closed before the consumer read these records; they are in the closed shard until trimmed"))
		}
	}
}

// notHanded returns the records of sh in c's scope not handed to c and
// not lost by it. Must be called with s.mu held.
func (s *Stream) notHanded(c *consumer, sh *shard) []Record {
	cs := c.shards[sh.id]
	var out []Record
	for _, r := range sh.recs[firstAtOrAfter(sh.recs, c.since):] {
		if cs == nil || (!cs.got.has(r.n) && !cs.lostHas(r.n)) {
			out = append(out, r)
		}
	}
	return out
}

// noteExpired journals, once per position, that the iterator of consumer
// id at pos in sh expired (issued at issued) or was expired by
// ExpireIterators. Must be called with s.mu held.
func (s *Stream) noteExpired(id string, sh *shard, pos uint64, now time.Time, detail string) {
	if id == "" {
		return
	}
	c := s.consumerFor(id, ConsumerReader, pos, now)
	cs := c.shard(sh)
	if cs.expired == pos {
		return
	}
	cs.expired = pos
	l := Loss{Reason: LossExpired, Consumer: id, ShardID: sh.id, First: formatSeq(pos), Detail: detail}
	if i := firstAtOrAfter(sh.recs, pos); i < len(sh.recs) {
		rest := sh.recs[i:]
		l.Records = rest[:min(len(rest), LossDetailLimit)]
		l.Count, l.First, l.Last = len(rest), rest[0].SequenceNumber, rest[len(rest)-1].SequenceNumber
	}
	s.lost(l)
}

// noteIteratorsExpired journals ExpireIterators for each consumer with
// records still to read, at its position in each shard. Must be called
// with s.mu held.
func (s *Stream) noteIteratorsExpired(now time.Time) {
	for _, c := range s.cons {
		if c.kind != ConsumerReader {
			continue
		}
		for _, sh := range s.shards {
			cs := c.shards[sh.id]
			if cs == nil {
				continue
			}
			pos := max(cs.readTo, c.since)
			if i := firstAtOrAfter(sh.recs, pos); i < len(sh.recs) || !sh.closed {
				s.noteExpired(c.id, sh, pos, now, "every iterator of the stream was expired (admin action)")
			}
		}
	}
}
