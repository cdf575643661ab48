package certify

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// examplesPerReason bounds the missed changes a result shows per reason.
const examplesPerReason = 3

// collect gathers the evidence of the scenario once it is over: the
// oracle's counts and missed changes, the rules' firings, the consumer's
// crashes and output.
func (r *run) collect(ctx context.Context) error {
	res := r.res
	res.Crashes, res.Starts, res.PlannedRestarts = r.sup.summary()
	res.LastLines = r.out.lastLines()
	res.Reported = r.out.reports()
	r.mu.Lock()
	res.PeakLagSeconds = r.peakLag
	r.mu.Unlock()
	for _, id := range r.rules {
		st, err := r.b.adm.GetRule(ctx, id)
		if client.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		res.Faults = append(res.Faults, FaultCount{Rule: strings.TrimPrefix(id, r.ruleID("")), Action: st.Action.Type, Fired: st.Stats.Fired})
	}
	n, err := r.countChanges(ctx)
	if err != nil {
		return err
	}
	res.Changes = n
	cs, known, err := r.consumerStream(ctx)
	if err != nil {
		return err
	}
	if !known {
		return nil
	}
	r.known = true
	res.Duplicates = cs.Duplicates - min(cs.Duplicates, r.baseline.Duplicates)
	res.OrderViolations = cs.OrderViolations - min(cs.OrderViolations, r.baseline.OrderViolations)
	missed, err := r.missed(ctx)
	if err != nil {
		return err
	}
	shown := map[string]int{}
	for _, m := range missed {
		res.Missed[m.Reason] += max(1, m.Count)
		if shown[m.Reason] < examplesPerReason {
			shown[m.Reason]++
			res.Examples = append(res.Examples, m)
		}
	}
	return nil
}

// countChanges counts the scenario's changes in the table's ledger.
func (r *run) countChanges(ctx context.Context) (int, error) {
	n, after := 0, r.cursor
	for {
		p, err := r.b.adm.Changes(ctx, r.table, after, 1000)
		if err != nil {
			return n, err
		}
		n += len(p.Changes)
		if !p.More || p.Next <= after {
			return n, nil
		}
		after = p.Next
	}
}

// grade decides the scenario's status from its evidence and expectations.
func grade(r *run) {
	res, e := r.res, r.sc.Expect
	var fail []string
	if !res.CaughtUp {
		fail = append(fail, r.stalled())
	}
	reasons := make([]string, 0, len(res.Missed))
	for reason := range res.Missed {
		reasons = append(reasons, reason)
	}
	sort.Strings(reasons)
	lost := 0
	for _, reason := range reasons {
		n := res.Missed[reason]
		if reason == client.MissedPending || reason == client.MissedUnread {
			continue // the consumer stalled: said above
		}
		lost += n
		if slices.Contains(e.AllowMissed, reason) {
			continue
		}
		fail = append(fail, fmt.Sprintf("missed %d %s: %s", n, plural(n, "change", "changes"), reason)+r.example(reason))
	}
	if res.Duplicates > uint64(e.MaxDuplicates) {
		fail = append(fail, fmt.Sprintf("%d %s handed out again (at most %d allowed)",
			res.Duplicates, plural(int(res.Duplicates), "record", "records"), e.MaxDuplicates))
	}
	if res.OrderViolations > uint64(e.MaxOrderViolations) {
		fail = append(fail, fmt.Sprintf("read %d child %s before finishing the parent (per-item order broken; at most %d allowed)",
			res.OrderViolations, plural(int(res.OrderViolations), "shard", "shards"), e.MaxOrderViolations))
	}
	if len(res.Crashes) > e.MaxCrashes {
		fail = append(fail, r.crashed())
	}
	if e.Report && len(res.Reported) == 0 {
		switch incidents := lost + r.fired(faults.ActionReorder); {
		case incidents == 0:
		case r.b.attached != nil:
			r.note("the scenario requires a report of the loss, but the battery cannot see a running consumer's output")
		default:
			fail = append(fail, fmt.Sprintf("lost or misordered %d %s and reported nothing (no output line matched %s)",
				incidents, plural(incidents, "change", "changes"), r.b.cfg.ReportPattern))
		}
	}
	res.Failures = fail
	res.Status = StatusPass
	if len(fail) > 0 {
		res.Status = StatusFail
	}
}

// stalled describes a consumer that did not catch up.
func (r *run) stalled() string {
	res := r.res
	if res.Starts > 0 && !r.sup.running() && len(res.Crashes) > r.b.cfg.MaxRestarts {
		return fmt.Sprintf("stalled: the consumer is down after %d crashes (no restart left)", len(res.Crashes))
	}
	if !r.known {
		return fmt.Sprintf("stalled: the consumer never read the stream (no GetShardIterator or GetRecords signed with %s) within %s", r.key, r.catchUp)
	}
	s := fmt.Sprintf("stalled: not caught up %s after the last write", r.catchUp)
	var parts []string
	for _, reason := range []string{client.MissedPending, client.MissedUnread} {
		if n := res.Missed[reason]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, reason)+r.example(reason))
		}
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, "; ")
	}
	return s
}

// example renders the first example of the reason, " (e.g. …)".
func (r *run) example(reason string) string {
	for _, m := range r.res.Examples {
		if m.Reason == reason {
			return " (e.g. " + m.String() + ")"
		}
	}
	return ""
}

// crashed describes the consumer's crashes.
func (r *run) crashed() string {
	cs := r.res.Crashes
	last := cs[len(cs)-1]
	s := fmt.Sprintf("crashed %d %s (%s)", len(cs), plural(len(cs), "time", "times"), last.Exit)
	if lines := telling(last.LastLines); len(lines) > 0 {
		s += "; last output: " + strings.Join(lines, " | ")
	}
	return s
}

// telling picks from a crashed consumer's last lines those that say most:
// the last one naming an error or exception, else the last three that
// are not blank.
func telling(lines []string) []string {
	var kept []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, strings.TrimSpace(l))
		}
	}
	for i := len(kept) - 1; i >= 0; i-- {
		if strings.Contains(kept[i], "rror") || strings.Contains(kept[i], "xception") {
			return kept[i : i+1]
		}
	}
	return kept[max(0, len(kept)-3):]
}

// fired counts the firings of the scenario's rules with the action.
func (r *run) fired(action string) int {
	n := 0
	for _, f := range r.res.Faults {
		if f.Action == action {
			n += int(f.Fired)
		}
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
