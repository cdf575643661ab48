package emulator

import (
	"encoding/base64"
	"fmt"
	"os"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/stream"
	"github.com/dynafault/dynafault/faults"
)

// streamFaults adapts the injector to the stream package's Hook: it asks
// DecideStream for each appended record and journals the outcome of a
// reorder. Without stream rules a record costs one atomic load.
type streamFaults struct{ in *faults.Injector }

// Decide implements stream.Hook.
func (h streamFaults) Decide(s *stream.Stream, r stream.Record) stream.Decision {
	if !h.in.HasStreamRules() {
		return stream.Decision{}
	}
	d := h.in.DecideStream(streamEvent(s, r))
	return stream.Decision{Action: d.Action, Delay: d.Delay, HoldShard: d.HoldShard, Rule: d.RuleID}
}

// Note implements stream.Hook: it journals every follow-up (a record held
// behind a delayed one, a release with a new number, a reorder's swap or
// release in place) as a follow-up entry of the decision's rule. Stream
// and faults action and outcome names are the same.
func (h streamFaults) Note(s *stream.Stream, f stream.FollowUp) {
	h.in.RecordStreamFollowUp(faults.StreamFollowUp{
		RuleID: f.Decision.Rule, Action: f.Decision.Action, Outcome: f.Outcome, Event: streamEvent(s, f.Record),
		OriginalSequenceNumber: f.OriginalSequenceNumber, OriginalShardID: f.OriginalShardID, Detail: f.Detail,
	})
}

// streamEvent describes record r of stream s for the injector.
func streamEvent(s *stream.Stream, r stream.Record) faults.StreamEvent {
	return faults.StreamEvent{
		Table: s.Table(), EventName: r.EventName, Keys: faultKey(r.KeysItem()), EventID: r.EventID,
		SequenceNumber: r.SequenceNumber, ShardID: r.ShardID, StreamArn: s.ARN(),
	}
}

// faultKey renders key attributes the way fault rules match them: strings
// as they are, numbers in canonical form, binaries in base64.
func faultKey(key attr.Item) faults.Key {
	k := make(faults.Key, len(key))
	for name, v := range key {
		switch v.Type {
		case attr.N:
			k[name] = faults.KeyN(v.S)
		case attr.B:
			k[name] = faults.KeyB(base64.StdEncoding.EncodeToString([]byte(v.S)))
		default:
			k[name] = faults.KeyS(v.S)
		}
	}
	return k
}

// startRules returns the rules to load at start: opts.Rules, then those of
// opts.FaultsFile.
func startRules(opts Options) ([]faults.Rule, error) {
	rules := append([]faults.Rule(nil), opts.Rules...)
	if opts.FaultsFile == "" {
		return rules, nil
	}
	b, err := os.ReadFile(opts.FaultsFile)
	if err != nil {
		return nil, fmt.Errorf("emulator: fault rules: %w", err)
	}
	more, err := faults.ParseRules(b)
	if err != nil {
		return nil, fmt.Errorf("emulator: fault rules in %s: %w", opts.FaultsFile, err)
	}
	return append(rules, more...), nil
}
