package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// streamsCallAs sends one DynamoDB Streams operation to url signed with the
// access key id akid and returns the decoded answer.
func streamsCallAs(t *testing.T, url, akid, op, body string) map[string]any {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDBStreams_20120810."+op)
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+akid+"/20260101/us-east-1/dynamodb/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &out) != nil {
		t.Fatalf("%s: HTTP %d %s", op, resp.StatusCode, b)
	}
	return out
}

func TestConsumersCommands(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createStreamTableCLI(t, url, "orders", "ORDER#1", "ORDER#2")
	st := streamOf(t, url, "orders")
	it := streamsCallAs(t, url, "AKIDCLI", "GetShardIterator", `{"StreamArn":"`+st.StreamArn+`","ShardId":"`+
		st.Shards[0].ShardID+`","ShardIteratorType":"TRIM_HORIZON"}`)["ShardIterator"].(string)
	page := streamsCallAs(t, url, "AKIDCLI", "GetRecords", `{"ShardIterator":"`+it+`","Limit":1}`)
	if recs := page["Records"].([]any); len(recs) != 1 {
		t.Fatalf("read %d records", len(recs))
	}
	mustRun(t, env, "clock", "advance", "25h")

	out := mustRun(t, env, "consumers", "list")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 ||
		!strings.HasPrefix(lines[1], "AKIDCLI") || !strings.Contains(lines[1], "trimmed:1") || !strings.Contains(lines[1], "reader") {
		t.Fatalf("consumers list:\n%s", out)
	}
	if out := mustRun(t, env, "consumers", "name", "AKIDCLI", "reader-1"); out != "consumer AKIDCLI named \"reader-1\"\n" {
		t.Errorf("consumers name = %q", out)
	}
	out = mustRun(t, env, "consumers", "show", "reader-1")
	if !strings.HasPrefix(out, "consumer AKIDCLI (reader), name reader-1\n") || !strings.Contains(out, st.Shards[0].ShardID) {
		t.Errorf("consumers show:\n%s", out)
	}
	out = mustRun(t, env, "consumers", "missed", "reader-1", "--reason", "trimmed")
	if !strings.HasPrefix(out, "consumer reader-1 missed 1 changes:\n  pk=ORDER#2 INSERT seq ") || !strings.Contains(out, " trimmed at ") {
		t.Errorf("consumers missed:\n%s", out)
	}
	var missed struct {
		Changes []map[string]any `json:"changes"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, env, "consumers", "missed", "AKIDCLI", "--json")), &missed); err != nil ||
		len(missed.Changes) != 1 || missed.Changes[0]["reason"] != "trimmed" {
		t.Errorf("consumers missed --json: %v %+v", err, missed)
	}
	out = mustRun(t, env, "faults", "journal", "--kind", "loss", "--consumer", "AKIDCLI")
	if !strings.Contains(out, "trimmed") || !strings.Contains(out, "ORDER#2") || strings.Contains(out, "ORDER#1") {
		t.Errorf("faults journal --kind loss --consumer:\n%s", out)
	}
	if out := mustRun(t, env, "consumers", "forget", "reader-1"); out != "consumer reader-1 forgotten\n" {
		t.Errorf("consumers forget = %q", out)
	}
	if _, _, err := runCLI(t, env, "consumers", "show", "AKIDCLI"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("show after forget: %v", err)
	}
	if _, _, err := runCLI(t, env, "consumers", "missed"); err == nil || !strings.Contains(err.Error(), "usage: dynafault consumers missed ID") {
		t.Errorf("missed without an id: %v", err)
	}
}
