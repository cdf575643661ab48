package emulator

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Giving freed memory back to the operating system. The Go runtime returns
// free heap memory to the OS only gradually, so after a retention trim
// dropped gigabytes of stream records the process would keep its size for
// minutes. The returner is told how much each trim freed and, once a
// large amount is pending, forces a collection and returns the free memory
// at once (debug.FreeOSMemory) from a goroutine of its own, off the
// request path, at most once per returnInterval.
const (
	// returnThreshold is the freed amount that triggers a return.
	returnThreshold = 64 << 20
	// returnInterval is the least wall time between two returns.
	returnInterval = 2 * time.Second
)

// memReturner gives memory back to the OS after large trims.
type memReturner struct {
	pending atomic.Int64  // bytes freed since the last return
	kick    chan struct{} // one pending wake-up
	free    func()        // debug.FreeOSMemory; tests count calls
	log     *slog.Logger
}

func newMemReturner(log *slog.Logger) *memReturner {
	return &memReturner{kick: make(chan struct{}, 1), free: debug.FreeOSMemory, log: log}
}

// freed notes that bytes were freed; it never blocks (it is called with a
// stream's mutex held).
func (m *memReturner) freed(bytes int64) {
	if m.pending.Add(bytes) >= returnThreshold {
		select {
		case m.kick <- struct{}{}:
		default: // a wake-up is pending already
		}
	}
}

// run returns memory when woken until ctx is done, then waits
// returnInterval (wall time) before the next return; wake-ups meanwhile
// coalesce into one.
func (m *memReturner) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.kick:
		}
		n := m.pending.Swap(0)
		began := time.Now()
		m.free()
		m.log.Debug("returned freed memory to the OS", "freedBytes", n, "took", time.Since(began))
		select {
		case <-ctx.Done():
			return
		case <-time.After(returnInterval):
		}
	}
}
