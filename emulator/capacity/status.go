package capacity

import (
	"sort"
	"time"
)

// Status is the enforcement state of one table.
type Status struct {
	Table string `json:"table"`
	// Enforced is true when the table's requests are admitted against its
	// buckets.
	Enforced bool `json:"enforced"`
	// Config is the table's own setting (nil members follow the
	// emulator-wide setting).
	Config TableConfig `json:"config"`
	// Mode is PROVISIONED or PAY_PER_REQUEST (empty when not enforced).
	Mode string `json:"mode,omitempty"`
	// BurstSeconds is the unused provisioned capacity kept, in seconds
	// (absent for an on-demand table).
	BurstSeconds int64 `json:"burstSeconds,omitempty"`
	// ThrottledRequests counts refused requests.
	ThrottledRequests uint64 `json:"throttledRequests"`
	// Resources are the table and its GSIs.
	Resources []ResourceStatus `json:"resources,omitempty"`
	// HotKeys are the tracked partition keys of the table and its GSIs,
	// hottest first.
	HotKeys []HotKey `json:"hotKeys,omitempty"`
}

// ResourceStatus is a table's or a GSI's buckets and consumption.
type ResourceStatus struct {
	Index      string `json:"index,omitempty"`
	ARN        string `json:"arn"`
	Partitions int    `json:"partitions"`
	Read       Usage  `json:"read"`
	Write      Usage  `json:"write"`
}

// Usage is one direction (read or write) of a resource.
type Usage struct {
	// UnitsPerSecond is the table-level rate: provisioned units, or the
	// on-demand ceiling (OnDemandThroughput maximum or account quota).
	UnitsPerSecond float64 `json:"unitsPerSecond"`
	// Limit is the limit type a table-level throttle reports.
	Limit string `json:"limit"`
	// Available and Capacity are the table-level bucket's content and
	// size, in units (Available is negative after a request larger than
	// the bucket).
	Available float64 `json:"available"`
	Capacity  float64 `json:"capacity"`
	// PartitionUnitsPerSecond is each partition's limit.
	PartitionUnitsPerSecond float64 `json:"partitionUnitsPerSecond"`
	// Consumed is the units admitted; ThrottleEvents the requests refused
	// that charged this direction (CloudWatch's ReadThrottleEvents and
	// WriteThrottleEvents).
	Consumed       float64 `json:"consumed"`
	ThrottleEvents uint64  `json:"throttleEvents"`
}

// Status reports table, with the buckets of its Source's settings when it
// is enforced (a table not seen yet reports full buckets). hot caps the
// hot keys reported (0: none, negative: all tracked).
func (l *Limiter) Status(table string, src Source, bytes int64, hot int) Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := Status{Table: table, Config: l.settings[table]}
	now := l.clock.Now()
	st := l.state(table, src, bytes, now)
	if st == nil {
		return s
	}
	st.report(&s, now, hot)
	return s
}

// Snapshot reports every table with buckets (enforced and seen since
// enforcement began), in name order.
func (l *Limiter) Snapshot(hot int) []Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock.Now()
	out := make([]Status, 0, len(l.tables))
	for _, name := range sortedKeys(l.tables) {
		s := Status{Table: name, Config: l.settings[name]}
		l.tables[name].report(&s, now, hot)
		out = append(out, s)
	}
	return out
}

// report fills s from st.
func (st *tableState) report(s *Status, now time.Time, hot int) {
	s.Enforced = true
	s.Mode = "PROVISIONED"
	if st.onDemand {
		s.Mode = "PAY_PER_REQUEST"
	}
	if !st.onDemand {
		s.BurstSeconds = st.burst
	}
	s.ThrottledRequests = st.throttled
	for _, r := range st.all() {
		s.Resources = append(s.Resources, r.status(now))
		s.HotKeys = append(s.HotKeys, r.heat.hot(r.index, now)...)
	}
	sort.SliceStable(s.HotKeys, func(i, j int) bool { return hotter(s.HotKeys[i], s.HotKeys[j]) })
	if hot >= 0 && len(s.HotKeys) > hot {
		s.HotKeys = s.HotKeys[:hot]
	}
}

// hotter orders hot keys by units consumed plus refusals.
func hotter(a, b HotKey) bool {
	return a.ReadUnits+a.WriteUnits+float64(a.Throttled) > b.ReadUnits+b.WriteUnits+float64(b.Throttled)
}

// status reports r.
func (r *resource) status(now time.Time) ResourceStatus {
	s := ResourceStatus{Index: r.index, ARN: r.arn, Partitions: r.parts}
	for d, u := range []*Usage{&s.Read, &s.Write} {
		b := r.level[d]
		b.refill(now)
		u.UnitsPerSecond = float64(b.rate) / 2
		u.Limit = r.limit[d]
		u.Available = b.units()
		u.Capacity = float64(b.capacity()) / float64(2*tickPerHalf)
		u.PartitionUnitsPerSecond = PartitionReadUnits
		if d == write {
			u.PartitionUnitsPerSecond = PartitionWriteUnits
		}
		u.Consumed = r.consumed[d]
		u.ThrottleEvents = r.events[d]
	}
	return s
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
