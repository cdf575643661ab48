package stream

import (
	"crypto/rand"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
)

// Options configure a Registry. Zero durations and counts take the
// defaults noted; the caller maps "off" settings before passing them.
type Options struct {
	Clock *clock.Clock // default clock.New()
	// Partitions is the number of hash ranges (open shards) of a new
	// stream unless its table has its own setting. Default 1.
	Partitions int
	// Retention is how long records stay readable and how long a disabled
	// stream stays listed. Default 24h.
	Retention time.Duration
	// Rollover is the age at which an open shard is closed and replaced by
	// a child. Zero or negative: never.
	Rollover time.Duration
	// IteratorTTL is how long a shard iterator stays usable. Default 15m.
	IteratorTTL time.Duration
	// Key authenticates shard iterators. Default: 32 random bytes.
	Key []byte
	// Hook, when set, decides for each appended record whether it is
	// dropped, delayed, duplicated or reordered (faults.go).
	Hook Hook
	// Freed, when set, is told after each trim (retention or an explicit
	// one) an estimate of the bytes the trimmed records held, so the
	// caller can give a large amount back to the operating system. It is
	// called with a stream's mutex held: it must be quick and must not
	// call back into the Registry.
	Freed func(bytes int64)
	// Losses, when set, journals every event by which records leave a
	// consumer's reach (consumer_loss.go).
	Losses LossRecorder
	// LedgerSize is how many changes each table's change ledger keeps
	// (ledger.go). 0: DefaultLedgerSize; negative: no ledger.
	LedgerSize int
}

// config is the part of Options every Stream of a Registry reads.
type config struct {
	clock       *clock.Clock
	retention   time.Duration
	rollover    time.Duration
	iteratorTTL time.Duration
	key         []byte
	hook        Hook
	appended    Signal // kicked after every Append (cursor.go)
	freed       func(bytes int64)
	losses      LossRecorder
}

// Registry holds every stream of a server by ARN, including disabled ones
// until they expire. Safe for concurrent use.
type Registry struct {
	cfg        *config
	partitions int

	mu          sync.RWMutex
	streams     map[string]*Stream // by ARN
	tableShards map[string]int     // per-table partition count
	labels      map[string]string  // newest label ever used per table
	ledgers     map[string]*Ledger // change ledger per table
	ledgerSize  int
	names       map[string]string // consumer names, by consumer ID
}

// NewRegistry returns an empty Registry.
func NewRegistry(opts Options) *Registry {
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	if opts.Retention <= 0 {
		opts.Retention = 24 * time.Hour
	}
	if opts.IteratorTTL <= 0 {
		opts.IteratorTTL = 15 * time.Minute
	}
	if opts.LedgerSize == 0 {
		opts.LedgerSize = DefaultLedgerSize
	}
	if opts.Key == nil {
		opts.Key = make([]byte, 32)
		_, _ = rand.Read(opts.Key)
	}
	return &Registry{
		cfg: &config{
			clock: opts.Clock, retention: opts.Retention, rollover: opts.Rollover,
			iteratorTTL: opts.IteratorTTL, key: opts.Key, hook: opts.Hook, freed: opts.Freed, losses: opts.Losses,
		},
		partitions:  max(1, opts.Partitions),
		streams:     map[string]*Stream{},
		tableShards: map[string]int{},
		labels:      map[string]string{},
		ledgers:     map[string]*Ledger{},
		ledgerSize:  opts.LedgerSize,
	}
}

// Create adds a new enabled stream. It fails with ErrStreamExists when the
// ARN is taken.
func (r *Registry) Create(spec Spec) (*Stream, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.streams[spec.ARN]; ok {
		return nil, ErrStreamExists
	}
	if spec.Partitions <= 0 {
		spec.Partitions = r.partitions
		if n, ok := r.tableShards[spec.Table]; ok {
			spec.Partitions = n
		}
	}
	s := newStream(spec, r.cfg)
	s.ledger = r.ledgerFor(spec.Table)
	r.streams[spec.ARN] = s
	if spec.Label > r.labels[spec.Table] {
		r.labels[spec.Table] = spec.Label
	}
	return s, nil
}

// Remove forgets the stream with the ARN at once (to undo a Create whose
// table could not be created).
func (r *Registry) Remove(arn string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.streams, arn)
}

// Get returns the live stream with the ARN, or nil. A disabled stream past
// retention is forgotten and not returned.
func (r *Registry) Get(arn string) *Stream {
	r.mu.RLock()
	s := r.streams[arn]
	r.mu.RUnlock()
	if s == nil || !s.expired(r.cfg.clock.Now()) {
		return s
	}
	r.Remove(arn)
	return nil
}

// Lookup decodes a shard iterator and returns its stream. Errors:
// ErrBadIterator (malformed, forged or tampered) and ErrStreamNotFound
// (the stream expired).
func (r *Registry) Lookup(iter string) (*Stream, error) {
	x, err := r.cfg.decodeIterator(iter)
	if err != nil {
		return nil, err
	}
	s := r.Get(x.arn)
	if s == nil {
		return nil, ErrStreamNotFound
	}
	return s, nil
}

// List returns the live streams, ordered by ARN; only the table's when
// table is not "".
func (r *Registry) List(table string) []*Stream {
	r.mu.RLock()
	all := make([]*Stream, 0, len(r.streams))
	for _, s := range r.streams {
		if table == "" || s.spec.Table == table {
			all = append(all, s)
		}
	}
	r.mu.RUnlock()
	now := r.cfg.clock.Now()
	live := all[:0]
	for _, s := range all {
		if s.expired(now) {
			r.Remove(s.spec.ARN)
			continue
		}
		live = append(live, s)
	}
	slices.SortFunc(live, func(a, b *Stream) int { return strings.Compare(a.spec.ARN, b.spec.ARN) })
	return live
}

// LatestLabel returns the newest stream label ever created for the table
// ("" if none), so that a new stream of a re-created table gets a fresh
// label (and ARN) even when the clock has not moved.
func (r *Registry) LatestLabel(table string) string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.labels[table]
}

// SetTableShards sets the number of partitions of the table's future
// streams (n < 1 restores the registry default).
func (r *Registry) SetTableShards(table string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n < 1 {
		delete(r.tableShards, table)
		return
	}
	r.tableShards[table] = n
}

// Advance applies the lazy time-driven work of every stream as of the
// clock's now and forgets expired streams.
func (r *Registry) Advance() {
	now := r.cfg.clock.Now()
	for _, s := range r.List("") {
		s.Advance(now)
	}
}

// Reset forgets every stream and per-table setting.
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.streams = map[string]*Stream{}
	r.tableShards = map[string]int{}
	r.labels = map[string]string{}
	r.ledgers = map[string]*Ledger{}
	r.names = nil
}

// Now returns the registry clock's current time.
func (r *Registry) Now() time.Time { return r.cfg.clock.Now() }
