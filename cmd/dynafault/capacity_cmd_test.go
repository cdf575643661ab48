package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// createProvisioned creates table "orders" (pk S) at 5 RCU / 5 WCU on the
// server at url.
func createProvisioned(t *testing.T, url string) {
	t.Helper()
	body := `{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],` +
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`
	if code := wireCall(t, url, "CreateTable", body); code != http.StatusOK {
		t.Fatalf("CreateTable: %d", code)
	}
}

func TestCapacityCommands(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createProvisioned(t, url)
	out := mustRun(t, env, "capacity")
	if !strings.Contains(out, "enforcement for every table: off") || !strings.Contains(out, "orders  no") {
		t.Fatalf("capacity = %q", out)
	}
	out = mustRun(t, env, "capacity", "on", "orders", "--burst", "1")
	if !strings.Contains(out, "orders: PROVISIONED, burst 1 s, 0 requests throttled") || !strings.Contains(out, "5/5") {
		t.Fatalf("capacity on orders = %q", out)
	}
	for i := range 6 {
		want := http.StatusOK
		if i == 5 {
			want = http.StatusBadRequest // throttled: 5 WCU, 1 s of burst
		}
		if code := wireCall(t, url, "PutItem", `{"TableName":"orders","Item":{"pk":{"S":"hot"}}}`); code != want {
			t.Fatalf("write %d: %d, want %d", i, code, want)
		}
	}
	out = mustRun(t, env, "capacity", "keys", "orders")
	if !strings.Contains(out, "KEY") || !strings.Contains(out, "hot ") || !strings.Contains(out, "  5  ") {
		t.Fatalf("capacity keys = %q", out)
	}
	out = mustRun(t, env, "capacity", "show", "orders", "--json")
	if !strings.Contains(out, `"throttledRequests": 1`) || !strings.Contains(out, `"key": "hot"`) {
		t.Fatalf("capacity show orders --json = %q", out)
	}
	out = mustRun(t, env, "capacity", "off", "orders")
	if !strings.Contains(out, "orders: capacity not enforced") {
		t.Fatalf("capacity off orders = %q", out)
	}
	out = mustRun(t, env, "capacity", "on")
	if !strings.Contains(out, "enforcement for every table: on") || !strings.Contains(out, "orders  no") {
		t.Fatalf("capacity on (orders has its own setting: off) = %q", out)
	}
	out = mustRun(t, env, "capacity", "clear", "orders")
	if !strings.Contains(out, "orders: PROVISIONED, burst 300 s") {
		t.Fatalf("capacity clear orders = %q", out)
	}
	if _, _, err := runCLI(t, env, "capacity", "keys"); err == nil {
		t.Fatal("capacity keys without a table: no error")
	}
	if _, _, err := runCLI(t, env, "capacity", "show", "missing"); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("capacity show missing: %v", err)
	}
}

func TestServeCapacityFlag(t *testing.T) {
	s := start(t, []string{"serve", "--addr", "127.0.0.1:0"}, map[string]string{"DYNAFAULT_CAPACITY": "true"})
	if _, body := get(t, s.url+"/_admin/capacity"); !strings.Contains(body, `"enabled":true`) {
		t.Fatalf("DYNAFAULT_CAPACITY=true: %s", body)
	}
	s2 := start(t, []string{"serve", "--addr", "127.0.0.1:0", "--capacity=false"}, map[string]string{"DYNAFAULT_CAPACITY": "true"})
	if _, body := get(t, s2.url+"/_admin/capacity"); !strings.Contains(body, `"enabled":false`) {
		t.Fatalf("--capacity=false over the env: %s", body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := run(ctx, []string{"--addr", "127.0.0.1:0"}, func(k string) string {
		return map[string]string{"DYNAFAULT_CAPACITY": "maybe"}[k]
	}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `invalid environment variable DYNAFAULT_CAPACITY "maybe"`) {
		t.Fatalf("a bad DYNAFAULT_CAPACITY: %v", err)
	}
}
