package engine

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/stream"
)

// delayEvery is a stream hook that delays every nth record by 0 to 200 ms
// of wall time (so some outlive rollovers and splits, and some are
// released only when the stream is disabled), every third of those
// holding its hash range.
type delayEvery struct {
	n     uint64
	count atomic.Uint64
}

func (h *delayEvery) Decide(*stream.Stream, stream.Record) stream.Decision {
	c := h.count.Add(1)
	if c%h.n != 0 {
		return stream.Decision{}
	}
	return stream.Decision{Action: stream.FaultDelay, Delay: time.Duration(c/h.n%5) * 50 * time.Millisecond, HoldShard: c%(3*h.n) == 0, Rule: "d"}
}

func (*delayEvery) Note(*stream.Stream, stream.FollowUp) {}

// TestStreamConcurrentConsumersWithDelays is the lineage test with delayed
// records released into whatever shard owns their range by then: every
// item's records must still be exactly its committed writes, in order,
// with none lost or duplicated (the stream's disabling releases the last
// ones).
func TestStreamConcurrentConsumersWithDelays(t *testing.T) {
	h := &delayEvery{n: 17}
	runConcurrentLineage(t, Options{StreamShards: 2, StreamHook: h})
	if h.count.Load() < 17 {
		t.Fatal("the hook delayed nothing")
	}
}
