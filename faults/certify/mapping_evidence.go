package certify

import (
	"context"
	"strings"
)

// mappingEvidence reads what the scenario's event source mapping did:
// its counters, its failure records and the batches it is still
// delivering or retrying. Called once the consumer caught up or its
// deadline passed, before the mapping is disabled; a read that fails is a
// note.
func (r *run) mappingEvidence(ctx context.Context) {
	m, err := r.b.adm.Mapping(ctx, r.mapping)
	if err != nil {
		r.note("reading the event source mapping %s: %v", r.mapping, err)
		return
	}
	ev := &MappingResult{UUID: m.UUID, FunctionArn: m.FunctionArn, State: m.State, LastProcessingResult: m.LastProcessingResult,
		Invocations: m.Stats.Invocations, Errors: m.Stats.Errors, Throttles: m.Stats.Throttles}
	for _, sh := range m.Shards {
		for _, b := range sh.Batches {
			ev.InFlight = append(ev.InFlight, InFlightBatch{ShardID: sh.ShardID, First: b.First, Last: b.Last,
				Records: b.Records, Attempt: b.Attempt, LastOutcome: b.LastOutcome})
		}
	}
	if m.Failures > 0 {
		fs, err := r.b.adm.MappingFailures(ctx, r.mapping)
		if err != nil {
			r.note("reading the failure records of the event source mapping %s: %v", r.mapping, err)
		}
		ev.Failures = map[string]int{}
		for _, f := range fs {
			ev.Failures[f.RequestContext.Condition]++
		}
	}
	r.res.Mapping = ev
}

// blocked describes the batches a stalled mapping was still retrying:
// "; blocked behind shardId-… 4000…07..4000…07 (1 record), attempt 9, …".
func (r *run) blocked() string {
	ev := r.res.Mapping
	if ev == nil || len(ev.InFlight) == 0 {
		return ""
	}
	parts := make([]string, len(ev.InFlight))
	for i, b := range ev.InFlight {
		parts[i] = b.String()
	}
	return "; the mapping was still retrying " + strings.Join(parts, "; ")
}
