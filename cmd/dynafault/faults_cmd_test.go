package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// wireCall sends one DynamoDB operation to url and returns the status.
func wireCall(t *testing.T, url, op, body string) int {
	t.Helper()
	code, _ := wireCallBody(t, url, op, body)
	return code
}

// wireCallBody sends one DynamoDB operation to url and returns the status
// and the body.
func wireCallBody(t *testing.T, url, op, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/dynamodb/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestFaultsCommands(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}

	out := mustRun(t, env, "faults", "add", "--id", "throttle", "--operation", "ListTables",
		"--action", "error", "--code", "ThrottlingException", "--times", "2")
	if !strings.Contains(out, "ID") || !strings.Contains(out, "throttle  api") ||
		!strings.Contains(out, "error ThrottlingException") || !strings.Contains(out, "op=ListTables") {
		t.Errorf("faults add (flags) printed:\n%s", out)
	}
	out = mustRun(t, env, "faults", "add", "--json",
		`{"id":"lose","target":"stream","match":{"table":"orders","key":{"pk":{"prefix":"ORDER#"}}},"action":{"type":"drop"},"when":{"skip":3}}`)
	if !strings.Contains(out, "lose") || !strings.Contains(out, "table=orders pk^=ORDER#") || !strings.Contains(out, "skip=3") {
		t.Errorf("faults add --json printed:\n%s", out)
	}
	file := filepath.Join(t.TempDir(), "rules.json")
	rules := `[{"id":"f1","target":"api","action":{"type":"latency","latency":"1ms"},"match":{"operation":["GetItem"]}},` +
		`{"id":"f2","target":"stream","action":{"type":"delay","for":"10m"},"enabled":false}]`
	if err := os.WriteFile(file, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	if out = mustRun(t, env, "faults", "add", "--file", file, "--print-json"); !strings.Contains(out, `"id": "f2"`) {
		t.Errorf("faults add --file --print-json printed:\n%s", out)
	}

	// The server's message, on a rule that only the server can refuse.
	_, _, err := runCLI(t, env, "faults", "add", "--id", "lose", "--action", "drop")
	if err == nil || !strings.Contains(err.Error(), `POST /_admin/faults: HTTP 409: faults: duplicate rule id: "lose"`) {
		t.Errorf("duplicate id: %v", err)
	}

	for range 3 {
		wireCall(t, url, "ListTables", "{}")
	}
	out = mustRun(t, env, "faults", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("faults list printed:\n%s", out)
	}
	if f := strings.Fields(lines[1]); f[0] != "throttle" || f[len(f)-3] != "3" || f[len(f)-2] != "2" || f[len(f)-1] != "0" {
		t.Errorf("throttle line %q: want matched 3, fired 2, remaining 0", lines[1])
	}
	if !strings.Contains(lines[4], "false") {
		t.Errorf("disabled rule line %q", lines[4])
	}
	var listed []faults.RuleStatus
	out = mustRun(t, env, "faults", "list", "--json")
	if err := json.Unmarshal([]byte(out), &listed); err != nil || len(listed) != 4 || listed[0].Stats.Fired != 2 {
		t.Fatalf("faults list --json: %v\n%s", err, out)
	}

	out = mustRun(t, env, "faults", "journal", "--rule", "throttle")
	if lines = strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 ||
		!strings.Contains(lines[1], "firing  throttle  error") || !strings.Contains(lines[1], "ListTables") {
		t.Errorf("faults journal printed:\n%s", out)
	}
	if out = mustRun(t, env, "faults", "journal", "--kind", "followUp"); strings.Count(out, "\n") != 1 {
		t.Errorf("faults journal --kind followUp printed entries:\n%s", out)
	}
	var page faults.JournalPage
	out = mustRun(t, env, "faults", "journal", "--json", "--limit", "1")
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Entries) != 1 || !page.More ||
		page.Entries[0].Operation != "ListTables" || page.Entries[0].RequestID == "" {
		t.Fatalf("faults journal --json --limit 1: %v\n%s", err, out)
	}
	out = mustRun(t, env, "faults", "journal", "--json", "--after", "1", "--table", "nothing")
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Entries) != 0 || page.Next != 2 {
		t.Fatalf("faults journal --after 1 --table nothing: %v\n%s", err, out)
	}

	if out = mustRun(t, env, "faults", "rm", "f1", "f2"); out != "removed f1\nremoved f2\n" {
		t.Errorf("faults rm printed %q", out)
	}
	if _, _, err := runCLI(t, env, "faults", "rm", "f1"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("faults rm of a removed rule: %v", err)
	}
	if out = mustRun(t, env, "faults", "rm", "--all"); out != "removed every rule\n" {
		t.Errorf("faults rm --all printed %q", out)
	}
	if out = mustRun(t, env, "faults", "reset"); !strings.HasPrefix(out, "reset: rules removed, journal cleared") {
		t.Errorf("faults reset printed %q", out)
	}
	if out = mustRun(t, env, "faults", "journal", "--json"); !strings.Contains(out, `"entries": []`) {
		t.Errorf("journal after reset:\n%s", out)
	}
	if out = mustRun(t, env, "faults", "reset", "--data"); !strings.Contains(out, "tables dropped") {
		t.Errorf("faults reset --data printed %q", out)
	}
}

func TestFaultsCommandsToken(t *testing.T) {
	t.Parallel()
	url := startTokenTarget(t)
	_, _, err := runCLI(t, nil, "faults", "list", "--endpoint", url, "--admin-token", "wrong")
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("wrong token: %v", err)
	}
	env := map[string]string{"DYNAFAULT_ENDPOINT": url, "DYNAFAULT_ADMIN_TOKEN": "s3cret"}
	if out := mustRun(t, env, "faults", "list"); !strings.HasPrefix(out, "ID") {
		t.Errorf("token from env: %q", out)
	}
}

// startTokenTarget runs an in-process emulator whose admin API needs the
// token "s3cret" and returns its URL.
func startTokenTarget(t *testing.T) string {
	t.Helper()
	emu, err := emulator.New(emulator.Options{AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	return srv.URL
}

func TestPrintJournalFollowUp(t *testing.T) {
	var b strings.Builder
	err := printJournal(&b, []faults.Entry{{Seq: 7, Kind: faults.KindFollowUp, Outcome: faults.OutcomeReleased, RuleID: "d",
		Action: faults.ActionDelay, Table: "orders", SequenceNumber: "400000000000000000009",
		OriginalSequenceNumber: "400000000000000000002", ShardID: "shardId-1"}})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if f := strings.Fields(lines[len(lines)-1]); len(f) != 11 || f[2] != "followUp/released" || f[3] != "d" ||
		f[9] != "400000000000000000002->400000000000000000009" {
		t.Errorf("printed:\n%s", b.String())
	}
}

func TestFaultsEnableDisableAndClearJournal(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	mustRun(t, env, "faults", "add", "--id", "throttle", "--operation", "ListTables", "--action", "error", "--code", "ThrottlingException")
	if code := wireCall(t, url, "ListTables", "{}"); code != http.StatusBadRequest {
		t.Fatalf("ListTables with the rule: HTTP %d, want 400", code)
	}

	out := mustRun(t, env, "faults", "disable", "throttle")
	if !regexp.MustCompile(`(?m)^throttle +api +error ThrottlingException +op=ListTables +always +false +1 +1 +-$`).MatchString(out) {
		t.Errorf("faults disable throttle printed:\n%s", out)
	}
	if code := wireCall(t, url, "ListTables", "{}"); code != http.StatusOK {
		t.Errorf("ListTables with the rule disabled: HTTP %d, want 200", code)
	}
	var rules []faults.RuleStatus
	if err := json.Unmarshal([]byte(mustRun(t, env, "faults", "enable", "throttle", "--json")), &rules); err != nil ||
		len(rules) != 1 || !rules[0].IsEnabled() || rules[0].Stats.Fired != 1 {
		t.Errorf("faults enable throttle --json: %+v %v", rules, err)
	}
	if code := wireCall(t, url, "ListTables", "{}"); code != http.StatusBadRequest {
		t.Errorf("ListTables with the rule enabled again: HTTP %d, want 400", code)
	}
	if _, _, err := runCLI(t, env, "faults", "disable", "nope"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("faults disable nope: %v", err)
	}
	if _, _, err := runCLI(t, env, "faults", "enable"); err == nil || !strings.Contains(err.Error(), "usage: dynafault faults enable ID...") {
		t.Errorf("faults enable without an id: %v", err)
	}

	// Two firings journaled (seq 1, 2); clearing keeps the rule and the count.
	if out := mustRun(t, env, "faults", "clear-journal"); out != "journal cleared; rules kept; the next entry is seq 3\n" {
		t.Errorf("faults clear-journal printed %q", out)
	}
	if out := mustRun(t, env, "faults", "journal"); strings.Count(out, "\n") != 1 {
		t.Errorf("journal after clear-journal:\n%s", out)
	}
	wireCall(t, url, "ListTables", "{}")
	page, err := client.New(url).Journal(t.Context(), faults.JournalQuery{})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].Seq != 3 || page.Entries[0].RuleID != "throttle" {
		t.Errorf("journal after a firing: %+v %v, want the firing at seq 3", page, err)
	}
}
