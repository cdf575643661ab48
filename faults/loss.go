package faults

// ReasonDiscarded is the Reason of loss entries for records an event
// source mapping gave up on.
const ReasonDiscarded = "discarded"

// RecordDiscard journals that consumer (an event source mapping's UUID)
// discarded the record ev describes: a KindLoss entry with Reason
// "discarded", the record's keys, event id, sequence number, shard, stream
// and table, and the failure condition and what led to it in detail. The
// entry belongs to no rule. It returns the entry.
func (in *Injector) RecordDiscard(consumer string, ev StreamEvent, detail string) Entry {
	in.mu.Lock()
	defer in.mu.Unlock()
	e := streamEntry(&ev, detail)
	e.Kind, e.Action, e.Reason, e.Consumer = KindLoss, ReasonDiscarded, ReasonDiscarded, consumer
	e.Time, e.WallTime = in.now(), in.wallNow()
	e.Seq = in.journal.add(e)
	in.log.Debug("record discarded", "consumer", consumer, "table", ev.Table, "seq", ev.SequenceNumber)
	return e
}
