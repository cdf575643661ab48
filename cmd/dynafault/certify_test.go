package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCertify(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"certify"}, args...), func(string) string { return "" }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// --list names the built-in scenarios and those of --scenarios.
func TestCertifyList(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.json")
	if err := os.WriteFile(file, []byte(`{"name":"team-scenario","description":"ours","workload":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCertify(t, "--list", "--scenarios", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"baseline", "shard-rollover", "getrecords-throttled", "[process only]", "team-scenario             ours"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runCertify(t, "--list", "--run", "^shard-")
	if err != nil || strings.Count(out, "\n") != 2 {
		t.Errorf("--run ^shard-: %v\n%s", err, out)
	}
}

// Flags that cannot work are rejected with a message naming them.
func TestCertifyFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "name the consumer"},
		{[]string{"--consumer-cmd", "x", "--consumer-key", "K"}, "exclude each other"},
		{[]string{"--consumer-key", "K"}, "needs --table"},
		{[]string{"--consumer-key", "K", "--table", "t"}, "needs --endpoint"},
		{[]string{"--consumer-cmd", "x", "--table", "t"}, "--table goes with --consumer-key"},
		{[]string{"--consumer-cmd", "x", "--run", "("}, "invalid --run"},
		{[]string{"--consumer-cmd", "x", "--run", "^nothing$"}, "selects no scenario"},
		{[]string{"--consumer-cmd", "x", "--report-pattern", "["}, "invalid --report-pattern"},
		{[]string{"--consumer-cmd", "x", "--scenarios", "/nonexistent"}, "--scenarios"},
		{[]string{"--consumer-cmd", "x", "--endpoint", "localhost:8000"}, "add the scheme"},
		{[]string{"--consumer-cmd", "node", "consumer.mjs"}, "quote the --consumer-cmd"},
	} {
		_, _, err := runCertify(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one with %q", c.args, err, c.want)
		}
	}
}

// Against the in-process server, a consumer command that exits at once
// fails the scenario: the card shows its crashes, and the JSON and JUnit
// files carry them too. The command fails.
func TestCertifyCrashingConsumer(t *testing.T) {
	dir := t.TempDir()
	jsonFile, junitFile := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.xml")
	out, _, err := runCertify(t, "--consumer-cmd", "echo reading $DYNAFAULT_TABLE; exit 3", "--run", "^baseline$",
		"--ready", "200ms", "--deadline", "500ms", "--max-restarts", "1", "--json", jsonFile, "--junit", junitFile)
	if err == nil || !strings.Contains(err.Error(), "1 of 1 scenarios failed") {
		t.Fatalf("error %v\n%s", err, out)
	}
	for _, want := range []string{"baseline", "FAIL", "crashed 2 times (exit status 3)", "| reading certify-baseline-", "0 passed, 1 failed"} {
		if !strings.Contains(out, want) {
			t.Errorf("card lacks %q:\n%s", want, out)
		}
	}
	var rep struct {
		Failed  int `json:"failed"`
		Results []struct {
			Crashes []struct{ Exit string } `json:"crashes"`
		} `json:"results"`
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil || json.Unmarshal(data, &rep) != nil || rep.Failed != 1 || len(rep.Results[0].Crashes) != 2 {
		t.Errorf("JSON report %v: %s", err, data)
	}
	data, err = os.ReadFile(junitFile)
	var doc struct {
		Suites []struct {
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err != nil || xml.Unmarshal(data, &doc) != nil || doc.Suites[0].Cases[0].Failure == nil {
		t.Errorf("JUnit report %v: %s", err, data)
	}
}
