package capacity

import (
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Directions index [2] arrays.
const (
	read  = 0
	write = 1
)

// dir is the direction of a charge.
func dir(w bool) int {
	if w {
		return write
	}
	return read
}

// tableState is the buckets and statistics of one enforced table.
type tableState struct {
	name     string
	id       string
	src      Source
	burst    int64 // seconds of unused provisioned capacity kept
	onDemand bool
	table    *resource
	indexes  map[string]*resource
	// throttled counts refused requests (CloudWatch ThrottledRequests).
	throttled uint64
}

// resource is a table or a GSI: its table-level buckets, its partitions
// and their statistics.
type resource struct {
	index    string // "" for the table
	arn      string
	tp       Throughput
	parts    int                // number of partitions, never lowered
	level    [2]*bucket         // table-level bucket per direction
	limit    [2]string          // limit type of a table-level throttle
	reason   [2]Reason          // the reason of a table-level throttle
	keyRange [2]Reason          // the reason of a partition throttle
	parted   [2]map[int]*bucket // partition buckets, created on first use
	consumed [2]float64         // units admitted
	events   [2]uint64          // throttle events (ReadThrottleEvents, WriteThrottleEvents)
	heat     heat
}

func newTableState(name string, spec *Spec, burst int64, now time.Time) *tableState {
	st := &tableState{name: name, id: spec.ID, burst: burst, indexes: map[string]*resource{}}
	st.reconfigure(spec, now)
	return st
}

// reconfigure applies spec: rates change, tokens are kept (cut to the new
// capacities), partitions only grow, indexes come and go.
func (st *tableState) reconfigure(spec *Spec, now time.Time) {
	st.onDemand = spec.Table.OnDemand
	if st.table == nil {
		st.table = &resource{arn: spec.ARN}
	}
	st.table.configure(spec.Table, st.burst, now)
	seen := make(map[string]bool, len(spec.Indexes))
	for _, ix := range spec.Indexes {
		seen[ix.Name] = true
		r := st.indexes[ix.Name]
		if r == nil {
			r = &resource{index: ix.Name, arn: spec.ARN + "/index/" + ix.Name}
			st.indexes[ix.Name] = r
		}
		r.configure(ix.Throughput, st.burst, now)
	}
	for name := range st.indexes {
		if !seen[name] {
			delete(st.indexes, name)
		}
	}
}

// setBurst changes the burst of every provisioned bucket.
func (st *tableState) setBurst(seconds int64) {
	st.burst = seconds
	for _, r := range st.all() {
		for d := range r.level {
			if b := r.level[d]; b != nil && !r.tp.OnDemand {
				b.seconds = seconds
				b.tokens = min(b.tokens, b.capacity())
			}
		}
	}
}

// all is the table's resources, the table first, then GSIs in name order.
func (st *tableState) all() []*resource {
	out := []*resource{st.table}
	for _, name := range sortedKeys(st.indexes) {
		out = append(out, st.indexes[name])
	}
	return out
}

// grow raises the table's partitions to what bytes of data need.
func (st *tableState) grow(bytes int64) {
	if n := partitionsForBytes(bytes); n > st.table.parts {
		st.table.setParts(n)
	}
}

// configure applies t to r. A switch between provisioned and on-demand
// mode starts with full buckets.
func (r *resource) configure(t Throughput, burst int64, now time.Time) {
	if r.tp.OnDemand != t.OnDemand {
		r.level = [2]*bucket{}
	}
	r.tp = t
	seconds := burst
	if t.OnDemand {
		seconds = 1
	}
	for d := range r.level {
		rate, limit := tableRate(t, d == write)
		r.limit[d] = limit
		r.reason[d] = Reason{reasonName(r.index != "", d == write, limit), r.arn}
		r.keyRange[d] = Reason{reasonName(r.index != "", d == write, limitKeyRange), r.arn}
		if r.level[d] == nil {
			r.level[d] = newBucket(rate, seconds, now)
			continue
		}
		r.level[d].refill(now)
		r.level[d].seconds = seconds
		r.level[d].setRate(rate)
	}
	if n := partitionsFor(t); n > r.parts {
		r.setParts(n)
	}
}

// setParts changes the number of partitions; keys move between
// partitions, so the partition buckets start afresh.
func (r *resource) setParts(n int) {
	r.parts = n
	r.parted = [2]map[int]*bucket{}
}

// partition returns the bucket of direction d of the partition holding
// the key whose partition hash is h.
func (r *resource) partition(h uint64, d int, now time.Time) *bucket {
	p := partitionOf(h, r.parts)
	m := r.parted[d]
	if m == nil {
		m = map[int]*bucket{}
		r.parted[d] = m
	}
	b := m[p]
	if b == nil {
		units := int64(PartitionReadUnits)
		if d == write {
			units = PartitionWriteUnits
		}
		b = newBucket(units, 1, now)
		m[p] = b
	}
	b.refill(now)
	return b
}

// resource returns the table (index "") or the named GSI, nil when the
// index is unknown.
func (st *tableState) resource(index string) *resource {
	if index == "" {
		return st.table
	}
	return st.indexes[index]
}

// demand is what a request draws from one bucket.
type demand struct {
	b      *bucket
	ticks  int64
	reason Reason
	req    int // the last request (of AdmitAll) that drew from b
}

// check adds the demands of charges cs (request req) to ds, merging
// demands on the same bucket, and returns the Throttle of the request when
// a bucket it draws from cannot serve the merged demand.
func (st *tableState) check(cs []Charge, hs []uint64, now time.Time, ds []demand, req int) ([]demand, *Throttle) {
	for i, c := range cs {
		r := st.resource(c.Index)
		t := ticks(c.Units)
		if r == nil || t <= 0 {
			continue
		}
		d := dir(c.Write)
		b := r.level[d]
		b.refill(now)
		ds = addDemand(ds, b, t, req, r.reason[d])
		if c.Key.Type != attr.Invalid {
			ds = addDemand(ds, r.partition(hs[i], d, now), t, req, r.keyRange[d])
		}
	}
	var th *Throttle
	for _, d := range ds {
		if d.req != req || d.b.fits(d.ticks) {
			continue
		}
		if th == nil {
			th = &Throttle{OnDemand: st.onDemand}
		}
		th.add(d.reason)
	}
	return ds, th
}

// add appends r unless it is there already.
func (t *Throttle) add(r Reason) {
	for _, x := range t.Reasons {
		if x == r {
			return
		}
	}
	t.Reasons = append(t.Reasons, r)
}

// addDemand adds t ticks on b to ds.
func addDemand(ds []demand, b *bucket, t int64, req int, r Reason) []demand {
	for i := range ds {
		if ds[i].b == b {
			ds[i].ticks += t
			ds[i].req = req
			return ds
		}
	}
	return append(ds, demand{b: b, ticks: t, reason: r, req: req})
}

// take draws every demand.
func take(ds []demand) {
	for _, d := range ds {
		d.b.take(d.ticks)
	}
}

// admitted records the consumption of admitted charges.
func (st *tableState) admitted(cs []Charge, hs []uint64, now time.Time) {
	for i, c := range cs {
		if r := st.resource(c.Index); r != nil {
			d := dir(c.Write)
			r.consumed[d] += c.Units
			if c.Key.Type != attr.Invalid {
				r.heat.add(hs[i], c.Key, r.parts, d, c.Units, now)
			}
		}
	}
}

// refused records a refused request: one throttle event per resource and
// direction it charged.
func (st *tableState) refused(cs []Charge, hs []uint64, now time.Time) {
	st.throttled++
	var seen [8]struct {
		r *resource
		d int
	}
	n := 0
	for i, c := range cs {
		r := st.resource(c.Index)
		if r == nil {
			continue
		}
		d := dir(c.Write)
		if c.Key.Type != attr.Invalid {
			r.heat.throttle(hs[i], c.Key, r.parts, now)
		}
		dup := false
		for _, s := range seen[:n] {
			dup = dup || (s.r == r && s.d == d)
		}
		if !dup {
			r.events[d]++
			if n < len(seen) {
				seen[n].r, seen[n].d = r, d
				n++
			}
		}
	}
}
