package client_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/dynafault/dynafault/faults/client"
)

func TestFunctionsAndMappings(t *testing.T) {
	s, c := startEmulator(t)
	ctx := t.Context()
	f, err := c.PutFunction(ctx, "orders", client.FunctionSpec{URL: "http://127.0.0.1:9", Timeout: 5 * time.Second})
	if err != nil || f.ARN != "arn:aws:lambda:us-east-1:000000000000:function:orders" || f.Timeout != "5s" || f.Concurrency != 1 {
		t.Fatalf("PutFunction = %+v, %v", f, err)
	}
	if _, err := c.PutFunction(ctx, "bad name!", client.FunctionSpec{URL: "http://127.0.0.1:9"}); !client.IsStatus(err, http.StatusBadRequest) {
		t.Fatalf("a bad name: %v", err)
	}
	if _, err := c.PutFunction(ctx, "x", client.FunctionSpec{URL: "ftp://nope"}); !client.IsStatus(err, http.StatusBadRequest) {
		t.Fatalf("a bad URL: %v", err)
	}
	list, err := c.Functions(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "orders" {
		t.Fatalf("Functions = %+v, %v", list, err)
	}
	s.call(t, "CreateTable", `{"TableName":"Tab","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`)
	var desc struct {
		Table struct{ LatestStreamArn string }
	}
	if err := json.Unmarshal([]byte(s.call(t, "DescribeTable", `{"TableName":"Tab"}`)), &desc); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"FunctionName": "orders", "EventSourceArn": desc.Table.LatestStreamArn, "StartingPosition": "LATEST", "Enabled": false})
	resp, err := s.http.Post(s.url+"/2015-03-31/event-source-mappings/", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("CreateEventSourceMapping: %v %v", resp, err)
	}
	var created struct{ UUID string }
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	ms, err := c.Mappings(ctx)
	if err != nil || len(ms) != 1 || ms[0].UUID != created.UUID || ms[0].FunctionName != "orders" || ms[0].Table != "Tab" ||
		ms[0].Config.StartingPosition != "LATEST" || ms[0].Config.BatchSize != 100 || ms[0].State != "Disabled" {
		t.Fatalf("Mappings = %+v, %v", ms, err)
	}
	if m, err := c.Mapping(ctx, created.UUID); err != nil || m.Config.MaximumRetryAttempts != -1 {
		t.Fatalf("Mapping = %+v, %v", m, err)
	}
	if f, err := c.MappingFailures(ctx, created.UUID); err != nil || len(f) != 0 {
		t.Fatalf("MappingFailures = %v, %v", f, err)
	}
	if _, err := c.Mapping(ctx, "nope"); !client.IsNotFound(err) {
		t.Fatalf("unknown mapping: %v", err)
	}
	if err := c.DeleteFunction(ctx, "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Function(ctx, "orders"); !client.IsNotFound(err) {
		t.Fatalf("deleted function: %v", err)
	}
}
