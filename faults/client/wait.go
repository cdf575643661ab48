package client

import (
	"context"
	"fmt"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// Polling intervals of WaitFired.
const (
	firstPoll = 5 * time.Millisecond
	maxPoll   = 100 * time.Millisecond
)

// WaitFired polls the rule's fired counter until it reaches n and returns
// the rule with its counters. It fails when timeout passes first (the
// error reports the last counters), when ctx is done, or when the rule is
// gone (an *Error with status 404).
func (c *Client) WaitFired(ctx context.Context, ruleID string, n uint64, timeout time.Duration) (faults.RuleStatus, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := firstPoll
	var last faults.RuleStatus
	for {
		st, err := c.GetRule(ctx, ruleID)
		switch {
		case err == nil && st.Stats.Fired >= n:
			return st, nil
		case err == nil:
			last = st
		case ctx.Err() == nil:
			return last, err
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			st := last
			return st, fmt.Errorf("rule %s fired %d times (matched %d), want %d: %w",
				ruleID, st.Stats.Fired, st.Stats.Matched, n, ctx.Err())
		case <-timer.C:
		}
		wait = min(2*wait, maxPoll)
	}
}

// JournalSeq returns the Seq of the newest journal entry (0 when none was
// ever written): entries after it are those written from now on.
func (c *Client) JournalSeq(ctx context.Context) (uint64, error) {
	q := faults.JournalQuery{Limit: faults.MaxPageLimit}
	for {
		page, err := c.Journal(ctx, q)
		if err != nil {
			return 0, err
		}
		if !page.More || page.Next <= q.After {
			return page.Next, nil
		}
		q.After = page.Next
	}
}
