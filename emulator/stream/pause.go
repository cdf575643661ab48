package stream

import "time"

// Pause makes reads of the shard return no records, with a next iterator
// at the same position, until Resume; writes keep landing in it, so its
// backlog grows. Pausing a paused shard is a no-op. Error:
// ErrShardNotFound.
func (s *Stream) Pause(shardID string) error { return s.setPaused(shardID, true) }

// Resume ends a Pause: the backlog is readable again, in order.
func (s *Stream) Resume(shardID string) error { return s.setPaused(shardID, false) }

func (s *Stream) setPaused(shardID string, paused bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	sh := s.find(shardID)
	if sh == nil {
		return ErrShardNotFound
	}
	sh.paused = paused
	if !paused {
		s.cfg.appended.Kick() // the backlog is readable
	}
	return nil
}

// ReleaseFaults resumes every paused shard and releases every record the
// fault layer holds, at once (nothing held is lost): delayed records and
// those waiting behind them are appended in order to the open shards,
// with new sequence numbers; records held in place become visible there.
func (s *Stream) ReleaseFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.clock.Now()
	s.maintain(now)
	for _, sh := range s.shards {
		sh.paused = false
	}
	s.releaseAll(now)
	s.cfg.appended.Kick()
}

// ReleaseFaults calls ReleaseFaults on every stream.
func (r *Registry) ReleaseFaults() {
	for _, s := range r.List("") {
		s.ReleaseFaults()
	}
}

// TrimBefore removes, in every shard, the records whose sequence number is
// lower than seq, and returns how many it removed. Error:
// ErrBadSequenceNumber when seq is not a sequence number of this server.
func (s *Stream) TrimBefore(seq string, now time.Time) (int, error) {
	n, ok := parseSeq(seq)
	if !ok {
		return 0, ErrBadSequenceNumber
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	return s.trimFronts(func(x *rec) bool { return x.n < n }, "trim of records before "+seq), nil
}
