package stream

import (
	"sort"
	"time"
	"unsafe"
)

// shard is one shard of a stream. Guarded by the stream's mutex.
type shard struct {
	id, parent string
	lo, hi     uint64    // inclusive hash range
	created    time.Time // clock time the shard was opened
	start      uint64    // reserved counter value: StartingSequenceNumber
	last       uint64    // counter value of the newest record ever appended; 0 if none
	closed     bool
	closedAt   time.Time
	recs       []rec     // untrimmed records, oldest first
	newest     time.Time // latest creation time among recs (set by push)
	trimmed    uint64    // counter value of the newest trimmed record; 0 if none
	trimCount  int       // records trimmed so far
	n          counters  // delivery counts for the metrics
	paused     bool      // reads return nothing until resumed (Pause)
}

// push appends r. A record released after a delay keeps its creation
// time, so the newest creation time is tracked rather than read from the
// last record.
func (sh *shard) push(x rec) {
	sh.recs = append(sh.recs, x)
	if x.created.After(sh.newest) {
		sh.newest = x.created
	}
}

// end is the shard's EndingSequenceNumber counter value once closed: its
// last record, or its starting number when it never had one.
func (sh *shard) end() uint64 {
	if sh.last == 0 {
		return sh.start
	}
	return sh.last
}

func (sh *shard) close(at time.Time) {
	sh.closed, sh.closedAt = true, at
}

// newShard creates and lists a shard opened at created. Must be called with
// s.mu held (or before the stream is shared).
func (s *Stream) newShard(parent string, lo, hi uint64, created time.Time) *shard {
	s.lastMs = max(s.lastMs, epochMillis(created))
	sh := &shard{id: shardID(s.lastMs, s.shardN), parent: parent, lo: lo, hi: hi, created: created, start: s.next}
	s.shardN++
	s.next++
	s.shards = append(s.shards, sh)
	return sh
}

// find returns the listed shard with the ID, or nil.
func (s *Stream) find(id string) *shard {
	i := sort.Search(len(s.shards), func(i int) bool { return s.shards[i].id >= id })
	if i < len(s.shards) && s.shards[i].id == id {
		return s.shards[i]
	}
	return nil
}

// openIndex returns the index in s.open of the open shard with the ID.
func (s *Stream) openIndex(id string) (int, error) {
	sh := s.find(id)
	if sh == nil {
		return 0, ErrShardNotFound
	}
	for i, o := range s.open {
		if o == sh {
			return i, nil
		}
	}
	return 0, ErrShardClosed
}

// Rollover closes the open shard with the ID at now and opens a child over
// the same hash range. It returns the child's ID.
func (s *Stream) Rollover(id string, now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	i, err := s.openIndex(id)
	if err != nil {
		return "", err
	}
	sh := s.open[i]
	sh.close(now)
	s.open[i] = s.newShard(sh.id, sh.lo, sh.hi, now)
	s.noteClosed(sh, LossRollover, []string{s.open[i].id}, false)
	return s.open[i].id, nil
}

// Split closes the open shard with the ID at now and opens two children
// over the lower and upper halves of its hash range. It returns their IDs.
func (s *Stream) Split(id string, now time.Time) ([2]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	i, err := s.openIndex(id)
	if err != nil {
		return [2]string{}, err
	}
	sh := s.open[i]
	if sh.lo == sh.hi {
		return [2]string{}, ErrUnsplittable
	}
	mid := sh.lo + (sh.hi-sh.lo)/2
	sh.close(now)
	a := s.newShard(sh.id, sh.lo, mid, now)
	b := s.newShard(sh.id, mid+1, sh.hi, now)
	s.open = append(s.open[:i], append([]*shard{a, b}, s.open[i+1:]...)...)
	s.noteClosed(sh, LossSplit, []string{a.id, b.id}, false)
	return [2]string{a.id, b.id}, nil
}

// rollAged applies the periodic rollover: an open shard older than the
// rollover period is closed at created+period and replaced by a child opened
// then, repeatedly. Children that would already be gone (closed, empty and
// older than retention) are not created. Must be called with s.mu held.
func (s *Stream) rollAged(now time.Time) {
	p := s.cfg.rollover
	if p <= 0 || !s.disabled.IsZero() {
		return
	}
	for i, sh := range s.open {
		periods := int64(now.Sub(sh.created) / p)
		if periods <= 0 {
			continue
		}
		// Empty intermediate children closed longer than retention ago
		// would be dropped at once: start with the first one still listed.
		first := int64(1)
		if skip := periods - int64(s.cfg.retention/p) - 1; skip > 1 {
			first = skip
		}
		sh.close(sh.created.Add(time.Duration(first) * p))
		parent := sh
		for k := first; k <= periods; k++ {
			at := sh.created.Add(time.Duration(k) * p)
			child := s.newShard(parent.id, sh.lo, sh.hi, at)
			if k < periods {
				child.close(at.Add(p))
			}
			s.noteClosed(parent, LossRollover, []string{child.id}, true)
			parent = child
		}
		s.open[i] = parent
	}
}

// Trim removes the records stored at or before now-olderThan and returns
// how many it removed.
func (s *Stream) Trim(olderThan time.Duration, now time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	return s.trimLocked(now.Add(-olderThan), "trim of records older than "+olderThan.String())
}

// trimLocked removes the records stored at or before cutoff (for a record
// the fault layer held back, its release time counts); how says why, for
// the journal. Must be called with s.mu held.
func (s *Stream) trimLocked(cutoff time.Time, how string) int {
	return s.trimFronts(func(x *rec) bool { return !x.stored().After(cutoff) }, how)
}

// trimFronts removes, in every shard, the oldest records for which trim
// holds, up to the first for which it does not, tells the registry's Freed
// callback about the memory they held and returns how many it removed.
// Must be called with s.mu held.
func (s *Stream) trimFronts(trim func(*rec) bool, how string) int {
	total, freed := 0, int64(0)
	now := s.cfg.clock.Now()
	for _, sh := range s.shards {
		k := 0
		for k < len(sh.recs) && trim(&sh.recs[k]) {
			k++
		}
		if k == 0 {
			continue
		}
		s.noteTrim(sh, k, now, how)
		freed += sh.trimFront(k)
		s.forgetTrimmed(sh)
		total += k
	}
	if freed > 0 && s.cfg.freed != nil {
		s.cfg.freed(freed)
	}
	return total
}

// trimFront removes the k oldest records and returns an estimate of the
// bytes they held (their packed keys and images may still be shared with
// the store or other records). When few records remain, they move to a
// new array, so the old one, sized for the records trimmed, is freed too.
func (sh *shard) trimFront(k int) (bytes int64) {
	for i := range k {
		x := &sh.recs[i]
		bytes += int64(unsafe.Sizeof(*x)) + int64(len(x.keys)+len(x.newImage)+len(x.oldImage))
	}
	sh.trimmed = sh.recs[k-1].n
	sh.trimCount += k
	clear(sh.recs[:k]) // let the images be collected
	sh.recs = sh.recs[k:]
	if len(sh.recs) < cap(sh.recs)/4 {
		bytes += int64(cap(sh.recs)) * int64(unsafe.Sizeof(rec{}))
		sh.recs = append([]rec(nil), sh.recs...)
	}
	return bytes
}

// dropOld unlists closed shards whose records are all trimmed and that
// closed at least the retention period ago. Must be called with s.mu held.
func (s *Stream) dropOld(now time.Time) {
	kept := s.shards[:0]
	for _, sh := range s.shards {
		if sh.closed && len(sh.recs) == 0 && now.Sub(sh.closedAt) >= s.cfg.retention {
			continue
		}
		kept = append(kept, sh)
	}
	clear(s.shards[len(kept):])
	s.shards = kept
}

// Repartition replaces the open shards of a stream that has never had a
// record by n fresh ones over an even split of the hash space (the old
// shards are unlisted: they never held anything). ok is false, and nothing
// changes, when the stream has records or is disabled.
func (s *Stream) Repartition(n int, now time.Time) (ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.disabled.IsZero() || s.hasRecords() {
		return false
	}
	s.shards, s.open = nil, nil
	for _, r := range evenRanges(max(1, n)) {
		s.open = append(s.open, s.newShard("", r[0], r[1], now))
	}
	return true
}

// hasRecords reports whether any record was ever appended.
func (s *Stream) hasRecords() bool {
	for _, sh := range s.shards {
		if sh.last != 0 {
			return true
		}
	}
	return false
}
