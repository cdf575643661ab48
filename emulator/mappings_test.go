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
