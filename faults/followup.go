package faults

// HasAPIRules reports, with one atomic load, whether any api rule is
// stored, so that the api hook can skip reading a request (to learn its
// table) when none is.
func (in *Injector) HasAPIRules() bool { return in.nAPI.Load() > 0 }

// HasStreamRules reports, with one atomic load, whether any stream rule is
// stored, so that the stream hook can skip building an event when none is.
func (in *Injector) HasStreamRules() bool { return in.nStream.Load() > 0 }

// Outcomes of stream follow-up entries (Entry.Outcome).
const (
	// OutcomeHeldBehind: a record without a delay of its own was taken out
	// of its shard's sequence to wait behind a delayed record (of its item,
	// or a holdShard delay over its hash range); SequenceNumber is the
	// number it was first appended with, which stays unused.
	OutcomeHeldBehind = "heldBehind"
	// OutcomeReleased: a delayed record, or one held behind it, was
	// appended at its release with a new number (SequenceNumber, ShardID);
	// OriginalSequenceNumber and OriginalShardID say where it was first
	// appended.
	OutcomeReleased = "released"
	// OutcomeSwapped: a reordered record and the next record of its item
	// traded places; each has an entry with its new and original number.
	OutcomeSwapped = "swapped"
	// OutcomeReleasedInPlace: a reordered record found no partner and
	// became readable where it was appended.
	OutcomeReleasedInPlace = "releasedInPlace"
	// OutcomeHeldInPlace: a record appended behind a record held in place
	// for a reorder stays unreadable at its own number (SequenceNumber)
	// until the records before it are released.
	OutcomeHeldInPlace = "heldInPlace"
)

// StreamFollowUp is a later consequence of a stream firing, for one record.
type StreamFollowUp struct {
	// RuleID and Action name the firing it follows from (for a record
	// held behind a delayed one, that delay's rule).
	RuleID, Action string
	Outcome        string // OutcomeHeldBehind, OutcomeReleased, ...
	// Event describes the record as it is now (its new sequence number and
	// shard when renumbered).
	Event StreamEvent
	// OriginalSequenceNumber and OriginalShardID are where a renumbered
	// record was first appended; "" otherwise.
	OriginalSequenceNumber, OriginalShardID string
	Detail                                  string
}

// RecordStreamFollowUp journals a later consequence of an earlier stream
// firing (an entry of kind KindFollowUp), such as a delayed record
// released with a new number or a reordered record swapped with the next
// record of its item. The rule's counters do not change. It returns the
// entry.
func (in *Injector) RecordStreamFollowUp(f StreamFollowUp) Entry {
	in.mu.Lock()
	defer in.mu.Unlock()
	e := streamEntry(&f.Event, f.Detail)
	e.Kind, e.RuleID, e.Action, e.Outcome = KindFollowUp, f.RuleID, f.Action, f.Outcome
	e.OriginalSequenceNumber, e.OriginalShardID = f.OriginalSequenceNumber, f.OriginalShardID
	e.Time, e.WallTime = in.now(), in.wallNow()
	e.Seq = in.journal.add(e)
	in.log.Debug("fault follow-up", "fault", f.RuleID, "action", f.Action, "outcome", f.Outcome, "table", f.Event.Table, "seq", e.Seq)
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
