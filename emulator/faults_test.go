package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/faults"
)

// client sends requests to one emulator's handler.
type client struct {
	t *testing.T
	h http.Handler
}

// op sends a DynamoDB or ("Streams." prefix) Streams operation and returns
// the status and decoded body.
func (c client) op(op, body string) (int, map[string]any) {
	c.t.Helper()
	target := "DynamoDB_20120810." + op
	if s, ok := strings.CutPrefix(op, "Streams."); ok {
		target = "DynamoDBStreams_20120810." + s
	}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", target)
	r.Header.Set("X-Amz-Date", "20260101T000000Z")
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDT/20260101/us-east-1/dynamodb/aws4_request, "+
		"SignedHeaders=host, Signature=00")
	w := httptest.NewRecorder()
	c.h.ServeHTTP(w, r)
	var out map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out
}

// ok is op that must succeed.
func (c client) ok(op, body string) map[string]any {
	c.t.Helper()
	code, out := c.op(op, body)
	if code != http.StatusOK {
		c.t.Fatalf("%s: %d %v", op, code, out)
	}
	return out
}

// admin sends an admin request and returns the status and body.
func (c client) admin(method, path, body string) (int, string) {
	c.t.Helper()
	w := httptest.NewRecorder()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Host = "localhost:8000" // as a local client sends it
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	c.h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// newFaultEmulator returns an emulator on a frozen clock with table "orders"
// (key pk, NEW_IMAGE stream).
func newFaultEmulator(t *testing.T, opts Options) (*Emulator, client) {
	t.Helper()
	opts.Clock = clock.NewFrozen(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	e, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	c := client{t: t, h: e.Handler()}
	c.ok("CreateTable", `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+
		`"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`)
	return e, c
}

// put writes item pk with v.
func (c client) put(pk string, v int) {
	c.t.Helper()
	c.ok("PutItem", fmt.Sprintf(`{"TableName":"orders","Item":{"pk":{"S":%q},"v":{"N":"%d"}}}`, pk, v))
}

// records reads the whole stream of orders (every shard from TRIM_HORIZON)
// and returns "pk:v" per record.
func (c client) records() []string {
	c.t.Helper()
	arn := c.ok("DescribeTable", `{"TableName":"orders"}`)["Table"].(map[string]any)["LatestStreamArn"].(string)
	desc := c.ok("Streams.DescribeStream", `{"StreamArn":"`+arn+`"}`)["StreamDescription"].(map[string]any)
	var out []string
	for _, sh := range desc["Shards"].([]any) {
		id := sh.(map[string]any)["ShardId"].(string)
		it := c.ok("Streams.GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+id+`","ShardIteratorType":"TRIM_HORIZON"}`)["ShardIterator"]
		page := c.ok("Streams.GetRecords", `{"ShardIterator":"`+it.(string)+`"}`)
		for _, r := range page["Records"].([]any) {
			img := r.(map[string]any)["dynamodb"].(map[string]any)["NewImage"].(map[string]any)
			out = append(out, img["pk"].(map[string]any)["S"].(string)+":"+img["v"].(map[string]any)["N"].(string))
		}
	}
	return out
}

// journalOf is the journal as "rule action kind[/outcome] keys seq[<-original]
// detail" lines, without times and event ids (event ids are random per
// stream).
func journalOf(e *Emulator) []string {
	var out []string
	for _, en := range e.Faults().Journal(faults.JournalQuery{Limit: faults.MaxPageLimit}).Entries {
		kind, seq := en.Kind, en.SequenceNumber
		if en.Outcome != "" {
			kind += "/" + en.Outcome
		}
		if en.OriginalSequenceNumber != "" {
			seq += "<-" + en.OriginalSequenceNumber
		}
		out = append(out, strings.Join([]string{en.RuleID, en.Action, kind, en.Keys.String(), seq, en.Detail}, " "))
	}
	return out
}

func TestStreamFaultsEndToEnd(t *testing.T) {
	e, c := newFaultEmulator(t, Options{})
	code, body := c.admin(http.MethodPost, "/_admin/faults", `[
		{"id":"lose","target":"stream","match":{"key":{"pk":{"equals":"b"}}},"action":{"type":"drop"}},
		{"id":"twice","target":"stream","match":{"key":{"pk":{"equals":"c"}}},"action":{"type":"duplicate"}},
		{"id":"swap","target":"stream","match":{"key":{"pk":{"equals":"d"}}},"action":{"type":"reorder"},"when":{"times":1}}]`)
	if code != http.StatusCreated {
		t.Fatalf("add rules: %d %s", code, body)
	}
	c.put("a", 1)
	c.put("b", 1) // dropped: the write succeeds
	c.put("c", 1) // duplicated
	c.put("d", 1) // reordered with the next record of d
	c.put("d", 2)
	if got := c.ok("GetItem", `{"TableName":"orders","Key":{"pk":{"S":"b"}}}`); got["Item"] == nil {
		t.Fatal("the dropped record's write was not applied")
	}
	if got, want := c.records(), []string{"a:1", "c:1", "c:1", "d:2", "d:1"}; !slices.Equal(got, want) {
		t.Fatalf("stream %v, want %v", got, want)
	}
	// Each of the two swapped records has a follow-up entry: where its
	// change is now and the slot it was appended to.
	wantJournal(t, journalOf(e),
		"lose drop firing pk=S:b 400000000000000000003 ",
		"twice duplicate firing pk=S:c 400000000000000000004 ",
		"swap reorder firing pk=S:d 400000000000000000005 ",
		"swap reorder followUp/swapped pk=S:d 400000000000000000006<-400000000000000000005 swapped with the next record",
		"swap reorder followUp/swapped pk=S:d 400000000000000000005<-400000000000000000006 swapped with the next record")
}

// wantJournal checks that the journal lines start with the prefixes.
func wantJournal(t *testing.T, j []string, prefixes ...string) {
	t.Helper()
	ok := len(j) == len(prefixes)
	for i := 0; ok && i < len(j); i++ {
		ok = strings.HasPrefix(j[i], prefixes[i])
	}
	if !ok {
		t.Fatalf("journal:\n  %s\nwant prefixes:\n  %s", strings.Join(j, "\n  "), strings.Join(prefixes, "\n  "))
	}
}

func TestAPIFaultActiveForTheNextRequest(t *testing.T) {
	_, c := newFaultEmulator(t, Options{})
	code, _ := c.admin(http.MethodPost, "/_admin/faults",
		`{"target":"api","match":{"table":"ord*","operation":["PutItem"]},"action":{"type":"error","code":"ProvisionedThroughputExceededException"}}`)
	if code != http.StatusCreated {
		t.Fatal(code)
	}
	if code, out := c.op("PutItem", `{"TableName":"orders","Item":{"pk":{"S":"a"}}}`); code != 400 ||
		out["__type"] != "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException" {
		t.Fatalf("PutItem: %d %v", code, out)
	}
	// Admin routes are never subject to faults.
	if code, _ := c.admin(http.MethodPost, "/_admin/reset", ""); code != http.StatusOK {
		t.Fatalf("reset: %d", code)
	}
	c.put("a", 1)
}

func TestFaultDecisionsAreDeterministic(t *testing.T) {
	run := func(seed uint64) []string {
		rules := []faults.Rule{{ID: "p", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDrop},
			When: faults.When{Probability: 0.5}}}
		e, c := newFaultEmulator(t, Options{Seed: seed, Rules: rules})
		for i := range 40 {
			c.put(fmt.Sprint("k", i%7), i)
		}
		return journalOf(e)
	}
	a, b, other := run(7), run(7), run(8)
	if len(a) == 0 || len(a) == 40 {
		t.Fatalf("a probability of 0.5 fired %d times in 40", len(a))
	}
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different journals:\n%q\n%q", a, b)
	}
	if slices.Equal(a, other) {
		t.Fatal("another seed gave the same journal")
	}
}

func TestStartRulesFromFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(good, []byte(`[{"id":"f1","target":"api","action":{"type":"latency","latency":"1ms"}}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	e, err := New(Options{FaultsFile: good, Rules: []faults.Rule{{ID: "r0", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDrop}}}})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var ids []string
	for _, r := range e.Faults().List() {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"r0", "f1"}) {
		t.Errorf("rules %v", ids)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"target":"api","action":{"type":"nope"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{FaultsFile: bad}); err == nil || !strings.Contains(err.Error(), "action.type") {
		t.Errorf("bad file: %v", err)
	}
	if _, err := New(Options{FaultsFile: filepath.Join(dir, "missing.json")}); err == nil {
		t.Error("missing file accepted")
	}
	dup := []faults.Rule{{ID: "x", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDrop}}}
	if _, err := New(Options{Rules: append(dup, dup...)}); err == nil {
		t.Error("duplicate ids accepted")
	}
}

func TestSeparateAdmin(t *testing.T) {
	e, err := New(Options{SeparateAdmin: true, AdminToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	main := client{t: t, h: e.Handler()}
	if code, body := main.admin(http.MethodGet, "/_admin/health", ""); code != http.StatusNotFound {
		t.Errorf("main handler served /_admin/health: %d %s", code, body)
	}
	adm := client{t: t, h: e.AdminHandler()}
	if code, _ := adm.admin(http.MethodGet, "/_admin/health", ""); code != http.StatusOK {
		t.Errorf("admin health: %d", code)
	}
	if code, _ := adm.admin(http.MethodGet, "/_admin/faults", ""); code != http.StatusUnauthorized {
		t.Errorf("admin without token: %d", code)
	}
}

func TestDelayReleasedByAClockMove(t *testing.T) {
	e, c := newFaultEmulator(t, Options{})
	code, body := c.admin(http.MethodPost, "/_admin/faults",
		`{"id":"late","target":"stream","match":{"table":"orders","key":{"pk":{"equals":"a"}}},"action":{"type":"delay","for":"PT1M","holdShard":true},"when":{"times":1}}`)
	if code != http.StatusCreated {
		t.Fatalf("add: %d %s", code, body)
	}
	c.put("a", 1)
	c.put("b", 1) // held behind a: the shard is held
	if got := c.records(); len(got) != 0 {
		t.Fatalf("visible before the release: %v", got)
	}
	_, body = c.admin(http.MethodGet, "/_admin/streams/orders", "")
	if !strings.Contains(body, `"held":2`) {
		t.Errorf("stream status lacks held 2: %s", body)
	}
	// b, held behind a's holdShard delay, has an entry naming it.
	wantJournal(t, journalOf(e),
		"late delay firing pk=S:a 400000000000000000002 delayed 1m0s, holding the shard",
		"late delay followUp/heldBehind pk=S:b 400000000000000000003 held behind delayed record ")
	if code, body := c.admin(http.MethodPost, "/_admin/clock", `{"advance":"1m"}`); code != http.StatusOK {
		t.Fatalf("clock: %d %s", code, body)
	}
	_, body = c.admin(http.MethodGet, "/_admin/streams/orders", "")
	if !strings.Contains(body, `"held":0`) {
		t.Errorf("records still held after the clock move: %s", body)
	}
	if got, want := c.records(), []string{"a:1", "b:1"}; !slices.Equal(got, want) {
		t.Fatalf("after release %v, want %v", got, want)
	}
	// The clock move comes first, then the releases it made due.
	wantJournal(t, journalOf(e)[2:],
		" advance clock   from 2025-06-01T00:00:00Z to 2025-06-01T00:01:00Z (frozen, ",
		"late delay followUp/released pk=S:a 400000000000000000004<-400000000000000000002 released after 1m0s",
		"late delay followUp/released pk=S:b 400000000000000000005<-400000000000000000003 released after waiting behind delayed record ")
}

// A clock move is journaled and logged with its seq, and so is each
// periodic rollover it makes due (table, shard, child), after it.
func TestClockMoveAndPeriodicRolloversAreJournaledAndLogged(t *testing.T) {
	var logs bytes.Buffer
	e, c := newFaultEmulator(t, Options{StreamRollover: 4 * time.Hour,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	c.put("a", 1)
	logs.Reset()
	if code, body := c.admin(http.MethodPost, "/_admin/clock", `{"advance":"9h"}`); code != http.StatusOK || !strings.Contains(body, `"journalSeq":1`) {
		t.Fatalf("clock: %d %s", code, body)
	}
	_, body := c.admin(http.MethodGet, "/_admin/streams/orders", "")
	var st struct {
		Streams []struct {
			Shards []struct{ ShardID string }
		}
	}
	if err := json.Unmarshal([]byte(body), &st); err != nil || len(st.Streams) != 1 || len(st.Streams[0].Shards) != 3 {
		t.Fatalf("streams after 9 h with a 4 h rollover: %s (%v)", body, err)
	}
	sh := st.Streams[0].Shards
	wantJournal(t, journalOf(e),
		" advance clock   from 2025-06-01T00:00:00Z to 2025-06-01T09:00:00Z (frozen, ",
		" rollover shard   child "+sh[1].ShardID+"; periodic, at the rollover age (2025-06-01T04:00:00Z); closed with 1 readable records (",
		" rollover shard   child "+sh[2].ShardID+"; periodic, at the rollover age (2025-06-01T08:00:00Z); closed with 0 readable records")
	j := e.Faults().Journal(faults.JournalQuery{}).Entries
	for i, x := range j[1:] {
		if x.Table != "orders" || x.ShardID != sh[i].ShardID || x.Target != faults.TargetShard {
			t.Errorf("rollover entry %d: %+v", i, x)
		}
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	want := []map[string]any{
		{"level": "INFO", "msg": "clock moved", "action": "advance", "from": "2025-06-01T00:00:00Z", "to": "2025-06-01T09:00:00Z", "seq": 1.0},
		{"level": "INFO", "msg": "shard rolled over", "table": "orders", "shard": sh[0].ShardID, "child": sh[1].ShardID,
			"at": "2025-06-01T04:00:00Z", "records": 1.0, "seq": 2.0},
		{"level": "INFO", "msg": "shard rolled over", "table": "orders", "shard": sh[1].ShardID, "child": sh[2].ShardID,
			"at": "2025-06-01T08:00:00Z", "records": 0.0, "seq": 3.0},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), logs.String())
	}
	for i, w := range want {
		for k, v := range w {
			if lines[i][k] != v {
				t.Errorf("line %d: %s = %v, want %v (%v)", i, k, lines[i][k], v, lines[i])
			}
		}
	}
}
