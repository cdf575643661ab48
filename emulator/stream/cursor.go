package stream

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Positions and the append signal for consumers that live inside the
// server (event source mappings): they keep a position per shard instead
// of a shard iterator, so nothing of theirs expires after 15 minutes, and
// they wait for appends on a channel instead of polling.

// Position is where a reader is in a shard: the counter value of the next
// record to read. A record's position is its sequence number's counter
// value; positions only grow within a shard.
type Position = uint64

// Pos returns the record's position in its shard (0 for a record this
// package did not number).
func (r Record) Pos() Position {
	n, _ := parseSeq(r.SequenceNumber)
	return n
}

// ParsePosition returns the position of a sequence number this server
// issued (ok false for anything else).
func ParsePosition(seq string) (Position, bool) { return parseSeq(seq) }

// ShardRef is one listed shard with its lineage, for ShardList.
type ShardRef struct {
	ID, Parent string
	Closed     bool
	// Start is the position of the shard's first possible record.
	Start Position
	// TrimHorizon is the position of the oldest readable record, or the
	// position after the newest record when none is readable.
	TrimHorizon Position
	// Latest is the position just after the newest record appended (the
	// start of a LATEST reader), before any record the fault layer still
	// holds back.
	Latest Position
}

// ShardList returns the listed shards in creation order (so a parent
// comes before its children), after the lazy time-driven work as of now.
func (s *Stream) ShardList(now time.Time) []ShardRef {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	out := make([]ShardRef, len(s.shards))
	for i, sh := range s.shards {
		out[i] = s.refLocked(sh)
	}
	return out
}

// refLocked describes sh. Must be called with s.mu held.
func (s *Stream) refLocked(sh *shard) ShardRef {
	latest, _ := sh.position(Latest, "")
	if fh := s.firstHeld(sh); fh != 0 {
		latest = min(latest, fh)
	}
	horizon := latest
	if len(sh.recs) > 0 {
		horizon = sh.recs[0].n
	} else {
		horizon = max(horizon, sh.trimmed+1)
	}
	return ShardRef{ID: sh.id, Parent: sh.parent, Closed: sh.closed, Start: sh.start, TrimHorizon: horizon, Latest: latest}
}

// Chunk is the result of ReadAt.
type Chunk struct {
	Records []Record
	// Next is the position to read from next.
	Next Position
	// Done: the shard is closed and every record up to its end was
	// returned; nothing will ever be read from it again.
	Done bool
}

// ReadAt returns up to limit records (and at most maxBytes of SizeBytes,
// but always at least one available record) of the shard from position
// pos, as of now. It honours pauses and records held by the fault layer
// like Read, and counts the records as delivered. Errors:
// ErrShardNotFound (not listed: never existed, or dropped after all its
// records were trimmed) and ErrTrimmed (records at pos were trimmed; the
// shard's TrimHorizon is where reading can resume).
func (s *Stream) ReadAt(shardID string, pos Position, limit, maxBytes int, now time.Time) (Chunk, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	sh := s.find(shardID)
	if sh == nil {
		return Chunk{}, ErrShardNotFound
	}
	pos = max(pos, sh.start)
	if pos <= sh.trimmed {
		return Chunk{}, ErrTrimmed
	}
	i := sort.Search(len(sh.recs), func(i int) bool { return sh.recs[i].n >= pos })
	stop := s.readableEnd(sh, i)
	j, size, count := i, 0, 0
	for j < stop && fits(count, sh.recs[j].copies(), limit) && (j == i || size+int(sh.recs[j].size) <= maxBytes) {
		size += int(sh.recs[j].size)
		count += sh.recs[j].copies()
		j++
	}
	c := Chunk{Records: s.copyOut(sh.recs[i:j], count, sh.id), Next: pos}
	if j > i {
		sh.noteDelivered(count, sh.recs[j-1].n+1)
		c.Next = sh.recs[j-1].n + 1
	}
	c.Done = sh.closed && j == len(sh.recs) && s.firstHeld(sh) == 0
	return c, nil
}

// Signal wakes consumers waiting for stream appends. Wait returns a
// channel that is closed at the next append to any stream of the registry
// (or at once by Kick). Until the first Wait, an append costs one atomic
// load.
type Signal struct {
	armed atomic.Bool
	mu    sync.Mutex
	ch    chan struct{}
}

// Wait returns the channel the next append closes. Take it before looking
// for records, then wait on it only if none were found, so that no append
// is missed.
func (g *Signal) Wait() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch == nil {
		g.ch = make(chan struct{})
	}
	g.armed.Store(true)
	return g.ch
}

// Kick closes the current channel, waking every waiter.
func (g *Signal) Kick() {
	if !g.armed.Load() {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
	g.armed.Store(false)
}

// Appended returns the registry's append signal.
func (r *Registry) Appended() *Signal { return &r.cfg.appended }
