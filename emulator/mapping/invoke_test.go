package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

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
	_, _ = m.RegisterFunction(Function{Name: "panicsWithAnError", Handler: func(context.Context, []byte) ([]byte, error) {
		panic(&poisonRecordError{})
	}})
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
	// A pointer panic value is named by what it points to, as aws-lambda-go
	// names it.
	if o = m.invoke(context.Background(), Invocation{FunctionName: "panicsWithAnError"}); o.Kind != FunctionError ||
		o.ErrorType != "poisonRecordError" || !strings.Contains(string(o.Body), `"errorType":"poisonRecordError"`) {
		t.Fatalf("pointer panic: %+v %s", o, o.Body)
	}
	if o = m.invoke(context.Background(), Invocation{FunctionName: "gone", FunctionARN: "arn"}); o.Kind != InvokeError {
		t.Fatalf("unknown function: %+v", o)
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

// TestWrapInvokeSeesEveryInvocation checks the seam delivery faults use:
// every invocation goes through Options.WrapInvoke, whose answer the
// poller acts on.
func TestWrapInvokeSeesEveryInvocation(t *testing.T) {
	f := newFixture(t, 1, false)
	var seen atomic.Int32
	opts := f.m.opts
	opts.WrapInvoke = func(next InvokeFunc) InvokeFunc {
		return func(ctx context.Context, inv Invocation) Outcome {
			if seen.Add(1) == 1 { // the first invocation is throttled by the wrapper
				return Outcome{Kind: Throttled, StatusCode: http.StatusTooManyRequests, ErrorType: "TooManyRequestsException"}
			}
			if inv.MappingUUID == "" || inv.ShardID == "" || inv.FunctionName != "fn" || len(inv.Payload) == 0 {
				t.Errorf("invocation %+v", inv)
			}
			return next(ctx, inv)
		}
	}
	f.m.Close()
	f.m = New(opts)
	t.Cleanup(f.m.Close)
	h := &calls{}
	f.put("a", 1)
	v := f.create("fn", h, Config{MaximumRetryAttempts: 0, MaximumRecordAgeInSeconds: -1})
	eventually(t, "delivered after the wrapper's throttle", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 1 })
	if st, _ := f.m.Status(v.UUID); st.Stats.Throttles != 1 || seen.Load() != 2 || len(h.seqs()) != 1 {
		t.Fatalf("throttles %d, wrapper calls %d, handler calls %d", st.Stats.Throttles, seen.Load(), len(h.seqs()))
	}
}

// TestURLFunctionTimeoutEnforced checks that dynafault itself ends an
// invocation of a URL function that never answers: the target here hangs
// until the test ends, so only callURL's own deadline (the timeout plus
// rieGrace) can end the call. The outcome is Lambda's timeout, the batch
// is retried as a function error, and the hung connection holds up no
// later invocation.
func TestURLFunctionTimeoutEnforced(t *testing.T) {
	f := newFixture(t, 1, false)
	release := make(chan struct{})
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			<-release // never answers while the test runs
			return
		}
		_, _ = w.Write([]byte(`null`))
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) }) // runs before srv.Close, which waits for the handler

	type call struct {
		inv     Invocation
		out     Outcome
		elapsed time.Duration
	}
	var mu sync.Mutex
	var got []call
	opts := f.m.opts
	opts.WrapInvoke = func(next InvokeFunc) InvokeFunc {
		return func(ctx context.Context, inv Invocation) Outcome {
			start := time.Now()
			out := next(ctx, inv)
			mu.Lock()
			got = append(got, call{inv, out, time.Since(start)})
			mu.Unlock()
			return out
		}
	}
	f.m.Close()
	f.m = New(opts)
	t.Cleanup(f.m.Close)
	const timeout = 200 * time.Millisecond
	if _, err := f.m.RegisterFunction(Function{Name: "fn", URL: srv.URL + "/2015-03-31/functions/fn/invocations", Timeout: timeout}); err != nil {
		t.Fatal(err)
	}
	rec := f.put("a", 1)
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition, cfg.MaximumRetryAttempts = "fn", streamARN, TrimHorizon, 2
	v, err := f.m.Create(cfg)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if handled, _, _ := f.obs.snapshot(); len(handled) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the record was not delivered within 10 s after a hung invocation (%d requests reached the target)", n.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("%d invocations, want the timed-out one and its retry", len(got))
	}
	first, retry := got[0], got[1]
	if first.out.Kind != FunctionError || first.out.FunctionError != "Unhandled" || first.out.ErrorType != "Sandbox.Timedout" ||
		!strings.Contains(first.out.ErrorMessage, "Task timed out after 0.20 seconds") {
		t.Fatalf("first outcome %+v, want Lambda's timeout", first.out)
	}
	if first.elapsed < timeout+rieGrace || first.elapsed > 10*time.Second {
		t.Errorf("the hung invocation ended after %s, want the timeout plus %s (and well under 10 s)", first.elapsed, rieGrace)
	}
	if retry.out.Kind != OK {
		t.Errorf("retry outcome %+v, want OK while the first request still hangs", retry.out)
	}
	for i, c := range got {
		if len(c.inv.Records) != 1 || c.inv.Records[0].SequenceNumber != rec.SequenceNumber {
			t.Errorf("invocation %d carried %d records, want the record %s", i, len(c.inv.Records), rec.SequenceNumber)
		}
	}
	if n.Load() != 2 {
		t.Errorf("%d requests reached the target, want 2", n.Load())
	}
	st, _ := f.m.Status(v.UUID)
	if st.Stats.Invocations != 2 || st.Stats.Errors != 1 || st.Stats.FailedInvokeEventCount != 1 || st.Stats.InvokeErrors != 0 {
		t.Errorf("stats %+v, want 2 invocations, 1 error, 1 failed record", st.Stats)
	}
}

// poisonRecordError is an error type a handler panics with.
type poisonRecordError struct{}

func (*poisonRecordError) Error() string { return "poison record" }
