package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCapacitySeries(t *testing.T) {
	h, _ := newEmulator(t)
	mustCall(t, h, ddb+"CreateTable", `{"TableName":"ledger",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
		"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":5},
		"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
			"Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}]}`)
	absent(t, scrape(t, h), "dynafault_consumed_write_capacity_units_total")
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPut, "/_admin/capacity/ledger", strings.NewReader(`{"enabled":true,"burstSeconds":1}`))
	r.Host = "127.0.0.1:8000"
	r.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("PUT /_admin/capacity/ledger: %d %s", w.Code, w.Body)
	}
	for range 4 {
		mustCall(t, h, ddb+"PutItem", `{"TableName":"ledger","Item":{"pk":{"S":"hot"}}}`)
	}
	mustCall(t, h, ddb+"PutItem", `{"TableName":"ledger","Item":{"pk":{"S":"other"},"g":{"S":"x"}}}`)
	if code, _ := call(t, h, ddb+"PutItem", `{"TableName":"ledger","Item":{"pk":{"S":"hot"},"v":{"S":"1"}}}`); code != http.StatusBadRequest {
		t.Fatalf("the sixth write: %d, want a throttle", code)
	}
	ss := scrape(t, h)
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"dynafault_consumed_write_capacity_units_total", []string{"table", "ledger", "index", ""}, 5},
		{"dynafault_consumed_write_capacity_units_total", []string{"table", "ledger", "index", "byG"}, 1},
		{"dynafault_write_throttle_events_total", []string{"table", "ledger", "index", ""}, 1},
		{"dynafault_throttled_requests_total", []string{"table", "ledger"}, 1},
		{"dynafault_provisioned_write_capacity_units", []string{"table", "ledger", "index", ""}, 5},
		{"dynafault_provisioned_read_capacity_units", []string{"table", "ledger", "index", "byG"}, 1},
		{"dynafault_available_write_capacity_units", []string{"table", "ledger", "index", ""}, 0},
		{"dynafault_partitions", []string{"table", "ledger", "index", ""}, 1},
		{"dynafault_hot_key_consumed_units_total", []string{"table", "ledger", "index", "", "key", "hot", "operation", "write"}, 4},
		{"dynafault_hot_key_units_per_second", []string{"table", "ledger", "index", "", "key", "hot", "operation", "write"}, 4},
		{"dynafault_hot_key_throttled_requests_total", []string{"table", "ledger", "index", "", "key", "hot"}, 1},
		{"dynafault_hot_key_consumed_units_total", []string{"table", "ledger", "index", "byG", "key", "x", "operation", "write"}, 1},
	}
	for _, c := range checks {
		if got := value(t, ss, c.name, c.labels...); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
}
