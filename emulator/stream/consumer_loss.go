package stream

import (
	"strings"
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

// LossRecorder journals loss events, and the periodic rollovers that
// close shards (which no admin action journals). Lost and RolledOver are
// called with the stream's mutex held and must not call back into the
// Stream.
type LossRecorder interface {
	Lost(s *Stream, l Loss)
	RolledOver(s *Stream, r Rollover)
}

// Rollover is one periodic rollover: an open shard reached the stream's
// rollover age and was closed, a child opened over its hash range. It is
// applied when the clock (or a request after it moved) reaches it, so At
// may be earlier than the time it is reported.
type Rollover struct {
	ShardID, Child string
	// At is when the shard reached the rollover age: when it closed.
	At time.Time
	// Records is how many readable records the closed shard holds, First
	// and Last their sequence numbers ("" when none).
	Records     int
	First, Last string
}

// lossOf builds a Loss over xs (in shard order, at least one) of the shard,
// rendering the first LossDetailLimit of them. Must be called with s.mu
// held.
func (s *Stream) lossOf(reason, consumer, shardID string, xs []rec, detail string) Loss {
	l := Loss{Reason: reason, Consumer: consumer, ShardID: shardID, Count: len(xs),
		First: formatSeq(xs[0].n), Last: formatSeq(xs[len(xs)-1].n), Detail: detail}
	named := xs[:min(len(xs), LossDetailLimit)]
	l.Records = make([]Record, len(named))
	for i, x := range named {
		l.Records[i] = s.out(x, shardID)
	}
	return l
}

// lost reports l to the loss recorder, if any. Must be called with s.mu
// held.
func (s *Stream) lost(l Loss) {
	if rec := s.cfg.losses; rec != nil {
		rec.Lost(s, l)
	}
}

// noteTrim is told that the k oldest records of sh are being trimmed at
// now: each consumer loses those of them in its scope it was not handed
// (skipped when it had read past them, trimmed otherwise); when no
// consumer is known, those no read ever delivered are journaled for the
// stream. Must be called with s.mu held, before the records go.
func (s *Stream) noteTrim(sh *shard, k int, now time.Time, how string) {
	xs := sh.recs[:k]
	sh.noteUndeliveredTrim(xs)
	for _, c := range s.cons {
		s.loseTrimmed(c, sh, xs, now, how)
	}
	if i := firstAtOrAfter(xs, sh.n.readTo); i < len(xs) && len(s.cons) == 0 && s.cfg.losses != nil {
		s.lost(s.lossOf(LossTrimmed, "", sh.id, xs[i:], how+": never delivered to any reader"))
	}
}

// firstAtOrAfter is the index of the first of xs with a counter value of
// at least n.
func firstAtOrAfter(xs []rec, n uint64) int {
	lo, hi := 0, len(xs)
	for lo < hi {
		mid := (lo + hi) / 2
		if xs[mid].n < n {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// loseTrimmed records, for consumer c, the trimmed records xs of sh in its
// scope that it was not handed. Must be called with s.mu held.
func (s *Stream) loseTrimmed(c *consumer, sh *shard, xs []rec, now time.Time, how string) {
	i := firstAtOrAfter(xs, c.since)
	if i == len(xs) {
		return
	}
	cs := c.shards[sh.id]
	if cs != nil && cs.got.covers(xs[i].n, xs[len(xs)-1].n) {
		return // the common case: it read them all
	}
	var run []rec
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
		if s.cfg.losses != nil {
			detail := how + ": not yet read by the consumer"
			if reason == LossSkipped {
				detail = how + ": the consumer had read past it without receiving it"
			}
			s.lost(s.lossOf(reason, c.id, sh.id, run, detail))
		}
		run = nil
	}
	for _, x := range xs[i:] {
		if cs != nil && (cs.got.has(x.n) || cs.lostHas(x.n)) {
			flush()
			continue
		}
		why := LossTrimmed
		if cs != nil && cs.readTo > x.n {
			why = LossSkipped
		}
		if why != reason {
			flush()
			reason = why
		}
		run = append(run, x)
	}
	flush()
}

// addLoss appends the loss of xs (in order, after every earlier loss of
// the shard) for reason at now.
func (cs *consumerShard) addLoss(xs []rec, reason string, now time.Time) {
	cs.lost = append(cs.lost, lossSpan{lo: xs[0].n, hi: xs[len(xs)-1].n, count: len(xs),
		reason: reason, at: now, oldest: xs[0].created})
}

// Discarded notes that the consumer with the ID (an event source mapping)
// gave up on recs, records of the shard in order, and moved its
// checkpoint past them. The mapping journals the discard itself.
func (s *Stream) Discarded(id, shardID string, recs []Record) {
	s.mappingDone(id, shardID, recs, func(c *consumer, cs *consumerShard, _ *shard, ns []uint64, now time.Time) {
		cs.lost = append(cs.lost, lossSpan{lo: ns[0], hi: ns[len(ns)-1], count: len(ns), reason: LossDiscarded,
			at: now, oldest: recs[0].Created})
		c.lost[LossDiscarded] += uint64(len(ns))
	})
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
// children): a periodic rollover (no admin action journals it) as such,
// then, per consumer that had not read every record of it in its scope,
// the records still to read. Must be called with s.mu held.
func (s *Stream) noteClosed(sh *shard, reason string, children []string, periodic bool) {
	if s.cfg.losses == nil {
		return
	}
	kids := strings.Join(children, ", ")
	if periodic {
		r := Rollover{ShardID: sh.id, Child: children[0], At: sh.closedAt, Records: len(sh.recs)}
		if len(sh.recs) > 0 {
			r.First, r.Last = formatSeq(sh.recs[0].n), formatSeq(sh.recs[len(sh.recs)-1].n)
		}
		s.cfg.losses.RolledOver(s, r)
	}
	for _, c := range s.cons {
		if unread := s.notHanded(c, sh); len(unread) > 0 {
			s.lost(s.lossOf(reason, c.id, sh.id, unread, "the shard closed (children: "+kids+
				") before the consumer read these records; they stay in the closed shard until trimmed"))
		}
	}
}

// notHanded returns the records of sh in c's scope not handed to c and
// not lost by it. Must be called with s.mu held.
func (s *Stream) notHanded(c *consumer, sh *shard) []rec {
	cs := c.shards[sh.id]
	var out []rec
	for _, x := range sh.recs[firstAtOrAfter(sh.recs, c.since):] {
		if cs == nil || (!cs.got.has(x.n) && !cs.lostHas(x.n)) {
			out = append(out, x)
		}
	}
	return out
}

// noteExpired journals, once per position, that the iterator of consumer
// id at pos in sh expired. Must be called with s.mu held.
func (s *Stream) noteExpired(id string, sh *shard, pos uint64, now time.Time, detail string) {
	if id == "" || s.cfg.losses == nil {
		return
	}
	c := s.consumerFor(id, ConsumerReader, pos, now)
	cs := c.shard(sh)
	if cs.expired == pos {
		return
	}
	cs.expired = pos
	if i := firstAtOrAfter(sh.recs, pos); i < len(sh.recs) {
		s.lost(s.lossOf(LossExpired, id, sh.id, sh.recs[i:], detail+"; these records are still to read"))
		return
	}
	s.lost(Loss{Reason: LossExpired, Consumer: id, ShardID: sh.id, First: formatSeq(pos), Detail: detail})
}

// noteIteratorsExpired journals ExpireIterators for each reader with
// records still to read in a shard, at its position there. Must be called
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
			if firstAtOrAfter(sh.recs, pos) < len(sh.recs) {
				s.noteExpired(c.id, sh, pos, now, "every iterator of the stream was expired (admin action)")
			}
		}
	}
}
