package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
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

func TestThrottlesDoNotCountAsRetries(t *testing.T) {
	f := newFixture(t, 1, false)
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 3 {
			w.Header().Set("X-Amzn-Errortype", "TooManyRequestsException")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = w.Write([]byte(`{"Type":"User","message":"Rate Exceeded.","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}`))
			return
		}
		_, _ = w.Write([]byte(`null`))
	}))
	t.Cleanup(srv.Close)
	if _, err := f.m.RegisterFunction(Function{Name: "fn", URL: srv.URL + "/2015-03-31/functions/fn/invocations"}); err != nil {
		t.Fatal(err)
	}
	f.put("a", 1)
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition, cfg.MaximumRetryAttempts = "fn", streamARN, TrimHorizon, 0
	v, err := f.m.Create(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "delivered after the throttles", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 1 })
	st, _ := f.m.Status(v.UUID)
	if st.Stats.Throttles != 3 || st.Stats.Invocations != 1 || st.Stats.Errors != 0 {
		t.Fatalf("stats %+v", st.Stats)
	}
}

func TestClassifyHTTP(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name            string
		status          int
		header          http.Header
		body, kind, typ string
	}{
		{"success", 200, nil, `{"batchItemFailures":[]}`, OK, ""},
		{"invoke API function error", 200, h("X-Amz-Function-Error", "Unhandled"), `{"errorType":"Error","errorMessage":"x"}`, FunctionError, "Error"},
		{"RIE function error", 200, nil, `{"errorMessage":"boom","errorType":"errorString"}`, FunctionError, "errorString"},
		{"RIE timeout", 200, nil, "Task timed out after 2.00 seconds", FunctionError, "Sandbox.Timedout"},
		{"RIE panic", 502, nil, `{"errorMessage":"x","errorType":"string","stackTrace":[]}`, FunctionError, "string"},
		{"RIE exit", 502, nil, `{"errorType":"Runtime.ExitError","errorMessage":"exit status 3"}`, FunctionError, "Runtime.ExitError"},
		{"throttle", 429, h("X-Amzn-Errortype", "TooManyRequestsException"), `{"message":"Rate Exceeded."}`, Throttled, "TooManyRequestsException"},
		{"service error", 502, h("X-Amzn-Errortype", "EC2ThrottledException:http://internal"), `{"message":"x"}`, InvokeError, "EC2ThrottledException"},
		{"unknown function", 404, h("X-Amzn-Errortype", "ResourceNotFoundException"), `{"Message":"Function not found"}`, InvokeError, "ResourceNotFoundException"},
		{"wrong path", 404, nil, "404 page not found", InvokeError, "Not Found"},
		{"a string result", 200, nil, `"ok"`, OK, ""},
	}
	for _, c := range cases {
		o := classifyHTTP(c.status, c.header, []byte(c.body))
		if o.Kind != c.kind || o.ErrorType != c.typ {
			t.Errorf("%s: %s %q, want %s %q", c.name, o.Kind, o.ErrorType, c.kind, c.typ)
		}
		if o.Kind == FunctionError && o.FunctionError == "" {
			t.Errorf("%s: a function error without FunctionError", c.name)
		}
	}
}

func TestInProcessTimeoutAndPanic(t *testing.T) {
	m := New(Options{})
	t.Cleanup(m.Close)
	_, _ = m.RegisterFunction(Function{Name: "slow", Timeout: 20 * time.Millisecond, Handler: func(ctx context.Context, _ []byte) ([]byte, error) {
		<-ctx.Done()
		time.Sleep(10 * time.Millisecond)
		return []byte("null"), nil
	}})
	_, _ = m.RegisterFunction(Function{Name: "panics", Handler: func(context.Context, []byte) ([]byte, error) { panic("boom") }})
	_, _ = m.RegisterFunction(Function{Name: "fails", Handler: func(context.Context, []byte) ([]byte, error) { return nil, errors.New("nope") }})
	o := m.invoke(context.Background(), Invocation{FunctionName: "slow", RequestID: "r1"})
	if o.Kind != FunctionError || o.ErrorType != "Sandbox.Timedout" || !strings.Contains(string(o.Body), "Task timed out after 0.02 seconds") {
		t.Fatalf("timeout: %+v %s", o, o.Body)
	}
	if o = m.invoke(context.Background(), Invocation{FunctionName: "panics"}); o.Kind != FunctionError || o.ErrorType != "string" {
		t.Fatalf("panic: %+v", o)
	}
	if o = m.invoke(context.Background(), Invocation{FunctionName: "fails"}); o.Kind != FunctionError || o.ErrorType != "errorString" {
		t.Fatalf("error: %+v", o)
	}
	if o = m.invoke(context.Background(), Invocation{FunctionName: "gone", FunctionARN: "arn"}); o.Kind != InvokeError {
		t.Fatalf("unknown function: %+v", o)
	}
}

func TestJudge(t *testing.T) {
	batch := []*entry{{}, {}, {}}
	for i, e := range batch {
		e.rec.SequenceNumber = []string{"10", "20", "30"}[i]
	}
	cases := []struct {
		body           string
		report, window bool
		kind, from     int
	}{
		{`anything`, false, false, allDone, 0},
		{`{"batchItemFailures":[{"itemIdentifier":"30"},{"itemIdentifier":"20"}]}`, true, false, partial, 1},
		{`{"batchItemFailures":[{"itemIdentifier":"10"}]}`, true, false, partial, 0},
		{`{"batchItemFailures":[]}`, true, false, allDone, 0},
		{`{"batchItemFailures":"x"}`, true, false, allFailed, 0},
		{`{"batchItemFailures":[{"itemIdentifier":20}]}`, true, false, allFailed, 0},
		{`not json`, true, false, allFailed, 0},
		{``, true, false, allDone, 0},
		{`"str"`, true, false, allDone, 0},
		{`{"state":{"a":"1"}}`, false, true, allDone, 0},
		{`{"batchItemFailures":[]}`, true, true, allFailed, 0},
		{`{"state":null}`, false, true, allFailed, 0},
	}
	for _, c := range cases {
		v := judge([]byte(c.body), batch, c.report, c.window)
		if v.kind != c.kind || (v.kind == partial && v.from != c.from) {
			t.Errorf("judge(%s, report %v, window %v) = %+v, want kind %d from %d", c.body, c.report, c.window, v, c.kind, c.from)
		}
	}
}

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
	calls := len(h.seqs())
	time.Sleep(30 * time.Millisecond)
	if len(h.seqs()) != calls {
		t.Fatal("a poller kept invoking after Reset")
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

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote`, `back\slash`, "ctl\x00\n", "ünï", "<html>"} {
		got := appendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != s {
			t.Errorf("appendString(%q) = %s (%v)", s, got, err)
		}
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

func TestTumblingWindowTerminatedEarly(t *testing.T) {
	f := newFixture(t, 1, true)
	var mu sync.Mutex
	var events []map[string]any
	big := `{"state":{"blob":"` + strings.Repeat("x", maxWindowState) + `"}}`
	h := func(_ context.Context, payload []byte) ([]byte, error) {
		var ev map[string]any
		_ = json.Unmarshal(payload, &ev)
		mu.Lock()
		events = append(events, ev)
		n := len(events)
		mu.Unlock()
		if n == 1 {
			return []byte(big), nil
		}
		return []byte(`{"state":{"n":"1"}}`), nil
	}
	if _, err := f.m.RegisterFunction(Function{Name: "fn", Handler: h}); err != nil {
		t.Fatal(err)
	}
	f.put("a", 1)
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition, cfg.TumblingWindowInSeconds = "fn", streamARN, TrimHorizon, 60
	if _, err := f.m.Create(cfg); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the early termination", func() bool { mu.Lock(); defer mu.Unlock(); return len(events) >= 2 })
	f.put("b", 2)
	eventually(t, "the next batch of the same window", func() bool { mu.Lock(); defer mu.Unlock(); return len(events) >= 3 })
	mu.Lock()
	defer mu.Unlock()
	early, next := events[1], events[2]
	if early["isWindowTerminatedEarly"] != true || early["isFinalInvokeForWindow"] != true || len(early["Records"].([]any)) != 0 {
		t.Fatalf("second invocation %v, want the early termination", early["isWindowTerminatedEarly"])
	}
	if st := next["state"].(map[string]any); len(st) != 0 || next["isWindowTerminatedEarly"] != false ||
		next["window"].(map[string]any)["start"] != events[0]["window"].(map[string]any)["start"] {
		t.Fatalf("after the early end: state %v, window %v (first %v)", st, next["window"], events[0]["window"])
	}
}
