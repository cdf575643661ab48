package emulator

import (
	"context"
	"log/slog"
	"testing"
)

func TestMemReturnerWakesAtThreshold(t *testing.T) {
	m := newMemReturner(slog.New(slog.DiscardHandler))
	m.freed(returnThreshold - 1)
	if len(m.kick) != 0 {
		t.Fatal("woken below the threshold")
	}
	m.freed(1)
	m.freed(returnThreshold) // coalesces with the pending wake-up
	if len(m.kick) != 1 {
		t.Fatalf("%d wake-ups pending, want 1", len(m.kick))
	}
}

func TestMemReturnerReturnsWhenWoken(t *testing.T) {
	m := newMemReturner(slog.New(slog.DiscardHandler))
	returned := make(chan int64, 1)
	m.free = func() { returned <- m.pending.Load() }
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { m.run(ctx); close(done) }()
	m.freed(returnThreshold)
	if pending := <-returned; pending != 0 {
		t.Errorf("pending %d while returning, want 0 (taken before the return)", pending)
	}
	cancel()
	<-done
}
