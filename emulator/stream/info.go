package stream

import "time"

// Info is a snapshot of a stream for DescribeStream and the admin API.
type Info struct {
	ARN, Label, Table, ViewType string
	Key                         KeySchema
	Status                      string
	Created, Disabled           time.Time // Disabled is zero while enabled
	Shards                      []ShardInfo
}

// ShardInfo is a snapshot of one listed shard.
type ShardInfo struct {
	ID, Parent string
	HashLo     uint64 // inclusive hash range
	HashHi     uint64
	Created    time.Time
	Open       bool
	Start      string // StartingSequenceNumber
	End        string // EndingSequenceNumber; "" while open
	// TrimHorizon is the sequence number of the oldest readable record;
	// "" when the shard holds none.
	TrimHorizon string
	Records     int       // readable records
	Trimmed     int       // records trimmed away so far
	Oldest      time.Time // creation of the oldest readable record (zero if none)
	Newest      time.Time // creation of the newest readable record (zero if none)
	Counters    ShardCounters
	// Held counts records the fault layer holds back from this shard's
	// readers: delayed records and the records waiting behind them, which
	// will be appended to this (open) shard at their release, and records
	// held in place for a reorder (readers see the shard only up to the
	// first of those).
	Held int
	// Paused: reads of the shard return no records (Pause).
	Paused bool
}

// Describe returns a snapshot of the stream as of now, after the lazy
// time-driven work. Shards are in creation order (which is ID order).
func (s *Stream) Describe(now time.Time) Info {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	in := Info{
		ARN: s.spec.ARN, Label: s.spec.Label, Table: s.spec.Table, ViewType: s.spec.ViewType,
		Key: s.spec.Key, Status: s.statusLocked(), Created: s.spec.Created, Disabled: s.disabled,
		Shards: make([]ShardInfo, 0, len(s.shards)),
	}
	queued := s.queuedFor()
	for _, sh := range s.shards {
		si := sh.info()
		si.Held, si.Paused = s.heldIn(sh)+queued[sh], sh.paused
		in.Shards = append(in.Shards, si)
	}
	return in
}

func (sh *shard) info() ShardInfo {
	si := ShardInfo{
		ID: sh.id, Parent: sh.parent, HashLo: sh.lo, HashHi: sh.hi, Created: sh.created,
		Open: !sh.closed, Start: formatSeq(sh.start), Records: len(sh.recs), Trimmed: sh.trimCount,
		Counters: sh.counters(),
	}
	if sh.closed {
		si.End = formatSeq(sh.end())
	}
	if n := len(sh.recs); n > 0 {
		si.TrimHorizon = formatSeq(sh.recs[0].n)
		si.Oldest, si.Newest = sh.recs[0].created, sh.newest
	}
	return si
}
