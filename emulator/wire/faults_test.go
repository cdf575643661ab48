package wire

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// newFaultHandler returns a handler with an injector and table "tbl" (key
// pk, with a stream) holding nothing.
func newFaultHandler(t *testing.T) (*Handler, *faults.Injector) {
	t.Helper()
	h, _ := newTestHandler(t)
	in := faults.New(faults.Options{Seed: 1})
	h.SetFaults(in)
	fcall(t, h, "CreateTable", `{"TableName":"tbl","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+
		`"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`)
	return h, in
}

// fcall sends a DynamoDB (or, with a "Streams." prefix, Streams) operation
// and fails unless it succeeds; it returns the decoded body.
func fcall(t *testing.T, h http.Handler, op, body string) map[string]any {
	t.Helper()
	w := serve(t, h, opRequest(op, body))
	if w.Code != http.StatusOK {
		t.Fatalf("%s = %d %s", op, w.Code, w.Body)
	}
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s body %q: %v", op, w.Body, err)
	}
	return out
}

func opRequest(op, body string) *http.Request {
	if s, ok := strings.CutPrefix(op, "Streams."); ok {
		return signedRequest(prefixStreams+"."+s, body)
	}
	return signedRequest(prefixDynamoDB+"."+op, body)
}

// addRule adds one rule given as JSON.
func addRule(t *testing.T, in *faults.Injector, js string) {
	t.Helper()
	rules, err := faults.ParseRules([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Add(rules...); err != nil {
		t.Fatal(err)
	}
}

func journal(in *faults.Injector, rule string) []faults.Entry {
	return in.Journal(faults.JournalQuery{RuleID: rule}).Entries
}

func TestFaultErrorEnvelopes(t *testing.T) {
	h, in := newFaultHandler(t)
	for _, info := range faults.ErrorCatalog() {
		in.Reset()
		addRule(t, in, `{"id":"e","target":"api","match":{"operation":["GetItem"]},`+
			`"action":{"type":"error","code":"`+info.Code+`"},"when":{"times":1}}`)
		w := serve(t, h, opRequest("GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"}}}`))
		msg := info.Message
		if info.Code == "TransactionCanceledException" {
			msg = "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]"
		}
		wantError(t, w, info.HTTPStatus, info.Type(), msg)
		if e := journal(in, "e"); len(e) != 1 || e[0].Operation != "GetItem" || e[0].Table != "tbl" ||
			e[0].RequestID != w.Header().Get("X-Amzn-Requestid") || e[0].AccessKeyID != "AKIDTEST" {
			t.Errorf("%s: journal %+v", info.Code, e)
		}
		// The rule fired once: the next request runs the operation.
		if w := serve(t, h, opRequest("GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"}}}`)); w.Code != http.StatusOK {
			t.Errorf("%s: second request %d %s", info.Code, w.Code, w.Body)
		}
	}
}

func TestFaultErrorExtraMembers(t *testing.T) {
	h, in := newFaultHandler(t)
	addRule(t, in, `[{"id":"tc","target":"api","match":{"operation":["TransactWriteItems"]},
		"action":{"type":"error","code":"TransactionCanceledException",
		"cancellationReasons":[{"code":"None"},{"code":"ConditionalCheckFailed"}]}},
		{"id":"th","target":"api","match":{"table":"tbl","operation":["PutItem"]},
		"action":{"type":"error","code":"ThrottlingException","throttlingReasons":[{"reason":"TableWriteKeyRangeThroughputExceeded"}]}}]`)
	w := serve(t, h, opRequest("TransactWriteItems", `{"TransactItems":[{"Put":{"TableName":"tbl","Item":{"pk":{"S":"a"}}}},`+
		`{"Put":{"TableName":"tbl","Item":{"pk":{"S":"b"}}}}]}`))
	wantError(t, w, 400, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
		"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]")
	if got := w.Body.String(); !strings.Contains(got, `"CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]`) {
		t.Errorf("body %s", got)
	}
	if e := journal(in, "tc"); len(e) != 1 || e[0].Table != "tbl" {
		t.Errorf("journal %+v", e)
	}
	w = serve(t, h, opRequest("PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"}}}`))
	wantError(t, w, 400, "com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput.")
	// ThrottlingException's member is throttlingReasons in the service
	// model (ProvisionedThroughputExceededException's is ThrottlingReasons).
	if got := w.Body.String(); !strings.Contains(got,
		`"throttlingReasons":[{"reason":"TableWriteKeyRangeThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl"}]`) {
		t.Errorf("body %s", got)
	}
}

func TestFaultLatency(t *testing.T) {
	h, in := newFaultHandler(t)
	addRule(t, in, `{"id":"slow","target":"api","match":{"operation":["ListTables"]},"action":{"type":"latency","latency":"50ms"}}`)
	start := time.Now()
	fcall(t, h, "ListTables", `{}`)
	if el := time.Since(start); el < 50*time.Millisecond {
		t.Errorf("answered after %v, want >= 50ms", el)
	}
	in.Reset()
	addRule(t, in, `{"id":"stuck","target":"api","action":{"type":"latency","latency":"1h"}}`)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	w := httptest.NewRecorder()
	start = time.Now()
	h.ServeHTTP(w, opRequest("ListTables", `{}`).WithContext(ctx))
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("a cancelled request took %v", el)
	}
	if w.Body.Len() != 0 {
		t.Errorf("a cancelled request was answered: %s", w.Body)
	}
	if e := journal(in, "stuck"); len(e) != 1 || e[0].Detail != "1h0m0s" {
		t.Errorf("journal %+v", e)
	}
}

func TestFaultCommitThenFailError(t *testing.T) {
	h, in := newFaultHandler(t)
	addRule(t, in, `{"id":"c","target":"api","match":{"operation":["PutItem"]},"action":{"type":"commitThenFail"},"when":{"times":1}}`)
	w := serve(t, h, opRequest("PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"}}}`))
	wantError(t, w, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
	if got := fcall(t, h, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"}}}`); got["Item"] == nil {
		t.Fatal("the write was not applied")
	}
	if e := journal(in, "c"); len(e) != 1 || e[0].Detail != "then InternalServerError" {
		t.Errorf("journal %+v", e)
	}
	// A failing operation commits nothing and answers its own error.
	in.Reset()
	addRule(t, in, `{"id":"c2","target":"api","action":{"type":"commitThenFail","then":{"type":"error","code":"ServiceUnavailable"}}}`)
	w = serve(t, h, opRequest("PutItem", `{"TableName":"missing","Item":{"pk":{"S":"a"}}}`))
	wantError(t, w, 400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found")
	w = serve(t, h, opRequest("DeleteItem", `{"TableName":"tbl","Key":{"pk":{"S":"a"}}}`))
	wantError(t, w, 503, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
		"DynamoDB is currently unavailable. (This should be a temporary state.)")
}

func TestFaultCommitThenDropConnection(t *testing.T) {
	h, in := newFaultHandler(t)
	addRule(t, in, `{"id":"d","target":"api","match":{"operation":["PutItem"]},
		"action":{"type":"commitThenFail","then":{"type":"drop"}},"when":{"times":1}}`)
	srv := httptest.NewServer(h)
	defer srv.Close()
	r := opRequest("PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"dropped"}}}`)
	req, err := http.NewRequest(http.MethodPost, srv.URL, r.Body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = r.Header
	resp, err := srv.Client().Do(req)
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("got an answer %d %s, want a dropped connection", resp.StatusCode, body)
	}
	if got := fcall(t, h, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"dropped"}}}`); got["Item"] == nil {
		t.Fatal("the write was not applied")
	}
	if e := journal(in, "d"); len(e) != 1 || e[0].Detail != "then drop the connection" {
		t.Errorf("journal %+v", e)
	}
	// A writer that cannot be hijacked (the recorder) gets a 500 instead.
	addRule(t, in, `{"id":"d2","target":"api","match":{"operation":["PutItem"]},"action":{"type":"commitThenFail","then":{"type":"drop"}}}`)
	w := serve(t, h, opRequest("PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"b"}}}`))
	wantError(t, w, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
}

func TestFaultPartialBatch(t *testing.T) {
	h, in := newFaultHandler(t)
	addRule(t, in, `{"id":"pb","target":"api","action":{"type":"partialBatch","count":1},"match":{"key":{"pk":{"prefix":"x"}}}}`)
	out := fcall(t, h, "BatchWriteItem", `{"RequestItems":{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"a"}}}},`+
		`{"PutRequest":{"Item":{"pk":{"S":"x1"},"v":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"x2"}}}}]}}`)
	b, _ := json.Marshal(out["UnprocessedItems"])
	if string(b) != `{"tbl":[{"PutRequest":{"Item":{"pk":{"S":"x1"},"v":{"N":"1"}}}}]}` {
		t.Fatalf("UnprocessedItems %s", b)
	}
	out = fcall(t, h, "BatchGetItem", `{"RequestItems":{"tbl":{"Keys":[{"pk":{"S":"a"}},{"pk":{"S":"x1"}},{"pk":{"S":"x2"}}],"ConsistentRead":true}}}`)
	b, _ = json.Marshal(out["UnprocessedKeys"])
	if string(b) != `{"tbl":{"ConsistentRead":true,"Keys":[{"pk":{"S":"x1"}}]}}` {
		t.Fatalf("UnprocessedKeys %s", b)
	}
	if got := out["Responses"].(map[string]any)["tbl"].([]any); len(got) != 2 {
		t.Errorf("Responses %v", got)
	}
	var items []string
	for _, e := range journal(in, "pb") {
		if e.Detail == "unprocessed item" {
			items = append(items, e.Operation+" "+e.Table+" "+e.Keys.String())
		}
	}
	if strings.Join(items, "|") != "BatchWriteItem tbl pk=S:x1|BatchGetItem tbl pk=S:x1" {
		t.Errorf("journaled items %q", items)
	}
}

func TestFaultEmptyRecords(t *testing.T) {
	h, in := newFaultHandler(t)
	fcall(t, h, "PutItem", `{"TableName":"tbl","Item":{"pk":{"S":"a"}}}`)
	desc := fcall(t, h, "DescribeTable", `{"TableName":"tbl"}`)
	arn := desc["Table"].(map[string]any)["LatestStreamArn"].(string)
	sd := fcall(t, h, "Streams.DescribeStream", `{"StreamArn":"`+arn+`"}`)
	shard := sd["StreamDescription"].(map[string]any)["Shards"].([]any)[0].(map[string]any)["ShardId"].(string)
	it := fcall(t, h, "Streams.GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+shard+`","ShardIteratorType":"TRIM_HORIZON"}`)["ShardIterator"].(string)
	addRule(t, in, `{"id":"er","target":"api","match":{"table":"tbl"},"action":{"type":"emptyRecords"},"when":{"times":1}}`)
	out := fcall(t, h, "Streams.GetRecords", `{"ShardIterator":"`+it+`"}`)
	if recs, ok := out["Records"].([]any); !ok || len(recs) != 0 || out["NextShardIterator"] == nil {
		t.Fatalf("GetRecords %v", out)
	}
	out = fcall(t, h, "Streams.GetRecords", `{"ShardIterator":"`+out["NextShardIterator"].(string)+`"}`)
	if recs := out["Records"].([]any); len(recs) != 1 {
		t.Fatalf("next page %v: the iterator should not have moved", out)
	}
	if e := journal(in, "er"); len(e) != 1 || e[0].Operation != "GetRecords" || e[0].Table != "tbl" {
		t.Errorf("journal %+v", e)
	}
}

func TestRequestTables(t *testing.T) {
	cases := []struct {
		body, table, tables string
	}{
		{`{"TableName":"a"}`, "a", ""},
		{`{"TableName":"arn:aws:dynamodb:us-east-1:0:table/b"}`, "b", ""},
		{`{"RequestItems":{"y":{},"x":{}}}`, "", "x,y"},
		{`{"RequestItems":{"x":{}}}`, "x", "x"},
		{`{"TransactItems":[{"Put":{"TableName":"p"}},{"ConditionCheck":{"TableName":"c"}},{"Get":{"TableName":"p"}}]}`, "", "c,p"},
		{`{"StreamArn":"arn:aws:dynamodb:us-east-1:0:table/s/stream/2025"}`, "s", ""},
		{`{"ShardIterator":"arn:aws:dynamodb:us-east-1:0:table/i/stream/2025|1|abc"}`, "i", ""},
		{`{"TableName":5}`, "", ""},
		{`not json`, "", ""},
	}
	for _, c := range cases {
		got := requestTables([]byte(c.body))
		if got.table != c.table || strings.Join(got.tables, ",") != c.tables {
			t.Errorf("requestTables(%s) = %q %q", c.body, got.table, got.tables)
		}
	}
}

func TestFaultOutcomesAreObserved(t *testing.T) {
	h, in := newFaultHandler(t)
	var o outcomes
	h.SetObserver(o.observer)
	addRule(t, in, `{"id":"e","target":"api","match":{"operation":["ListTables"]},"action":{"type":"error","code":"ThrottlingException"},"when":{"times":1}}`)
	serve(t, h, opRequest("ListTables", `{}`))
	fcall(t, h, "ListTables", `{}`)
	if strings.Join(o.calls, "|") != "ListTables ThrottlingException|ListTables " {
		t.Errorf("observed %q", o.calls)
	}

}
