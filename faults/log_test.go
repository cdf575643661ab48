package faults

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// logLines decodes the JSON log lines in buf.
func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestFiringsAreLoggedAtInfo(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	in := New(Options{Seed: 1, Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if _, err := in.Add(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("adding no rules logged %q", buf.String())
	}
	mustAddRules(t, in, Rule{ID: "lose", Target: TargetStream, Action: Action{Type: ActionDrop}, When: When{Times: 1}},
		errorRule("throttle", "orders", "ThrottlingException", When{Times: 1}))
	buf.Reset()
	in.DecideStream(record("orders", 7))
	in.DecideStream(record("orders", 8)) // exhausted: no firing, no line
	in.DecideAPI(APIEvent{Operation: "PutItem", Table: "orders", RequestID: "REQ1"})
	lines := logLines(t, &buf)
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want one per firing: %s", len(lines), buf.String())
	}
	want := []map[string]any{
		{"level": "INFO", "msg": "fault fired", "fault": "lose", "action": "drop", "target": "stream", "table": "orders",
			"key": "pk=S:ORDER#7", "event": "MODIFY", "sequence_number": "40000000000000000007", "shard": "shardId-1", "seq": 1.0},
		{"level": "INFO", "msg": "fault fired", "fault": "throttle", "action": "error", "target": "api", "table": "orders",
			"operation": "PutItem", "request_id": "REQ1", "detail": "ThrottlingException", "seq": 2.0},
	}
	for i, w := range want {
		for k, v := range w {
			if lines[i][k] != v {
				t.Errorf("line %d: %s = %v, want %v (%v)", i, k, lines[i][k], v, lines[i])
			}
		}
	}
	buf.Reset()
	e := in.RecordShardActionDetail(ShardRollover, "orders", "shardId-1", "child shardId-2")
	if l := logLines(t, &buf); len(l) != 1 || l[0]["msg"] != "shard action" || l[0]["action"] != "rollover" ||
		l[0]["shard"] != "shardId-1" || l[0]["seq"] != float64(e.Seq) || l[0]["detail"] != "child shardId-2" {
		t.Errorf("shard action logged %v", l)
	}
	buf.Reset()
	from := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	e = in.RecordClockChange(ClockChange{Action: ClockSet, From: from, To: from.Add(-time.Hour), Mode: "real", Offset: -time.Hour})
	if l := logLines(t, &buf); len(l) != 1 || l[0]["level"] != "INFO" || l[0]["msg"] != "clock moved" || l[0]["action"] != "set" ||
		l[0]["from"] != "2030-01-01T00:00:00Z" || l[0]["to"] != "2029-12-31T23:00:00Z" || l[0]["mode"] != "real" ||
		l[0]["offset"] != "-1h0m0s" || l[0]["seq"] != float64(e.Seq) || e.Seq != 4 {
		t.Errorf("clock change (journal seq %d) logged %v", e.Seq, l)
	}
}

// mustAddRules adds rules to in or fails the test.
func mustAddRules(t *testing.T, in *Injector, rules ...Rule) {
	t.Helper()
	if _, err := in.Add(rules...); err != nil {
		t.Fatal(err)
	}
}
