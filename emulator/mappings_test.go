package emulator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/faults"
)

// TestMappingEndToEndResetAndMetrics drives a mapping through the
// emulator's handler: the Lambda API on the DynamoDB port, delivery to an
// in-process function, the admin views, the Prometheus series, a discard
// in the journal, and POST /_admin/reset stopping and forgetting it.
func TestMappingEndToEndResetAndMetrics(t *testing.T) {
	var calls atomic.Int32
	fail := func(_ context.Context, ev []byte) ([]byte, error) {
		calls.Add(1)
		if strings.Contains(string(ev), `"poison"`) {
			return nil, &poisonError{}
		}
		return []byte("null"), nil
	}
	e, err := New(Options{Mappings: MappingOptions{
		Functions:    []mapping.Function{{Name: "fn", Handler: fail}},
		RetryBackoff: mapping.Backoff{Base: time.Millisecond, Max: time.Millisecond},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	h := e.Handler()
	if code, body := call(t, h, "CreateTable", `{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`); code != 200 {
		t.Fatalf("CreateTable: %d %s", code, body)
	}
	_, body := call(t, h, "DescribeTable", `{"TableName":"orders"}`)
	var desc struct {
		Table struct{ LatestStreamArn string }
	}
	_ = json.Unmarshal([]byte(body), &desc)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, localReq(http.MethodPost, "/2015-03-31/event-source-mappings/", strings.NewReader(
		`{"FunctionName":"fn","EventSourceArn":"`+desc.Table.LatestStreamArn+`","StartingPosition":"TRIM_HORIZON","MaximumRetryAttempts":1,"MetricsConfig":{"Metrics":["EventCount"]}}`)))
	if w.Code != http.StatusAccepted {
		t.Fatalf("CreateEventSourceMapping: %d %s", w.Code, w.Body)
	}
	var m struct{ UUID string }
	_ = json.Unmarshal(w.Body.Bytes(), &m)
	call(t, h, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"poison"}}}`)
	call(t, h, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"ok"}}}`)
	deadline := time.Now().Add(5 * time.Second)
	for len(e.Faults().Journal(faults.JournalQuery{Kind: faults.KindLoss}).Entries) == 0 || calls.Load() < 2 {
		if time.Now().After(deadline) {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, localReq(http.MethodGet, "/_admin/mappings", nil))
			t.Fatalf("no discard journaled; %d calls; %s", calls.Load(), w.Body)
		}
		time.Sleep(2 * time.Millisecond)
	}
	entry := e.Faults().Journal(faults.JournalQuery{Kind: faults.KindLoss}).Entries[0]
	if entry.Consumer != m.UUID || entry.Table != "orders" || entry.Keys.String() != "pk=S:poison" || entry.EventID == "" {
		t.Fatalf("journal entry %+v", entry)
	}
	for _, path := range []string{"/_admin/mappings", "/_admin/mappings/" + m.UUID, "/_admin/mappings/" + m.UUID + "/failures", "/_admin/functions", "/_admin/functions/fn"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, localReq(http.MethodGet, path, nil))
		if w.Code != 200 || !strings.Contains(w.Body.String(), "fn") && !strings.Contains(w.Body.String(), "RetryAttemptsExhausted") {
			t.Errorf("GET %s: %d %s", path, w.Code, w.Body)
		}
	}
	// Once the checkpoint passed both records, the consumer oracle counts
	// the mapping's discards as the mapping does (one or two, as the
	// records were batched together or not).
	var st mapping.Status
	for deadline := time.Now().Add(5 * time.Second); ; {
		st, _ = e.Mappings().Status(m.UUID)
		if len(st.Shards) == 1 && st.Shards[0].Delivered+st.Shards[0].Discarded == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status %+v", st)
		}
		time.Sleep(2 * time.Millisecond)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, localReq(http.MethodGet, "/_admin/consumers/"+m.UUID, nil))
	want := `"missed":{"discarded":` + strconv.FormatUint(st.Shards[0].Discarded, 10) + `}`
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"mapping"`) || !strings.Contains(w.Body.String(), want) {
		t.Errorf("GET /_admin/consumers/%s: %d %s, want %s", m.UUID, w.Code, w.Body, want)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, localReq(http.MethodGet, "/_admin/metrics", nil))
	for _, series := range []string{"dynafault_lambda_iterator_age_milliseconds{", "dynafault_lambda_invocations_total{", "dynafault_lambda_errors_total{",
		"dynafault_lambda_throttles_total{", "dynafault_lambda_polled_event_count_total{", "dynafault_lambda_dropped_event_count_total{"} {
		if !strings.Contains(w.Body.String(), series) {
			t.Errorf("metrics lack %s", series)
		}
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, localReq(http.MethodPost, "/_admin/reset", nil))
	if w.Code != 200 {
		t.Fatalf("reset: %d %s", w.Code, w.Body)
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, localReq(http.MethodGet, "/2015-03-31/event-source-mappings/"+m.UUID, nil))
	if w.Code != http.StatusNotFound {
		t.Fatalf("the mapping survived reset: %d %s", w.Code, w.Body)
	}
	time.Sleep(20 * time.Millisecond) // an invocation under way at reset may still be entering
	n := calls.Load()
	call(t, h, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"after"}}}`)
	time.Sleep(30 * time.Millisecond)
	if calls.Load() != n {
		t.Fatal("a function was invoked after reset")
	}
}

// localReq is httptest.NewRequest addressed to localhost, a Host the
// admin API answers.
func localReq(method, target string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, target, body)
	r.Host = "localhost"
	return r
}

type poisonError struct{}

func (*poisonError) Error() string { return "poison" }

// TestMappingIteratorAgeGauge: the IteratorAge gauge grows with the clock
// while a batch is under way, is 0 once the mapping caught up, and the
// EventCount series are absent without MetricsConfig.
func TestMappingIteratorAgeGauge(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	// The first invocation waits for release and fails; the retry, an
	// hour of clock time after the record arrived, succeeds.
	slow := func(ctx context.Context, _ []byte) ([]byte, error) {
		if calls.Add(1) > 1 {
			return []byte("null"), nil
		}
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil, &poisonError{}
	}
	e, err := New(Options{Mappings: MappingOptions{
		Functions:    []mapping.Function{{Name: "fn", Handler: slow, Timeout: time.Minute}},
		RetryBackoff: mapping.Backoff{Base: time.Millisecond, Max: time.Millisecond},
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	h := e.Handler()
	call(t, h, "CreateTable", `{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`)
	_, body := call(t, h, "DescribeTable", `{"TableName":"orders"}`)
	var desc struct {
		Table struct{ LatestStreamArn string }
	}
	_ = json.Unmarshal([]byte(body), &desc)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, localReq(http.MethodPost, "/2015-03-31/event-source-mappings/", strings.NewReader(
		`{"FunctionName":"fn","EventSourceArn":"`+desc.Table.LatestStreamArn+`","StartingPosition":"TRIM_HORIZON"}`)))
	if w.Code != http.StatusAccepted {
		t.Fatalf("CreateEventSourceMapping: %d %s", w.Code, w.Body)
	}
	var m struct{ UUID string }
	_ = json.Unmarshal(w.Body.Bytes(), &m)
	call(t, h, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"ORDER#1"}}}`)
	waitFor(t, func() bool { return calls.Load() == 1 }, "the function to be invoked")
	w = httptest.NewRecorder()
	adv := localReq(http.MethodPost, "/_admin/clock", strings.NewReader(`{"advance":"1h"}`))
	adv.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(w, adv)
	if w.Code != http.StatusOK {
		t.Fatalf("clock: %d %s", w.Code, w.Body)
	}
	scrape := func() string {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, localReq(http.MethodGet, "/_admin/metrics", nil))
		return w.Body.String()
	}
	if age := seriesValue(t, scrape(), "dynafault_lambda_iterator_age_milliseconds", m.UUID); age < float64(time.Hour.Milliseconds()) {
		t.Errorf("iterator age %v ms with the batch an hour under way, want at least 3,600,000", age)
	}
	close(release)
	waitFor(t, func() bool {
		st, _ := e.Mappings().Status(m.UUID)
		return len(st.Shards) == 1 && st.Shards[0].Delivered == 1 && len(st.Shards[0].Batches) == 0
	}, "the batch to be delivered at its retry")
	if st, _ := e.Mappings().Status(m.UUID); st.Stats.IteratorAgeMs < time.Hour.Milliseconds() {
		t.Errorf("the retry's iterator age %d ms, want at least an hour", st.Stats.IteratorAgeMs)
	}
	waitFor(t, func() bool {
		return seriesValue(t, scrape(), "dynafault_lambda_iterator_age_milliseconds", m.UUID) == 0
	}, "the iterator age to fall to 0 once caught up")
	metrics := scrape()
	if n := seriesValue(t, metrics, "dynafault_lambda_invocations_total", m.UUID); n != 2 {
		t.Errorf("invocations %v, want 2", n)
	}
	if n := seriesValue(t, metrics, "dynafault_lambda_errors_total", m.UUID); n != 1 {
		t.Errorf("errors %v, want 1", n)
	}
	if strings.Contains(metrics, "dynafault_lambda_polled_event_count_total{") {
		t.Error("EventCount series without MetricsConfig")
	}
}

// seriesValue returns the value of the series name whose labels contain
// label, failing the test when there is none.
func seriesValue(t *testing.T, metrics, name, label string) float64 {
	t.Helper()
	for line := range strings.Lines(metrics) {
		if strings.HasPrefix(line, name+"{") && strings.Contains(line, `"`+label+`"`) {
			v, err := strconv.ParseFloat(strings.TrimSpace(line[strings.LastIndexByte(line, ' ')+1:]), 64)
			if err != nil {
				t.Fatalf("series %q: %v", line, err)
			}
			return v
		}
	}
	t.Fatalf("no series %s{…%q…} in\n%s", name, label, metrics)
	return 0
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
