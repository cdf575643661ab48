package client

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// cleanupTimeout bounds the admin calls made from t.Cleanup, when the
// test's own context is already cancelled.
const cleanupTimeout = 10 * time.Second

// maxListed bounds the journal entries an ExpectNoFirings failure lists.
const maxListed = 10

// AddRule adds rule for the rest of the test and returns it as stored
// (with its generated id when rule.ID is empty). t.Cleanup removes it
// again, whether the test passed or not; a rule already gone by then
// (ttl, reset, ReplaceRules) is fine. It fails the test when the server
// rejects the rule.
func AddRule(t testing.TB, c *Client, rule faults.Rule) faults.Rule {
	t.Helper()
	added, err := c.AddRules(t.Context(), rule)
	if err != nil {
		t.Fatalf("adding fault rule %q: %v", rule.ID, err)
	}
	if len(added) != 1 {
		t.Fatalf("adding fault rule %q: the server stored %d rules", rule.ID, len(added))
	}
	id := added[0].ID
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		if err := c.DeleteRule(ctx, id); err != nil && !IsNotFound(err) {
			t.Errorf("removing fault rule %q: %v", id, err)
		}
	})
	return added[0]
}

// WaitFired waits until the rule has fired at least n times and returns
// it with its counters; it fails the test when timeout passes first.
func WaitFired(t testing.TB, c *Client, ruleID string, n uint64, timeout time.Duration) faults.RuleStatus {
	t.Helper()
	st, err := c.WaitFired(t.Context(), ruleID, n, timeout)
	if err != nil {
		t.Fatalf("waiting for fault rule %q: %v", ruleID, err)
	}
	return st
}

// Journal returns every journal entry of the rule, oldest first; it fails
// the test when the journal cannot be read.
func Journal(t testing.TB, c *Client, ruleID string) []faults.Entry {
	t.Helper()
	entries, err := c.JournalAll(t.Context(), faults.JournalQuery{RuleID: ruleID, Limit: faults.MaxPageLimit})
	if err != nil {
		t.Fatalf("reading the journal of fault rule %q: %v", ruleID, err)
	}
	return entries
}

// ExpectNoFirings guards a test that injects no faults: when the test
// ends, it fails the test if any rule fired from now on, listing the
// journal entries. With tables, only firings on those tables (names or
// globs) count, so tests sharing a server can each guard their own.
// Shard actions taken through the admin API (pause, resume) are not
// firings.
func ExpectNoFirings(t testing.TB, c *Client, tables ...string) {
	t.Helper()
	since, err := c.JournalSeq(t.Context())
	if err != nil {
		t.Fatalf("reading the journal: %v", err)
	}
	if len(tables) == 0 {
		tables = []string{""}
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), cleanupTimeout)
		defer cancel()
		fired, err := firingsSince(ctx, c, since, tables)
		if err != nil {
			t.Errorf("reading the journal: %v", err)
			return
		}
		if len(fired) > 0 {
			t.Errorf("expected no fault firings, got %d:\n%s", len(fired), describeEntries(fired))
		}
	})
}

// firingsSince returns the rule firings after seq on the tables.
func firingsSince(ctx context.Context, c *Client, seq uint64, tables []string) ([]faults.Entry, error) {
	var fired []faults.Entry
	seen := map[uint64]bool{}
	for _, table := range tables {
		q := faults.JournalQuery{After: seq, Table: table, Limit: faults.MaxPageLimit}
		entries, err := c.JournalAll(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.RuleID != "" && !seen[e.Seq] {
				seen[e.Seq] = true
				fired = append(fired, e)
			}
		}
	}
	return fired, nil
}

// describeEntries lists up to maxListed entries, one per line.
func describeEntries(entries []faults.Entry) string {
	var b strings.Builder
	for i, e := range entries {
		if i == maxListed {
			b.WriteString("  ...\n")
			break
		}
		b.WriteString("  " + DescribeEntry(e) + "\n")
	}
	return b.String()
}

// DescribeEntry renders a journal entry on one line, e.g.
// "#3 rule lose-one drop on orders pk=S:ORDER#4 MODIFY seq 4000...17".
func DescribeEntry(e faults.Entry) string {
	var b strings.Builder
	b.WriteString("#" + strconv.FormatUint(e.Seq, 10))
	if e.RuleID != "" {
		b.WriteString(" rule " + e.RuleID)
	}
	b.WriteString(" " + e.Action)
	if e.Table != "" {
		b.WriteString(" on " + e.Table)
	}
	for _, part := range []string{e.Keys.String(), e.EventName, e.Operation, e.ShardID} {
		if part != "" {
			b.WriteString(" " + part)
		}
	}
	if e.SequenceNumber != "" {
		b.WriteString(" seq " + e.SequenceNumber)
	}
	if e.Detail != "" {
		b.WriteString(" (" + e.Detail + ")")
	}
	return b.String()
}

// ExpectNoMissed fails the test when the consumer (an access key id, a
// mapping UUID or the name given to it) lost any change: dropped, trimmed,
// skipped, unread or discarded; pending changes (lag) do not count unless
// pending is true. The failure names the consumer and lists the changes,
// e.g. "consumer kcl-worker-1 missed 3 changes: pk=ORDER#7 MODIFY seq …
// trimmed at …".
func ExpectNoMissed(t testing.TB, c *Client, consumer string, pending bool) {
	t.Helper()
	reasons := []string{MissedDropped, MissedTrimmed, MissedSkipped, MissedUnread, MissedDiscarded}
	if pending {
		reasons = append(reasons, MissedPending)
	}
	missed, err := c.MissedAll(t.Context(), consumer, MissedQuery{Reasons: reasons, Limit: faults.MaxPageLimit})
	if err != nil {
		t.Fatalf("reading what consumer %s missed: %v", consumer, err)
	}
	if len(missed) > 0 {
		t.Errorf("%s", DescribeMissed(consumer, missed))
	}
}

// DescribeMissed renders missed changes of a consumer for a test failure:
// a count, then up to maxListed changes, one per line.
func DescribeMissed(consumer string, missed []MissedChange) string {
	n := 0
	for _, m := range missed {
		n += max(1, m.Count)
	}
	var b strings.Builder
	b.WriteString("consumer " + consumer + " missed " + strconv.Itoa(n) + " changes:\n")
	for i, m := range missed {
		if i == maxListed {
			b.WriteString("  ... and " + strconv.Itoa(len(missed)-maxListed) + " more rows\n")
			break
		}
		b.WriteString("  " + m.String() + "\n")
	}
	return b.String()
}
