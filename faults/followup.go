package faults

// HasAPIRules reports, with one atomic load, whether any api rule is
// stored, so that the api hook can skip reading a request (to learn its
// table) when none is.
func (in *Injector) HasAPIRules() bool { return in.nAPI.Load() > 0 }

// HasStreamRules reports, with one atomic load, whether any stream rule is
// stored, so that the stream hook can skip building an event when none is.
func (in *Injector) HasStreamRules() bool { return in.nStream.Load() > 0 }

// RecordStreamFollowUp journals a later consequence of an earlier stream
// firing of rule ruleID, such as a reordered record swapped with the next
// record of its item or released in place. ev describes the record the
// entry is about and detail what happened; the rule's counters do not
// change. It returns the entry.
func (in *Injector) RecordStreamFollowUp(ruleID, action string, ev StreamEvent, detail string) Entry {
	in.mu.Lock()
	defer in.mu.Unlock()
	e := streamEntry(&ev, detail)
	e.Kind, e.RuleID, e.Action = KindFollowUp, ruleID, action
	e.Time, e.WallTime = in.now(), in.wallNow()
	e.Seq = in.journal.add(e)
	in.log.Debug("fault follow-up", "fault", ruleID, "action", action, "table", ev.Table, "seq", e.Seq)
	return e
}

// LossEvent describes one record, or a run of records, that left a
// consumer's reach (a retention trim, a shard closed, an iterator expired,
// a mapping discarding it): journaled with kind KindLoss.
type LossEvent struct {
	// StreamEvent names the record (for a run, the first of it; for an
	// event about a position, Keys and EventID are empty).
	StreamEvent
	// Reason says how (trimmed, skipped, expired, rollover, split,
	// discarded); Consumer whom it concerns ("" for every reader).
	Reason, Consumer string
	Detail           string
}

// RecordLosses journals each loss event as one entry of kind KindLoss, in
// order, and returns the Seq of the first (0 for none).
func (in *Injector) RecordLosses(evs []LossEvent) uint64 {
	if len(evs) == 0 {
		return 0
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	var first uint64
	now, wall := in.now(), in.wallNow()
	for i := range evs {
		ev := &evs[i]
		e := streamEntry(&ev.StreamEvent, ev.Detail)
		e.Kind, e.Action, e.Target = KindLoss, ev.Reason, TargetStream
		e.Reason, e.Consumer = ev.Reason, ev.Consumer
		e.Time, e.WallTime = now, wall
		e.Seq = in.journal.add(e)
		if first == 0 {
			first = e.Seq
		}
	}
	return first
}
