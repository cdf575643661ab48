package certify

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the report card: one line per scenario, then the
// evidence of each scenario that did not pass, then the totals.
func (r *Report) WriteTable(w io.Writer) error {
	fmt.Fprintf(w, "consumer: %s (%s)\nendpoint: %s   seed: %d\n\n", r.Consumer, r.Kind, r.Endpoint, r.Seed)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tRESULT\tMISSED\tDUPS\tORDER\tCRASHES\tCATCH-UP")
	for _, res := range r.Results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", res.Name, strings.ToUpper(res.Status), missedCell(res.Missed),
			res.Duplicates, res.OrderViolations, len(res.Crashes), catchUpCell(res))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, res := range r.Results {
		if res.Status == StatusPass {
			continue
		}
		fmt.Fprintf(w, "\n%s: %s\n", res.Name, strings.ToUpper(res.Status))
		writeEvidence(w, res, "  ")
	}
	_, err := fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped, %d errors (%.1fs)\n",
		r.Passed, r.Failed, r.Skipped, r.Errors, r.DurationSeconds)
	return err
}

// writeEvidence prints why a scenario did not pass, indented.
func writeEvidence(w io.Writer, res Result, indent string) {
	if res.Description != "" {
		fmt.Fprintf(w, "%s%s\n", indent, res.Description)
	}
	if res.Reason != "" {
		fmt.Fprintf(w, "%s%s\n", indent, res.Reason)
	}
	for _, f := range res.Failures {
		fmt.Fprintf(w, "%s- %s\n", indent, f)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "%snote: %s\n", indent, n)
	}
	if len(res.Faults) > 0 {
		parts := make([]string, len(res.Faults))
		for i, f := range res.Faults {
			parts[i] = fmt.Sprintf("%s (%s) fired %d", f.Rule, f.Action, f.Fired)
		}
		fmt.Fprintf(w, "%sfaults: %s\n", indent, strings.Join(parts, ", "))
	}
	if res.Table != "" {
		fmt.Fprintf(w, "%stable %s, consumer %s, %d writes, %d changes, seed %d\n", indent, res.Table, res.Consumer,
			res.Writes, res.Changes, res.Seed)
	}
	for _, c := range res.Crashes {
		fmt.Fprintf(w, "%scrash after %.1fs: %s\n", indent, c.AfterSeconds, c.Exit)
		for _, l := range c.LastLines {
			fmt.Fprintf(w, "%s  | %s\n", indent, l)
		}
	}
	if len(res.Crashes) == 0 && len(res.LastLines) > 0 && res.Status != StatusSkip {
		fmt.Fprintf(w, "%sconsumer's last output:\n", indent)
		for _, l := range res.LastLines {
			fmt.Fprintf(w, "%s  | %s\n", indent, l)
		}
	}
}

// missedCell renders missed counts, "-" for none: "skipped 12, trimmed 3".
func missedCell(m map[string]int) string {
	var parts []string
	for reason, n := range m {
		if n > 0 {
			parts = append(parts, reason+" "+strconv.Itoa(n))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// catchUpCell renders the catch-up time, or how the scenario ended.
func catchUpCell(res Result) string {
	switch {
	case res.Status == StatusSkip || res.Status == StatusError:
		return "-"
	case !res.CaughtUp:
		return "stalled"
	}
	return strconv.FormatFloat(res.CatchUpSeconds, 'f', 2, 64) + "s"
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// JUnit XML, as read by CI systems (the Ant/Surefire shape).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Error     *junitMessage `xml:"error"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes the report as JUnit XML: one test suite, one test
// case per scenario; a failure carries its evidence, and the consumer's
// last output lines are the case's system-out.
func (r *Report) WriteJUnit(w io.Writer) error {
	suite := junitSuite{
		Name: "dynafault certify", Tests: len(r.Results), Failures: r.Failed, Errors: r.Errors, Skipped: r.Skipped,
		Time: seconds(r.DurationSeconds), Timestamp: r.Started.Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{Name: "consumer", Value: r.Consumer}, {Name: "kind", Value: r.Kind},
			{Name: "endpoint", Value: r.Endpoint}, {Name: "seed", Value: strconv.FormatUint(r.Seed, 10)},
		},
	}
	for _, res := range r.Results {
		c := junitCase{Name: res.Name, Classname: "certify", Time: seconds(res.DurationSeconds),
			SystemOut: strings.Join(res.LastLines, "\n")}
		var ev strings.Builder
		writeEvidence(&ev, res, "")
		switch res.Status {
		case StatusFail:
			c.Failure = &junitMessage{Message: strings.Join(res.Failures, "; "), Type: "certify", Text: ev.String()}
		case StatusError:
			c.Error = &junitMessage{Message: res.Reason, Type: "error", Text: ev.String()}
		case StatusSkip:
			c.Skipped = &junitMessage{Message: res.Reason}
		}
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "dynafault certify", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }
