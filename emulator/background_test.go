package emulator

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
)

func TestEveryRunsAtEachTickUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ticks := make(chan time.Time)
	ran := make(chan struct{})
	done := make(chan struct{})
	go func() {
		every(ctx, ticks, func(context.Context) { ran <- struct{}{} })
		close(done)
	}()
	for range 3 {
		ticks <- time.Time{}
		<-ran
	}
	cancel()
	<-done
}

// signalHandler is a slog.Handler that reports each record's message.
type signalHandler struct{ msgs chan<- string }

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	select {
	case h.msgs <- r.Message:
	default:
	}
	return nil
}
func (h signalHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h signalHandler) WithGroup(string) slog.Handler      { return h }

// call sends one DynamoDB request through h and returns status and body.
func call(t *testing.T, h http.Handler, op, body string) (int, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	r.Header.Set("X-Amz-Date", "20250101T000000Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestBackgroundTTLSweep(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	msgs := make(chan string, 16)
	e, err := New(Options{Clock: clock.NewFrozen(now), Logger: slog.New(signalHandler{msgs}),
		TTLSweepInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	h := e.Handler()
	past := strconv.FormatInt(now.Add(-time.Hour).Unix(), 10)
	for _, req := range [][2]string{
		{"CreateTable", `{"TableName":"bgttl","BillingMode":"PAY_PER_REQUEST",
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`},
		{"UpdateTimeToLive", `{"TableName":"bgttl","TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}`},
		{"PutItem", `{"TableName":"bgttl","Item":{"pk":{"S":"a"},"exp":{"N":"` + past + `"}}}`},
	} {
		if code, body := call(t, h, req[0], req[1]); code != 200 {
			t.Fatalf("%s: %d %s", req[0], code, body)
		}
	}
	deadline := time.After(10 * time.Second)
	for swept := false; !swept; {
		select {
		case m := <-msgs:
			swept = m == "ttl sweep"
		case <-deadline:
			t.Fatal("the background loop did not sweep")
		}
	}
	code, body := call(t, h, "GetItem", `{"TableName":"bgttl","Key":{"pk":{"S":"a"}}}`)
	if code != 200 || body != "{}" {
		t.Fatalf("GetItem after the sweep: %d %s", code, body)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestNegativeTTLSweepInterval(t *testing.T) {
	if _, err := New(Options{TTLSweepInterval: -time.Second}); err == nil {
		t.Fatal("New accepted a negative TTLSweepInterval")
	}
}
