package mapping

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParallelizationKeepsPerKeyOrder(t *testing.T) {
	f := newFixture(t, 1, false)
	var mu sync.Mutex
	perKey := map[string][]string{}
	var inFlight, peak atomic.Int32
	h := &calls{}
	h.respond = func(ev event) ([]byte, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		mu.Lock()
		for _, r := range ev.Records {
			k := r.Dynamodb.Keys["pk"]["S"]
			perKey[k] = append(perKey[k], r.Dynamodb.SequenceNumber)
		}
		mu.Unlock()
		return nil, nil
	}
	want := map[string][]string{}
	for i := range 60 {
		k := string(rune('a' + i%6))
		want[k] = append(want[k], f.put(k, i).SequenceNumber)
	}
	if _, err := f.m.RegisterFunction(Function{Name: "fn", Handler: h.handler, Concurrency: 4}); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition = "fn", streamARN, TrimHorizon
	cfg.BatchSize, cfg.ParallelizationFactor = 3, 4
	v, err := f.m.Create(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "60 records handled", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 60 })
	mu.Lock()
	defer mu.Unlock()
	for k, seqs := range want {
		if !slices.Equal(perKey[k], seqs) {
			t.Errorf("key %s delivered %v, want %v", k, perKey[k], seqs)
		}
	}
	if peak.Load() < 2 {
		t.Errorf("at most %d batches ran at once with ParallelizationFactor 4", peak.Load())
	}
	got, _, _ := f.obs.snapshot()
	var all []string
	for _, s := range want {
		all = append(all, s...)
	}
	slices.Sort(all)
	if !slices.Equal(got, all) {
		t.Errorf("the observer saw %v, want every record once in sequence order", got)
	}
	if st, _ := f.m.Status(v.UUID); st.Shards[0].Checkpoint != all[len(all)-1] {
		t.Errorf("checkpoint %s, want %s", st.Shards[0].Checkpoint, all[len(all)-1])
	}
}

func TestBatchingWindowOnTheClock(t *testing.T) {
	f := newFixture(t, 1, true)
	h := &calls{}
	f.put("a", 1)
	f.put("b", 2)
	if _, err := f.m.RegisterFunction(Function{Name: "fn", Handler: h.handler}); err != nil {
		t.Fatal(err)
	}
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition = "fn", streamARN, TrimHorizon
	cfg.MaximumBatchingWindowInSeconds, cfg.BatchSize = 10, 3
	if _, err := f.m.Create(cfg); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(h.seqs()); n != 0 {
		t.Fatalf("%d invocations before the batching window passed", n)
	}
	_, _ = f.clk.Advance(10 * time.Second)
	eventually(t, "the batch after the window", func() bool { return len(h.seqs()) == 1 })
	// A full batch goes at once, without waiting for the window.
	for i := range 3 {
		f.put("c", i)
	}
	eventually(t, "the full batch", func() bool { return len(h.seqs()) == 2 })
	if got := h.seqs(); len(got[0]) != 2 || len(got[1]) != 3 {
		t.Fatalf("batches %v", got)
	}
}

func TestLatestSkipsEarlierRecords(t *testing.T) {
	f := newFixture(t, 2, false)
	h := &calls{}
	for i := range 4 {
		f.put(string(rune('a'+i)), i)
	}
	f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1, StartingPosition: Latest})
	later := f.put("z", 9)
	eventually(t, "the record written after create", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 1 })
	time.Sleep(20 * time.Millisecond)
	if got, _, _ := f.obs.snapshot(); len(got) != 1 || got[0] != later.SequenceNumber {
		t.Fatalf("LATEST delivered %v, want only %s", got, later.SequenceNumber)
	}
}
