package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/mapping"
)

func TestFunctionFlags(t *testing.T) {
	env := map[string]string{"DYNAFAULT_FUNCTIONS": "a=http://127.0.0.1:9001,b=http://127.0.0.1:9002", "DYNAFAULT_FUNCTION_TIMEOUT": "10s"}
	c, err := parseServeFlags(nil, func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var o emulator.Options
	if err := c.functions.apply(&o); err != nil {
		t.Fatal(err)
	}
	fs := o.Mappings.Functions
	if len(fs) != 2 || fs[0].Name != "a" || fs[1].URL != "http://127.0.0.1:9002" || fs[0].Timeout != 10*time.Second ||
		o.Mappings.RetryBackoff != (mapping.Backoff{Base: time.Second, Max: time.Minute}) {
		t.Fatalf("from env: %+v, %+v", fs, o.Mappings.RetryBackoff)
	}
	// Flags win over the env.
	c, err = parseServeFlags([]string{"--function", "x=http://h:1", "--function", "y=http://h:2", "--mapping-retry-base", "10ms", "--mapping-retry-max", "1s",
		"--mapping-transition", "2s"},
		func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	o = emulator.Options{}
	if err := c.functions.apply(&o); err != nil {
		t.Fatal(err)
	}
	if fs := o.Mappings.Functions; len(fs) != 2 || fs[0].Name != "x" || fs[1].Name != "y" || o.Mappings.RetryBackoff.Base != 10*time.Millisecond ||
		o.Mappings.Transition != 2*time.Second {
		t.Fatalf("from flags: %+v", o.Mappings)
	}
	for _, bad := range []functionFlags{
		{functions: []string{"noequals"}, timeout: "3s", retryBase: "1s", retryMax: "1m"},
		{functions: []string{"=http://h"}, timeout: "3s", retryBase: "1s", retryMax: "1m"},
		{timeout: "0s", retryBase: "1s", retryMax: "1m"},
		{timeout: "3s", retryBase: "1m", retryMax: "1s"},
		{timeout: "3s", retryBase: "1s", retryMax: "1m", transition: "-1s"},
		{timeout: "3s", retryBase: "1s", retryMax: "1m", transition: "soon"},
	} {
		if err := bad.apply(&emulator.Options{}); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	// A function the emulator refuses fails the start.
	if _, err := emulator.New(emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{{Name: "bad name", URL: "http://h"}}}}); err == nil {
		t.Error("emulator.New accepted a bad function name")
	}
}

func TestMappingsAndFunctionsCommands(t *testing.T) {
	t.Parallel()
	emu, err := emulator.New(emulator.Options{Clock: clock.NewFrozen(adminStart0)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	env := map[string]string{"DYNAFAULT_ENDPOINT": srv.URL}
	out := mustRun(t, env, "functions", "add", "orders", "http://127.0.0.1:9", "--timeout", "30s")
	if !strings.Contains(out, "orders") || !strings.Contains(out, "30s") {
		t.Errorf("functions add = %q", out)
	}
	if out = mustRun(t, env, "functions", "list"); !strings.Contains(out, "http://127.0.0.1:9") {
		t.Errorf("functions list = %q", out)
	}
	// A table with a stream and a mapping, through the wire and Lambda APIs.
	post := func(path, target, body string) []byte {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		if target != "" {
			req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+target)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
			req.Header.Set("X-Amz-Date", "20260101T000000Z")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("POST %s %s: %d %s", path, target, resp.StatusCode, b.String())
		}
		return b.Bytes()
	}
	var tbl struct {
		TableDescription struct{ LatestStreamArn string }
	}
	_ = json.Unmarshal(post("/", "CreateTable", `{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`), &tbl)
	var m struct{ UUID string }
	_ = json.Unmarshal(post("/2015-03-31/event-source-mappings/", "", `{"FunctionName":"orders","EventSourceArn":"`+tbl.TableDescription.LatestStreamArn+`","StartingPosition":"TRIM_HORIZON","Enabled":false}`), &m)
	if out = mustRun(t, env, "mappings", "list"); !strings.Contains(out, m.UUID) || !strings.Contains(out, "orders") || !strings.Contains(out, "Disabled") {
		t.Errorf("mappings list = %q", out)
	}
	if out = mustRun(t, env, "mappings", "show", m.UUID); !strings.Contains(out, "uuid        "+m.UUID) || !strings.Contains(out, "batch 100") {
		t.Errorf("mappings show = %q", out)
	}
	if out = mustRun(t, env, "mappings", "failures", m.UUID, "--json"); strings.TrimSpace(out) != "[]" && strings.TrimSpace(out) != "null" {
		t.Errorf("mappings failures = %q", out)
	}
	if _, _, err := runCLI(t, env, "mappings", "show", "nope"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("mappings show of an unknown UUID: %v", err)
	}
	if out = mustRun(t, env, "functions", "rm", "orders"); !strings.Contains(out, "removed function orders") {
		t.Errorf("functions rm = %q", out)
	}
	if _, _, err := runCLI(t, env, "functions", "rm", "orders"); err == nil {
		t.Error("removing a missing function succeeded")
	}
}
