package main

import (
	"strings"
	"testing"
)

func TestTTLSweep(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	if code := wireCall(t, url, "CreateTable", `{"TableName":"sessions","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`); code != 200 {
		t.Fatalf("CreateTable: HTTP %d", code)
	}
	if code := wireCall(t, url, "UpdateTimeToLive", `{"TableName":"sessions","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`); code != 200 {
		t.Fatalf("UpdateTimeToLive: HTTP %d", code)
	}
	// The clock stands at 2030-01-01: 1890000000 (2029-11) is past, 2000000000 (2033) ahead.
	for _, it := range []string{`"pk":{"S":"old"},"exp":{"N":"1890000000"}`, `"pk":{"S":"new"},"exp":{"N":"2000000000"}`} {
		if code := wireCall(t, url, "PutItem", `{"TableName":"sessions","Item":{`+it+`}}`); code != 200 {
			t.Fatalf("PutItem: HTTP %d", code)
		}
	}
	if out := mustRun(t, env, "ttl", "sweep"); out != "deleted 1 expired items\n" {
		t.Errorf("ttl sweep printed %q", out)
	}
	_, body := wireCallBody(t, url, "Scan", `{"TableName":"sessions"}`)
	if !strings.Contains(body, `"Count":1`) || !strings.Contains(body, `"new"`) {
		t.Errorf("Scan after the sweep: %s", body)
	}
	if out := mustRun(t, env, "ttl", "sweep", "--json"); !strings.Contains(out, `"deleted": 0`) {
		t.Errorf("ttl sweep --json printed %q", out)
	}
	if _, _, err := runCLI(t, env, "ttl", "sweep", "sessions"); err == nil || !strings.Contains(err.Error(), "unexpected arguments: sessions") {
		t.Errorf("ttl sweep sessions: %v", err)
	}
	if _, _, err := runCLI(t, env, "ttl"); err == nil || !strings.Contains(err.Error(), "ttl: missing subcommand (sweep)") {
		t.Errorf("ttl: %v", err)
	}
}
