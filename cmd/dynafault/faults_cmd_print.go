package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// Human-readable tables of the faults subcommands.

// printRules writes one line per rule, with its counters when counters.
func printRules(w io.Writer, rules []faults.RuleStatus, counters bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	head := "ID\tTARGET\tACTION\tMATCH\tWHEN\tENABLED"
	if counters {
		head += "\tMATCHED\tFIRED\tREMAINING"
	}
	fmt.Fprintln(tw, head)
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%t", r.ID, r.Target, actionSummary(r.Action),
			matchSummary(r.Match), whenSummary(r.When, r.TTL), r.IsEnabled())
		if counters {
			fmt.Fprintf(tw, "\t%d\t%d\t%s", r.Stats.Matched, r.Stats.Fired, remaining(r.Stats))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// remaining renders Stats.Remaining ("-" for unlimited).
func remaining(s faults.Stats) string {
	if s.Remaining == nil {
		return "-"
	}
	return strconv.Itoa(*s.Remaining)
}

// actionSummary renders an action compactly, e.g. "error ThrottlingException".
func actionSummary(a faults.Action) string {
	parts := []string{a.Type}
	add := func(ok bool, s string) {
		if ok {
			parts = append(parts, s)
		}
	}
	add(a.Code != "", a.Code)
	add(a.HTTPStatus != 0, "status="+strconv.Itoa(a.HTTPStatus))
	add(a.Latency != 0, a.Latency.String())
	add(a.Jitter != 0, "+0.."+a.Jitter.String())
	add(a.For != 0, "for="+a.For.String())
	add(a.HoldShard, "holdShard")
	add(a.Count != 0, "count="+strconv.Itoa(a.Count))
	add(a.Fraction != 0, "fraction="+strconv.FormatFloat(a.Fraction, 'g', -1, 64))
	if a.Then != nil {
		add(true, "then="+strings.TrimSpace(a.Then.Type+" "+a.Then.Code))
	}
	return strings.Join(parts, " ")
}

// matchSummary renders a match, e.g. "table=orders event=MODIFY pk^=ORDER#".
func matchSummary(m faults.Match) string {
	var parts []string
	if m.Table != "" {
		parts = append(parts, "table="+m.Table)
	}
	if len(m.Operation) > 0 {
		parts = append(parts, "op="+strings.Join(m.Operation, ","))
	}
	if len(m.EventName) > 0 {
		parts = append(parts, "event="+strings.Join(m.EventName, ","))
	}
	names := make([]string, 0, len(m.Key))
	for n := range m.Key {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if p := m.Key[n]; p.Equals != nil {
			parts = append(parts, n+"="+*p.Equals)
		}
		if p := m.Key[n]; p.Prefix != nil {
			parts = append(parts, n+"^="+*p.Prefix)
		}
	}
	if m.AccessKeyID != "" {
		parts = append(parts, "accessKeyId="+m.AccessKeyID)
	}
	if len(parts) == 0 {
		return "*"
	}
	return strings.Join(parts, " ")
}

// whenSummary renders a trigger and ttl, e.g. "skip=3 times=1".
func whenSummary(w faults.When, ttl faults.Duration) string {
	var parts []string
	for _, f := range []struct {
		name string
		v    int
	}{{"skip", w.Skip}, {"times", w.Times}, {"everyNth", w.EveryNth}} {
		if f.v != 0 {
			parts = append(parts, f.name+"="+strconv.Itoa(f.v))
		}
	}
	if w.Probability != 0 {
		parts = append(parts, "p="+strconv.FormatFloat(w.Probability, 'g', -1, 64))
	}
	if ttl != 0 {
		parts = append(parts, "ttl="+ttl.String())
	}
	if len(parts) == 0 {
		return "always"
	}
	return strings.Join(parts, " ")
}

// printJournal writes one line per journal entry.
func printJournal(w io.Writer, entries []faults.Entry) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME\tKIND\tRULE\tACTION\tTABLE\tKEYS\tEVENT/OP\tSHARD/REQUEST\tSEQUENCE\tDETAIL")
	for _, e := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.UTC().Format(time.RFC3339Nano),
			kindOf(e), dash(e.RuleID), e.Action, dash(e.Table), dash(e.Keys.String()), dash(e.EventName+e.Operation),
			dash(e.ShardID+e.RequestID), dash(sequenceOf(e)), dash(e.Detail))
	}
	return tw.Flush()
}

// kindOf is an entry's kind, with its outcome when it has one
// ("followUp/released").
func kindOf(e faults.Entry) string {
	if e.Outcome == "" {
		return dash(e.Kind)
	}
	return dash(e.Kind) + "/" + e.Outcome
}

// sequenceOf is an entry's sequence number, preceded by the original one
// when the record was renumbered ("<original>-><new>").
func sequenceOf(e faults.Entry) string {
	if e.OriginalSequenceNumber == "" {
		return e.SequenceNumber
	}
	return e.OriginalSequenceNumber + "->" + e.SequenceNumber
}

// dash returns s, or "-" when it is empty, so columns stay aligned.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
