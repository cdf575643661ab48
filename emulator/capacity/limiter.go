package capacity

import (
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
)

// Charge is what one request consumes from one table or index.
type Charge struct {
	// Index is the GSI charged; "" for the table (and its LSIs).
	Index string
	// Write is true for write units, false for read units.
	Write bool
	// Units is the consumed capacity, as ConsumedCapacity reports it.
	Units float64
	// Key is the partition key value of the table or index; a zero Value
	// (a scan) charges no partition.
	Key attr.Value
}

// Request is what one request, or one item of a batch, consumes from one
// table.
type Request struct {
	Table string
	// Source gives the table's settings (see Source).
	Source Source
	// Bytes is the table's size, for the partitions its data needs.
	Bytes   int64
	Charges []Charge
}

// Limiter holds the buckets of every enforced table. Safe for concurrent
// use; the zero value is not usable (see New).
type Limiter struct {
	clock *clock.Clock
	// on is true while any table may be enforced (Active).
	on atomic.Bool
	// mu guards everything below, every table state and every bucket.
	mu       sync.Mutex
	all      bool                   // enforcement for every table
	settings map[string]TableConfig // per-table settings
	tables   map[string]*tableState // enforced tables seen so far
}

// TableConfig is a table's enforcement setting.
type TableConfig struct {
	// Enabled switches enforcement on or off for the table; nil follows
	// the emulator-wide setting.
	Enabled *bool `json:"enabled,omitempty"`
	// BurstSeconds is how many seconds of unused provisioned capacity the
	// table keeps, 1 to 300; 0: 300.
	BurstSeconds int64 `json:"burstSeconds,omitempty"`
}

// New returns a Limiter on clock c with enforcement off.
func New(c *clock.Clock) *Limiter {
	return &Limiter{clock: c, settings: map[string]TableConfig{}, tables: map[string]*tableState{}}
}

// Active reports whether any table may be enforced. It is the only cost of
// an idle Limiter: callers skip computing charges when it is false.
func (l *Limiter) Active() bool { return l.on.Load() }

// Enabled reports the emulator-wide setting.
func (l *Limiter) Enabled() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all
}

// SetEnabled switches enforcement on or off for every table that has no
// setting of its own. Tables no longer enforced forget their buckets.
func (l *Limiter) SetEnabled(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = on
	l.update()
}

// Config returns table's setting.
func (l *Limiter) Config(table string) TableConfig {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.settings[table]
}

// Configure sets table's setting. A change of BurstSeconds takes effect
// on the table's buckets at once.
func (l *Limiter) Configure(table string, c TableConfig) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c.Enabled == nil && c.BurstSeconds == 0 {
		delete(l.settings, table)
	} else {
		l.settings[table] = c
	}
	if st := l.tables[table]; st != nil {
		st.setBurst(l.burstOf(table))
	}
	l.update()
}

// Forget drops table's buckets and statistics (the table was deleted);
// its setting stays.
func (l *Limiter) Forget(table string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.tables, table)
}

// Reset drops every bucket and statistic: enforced tables start again
// with full buckets. Settings stay.
func (l *Limiter) Reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.tables)
}

// update recomputes on and drops the state of tables no longer enforced.
// Must be called with mu held.
func (l *Limiter) update() {
	on := l.all
	for _, c := range l.settings {
		if c.Enabled != nil && *c.Enabled {
			on = true
		}
	}
	l.on.Store(on)
	for name := range l.tables {
		if !l.enforced(name) {
			delete(l.tables, name)
		}
	}
}

// enforced reports whether table is enforced. Must be called with mu held.
func (l *Limiter) enforced(table string) bool {
	if c, ok := l.settings[table]; ok && c.Enabled != nil {
		return *c.Enabled
	}
	return l.all
}

// burstOf is table's burst in seconds. Must be called with mu held.
func (l *Limiter) burstOf(table string) int64 {
	if b := l.settings[table].BurstSeconds; b > 0 {
		return min(b, BurstSeconds)
	}
	return BurstSeconds
}

// Admit admits charges cs on table (with the settings of src and bytes of
// data, as in Request), drawing their units from the buckets, or refuses
// them and draws nothing. nil means admitted (or not enforced). Separate
// parameters rather than a Request keep cs off the heap.
func (l *Limiter) Admit(table string, src Source, bytes int64, cs []Charge) *Throttle {
	if !l.on.Load() {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	st := l.state(table, src, bytes, now)
	if st == nil {
		return nil
	}
	var buf [8]demand
	var hb [4]uint64
	hs := hashes(cs, hb[:0])
	ds, th := st.check(cs, hs, now, buf[:0], 0)
	if th != nil {
		st.refused(cs, hs, now)
		return th
	}
	take(ds)
	st.admitted(cs, hs, now)
	return nil
}

// AdmitAll admits every request of rs or none (a transaction). When any is
// refused, the result has the Throttle of each refused request at its
// index (nil for the others) and nothing is drawn; nil means all were
// admitted.
func (l *Limiter) AdmitAll(rs []Request) []*Throttle {
	if !l.on.Load() {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	var out []*Throttle
	var all []demand
	states := make([]*tableState, len(rs))
	hs := make([][]uint64, len(rs))
	for i, r := range rs {
		st := l.state(r.Table, r.Source, r.Bytes, now)
		if st == nil {
			continue
		}
		states[i] = st
		hs[i] = hashes(r.Charges, nil)
		var th *Throttle
		all, th = st.check(r.Charges, hs[i], now, all, i)
		if th != nil {
			if out == nil {
				out = make([]*Throttle, len(rs))
			}
			out[i] = th
		}
	}
	for i, st := range states {
		switch {
		case st == nil:
		case out != nil:
			st.refused(rs[i].Charges, hs[i], now)
		default:
			st.admitted(rs[i].Charges, hs[i], now)
		}
	}
	if out == nil {
		take(all)
	}
	return out
}

// state returns the state of r's table, creating or reconfiguring it, or
// nil when the table is not enforced. Must be called with mu held.
func (l *Limiter) state(table string, src Source, bytes int64, now time.Time) *tableState {
	if !l.enforced(table) || src == nil {
		return nil
	}
	st := l.tables[table]
	if st == nil || st.src != src {
		spec := src.CapacitySpec()
		if st == nil || st.id != spec.ID {
			st = newTableState(table, spec, l.burstOf(table), now)
			l.tables[table] = st
		} else {
			st.reconfigure(spec, now)
		}
		st.src = src
	}
	st.grow(bytes)
	return st
}

// Reconfigure applies the settings of src to table's buckets now, when
// the table is enforced: the engine calls it when UpdateTable changes
// them, so that the time before the next request is refilled at the new
// rates.
func (l *Limiter) Reconfigure(table string, src Source, bytes int64) {
	if !l.on.Load() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.state(table, src, bytes, l.clock.Now())
}

// hashes appends the partition key hash of each charge of cs to dst (0
// for a charge without a key).
func hashes(cs []Charge, dst []uint64) []uint64 {
	for _, c := range cs {
		var h uint64
		if c.Key.Type != attr.Invalid {
			h = attr.PartitionHash(c.Key)
		}
		dst = append(dst, h)
	}
	return dst
}

// partitionOf maps a partition key hash to one of n partitions (ranges of
// the hash space, like DynamoDB's key ranges).
func partitionOf(h uint64, n int) int {
	hi, _ := bits.Mul64(h, uint64(n))
	return int(hi)
}
