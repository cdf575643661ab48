package faults

import (
	"context"
	"log/slog"
	"strconv"
	"time"
)

// APIEvent describes one request at the api hook.
type APIEvent struct {
	// Operation is the operation name, e.g. "PutItem" or "GetRecords".
	Operation string
	// Table is the table the request addresses, when there is one (for
	// Streams operations, the stream's table).
	Table string
	// Tables lists every table of a multi-table request (BatchWriteItem,
	// BatchGetItem, transactions); a rule's table matches if any does.
	Tables []string
	// AccessKeyID is the caller's access key id from the SigV4
	// Authorization header.
	AccessKeyID string
	// RequestID is the response's x-amzn-RequestId, for the journal.
	RequestID string
}

// APIDecision is what the api hook must do with one request. The zero value
// means "nothing".
type APIDecision struct {
	// Latency is the sum of every firing latency rule's delay. Wait it out
	// before answering, but stop early if the request is cancelled.
	Latency time.Duration
	// At most one of Error, CommitThenFail, PartialBatch and EmptyRecords
	// is set: the first firing non-latency rule wins.
	//
	// Error: do not run the operation; answer this error.
	Error *ErrorSpec
	// CommitThenFail: run the operation (the write and its stream record
	// happen), then answer CommitThenFail.Error or drop the connection.
	CommitThenFail *CommitSpec
	// PartialBatch: ask it, per item, which items to leave unprocessed.
	PartialBatch *PartialBatchSpec
	// EmptyRecords: GetRecords answers no records but a valid next
	// iterator (the iterator does not advance).
	EmptyRecords bool
	// Fired lists the firings, all already journaled.
	Fired []Firing
}

// Wait sleeps for d, the Latency of a decision, or until ctx is done,
// whichever comes first; it returns ctx's error when cancelled.
func Wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CommitSpec is the outcome of a commitThenFail firing.
type CommitSpec struct {
	// Drop: close the connection without an answer.
	Drop bool
	// Error: the error to answer when Drop is false.
	Error *ErrorSpec
}

// Firing names one journaled firing.
type Firing struct {
	RuleID string
	Action string
	// Seq is the journal entry's sequence number.
	Seq uint64
}

// DecideAPI decides the api rules for one request and journals every firing
// before it returns.
func (in *Injector) DecideAPI(ev APIEvent) APIDecision {
	if in.nAPI.Load() == 0 {
		return APIDecision{}
	}
	return in.decideAPI(&ev)
}

// decideAPI is DecideAPI past the fast path.
func (in *Injector) decideAPI(ev *APIEvent) APIDecision {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.expireLocked()
	var d APIDecision
	terminal := false
	for _, s := range in.rules {
		if !s.matchAPI(ev) || !s.trigger() {
			continue
		}
		a := &s.rule.Action
		var detail string
		switch {
		case a.Type == ActionLatency:
			lat := s.latency()
			d.Latency += lat
			detail = lat.String()
		case terminal:
			continue // shadowed by an earlier firing rule
		default:
			terminal = true
			detail = in.applyAPI(s, ev, &d)
		}
		d.Fired = append(d.Fired, in.fire(s, apiEntry(ev, detail)))
	}
	return d
}

// applyAPI sets the decision of a terminal api action and returns the
// journal detail. Must be called with mu held.
func (in *Injector) applyAPI(s *ruleState, ev *APIEvent, d *APIDecision) string {
	a := &s.rule.Action
	switch a.Type {
	case ActionError:
		d.Error = newErrorSpec(a.Code, a.Message, a.HTTPStatus, a.CancellationReasons, a.ThrottlingReasons)
		return d.Error.Code
	case ActionCommitThenFail:
		d.CommitThenFail = newCommitSpec(a.Then)
		if d.CommitThenFail.Drop {
			return "then drop the connection"
		}
		return "then " + d.CommitThenFail.Error.Code
	case ActionPartialBatch:
		d.PartialBatch = &PartialBatchSpec{
			in: in, rule: s.rule, seed: in.seed, firing: s.fired + 1, left: a.Count, ev: *ev,
		}
		return d.PartialBatch.describe()
	default: // ActionEmptyRecords
		d.EmptyRecords = true
		return ""
	}
}

// newCommitSpec resolves a commitThenFail outcome (nil: InternalServerError).
func newCommitSpec(t *Then) *CommitSpec {
	if t != nil && t.Type == ThenDrop {
		return &CommitSpec{Drop: true}
	}
	code, msg := codeInternalServerError, ""
	if t != nil && t.Code != "" {
		code, msg = t.Code, t.Message
	}
	return &CommitSpec{Error: newErrorSpec(code, msg, 0, nil, nil)}
}

// apiEntry is the journal entry of an api firing.
func apiEntry(ev *APIEvent, detail string) Entry {
	return Entry{
		Kind: KindFiring, Target: TargetAPI, Table: ev.Table, Operation: ev.Operation,
		RequestID: ev.RequestID, AccessKeyID: ev.AccessKeyID, Detail: detail,
	}
}

// fire counts a firing of s, journals e for it and logs it. Must be called
// with mu held.
func (in *Injector) fire(s *ruleState, e Entry) Firing {
	s.fired++
	e.RuleID, e.Action = s.rule.ID, s.rule.Action.Type
	seq := in.record(e)
	in.logFiring(e, seq)
	return Firing{RuleID: e.RuleID, Action: e.Action, Seq: seq}
}

// logFiring logs a firing at Info level: the rule, action, table and key,
// what it hit (the operation and request, or the record; for a delivery
// rule the mapping as consumer) and its journal seq. Firings happen only
// while rules exist and match.
func (in *Injector) logFiring(e Entry, seq uint64) {
	attrs := []slog.Attr{slog.String("fault", e.RuleID), slog.String("action", e.Action),
		slog.String("target", string(e.Target)), slog.String("table", e.Table)}
	if len(e.Keys) > 0 {
		attrs = append(attrs, slog.String("key", e.Keys.String()))
	}
	if e.Target == TargetAPI {
		attrs = append(attrs, slog.String("operation", e.Operation), slog.String("request_id", e.RequestID))
	} else {
		attrs = append(attrs, slog.String("event", e.EventName), slog.String("sequence_number", e.SequenceNumber),
			slog.String("shard", e.ShardID))
	}
	if e.Consumer != "" {
		attrs = append(attrs, slog.String("consumer", e.Consumer))
	}
	if e.Detail != "" {
		attrs = append(attrs, slog.String("detail", e.Detail))
	}
	attrs = append(attrs, slog.Uint64("seq", seq))
	in.log.LogAttrs(context.Background(), slog.LevelInfo, "fault fired", attrs...)
}

// record stamps e with the clocks and appends it. Must be called with mu
// held.
func (in *Injector) record(e Entry) uint64 {
	e.Time, e.WallTime = in.now(), in.wallNow()
	return in.journal.add(e)
}

// StreamEvent describes one stream record being appended.
type StreamEvent struct {
	Table     string
	EventName string // INSERT, MODIFY or REMOVE
	// Keys are the item's key attributes.
	Keys           Key
	EventID        string
	SequenceNumber string
	ShardID        string
	StreamArn      string
}

// StreamDecision is what the stream must do with one record. The zero value
// means "append it normally".
type StreamDecision struct {
	// Action is "" or one of ActionDrop, ActionDelay, ActionDuplicate,
	// ActionReorder.
	Action string
	// Delay is how long (clock time) a delayed record stays invisible.
	Delay time.Duration
	// HoldShard: a delayed record holds every later record of its shard,
	// not only those of the same item.
	HoldShard bool
	// RuleID is the firing rule; Seq its journal entry.
	RuleID string
	Seq    uint64
}

// DecideStream decides the stream rules for one record and journals the
// firing, if any, before it returns. The first firing rule wins.
func (in *Injector) DecideStream(ev StreamEvent) StreamDecision {
	if in.nStream.Load() == 0 {
		return StreamDecision{}
	}
	return in.decideStream(&ev)
}

// decideStream is DecideStream past the fast path.
func (in *Injector) decideStream(ev *StreamEvent) StreamDecision {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.expireLocked()
	var d StreamDecision
	for _, s := range in.rules {
		if !s.matchStream(ev) || !s.trigger() || d.Action != "" {
			continue // no match, no firing, or shadowed by an earlier rule
		}
		a := &s.rule.Action
		d = StreamDecision{Action: a.Type, RuleID: s.rule.ID}
		if a.Type == ActionDelay {
			d.Delay, d.HoldShard = a.For.Std(), a.HoldShard
		}
		d.Seq = in.fire(s, streamEntry(ev, streamDetail(a))).Seq
	}
	return d
}

// streamDetail is the journal detail of a stream action.
func streamDetail(a *Action) string {
	switch a.Type {
	case ActionDelay:
		if a.HoldShard {
			return "delayed " + a.For.String() + ", holding the shard"
		}
		return "delayed " + a.For.String()
	case ActionReorder:
		return "swapped with the next record of the item (violates per-item ordering)"
	default:
		return ""
	}
}

// streamEntry is the journal entry of a stream firing.
func streamEntry(ev *StreamEvent, detail string) Entry {
	return Entry{
		Kind: KindFiring, Target: TargetStream, Table: ev.Table, Keys: ev.Keys.clone(), EventName: ev.EventName,
		EventID: ev.EventID, SequenceNumber: ev.SequenceNumber, ShardID: ev.ShardID,
		StreamArn: ev.StreamArn, Detail: detail,
	}
}

// RecordShardAction journals a shard action taken through the admin API
// (ShardPause, ShardResume, ...) and returns its entry.
func (in *Injector) RecordShardAction(action, table, shardID string) Entry {
	return in.RecordShardActionDetail(action, table, shardID, "")
}

// RecordShardActionDetail is RecordShardAction with a detail (the shards a
// rollover or split opened, what a trim removed); shardID is "" for an
// action on the whole stream (trim, expiring iterators). It logs the
// action at Info level with its journal seq.
func (in *Injector) RecordShardActionDetail(action, table, shardID, detail string) Entry {
	in.mu.Lock()
	defer in.mu.Unlock()
	e := Entry{Kind: KindShard, Action: action, Target: TargetShard, Table: table, ShardID: shardID, Detail: detail}
	e.Time, e.WallTime = in.now(), in.wallNow()
	e.Seq = in.journal.add(e)
	in.log.Info("shard action", "action", action, "table", table, "shard", shardID, "detail", detail, "seq", e.Seq)
	return e
}

// PeriodicRollover is one rollover a stream made itself: its open shard
// reached the rollover age (--stream-rollover) and was closed, a child
// opened over its hash range.
type PeriodicRollover struct {
	Table, StreamArn, ShardID, Child string
	// At is when the shard reached the rollover age.
	At time.Time
	// Records is how many readable records the closed shard holds, First
	// and Last their sequence numbers.
	Records     int
	First, Last string
}

// detail is the journal detail of r: the child first, as for a rollover
// through the admin API.
func (r PeriodicRollover) detail() string {
	d := "child " + r.Child + "; periodic, at the rollover age (" + r.At.UTC().Format(time.RFC3339Nano) +
		"); closed with " + strconv.Itoa(r.Records) + " readable records"
	if r.Records > 0 {
		d += " (" + r.First + " to " + r.Last + ")"
	}
	return d
}

// RecordPeriodicRollover journals a periodic rollover as an entry of kind
// KindShard with action ShardRollover, like a rollover through the admin
// API, and logs it at Info level as "shard rolled over" with the table,
// shard, child and journal seq. It returns the entry.
func (in *Injector) RecordPeriodicRollover(r PeriodicRollover) Entry {
	in.mu.Lock()
	defer in.mu.Unlock()
	e := Entry{Kind: KindShard, Action: ShardRollover, Target: TargetShard, Table: r.Table, ShardID: r.ShardID,
		StreamArn: r.StreamArn, Detail: r.detail()}
	e.Time, e.WallTime = in.now(), in.wallNow()
	e.Seq = in.journal.add(e)
	in.log.Info("shard rolled over", "table", r.Table, "shard", r.ShardID, "child", r.Child,
		"at", r.At.UTC().Format(time.RFC3339Nano), "records", r.Records, "seq", e.Seq)
	return e
}

// ClockChange is one change of the virtual clock made through the admin
// API.
type ClockChange struct {
	// Action is ClockAdvance, ClockSet, ClockFreeze, ClockUnfreeze or
	// ClockOffset.
	Action string
	// From and To are the virtual time before and after the change.
	From, To time.Time
	// Mode ("real" or "frozen") and Offset (virtual minus wall time) are
	// the clock's after the change.
	Mode   string
	Offset time.Duration
}

// detail is the journal detail of c: the time before and after, the mode
// and the offset.
func (c ClockChange) detail() string {
	return "from " + c.From.UTC().Format(time.RFC3339Nano) + " to " + c.To.UTC().Format(time.RFC3339Nano) +
		" (" + c.Mode + ", offset " + c.Offset.String() + ")"
}

// RecordClockChange journals a change of the virtual clock as an entry of
// kind KindClock (target TargetClock, Action c.Action, Detail the time
// before and after) and logs it at Info level as "clock moved" with its
// journal seq. It returns the entry.
func (in *Injector) RecordClockChange(c ClockChange) Entry {
	in.mu.Lock()
	defer in.mu.Unlock()
	e := Entry{Kind: KindClock, Action: c.Action, Target: TargetClock, Detail: c.detail()}
	e.Time, e.WallTime = in.now(), in.wallNow()
	e.Seq = in.journal.add(e)
	in.log.Info("clock moved", "action", c.Action, "from", c.From.UTC().Format(time.RFC3339Nano),
		"to", c.To.UTC().Format(time.RFC3339Nano), "mode", c.Mode, "offset", c.Offset.String(), "seq", e.Seq)
	return e
}

// Journal returns one page of the journal.
func (in *Injector) Journal(q JournalQuery) JournalPage {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.journal.page(q)
}

// ClearJournal drops every journal entry; sequence numbers keep counting.
func (in *Injector) ClearJournal() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.journal.clear()
}

// PartialBatchSpec decides which items of a batch a partialBatch firing
// leaves unprocessed. It belongs to one request: call Unprocessed once per
// item, in request order, from one goroutine. The firing itself is
// journaled by DecideAPI; each item left unprocessed gets its own entry
// (Detail "unprocessed item", with its table and keys).
type PartialBatchSpec struct {
	in     *Injector
	rule   Rule
	seed   uint64
	firing uint64 // the rule's firing number, for fraction hashing
	left   int    // items still to leave unprocessed, with Count
	ev     APIEvent
}

// describe is the journal detail of the firing.
func (p *PartialBatchSpec) describe() string {
	switch a := p.rule.Action; {
	case a.Count > 0:
		return "up to " + strconv.Itoa(a.Count) + " matching items unprocessed"
	case a.Fraction > 0:
		return "fraction " + strconv.FormatFloat(a.Fraction, 'g', -1, 64) + " of matching items unprocessed"
	default:
		return "every matching item unprocessed"
	}
}

// Unprocessed reports whether the item with key in table must be left
// unprocessed, and journals it if so. Items outside the rule's table and
// key match are always processed. With Count, the first Count matching
// items are left; with Fraction, each matching item is left by a hash of
// (seed, rule, firing, table, key), so the choice does not depend on order.
func (p *PartialBatchSpec) Unprocessed(table string, key Key) bool {
	m := &p.rule.Match
	if (m.Table != "" && !matchTable(m.Table, table)) || !matchKey(m.Key, key) {
		return false
	}
	a := &p.rule.Action
	switch {
	case a.Count > 0:
		if p.left == 0 {
			return false
		}
		p.left--
	case a.Fraction > 0:
		if hashFraction(p.seed, p.rule.ID, p.firing, table, key) >= a.Fraction {
			return false
		}
	}
	p.journalItem(table, key)
	return true
}

// journalItem journals one unprocessed item.
func (p *PartialBatchSpec) journalItem(table string, key Key) {
	e := apiEntry(&p.ev, "unprocessed item")
	e.RuleID, e.Action, e.Table, e.Keys = p.rule.ID, ActionPartialBatch, table, key.clone()
	p.in.mu.Lock()
	defer p.in.mu.Unlock()
	p.in.record(e)
}
