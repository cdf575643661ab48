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
