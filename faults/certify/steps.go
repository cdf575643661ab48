package certify

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/dynafault/dynafault/faults/client"
)

// step takes one step of the scenario.
func (r *run) step(ctx context.Context, st Step) error {
	adm := r.b.adm
	switch st.Do {
	case DoAddRule:
		return r.addRule(ctx, st)
	case DoRemoveRule:
		err := adm.DeleteRule(ctx, r.ruleID(st.RuleID))
		if client.IsNotFound(err) {
			return nil // gone already (a ttl)
		}
		return err
	case DoWaitFired:
		return r.waitFired(ctx, st)
	case DoPause, DoResume, DoRollover, DoSplit:
		return r.shardAction(ctx, st)
	case DoTrim:
		_, err := adm.Trim(ctx, r.table, client.TrimOptions{OlderThan: st.Duration.Std()})
		return err
	case DoExpireIterators:
		_, err := adm.ExpireIterators(ctx, r.table)
		return err
	case DoAdvanceClock:
		_, err := adm.AdvanceClock(ctx, st.Duration.Std())
		return err
	case DoStopConsumer:
		r.sup.stop(ctx)
		return nil
	case DoStartConsumer:
		return r.sup.start()
	case DoRestartConsumer:
		return r.sup.restart(ctx)
	case DoWait:
		return sleep(ctx, st.Duration.Std())
	case DoWaitCaughtUp:
		ok, err := r.waitCaughtUp(ctx, r.timeout(st))
		if err == nil && !ok {
			r.note("waitCaughtUp at write %d: the consumer had not caught up after %s", st.At, r.timeout(st))
		}
		return err
	}
	return fmt.Errorf("unknown action %q", st.Do)
}

// timeout is the time limit of a waiting step.
func (r *run) timeout(st Step) time.Duration {
	if st.Duration > 0 {
		return st.Duration.Std()
	}
	return r.catchUp
}

// ruleID is the server's id of the scenario's rule id: prefixed with the
// scenario's name, so that scenarios cannot collide. The id seeds the
// rule's random draws, so it is the same in every run.
func (r *run) ruleID(id string) string { return "certify." + r.sc.Name + "." + id }

// addRule adds the step's rule, replacing a leftover of an earlier run.
func (r *run) addRule(ctx context.Context, st Step) error {
	rule, err := st.rule(r.table, r.key)
	if err != nil {
		return err
	}
	rule.ID = r.ruleID(rule.ID)
	if err := r.b.adm.DeleteRule(ctx, rule.ID); err != nil && !client.IsNotFound(err) {
		return err
	}
	if _, err := r.b.adm.AddRules(ctx, rule); err != nil {
		return err
	}
	r.rules = append(r.rules, rule.ID)
	return nil
}

// waitFired waits until the step's rule fired Times times; a rule that
// does not is a note, not an error: the consumer may have stopped asking.
func (r *run) waitFired(ctx context.Context, st Step) error {
	id := r.ruleID(st.RuleID)
	rs, err := r.b.adm.WaitFired(ctx, id, uint64(st.Times), r.timeout(st))
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		r.note("waitFired at write %d: rule %s fired %d of %d times within %s", st.At, st.RuleID, rs.Stats.Fired, st.Times, r.timeout(st))
		return nil
	}
	return err
}

// shardAction pauses, resumes, rolls over or splits the shards the step
// selects.
func (r *run) shardAction(ctx context.Context, st Step) error {
	ids, err := r.shards(ctx, st)
	if err != nil {
		return err
	}
	adm := r.b.adm
	for _, id := range ids {
		switch st.Do {
		case DoPause:
			_, err = adm.Pause(ctx, r.table, id)
		case DoResume:
			_, err = adm.Resume(ctx, r.table, id)
		case DoRollover:
			_, err = adm.Rollover(ctx, r.table, id)
		case DoSplit:
			_, err = adm.Split(ctx, r.table, id)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// shards resolves the step's shard selector: the shard of a workload
// item, an open shard by index, or every open shard (every paused one
// for resume).
func (r *run) shards(ctx context.Context, st Step) ([]string, error) {
	if st.Key != nil {
		id, err := r.b.adm.ShardForKey(ctx, r.table, map[string]string{r.keyAttr: ItemKey(*st.Key)})
		return []string{id}, err
	}
	s, err := r.stream(ctx)
	if err != nil {
		return nil, err
	}
	open := s.OpenShards()
	switch {
	case st.Shard != nil && *st.Shard >= len(open):
		return nil, fmt.Errorf("shard %d: the stream has %d open shards", *st.Shard, len(open))
	case st.Shard != nil:
		return []string{open[*st.Shard]}, nil
	case st.Do == DoResume:
		var paused []string
		for _, sh := range s.Shards {
			if sh.Paused {
				paused = append(paused, sh.ShardID)
			}
		}
		return paused, nil
	}
	return open, nil
}

// stream returns the admin view of the scenario's stream.
func (r *run) stream(ctx context.Context) (client.Stream, error) {
	streams, err := r.b.adm.Stream(ctx, r.table)
	if err != nil {
		return client.Stream{}, err
	}
	for _, s := range streams {
		if s.StreamArn == r.arn {
			return s, nil
		}
	}
	return client.Stream{}, fmt.Errorf("table %s: stream %s is gone", r.table, r.arn)
}

// markStart notes, on a running consumer's table, the sequence number of
// the scenario's first change.
func (r *run) markStart(ctx context.Context) error {
	p, err := r.b.adm.Changes(ctx, r.table, r.cursor, 1)
	if err != nil {
		return err
	}
	if len(p.Changes) == 0 {
		return fmt.Errorf("table %s: the change ledger has no change after %d", r.table, r.cursor)
	}
	n, ok := new(big.Int).SetString(p.Changes[0].SequenceNumber, 10)
	if !ok {
		return fmt.Errorf("table %s: sequence number %q", r.table, p.Changes[0].SequenceNumber)
	}
	r.fromSeq = n
	return nil
}
