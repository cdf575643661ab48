package mapping

import (
	"slices"
	"strings"
	"time"
)

// Stats are a mapping's counters, named after Lambda's CloudWatch metrics.
type Stats struct {
	Invocations  uint64 // invocations that reached the function (errors included)
	Errors       uint64 // invocations that ended in a function error
	Throttles    uint64 // throttled invokes
	InvokeErrors uint64 // invokes that failed before the function ran
	// IteratorAgeMs is the age of the last record of the latest batch sent
	// (ms): the time between its arrival in the stream and the invocation.
	IteratorAgeMs int64
	// The EventCount group (shown by the metrics only with MetricsConfig
	// EventCount).
	PolledEventCount                        uint64
	FilteredOutEventCount                   uint64
	InvokedEventCount                       uint64
	FailedInvokeEventCount                  uint64
	DroppedEventCount                       uint64
	OnFailureDestinationDeliveredEventCount uint64
	DestinationDeliveryFailures             uint64
}

// BatchStatus is a batch a shard is working on.
type BatchStatus struct {
	Lane     int    `json:"lane"`
	First    string `json:"firstSequenceNumber,omitempty"`
	Last     string `json:"lastSequenceNumber,omitempty"`
	Records  int    `json:"records"`
	Attempt  int    `json:"attempt"`  // invocations of this batch so far, the current one included
	Invoking bool   `json:"invoking"` // an invocation is under way (else: waiting to retry)
	Final    bool   `json:"finalWindowInvoke,omitempty"`
	// LastOutcome is the outcome of the previous invocation ("" before).
	LastOutcome string `json:"lastOutcome,omitempty"`
}

// shardStats is what the admin API shows of one shard of a mapping.
type shardStats struct {
	checkpoint  string // sequence number of the last record checkpointed
	delivered   uint64
	filtered    uint64
	discarded   uint64
	lost        uint64
	batches     map[int]*BatchStatus
	iteratorAge time.Duration
	ageAt       time.Time
	finished    bool
}

// shardStats returns (creating) the stats of a shard. Must be called with
// the Manager's mutex held.
func (mp *Mapping) shardStats(id string) *shardStats {
	st := mp.shards[id]
	if st == nil {
		st = &shardStats{batches: map[int]*BatchStatus{}}
		mp.shards[id] = st
	}
	return st
}

// ShardStatus is one shard of a mapping in Status.
type ShardStatus struct {
	ShardID string `json:"shardId"`
	// Checkpoint is the sequence number of the last record the mapping is
	// done with ("" before the first); Position the counter value it reads
	// from next.
	Checkpoint string        `json:"checkpoint"`
	Position   uint64        `json:"position"`
	Batches    []BatchStatus `json:"batchesInFlight"`
	Delivered  uint64        `json:"delivered"`
	Filtered   uint64        `json:"filtered"`
	Discarded  uint64        `json:"discarded"`
	Lost       uint64        `json:"lostToRetention"`
	// IteratorAgeMs is the age of the last record of the batch being
	// delivered when one is in flight (growing while it is retried), else
	// of the last batch sent; 0 once the shard is read to its tip with
	// nothing left to deliver.
	IteratorAgeMs int64 `json:"iteratorAgeMs"`
	Finished      bool  `json:"finished"`
}

// Status is a mapping with its poller's state, for the admin API.
type Status struct {
	View
	Stats         Stats         `json:"stats"`
	Shards        []ShardStatus `json:"shards"`
	Failures      int           `json:"failures"`
	Polling       bool          `json:"polling"`
	TableName     string        `json:"table"`
	FunctionName  string        `json:"functionName"`
	FailedDropped int           `json:"failuresDropped,omitempty"`
}

// Status returns a mapping's status.
func (m *Manager) Status(id string) (Status, error) {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(now)
	mp := m.mappings[id]
	if mp == nil {
		return Status{}, errNotFound()
	}
	return mp.status(now), nil
}

// Statuses returns the status of every mapping, ordered by UUID.
func (m *Manager) Statuses() []Status {
	now := m.clock.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settleLocked(now)
	out := make([]Status, 0, len(m.mappings))
	for _, mp := range m.mappings {
		out = append(out, mp.status(now))
	}
	slices.SortFunc(out, func(a, b Status) int { return strings.Compare(a.UUID, b.UUID) })
	return out
}

// status must be called with the Manager's mutex held.
func (mp *Mapping) status(now time.Time) Status {
	s := Status{View: mp.view(), Stats: mp.stats, Failures: len(mp.failures), Polling: mp.run != nil,
		TableName: mp.table, FunctionName: mp.fnName, FailedDropped: mp.dropped}
	for id, st := range mp.shards {
		ss := ShardStatus{
			ShardID: id, Checkpoint: st.checkpoint, Position: mp.ckpt[id], Delivered: st.delivered,
			Filtered: st.filtered, Discarded: st.discarded, Lost: st.lost, Finished: st.finished,
			IteratorAgeMs: st.iteratorAge.Milliseconds(),
		}
		for _, b := range st.batches {
			ss.Batches = append(ss.Batches, *b)
			// A batch under way keeps aging until it is done.
			ss.IteratorAgeMs = max(ss.IteratorAgeMs, (st.iteratorAge + now.Sub(st.ageAt)).Milliseconds())
		}
		slices.SortFunc(ss.Batches, func(a, b BatchStatus) int { return a.Lane - b.Lane })
		s.Shards = append(s.Shards, ss)
	}
	slices.SortFunc(s.Shards, func(a, b ShardStatus) int { return strings.Compare(a.ShardID, b.ShardID) })
	return s
}

// Failures returns the failure records a mapping kept, oldest first.
func (m *Manager) Failures(id string) ([]Failure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mp := m.mappings[id]
	if mp == nil {
		return nil, errNotFound()
	}
	return slices.Clone(mp.failures), nil
}
