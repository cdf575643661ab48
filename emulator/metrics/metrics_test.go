package metrics_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/metrics"
	"github.com/dynafault/dynafault/faults"
)

const (
	ddb     = "DynamoDB_20120810."
	streams = "DynamoDBStreams_20120810."
)

func newEmulator(t *testing.T) (http.Handler, *clock.Clock) {
	t.Helper()
	clk := clock.NewFrozen(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	e, err := emulator.New(emulator.Options{Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	return e.Handler(), clk
}

const createOrders = `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST",
 "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
 "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
 "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`

func put(t *testing.T, h http.Handler, pk string) {
	t.Helper()
	mustCall(t, h, ddb+"PutItem", fmt.Sprintf(`{"TableName":"orders","Item":{"pk":{"S":%q},"v":{"S":"12345"}}}`, pk))
}

// firstShard returns the stream ARN and first shard ID of the orders table.
func firstShard(t *testing.T, h http.Handler) (arn, shard string) {
	t.Helper()
	var d struct {
		Table struct{ LatestStreamArn string }
	}
	_ = json.Unmarshal([]byte(mustCall(t, h, ddb+"DescribeTable", `{"TableName":"orders"}`)), &d)
	var s struct {
		StreamDescription struct{ Shards []struct{ ShardId string } }
	}
	_ = json.Unmarshal([]byte(mustCall(t, h, streams+"DescribeStream", fmt.Sprintf(`{"StreamArn":%q}`, d.Table.LatestStreamArn))), &s)
	if len(s.StreamDescription.Shards) == 0 {
		t.Fatal("no shards")
	}
	return d.Table.LatestStreamArn, s.StreamDescription.Shards[0].ShardId
}

// readRecords reads up to limit records of the shard from TRIM_HORIZON.
func readRecords(t *testing.T, h http.Handler, arn, shard string, limit int) int {
	t.Helper()
	var it struct{ ShardIterator string }
	_ = json.Unmarshal([]byte(mustCall(t, h, streams+"GetShardIterator",
		fmt.Sprintf(`{"StreamArn":%q,"ShardId":%q,"ShardIteratorType":"TRIM_HORIZON"}`, arn, shard))), &it)
	var page struct{ Records []json.RawMessage }
	_ = json.Unmarshal([]byte(mustCall(t, h, streams+"GetRecords",
		fmt.Sprintf(`{"ShardIterator":%q,"Limit":%d}`, it.ShardIterator, limit))), &page)
	return len(page.Records)
}

func TestScrapeAfterRequests(t *testing.T) {
	h, clk := newEmulator(t)
	mustCall(t, h, ddb+"CreateTable", createOrders)
	put(t, h, "a")
	put(t, h, "b")
	put(t, h, "c")
	if _, err := clk.Advance(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	put(t, h, "d")
	if code, _ := call(t, h, ddb+"GetItem", `{"TableName":"missing","Key":{"pk":{"S":"a"}}}`); code != http.StatusBadRequest {
		t.Fatalf("GetItem on a missing table: %d", code)
	}
	arn, shard := firstShard(t, h)
	if n := readRecords(t, h, arn, shard, 2); n != 2 {
		t.Fatalf("read %d records", n)
	}
	if _, err := clk.Advance(5 * time.Second); err != nil {
		t.Fatal(err)
	}

	ss := scrape(t, h)
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"dynafault_requests_total", []string{"operation", "PutItem", "error", ""}, 4},
		{"dynafault_requests_total", []string{"operation", "GetItem", "error", "ResourceNotFoundException"}, 1},
		{"dynafault_requests_total", []string{"operation", "GetItem", "error", ""}, 0},
		{"dynafault_requests_total", []string{"operation", "GetRecords", "error", ""}, 1},
		{"dynafault_request_duration_seconds_count", []string{"operation", "PutItem"}, 4},
		{"dynafault_table_items", []string{"table", "orders"}, 4},
		{"dynafault_table_bytes", []string{"table", "orders"}, 4 * (2 + 1 + 1 + 5)}, // pk "a".."d", v "12345",
		{"dynafault_stream_records_appended_total", []string{"table", "orders", "shard", shard}, 4},
		{"dynafault_stream_records_delivered_total", []string{"table", "orders", "shard", shard}, 2},
		{"dynafault_stream_records_dropped_total", []string{"table", "orders", "shard", shard}, 0},
		{"dynafault_stream_records_delayed_total", []string{"table", "orders", "shard", shard}, 0},
		{"dynafault_stream_records", []string{"table", "orders", "shard", shard}, 4},
		{"dynafault_stream_records_held", []string{"table", "orders", "shard", shard}, 0},
		{"dynafault_stream_newest_record_age_seconds", []string{"table", "orders", "shard", shard}, 5},
		{"dynafault_stream_oldest_undelivered_age_seconds", []string{"table", "orders", "shard", shard}, 15},
	}
	for _, c := range checks {
		if got := value(t, ss, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	absent(t, ss, "dynafault_fault_firings_total")
	if value(t, ss, "go_goroutines") <= 0 {
		t.Error("no Go runtime metrics")
	}
}

func TestCaughtUpAndEmptyShard(t *testing.T) {
	h, _ := newEmulator(t)
	mustCall(t, h, ddb+"CreateTable", createOrders)
	arn, shard := firstShard(t, h)
	ss := scrape(t, h)
	absent(t, ss, "dynafault_stream_newest_record_age_seconds", "shard", shard)
	if got := value(t, ss, "dynafault_stream_oldest_undelivered_age_seconds", "shard", shard); got != 0 {
		t.Errorf("empty shard undelivered age %v", got)
	}
	put(t, h, "a")
	readRecords(t, h, arn, shard, 100)
	ss = scrape(t, h)
	if got := value(t, ss, "dynafault_stream_oldest_undelivered_age_seconds", "shard", shard); got != 0 {
		t.Errorf("caught-up undelivered age %v", got)
	}
	mustCall(t, h, ddb+"DeleteTable", `{"TableName":"orders"}`)
	absent(t, scrape(t, h), "dynafault_table_items", "table", "orders")
}

func TestTwoEmulatorsKeepSeparateMetrics(t *testing.T) {
	h1, _ := newEmulator(t)
	h2, _ := newEmulator(t)
	mustCall(t, h1, ddb+"ListTables", `{}`)
	if got := value(t, scrape(t, h2), "dynafault_requests_total", "operation", "ListTables", "error", ""); got != 0 {
		t.Fatalf("second emulator counted the first one's request: %v", got)
	}
}

func TestFaultFirings(t *testing.T) {
	inj := faults.New(faults.Options{})
	_, err := inj.Add(
		faults.Rule{ID: "drop-orders", Target: faults.TargetStream, Action: faults.Action{Type: "drop"}},
		faults.Rule{ID: "slow", Target: faults.TargetAPI, Action: faults.Action{Type: "latency", Latency: faults.Duration(time.Millisecond)}},
	)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		inj.DecideStream(faults.StreamEvent{Table: "orders", EventName: "INSERT"})
	}
	m := metrics.New(metrics.Options{Faults: inj, NoRuntime: true})
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	ss := parseText(t, w.Body)
	if got := value(t, ss, "dynafault_fault_firings_total", "rule", "drop-orders"); got != 3 {
		t.Errorf("drop-orders fired %v", got)
	}
	if got := value(t, ss, "dynafault_fault_matches_total", "rule", "drop-orders"); got != 3 {
		t.Errorf("drop-orders matched %v", got)
	}
	if got := value(t, ss, "dynafault_fault_firings_total", "rule", "slow"); got != 0 {
		t.Errorf("slow fired %v", got)
	}
	absent(t, ss, "go_goroutines")
}

func TestOperationObserver(t *testing.T) {
	m := metrics.New(metrics.Options{NoRuntime: true})
	done := m.Operation("PutItem")
	done("", time.Millisecond)
	done("ConditionalCheckFailedException", 2*time.Millisecond)
	done("ConditionalCheckFailedException", 3*time.Millisecond)
	w := httptest.NewRecorder()
	m.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	ss := parseText(t, w.Body)
	if got := value(t, ss, "dynafault_requests_total", "error", "ConditionalCheckFailedException"); got != 2 {
		t.Errorf("errors %v", got)
	}
	if got := value(t, ss, "dynafault_request_duration_seconds_sum"); got < 0.0059 || got > 0.0061 {
		t.Errorf("duration sum %v", got)
	}
	if got := value(t, ss, "dynafault_request_duration_seconds_bucket", "le", "0.001"); got != 1 {
		t.Errorf("le 1ms bucket %v", got)
	}
}
