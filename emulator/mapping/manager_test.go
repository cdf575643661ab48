package mapping

import (
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTransitionsOnTheClock(t *testing.T) {
	f := newFixture(t, 1, true)
	f.m.opts.Transition = time.Minute
	h := &calls{}
	v := f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1})
	if g, _ := f.m.Get(v.UUID); g.State != Creating {
		t.Fatalf("State %s before the transition time passed", g.State)
	}
	if _, err := f.m.Update(v.UUID, Patch{BatchSize: ptr(5)}); err == nil || err.(*Error).Code != CodeInUse {
		t.Fatalf("Update while Creating: %v", err)
	}
	_, _ = f.clk.Advance(time.Minute)
	if g, _ := f.m.Get(v.UUID); g.State != Enabled {
		t.Fatalf("State %s after the transition", g.State)
	}
	if _, err := f.m.Delete(v.UUID); err != nil {
		t.Fatal(err)
	}
	if g, err := f.m.Get(v.UUID); err != nil || g.State != Deleting {
		t.Fatalf("Get while Deleting: %+v %v", g, err)
	}
	if _, err := f.m.Delete(v.UUID); err == nil || err.(*Error).Code != CodeInUse {
		t.Fatalf("Delete while Deleting: %v", err)
	}
	_, _ = f.clk.Advance(time.Minute)
	if _, err := f.m.Get(v.UUID); err == nil || err.(*Error).Code != CodeNotFound {
		t.Fatalf("Get after deletion: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestResetAndCloseStopEveryPoller(t *testing.T) {
	before := runtime.NumGoroutine()
	f := newFixture(t, 4, false)
	h := &calls{respond: func(event) ([]byte, error) { return nil, errors.New("x") }}
	for i := range 8 {
		f.put(string(rune('a'+i)), i)
	}
	f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1})
	eventually(t, "invocations", func() bool { return len(h.seqs()) > 4 })
	f.m.Reset()
	if n := len(f.m.List(ListFilter{})); n != 0 {
		t.Fatalf("%d mappings after Reset", n)
	}
	// An invocation under way at Reset is abandoned; its handler, if it
	// had started, may still be entering. After that, nothing invokes.
	time.Sleep(20 * time.Millisecond)
	calls := len(h.seqs())
	time.Sleep(40 * time.Millisecond)
	if n := len(h.seqs()); n != calls {
		t.Fatalf("a poller kept invoking after Reset: %d invocations, then %d", calls, n)
	}
	f.create("fn2", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1})
	eventually(t, "the new mapping's invocations", func() bool { return len(h.seqs()) > calls })
	f.m.Close()
	eventually(t, "goroutines to end", func() bool { return runtime.NumGoroutine() <= before+2 })
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition = "fn", streamARN, Latest
	if _, err := f.m.Create(cfg); err == nil || !strings.Contains(err.Error(), "shutting down") {
		t.Fatalf("Create after Close: %v", err)
	}
}

func TestDisableDuringInvocationCommitsIt(t *testing.T) {
	f := newFixture(t, 1, false)
	release := make(chan struct{})
	var once sync.Once
	h := &calls{}
	h.respond = func(event) ([]byte, error) {
		once.Do(func() { <-release })
		return nil, nil
	}
	f.put("a", 1)
	v := f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1})
	eventually(t, "the first invocation under way", func() bool { return len(h.seqs()) == 1 })
	off, on := false, true
	if _, err := f.m.Update(v.UUID, Patch{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if g, _ := f.m.Get(v.UUID); g.State != Disabling {
		t.Fatalf("State %s while the invocation is under way, want Disabling", g.State)
	}
	close(release)
	eventually(t, "Disabled", func() bool { g, _ := f.m.Get(v.UUID); return g.State == Disabled })
	if got, _, _ := f.obs.snapshot(); len(got) != 1 {
		t.Fatalf("the invocation finished during the disable was not checkpointed: %v", got)
	}
	f.put("b", 2)
	if _, err := f.m.Update(v.UUID, Patch{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 2 })
	if n := len(h.seqs()); n != 2 {
		t.Fatalf("%d invocations, want 2 (a once, b once)", n)
	}
}
