package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/faults"
)

// parseRuleFlags parses args as the rule flags of "faults add".
func parseRuleFlags(t *testing.T, args ...string) faults.Rule {
	t.Helper()
	fs, _ := newAdminFlagSet("faults add", func(string) string { return "" }, io.Discard, false)
	var rf ruleFlags
	rf.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return rf.build()
}

// jsonOf renders v as compact JSON.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRuleFromFlags(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--id", "lose-one", "--table", "orders", "--event", "MODIFY", "--key-prefix", "pk=ORDER#",
			"--action", "drop", "--skip", "3", "--times", "1"},
			`{"id":"lose-one","target":"stream","match":{"table":"orders","eventName":["MODIFY"],"key":{"pk":{"prefix":"ORDER#"}}},"action":{"type":"drop"},"when":{"skip":3,"times":1}}`},
		{[]string{"--action", "error", "--code", "ThrottlingException", "--operation", "PutItem,GetItem",
			"--operation", "Query", "--probability", "0.5", "--every-nth", "2", "--ttl", "PT10M", "--disabled"},
			`{"id":"","target":"api","match":{"operation":["PutItem","GetItem","Query"]},"action":{"type":"error","code":"ThrottlingException"},"when":{"everyNth":2,"probability":0.5},"ttl":"10m0s","enabled":false}`},
		{[]string{"--action", "latency", "--latency", "200ms", "--jitter", "50ms", "--access-key-id", "AKIDB"},
			`{"id":"","target":"api","match":{"accessKeyId":"AKIDB"},"action":{"type":"latency","latency":"200ms","jitter":"50ms"},"when":{}}`},
		{[]string{"--action", "delay", "--for", "10m", "--hold-shard", "--key-equals", "pk=A", "--key-prefix", "pk=A"},
			`{"id":"","target":"stream","match":{"key":{"pk":{"equals":"A","prefix":"A"}}},"action":{"type":"delay","for":"10m0s","holdShard":true},"when":{}}`},
		{[]string{"--action", "commitThenFail", "--then", "drop"},
			`{"id":"","target":"api","match":{},"action":{"type":"commitThenFail","then":{"type":"drop"}},"when":{}}`},
		{[]string{"--action", "commitThenFail", "--then-code", "InternalServerError"},
			`{"id":"","target":"api","match":{},"action":{"type":"commitThenFail","then":{"type":"error","code":"InternalServerError"}},"when":{}}`},
		{[]string{"--action", "partialBatch", "--count", "2", "--target", "api", "--description", "two left"},
			`{"id":"","description":"two left","target":"api","match":{},"action":{"type":"partialBatch","count":2},"when":{}}`},
	}
	for _, c := range cases {
		got := parseRuleFlags(t, c.args...)
		if j := jsonOf(t, got); j != c.want {
			t.Errorf("%s:\n got %s\nwant %s", strings.Join(c.args, " "), j, c.want)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s: %v", strings.Join(c.args, " "), err)
		}
	}
}

func TestFaultsCommandUsageErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"target":"stream","action":{"type":"drop"}},{"target":"api","action":{"type":"drop"}}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	// No server runs at this endpoint: every case fails before a request.
	env := map[string]string{"DYNAFAULT_ENDPOINT": "http://127.0.0.1:1"}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"faults"}, "faults: missing subcommand"},
		{[]string{"faults", "explode"}, `faults: unknown subcommand "explode" (list, add, rm, journal, reset, enable, disable, clear-journal)`},
		{[]string{"faults", "add"}, "exactly one of --json, --file or the rule flags"},
		{[]string{"faults", "add", "--json", "{}", "--action", "drop"}, "exactly one of"},
		{[]string{"faults", "add", "--action", "explode"}, `--action "explode" is not an action (stream: drop, delay, duplicate, reorder; api: error, latency`},
		{[]string{"faults", "add", "--action", "explode", "--target", "api"}, "rule: --action (action.type): must be one of error, latency"},
		{[]string{"faults", "add", "--table", "orders"}, "--action is required (stream: drop"},
		{[]string{"faults", "add", "--action", "drop", "--target", "api"}, "rule: --action (action.type): must be one of error"},
		{[]string{"faults", "add", "--action", "drop", "--code", "X"}, "rule: --code (action.code): is not allowed for action type drop"},
		{[]string{"faults", "add", "--action", "drop", "--times", "-1"}, "rule: --times (when.times)"},
		{[]string{"faults", "add", "--action", "drop", "--operation", "PutItem"}, "rule: --operation (match.operation): is only allowed in api rules"},
		{[]string{"faults", "add", "--key-prefix", "pk"}, "want NAME=VALUE"},
		{[]string{"faults", "add", "--ttl", "soon"}, "must be a non-negative duration"},
		{[]string{"faults", "add", "--json", `{"target":"stream","action":{"type":"drop"},"bogus":1}`}, "rule: bogus: unknown field"},
		{[]string{"faults", "add", "--json", `{"target":`}, "rule: the body is not valid JSON"},
		{[]string{"faults", "add", "--file", bad}, "rule: [1].action.type: must be one of"},
		{[]string{"faults", "add", "--file", filepath.Join(dir, "none.json")}, "no such file"},
		{[]string{"faults", "add", "--action", "drop", "extra"}, "unexpected arguments: extra"},
		{[]string{"faults", "rm"}, "which rules?"},
		{[]string{"faults", "rm", "a", "--all"}, "give rule ids or --all, not both"},
		{[]string{"faults", "journal", "x"}, "unexpected arguments: x"},
		{[]string{"faults", "list", "x"}, "unexpected arguments: x"},
		{[]string{"faults", "reset", "x"}, "unexpected arguments: x"},
		{[]string{"faults", "list"}, "GET /_admin/faults"}, // connection refused
	}
	for _, c := range cases {
		_, _, err := runCLI(t, env, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dynafault %s: error %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	t.Parallel()
	fs, a := newAdminFlagSet("x", func(string) string { return "" }, io.Discard, true)
	pos, err := parseInterspersed(fs, []string{"a", "--json", "b", "--endpoint", "http://h", "--", "--c"})
	if err != nil || strings.Join(pos, " ") != "a b --c" || !a.jsonOut || a.endpoint != "http://h" {
		t.Errorf("got %q %v %+v", pos, err, a)
	}
}

func TestAdminFlagDefaults(t *testing.T) {
	t.Parallel()
	_, a := newAdminFlagSet("x", func(string) string { return "" }, io.Discard, false)
	if a.endpoint != "http://127.0.0.1:8000" || a.token != "" {
		t.Errorf("defaults %+v", a)
	}
	env := map[string]string{"DYNAFAULT_ENDPOINT": "http://e:1", "DYNAFAULT_ADMIN_TOKEN": "tok"}
	_, a = newAdminFlagSet("x", func(k string) string { return env[k] }, io.Discard, false)
	if a.endpoint != "http://e:1" || a.token != "tok" {
		t.Errorf("from env %+v", a)
	}
}
