package certify

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/faults/client"
)

func sampleReport() *Report {
	r := &Report{Consumer: "node consumer.mjs", Kind: KindProcess, Endpoint: "http://127.0.0.1:8000", Seed: 1}
	r.add(Result{Name: "baseline", Status: StatusPass, CaughtUp: true, CatchUpSeconds: 0.2, Missed: map[string]int{}})
	r.add(Result{Name: "iterators-expired", Status: StatusFail, CaughtUp: true, Missed: map[string]int{"skipped": 12},
		Failures: []string{"missed 12 changes: skipped"}, LastLines: []string{"restarting at LATEST <now>"},
		Examples: []client.MissedChange{{Reason: "skipped", SequenceNumber: "400000000000000000105"}},
		Crashes:  []Crash{{AfterSeconds: 1.5, Exit: "exit status 1", LastLines: []string{"LimitExceededException"}}}})
	r.add(Result{Name: "poison-record", Status: StatusSkip, Reason: "applies to mapping consumers only", Missed: map[string]int{}})
	r.add(Result{Name: "write-burst", Status: StatusError, Reason: "creating table: connection refused", Missed: map[string]int{}})
	return r
}

// The table has a line per scenario, the evidence of those that did not
// pass, and the totals.
func TestWriteTable(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"consumer: node consumer.mjs (process)",
		"SCENARIO", "baseline", "PASS", "0.20s",
		"iterators-expired", "FAIL", "skipped 12",
		"- missed 12 changes: skipped", "crash after 1.5s: exit status 1", "| LimitExceededException",
		"poison-record: SKIP", "applies to mapping consumers only",
		"1 passed, 1 failed, 1 skipped, 1 errors",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`(?m)^baseline: PASS`).MatchString(out) {
		t.Error("a passed scenario's evidence is printed")
	}
}

// The JSON report decodes into the same report.
func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Results) != 4 || back.Failed != 1 || back.Results[1].Missed["skipped"] != 12 || back.Results[1].Crashes[0].Exit != "exit status 1" {
		t.Errorf("decoded %+v", back)
	}
}

// The JUnit XML has one test case per scenario with its failure, error or
// skip, and escapes what the consumer printed.
func TestWriteJUnit(t *testing.T) {
	var b bytes.Buffer
	if err := sampleReport().WriteJUnit(&b); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	s := doc.Suites[0]
	if doc.Tests != 4 || s.Failures != 1 || s.Errors != 1 || s.Skipped != 1 || len(s.Cases) != 4 {
		t.Fatalf("suite %+v", s)
	}
	c := s.Cases[1]
	if c.Failure == nil || c.Failure.Message != "missed 12 changes: skipped" || !strings.Contains(c.Failure.Text, "crash after 1.5s") ||
		c.SystemOut != "restarting at LATEST <now>" {
		t.Errorf("failed case %+v", c)
	}
	if s.Cases[0].Failure != nil || s.Cases[2].Skipped == nil || s.Cases[3].Error == nil {
		t.Errorf("cases %+v", s.Cases)
	}
}

// The output keeps the last lines and the lines that report a loss, not
// counting words in the table's name.
func TestOutputLines(t *testing.T) {
	var tee bytes.Buffer
	o := &output{pattern: DefaultReportPattern, mask: "certify-dropped-record-abc", tee: &tee, prefix: "[s] "}
	_, _ = o.Write([]byte("reading arn:aws:dynamodb:us-east-1:0:table/certify-dropped-record-abc/stream/x\nGAP: item-0001 v3 after"))
	_, _ = o.Write([]byte(" v1\n"))
	for i := range lastLinesKept + 3 {
		_, _ = o.Write([]byte("line " + strings.Repeat("x", i) + "\n"))
	}
	_, _ = o.Write([]byte("no newline"))
	if r := o.reports(); len(r) != 1 || r[0] != "GAP: item-0001 v3 after v1" {
		t.Errorf("reports %q", r)
	}
	last := o.lastLines()
	if len(last) != lastLinesKept || last[len(last)-1] != "no newline" {
		t.Errorf("last lines %q", last)
	}
	if !strings.HasPrefix(tee.String(), "[s] reading arn") {
		t.Errorf("tee %q", tee.String())
	}
}
