package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
)

func TestFaultFlags(t *testing.T) {
	env := map[string]string{"DYNAFAULT_SEED": "7", "DYNAFAULT_ADMIN_TOKEN": "envtok"}
	c, err := parseServeFlags([]string{"--faults", "rules.json", "--admin-addr", "127.0.0.1:0"}, func(k string) string { return env[k] }, nil)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var o emulator.Options
	if err := c.faults.apply(&o, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	if o.Seed != 7 || o.FaultsFile != "rules.json" || o.AdminToken != "envtok" || !o.SeparateAdmin || o.JournalSize != 100_000 {
		t.Errorf("options %+v", o)
	}
	c, _ = parseServeFlags([]string{"--journal-size", "250"}, func(string) string { return "" }, nil)
	if err := c.faults.apply(&o, slog.New(slog.DiscardHandler)); err != nil || o.JournalSize != 250 {
		t.Errorf("--journal-size 250: %v %+v", err, o)
	}
	if !strings.Contains(logs.String(), "seed=7") {
		t.Errorf("seed not logged: %s", logs.String())
	}
	c, _ = parseServeFlags([]string{"--seed", "18446744073709551615"}, func(string) string { return "" }, nil)
	if err := c.faults.apply(&o, slog.New(slog.DiscardHandler)); err != nil || o.Seed != 1<<64-1 || o.SeparateAdmin {
		t.Errorf("max seed: %v %+v", err, o)
	}
	// No seed: a random one, different each time (with overwhelming odds).
	a, _ := parseSeed("")
	b, _ := parseSeed("")
	if a == b {
		t.Errorf("two random seeds are equal: %d", a)
	}
	for _, bad := range []string{"-1", "x", "1e3", "18446744073709551616"} {
		if _, err := parseSeed(bad); err == nil || !strings.Contains(err.Error(), "invalid --seed") {
			t.Errorf("parseSeed(%q) = %v", bad, err)
		}
	}
}

func TestFaultFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"target":"api","action":{"type":"error","code":"NoSuchError"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--addr", "127.0.0.1:0", "--seed", "x"}, nil, "invalid --seed"},
		{[]string{"--addr", "127.0.0.1:0"}, map[string]string{"DYNAFAULT_SEED": "-3"}, "invalid environment variable DYNAFAULT_SEED"},
		{[]string{"--addr", "127.0.0.1:0", "--faults", filepath.Join(dir, "missing.json")}, nil, "missing.json"},
		{[]string{"--addr", "127.0.0.1:0", "--faults", bad}, nil, "action.code"},
		{[]string{"--addr", "127.0.0.1:0", "--admin-addr", "256.0.0.1:bad"}, nil, "admin listener"},
		{[]string{"--addr", "127.0.0.1:0", "--journal-size", "0"}, nil, "invalid --journal-size"},
		{[]string{"--addr", "127.0.0.1:0"}, map[string]string{"DYNAFAULT_JOURNAL_SIZE": "lots"}, "DYNAFAULT_JOURNAL_SIZE"},
	}
	for _, c := range cases {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := run(ctx, c.args, func(k string) string { return c.env[k] }, io.Discard, io.Discard)
		cancel()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: err = %v, want %q", c.args, c.env, err, c.want)
		}
	}
}

// send makes a request and returns the status and body.
func send(t *testing.T, method, url, auth, target, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if target != "" {
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+target)
		req.Header.Set("X-Amz-Date", "20260101T000000Z")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

const sigV4 = "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00"

func TestServeWithFaultsFileAndToken(t *testing.T) {
	file := filepath.Join(t.TempDir(), "rules.json")
	rules := `[{"id":"no-tables","target":"api","match":{"operation":["ListTables"]},"action":{"type":"error","code":"ServiceUnavailable"},"when":{"times":1}}]`
	if err := os.WriteFile(file, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	s := start(t, []string{"--addr", "127.0.0.1:0", "--faults", file, "--seed", "5", "--admin-token", "tok"}, nil)
	if code, body := send(t, http.MethodPost, s.url, sigV4, "ListTables", "{}"); code != 503 || !strings.Contains(body, "#ServiceUnavailable") {
		t.Fatalf("ListTables with the start rule: %d %s", code, body)
	}
	if code, _ := send(t, http.MethodPost, s.url, sigV4, "ListTables", "{}"); code != 200 {
		t.Fatalf("ListTables after the rule fired once: %d", code)
	}
	if code, _ := send(t, http.MethodGet, s.url+"/_admin/journal", "", "", ""); code != 401 {
		t.Errorf("journal without the token: %d", code)
	}
	if code, body := send(t, http.MethodGet, s.url+"/_admin/journal?rule=no-tables", "Bearer tok", "", ""); code != 200 || !strings.Contains(body, `"ruleId":"no-tables"`) {
		t.Errorf("journal with the token: %d %s", code, body)
	}
	if code, _ := send(t, http.MethodGet, s.url+"/_admin/health", "", "", ""); code != 200 {
		t.Errorf("health without the token: %d", code)
	}
}

func TestServeAdminOnItsOwnAddress(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"--addr", "127.0.0.1:0", "--admin-addr", "127.0.0.1:0"}, func(string) string { return "" }, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	rd := bufio.NewReader(pr)
	var urls []string
	for range 2 {
		line, err := rd.ReadString('\n')
		if err != nil {
			cancel()
			t.Fatalf("reading the listening lines: %v (run: %v)", err, <-done)
		}
		urls = append(urls, strings.TrimSpace(line[strings.LastIndex(line, " ")+1:]))
	}
	go func() { _, _ = io.Copy(io.Discard, rd) }()
	mainURL, adminURL := urls[0], urls[1]
	if code, _ := send(t, http.MethodGet, mainURL+"/_admin/health", "", "", ""); code != 404 {
		t.Errorf("main address served /_admin/health: %d", code)
	}
	if code, body := send(t, http.MethodGet, adminURL+"/_admin/faults", "", "", ""); code != 200 || !strings.Contains(body, `"rules"`) {
		t.Errorf("admin address: %d %s", code, body)
	}
	if code, _ := send(t, http.MethodPost, mainURL, sigV4, "ListTables", "{}"); code != 200 {
		t.Errorf("main address ListTables: %d", code)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return")
	}
	if _, err := http.Get(adminURL + "/_admin/health"); err == nil {
		t.Error("admin address still answers after shutdown")
	}
}
