package mapping

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func (f *fixture) create(fn string, h *calls, cfg Config) View {
	f.t.Helper()
	if _, err := f.m.RegisterFunction(Function{Name: fn, Handler: h.handler}); err != nil {
		f.t.Fatal(err)
	}
	base := Defaults()
	base.FunctionName, base.EventSourceArn, base.StartingPosition = fn, streamARN, TrimHorizon
	if cfg.BatchSize != 0 {
		base.BatchSize = cfg.BatchSize
	}
	base.MaximumRetryAttempts = cfg.MaximumRetryAttempts
	base.MaximumRecordAgeInSeconds = cfg.MaximumRecordAgeInSeconds
	base.BisectBatchOnFunctionError = cfg.BisectBatchOnFunctionError
	base.FunctionResponseTypes = cfg.FunctionResponseTypes
	base.Filters = cfg.Filters
	base.ParallelizationFactor = max(1, cfg.ParallelizationFactor)
	base.TumblingWindowInSeconds = cfg.TumblingWindowInSeconds
	base.OnFailure = cfg.OnFailure
	if cfg.StartingPosition != "" {
		base.StartingPosition = cfg.StartingPosition
	}
	v, err := f.m.Create(base)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

func TestDeliversInOrderAndCheckpoints(t *testing.T) {
	f := newFixture(t, 1, false)
	h := &calls{}
	var want []string
	for i := range 5 {
		want = append(want, f.put("a", i).SequenceNumber)
	}
	v := f.create("fn", h, Config{BatchSize: 2, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1})
	eventually(t, "5 records handled", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 5 })
	got, _, _ := f.obs.snapshot()
	if !slices.Equal(got, want) {
		t.Fatalf("handled %v, want %v", got, want)
	}
	for _, b := range h.seqs() {
		if len(b) > 2 {
			t.Fatalf("batch of %d records with BatchSize 2", len(b))
		}
	}
	st, err := f.m.Status(v.UUID)
	if err != nil || len(st.Shards) != 1 || st.Shards[0].Checkpoint != want[4] || st.Shards[0].Delivered != 5 {
		t.Fatalf("status = %+v, %v", st, err)
	}
	if st.State != Enabled || st.LastProcessingResult != ResultOK {
		t.Fatalf("state %s, last result %q", st.State, st.LastProcessingResult)
	}
}

func TestRetriesThenDiscards(t *testing.T) {
	f := newFixture(t, 1, false)
	h := &calls{respond: func(event) ([]byte, error) { return nil, errors.New("boom") }}
	r1 := f.put("a", 1)
	v := f.create("fn", h, Config{MaximumRetryAttempts: 2, MaximumRecordAgeInSeconds: -1})
	eventually(t, "discard", func() bool { _, _, d := f.obs.snapshot(); return len(d) == 1 })
	if n := len(h.seqs()); n != 3 {
		t.Fatalf("%d invocations with MaximumRetryAttempts 2, want 3", n)
	}
	fails, _ := f.m.Failures(v.UUID)
	if len(fails) != 1 || fails[0].RequestContext.Condition != RetryAttemptsExhausted ||
		fails[0].RequestContext.ApproximateInvokeCount != 3 || fails[0].BatchInfo.StartSequenceNumber != r1.SequenceNumber ||
		fails[0].ResponseContext.FunctionError == nil || *fails[0].ResponseContext.FunctionError != "Unhandled" {
		t.Fatalf("failures = %+v", fails)
	}
	if len(f.obs.journaled) != 1 {
		t.Fatalf("journaled %v", f.obs.journaled)
	}
}

func TestBisectIsolatesPoison(t *testing.T) {
	f := newFixture(t, 1, false)
	var poison string
	h := &calls{}
	h.respond = func(ev event) ([]byte, error) {
		for _, r := range ev.Records {
			if r.Dynamodb.SequenceNumber == poison {
				return nil, errors.New("poison")
			}
		}
		return []byte(`{}`), nil
	}
	var all []string
	for i := range 8 {
		r := f.put("k"+string(rune('a'+i)), i)
		all = append(all, r.SequenceNumber)
		if i == 5 {
			poison = r.SequenceNumber
		}
	}
	f.create("fn", h, Config{BatchSize: 8, MaximumRetryAttempts: 1, MaximumRecordAgeInSeconds: -1, BisectBatchOnFunctionError: true})
	eventually(t, "poison discarded", func() bool { _, _, d := f.obs.snapshot(); return len(d) == 1 })
	got, _, disc := f.obs.snapshot()
	if disc[0] != poison {
		t.Fatalf("discarded %v, want [%s]", disc, poison)
	}
	want := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == poison })
	eventually(t, "the rest delivered", func() bool { got, _, _ = f.obs.snapshot(); return len(got) == 7 })
	if !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
}

func TestPartialBatchResponse(t *testing.T) {
	f := newFixture(t, 1, false)
	var failOnce string
	h := &calls{}
	h.respond = func(ev event) ([]byte, error) {
		for _, r := range ev.Records {
			if r.Dynamodb.SequenceNumber == failOnce {
				failOnce = ""
				return []byte(`{"batchItemFailures":[{"itemIdentifier":"` + r.Dynamodb.SequenceNumber + `"}]}`), nil
			}
		}
		return []byte(`{"batchItemFailures":[]}`), nil
	}
	var all []string
	for i := range 4 {
		all = append(all, f.put("a", i).SequenceNumber)
	}
	failOnce = all[2]
	f.create("fn", h, Config{BatchSize: 4, MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1,
		FunctionResponseTypes: []string{ReportBatchItemFailures}})
	eventually(t, "all handled", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 4 })
	calls := h.seqs()
	if len(calls) != 2 || !slices.Equal(calls[0], all) || !slices.Equal(calls[1], all[2:]) {
		t.Fatalf("invocations %v, want the batch then its records from %s", calls, all[2])
	}
}

func TestFilterAndParentBeforeChild(t *testing.T) {
	f := newFixture(t, 1, false)
	h := &calls{}
	keep := f.put("keep", 1)
	f.put("drop", 2)
	parent := f.s.ShardList(f.clk.Now())[0].ID
	if _, err := f.s.Rollover(parent, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	child := f.put("keep", 3)
	f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1,
		Filters: []string{`{"dynamodb":{"Keys":{"pk":{"S":["keep"]}}}}`}})
	eventually(t, "both kept records", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 2 })
	got, filtered, _ := f.obs.snapshot()
	if !slices.Equal(got, []string{keep.SequenceNumber, child.SequenceNumber}) || len(filtered) != 1 {
		t.Fatalf("handled %v filtered %v", got, filtered)
	}
}

func TestDisableEnableKeepsCheckpoint(t *testing.T) {
	f := newFixture(t, 1, false)
	h := &calls{}
	f.put("a", 1)
	v := f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: -1})
	eventually(t, "first", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 1 })
	off, on := false, true
	if _, err := f.m.Update(v.UUID, Patch{Enabled: &off}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "disabled", func() bool { s, _ := f.m.Get(v.UUID); return s.State == Disabled })
	f.put("a", 2)
	time.Sleep(30 * time.Millisecond)
	if got, _, _ := f.obs.snapshot(); len(got) != 1 {
		t.Fatalf("a disabled mapping delivered %v", got)
	}
	if _, err := f.m.Update(v.UUID, Patch{Enabled: &on}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "second", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 2 })
	if n := len(h.seqs()); n != 2 {
		t.Fatalf("%d invocations, want 2 (no duplicate)", n)
	}
}

func TestRecordAgeOnFrozenClock(t *testing.T) {
	f := newFixture(t, 1, true)
	h := &calls{respond: func(event) ([]byte, error) { return nil, errors.New("boom") }}
	f.put("a", 1)
	v := f.create("fn", h, Config{MaximumRetryAttempts: -1, MaximumRecordAgeInSeconds: 60})
	eventually(t, "first invocation", func() bool { return len(h.seqs()) == 1 })
	time.Sleep(30 * time.Millisecond)
	if n := len(h.seqs()); n != 1 {
		t.Fatalf("%d invocations while the frozen clock stood still", n)
	}
	if _, err := f.clk.Advance(2 * time.Minute); err != nil {
		t.Fatal(err)
	}
	eventually(t, "aged out", func() bool { _, _, d := f.obs.snapshot(); return len(d) == 1 })
	fails, _ := f.m.Failures(v.UUID)
	if len(fails) != 1 || fails[0].RequestContext.Condition != RecordAgeExceeded {
		t.Fatalf("failures %+v", fails)
	}
}
