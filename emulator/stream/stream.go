package stream

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Stream statuses.
const (
	StatusEnabled  = "ENABLED"
	StatusDisabled = "DISABLED"
)

// Spec describes a stream to create.
type Spec struct {
	ARN      string // arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>
	Label    string
	Table    string
	Key      KeySchema
	ViewType string    // KeysOnly, NewImage, OldImage or NewAndOldImages
	Created  time.Time // CreationRequestDateTime
	// Partitions is the number of hash ranges (open shards); 0 means the
	// table's setting (Registry.SetTableShards) or the registry default.
	Partitions int
}

// Stream is one table stream. Safe for concurrent use.
type Stream struct {
	spec      Spec    // immutable
	cfg       *config // immutable, shared with the Registry
	eventSalt string  // immutable: first half of every eventID

	mu       sync.Mutex
	disabled time.Time            // zero while enabled
	next     uint64               // next sequence counter value
	lastMs   int64                // creation milliseconds of the newest shard
	shardN   uint32               // shards ever created
	shards   []*shard             // listed shards, creation order
	open     []*shard             // the open shard of each partition, by range
	epoch    uint32               // iterator epoch; ExpireIterators increments it
	cons     map[string]*consumer // what each consumer was handed (consumer.go)
	ledger   *Ledger              // the table's change ledger; nil: none

	f faultState // records held by the fault layer (faults.go)
}

func newStream(spec Spec, cfg *config) *Stream {
	var salt [8]byte
	_, _ = rand.Read(salt[:])
	s := &Stream{spec: spec, cfg: cfg, eventSalt: hex.EncodeToString(salt[:]), next: 1}
	for _, r := range evenRanges(max(1, spec.Partitions)) {
		s.open = append(s.open, s.newShard("", r[0], r[1], spec.Created))
	}
	return s
}

// ARN returns the stream ARN.
func (s *Stream) ARN() string { return s.spec.ARN }

// Label returns the stream label.
func (s *Stream) Label() string { return s.spec.Label }

// Table returns the name of the stream's table.
func (s *Stream) Table() string { return s.spec.Table }

// ViewType returns the StreamViewType.
func (s *Stream) ViewType() string { return s.spec.ViewType }

// Key returns the key schema of the stream's table.
func (s *Stream) Key() KeySchema { return s.spec.Key }

// Created returns the stream's creation time.
func (s *Stream) Created() time.Time { return s.spec.Created }

// Status returns StatusEnabled or StatusDisabled.
func (s *Stream) Status() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statusLocked()
}

func (s *Stream) statusLocked() string {
	if s.disabled.IsZero() {
		return StatusEnabled
	}
	return StatusDisabled
}

// Disabled returns when the stream was disabled (zero while enabled).
func (s *Stream) Disabled() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.disabled
}

// Append adds records to the stream at time now, in order: each goes to the
// open shard of the partition holding its Hash and gets the next sequence
// number, an eventID and now as its creation time. It returns the records as
// stored. Records appended to a disabled stream are discarded (nil result).
// This is the one place records enter a stream; the fault layer wraps it.
func (s *Stream) Append(recs []Record, now time.Time) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.disabled.IsZero() {
		return nil
	}
	s.maintain(now)
	out := make([]Record, len(recs))
	for i, r := range recs {
		sh := s.openShardFor(r.Hash)
		x := keep(r, s.next, now)
		s.next++
		out[i] = s.out(x, sh.id)
		s.place(sh, x, out[i], now)
	}
	s.cfg.appended.Kick()
	return out
}

// OpenShardFor returns the ID of the open shard that receives the records
// of items whose partition key hashes to h (attr.PartitionHash), as of
// now; "" for a disabled stream.
func (s *Stream) OpenShardFor(h uint64, now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.disabled.IsZero() {
		return ""
	}
	s.maintain(now)
	return s.openShardFor(h).id
}

// openShardFor returns the open shard whose range holds h.
func (s *Stream) openShardFor(h uint64) *shard {
	lo, hi := 0, len(s.open)-1
	for lo < hi { // last shard with sh.lo <= h
		mid := (lo + hi + 1) / 2
		if s.open[mid].lo <= h {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return s.open[lo]
}

// Disable closes the open shards at time at and marks the stream DISABLED.
// Records the fault layer still holds back are appended first, in order,
// so a consumer of the closed shards receives them. It is a no-op on a
// disabled stream.
func (s *Stream) Disable(at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.disabled.IsZero() {
		return
	}
	s.maintain(at)
	s.releaseQueued(at, true) // nothing held is lost with the shards
	for _, sh := range s.open {
		sh.close(at)
	}
	s.open = nil
	s.disabled = at
}

// expired reports whether a disabled stream has outlived retention at now.
func (s *Stream) expired(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.disabled.IsZero() && now.Sub(s.disabled) >= s.cfg.retention
}

// ExpireIterators makes every iterator issued so far for this stream
// expired (ExpiredIteratorException on its next use).
func (s *Stream) ExpireIterators() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.epoch++
	s.noteIteratorsExpired(s.cfg.clock.Now())
}

// Advance applies the lazy time-driven work (rollover, trimming, dropping
// old closed shards) as of now.
func (s *Stream) Advance(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
}

// maintain applies periodic rollover, the release of records held by the
// fault layer (into the shards of the new time), retention and shard
// dropping as of now. Must be called with s.mu held.
func (s *Stream) maintain(now time.Time) {
	s.rollAged(now)
	s.releaseHeld(now)
	s.trimLocked(now.Add(-s.cfg.retention), "retention ("+s.cfg.retention.String()+")")
	s.dropOld(now)
}
