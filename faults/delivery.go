package faults

import (
	"slices"
	"strconv"
	"time"
)

// Action types of delivery rules: decided per invocation of a function by
// an event source mapping, before the function is called.
const (
	// ActionFunctionError: the function is not called; the poller sees a
	// function error (Action.ErrorType, default "Error", and
	// Action.Message), which counts as a retry attempt.
	ActionFunctionError = "functionError"
	// ActionTimeout: the function is not called; the poller sees the
	// function time out (Sandbox.Timedout, "Task timed out after …"),
	// which counts as a retry attempt. It does not wait the function's
	// timeout; add a latency rule for that.
	ActionTimeout = "timeout"
	// ActionThrottle: the function is not called; the invoke is throttled
	// (429 TooManyRequestsException), which is no retry attempt.
	ActionThrottle = "throttle"
	// ActionDuplicate (also a stream action): the function is called twice
	// with the same batch, as Lambda's at-least-once delivery may do; the
	// poller goes on with the second outcome.
	// ActionLatency (also an api action): the call waits Action.Latency
	// plus up to Action.Jitter of wall time first; stacks with the others.
)

// DeliveryEvent describes one invocation of a function by an event source
// mapping with a batch of stream records.
type DeliveryEvent struct {
	Mapping   string // the mapping's UUID
	Function  string // the registered function name
	RequestID string
	Table     string
	StreamArn string
	ShardID   string
	// Records are the batch's records, in shard order (none for the final
	// invocation of a tumbling window).
	Records []StreamEvent
}

// DeliveryDecision is what to do with one invocation. The zero value calls
// the function normally.
type DeliveryDecision struct {
	// Action is "" or one of ActionFunctionError, ActionTimeout,
	// ActionThrottle, ActionDuplicate.
	Action string
	// ErrorType and Message of a function error.
	ErrorType, Message string
	// Latency to wait before the call (or the injected outcome).
	Latency time.Duration
	// Fired lists the firings, in rule order.
	Fired []Firing
}

// HasDeliveryRules reports, with one atomic load, whether any delivery
// rule is stored, so that an invocation costs nothing more when none is.
func (in *Injector) HasDeliveryRules() bool { return in.nDelivery.Load() > 0 }

// DecideDelivery decides the delivery rules for one invocation and
// journals every firing before it returns: latency rules stack, the first
// other firing rule decides the outcome.
func (in *Injector) DecideDelivery(ev DeliveryEvent) DeliveryDecision {
	if in.nDelivery.Load() == 0 {
		return DeliveryDecision{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.expireLocked()
	var d DeliveryDecision
	for _, s := range in.rules {
		i, ok := s.matchDelivery(&ev)
		if !ok || !s.trigger() {
			continue
		}
		a := &s.rule.Action
		detail := ""
		switch {
		case a.Type == ActionLatency:
			lat := s.latency()
			d.Latency += lat
			detail = "latency " + lat.String()
		case d.Action != "":
			continue // shadowed by an earlier firing rule
		default:
			d.Action = a.Type
			detail = a.Type
			if a.Type == ActionFunctionError {
				d.ErrorType, d.Message = a.ErrorType, a.Message
				if d.ErrorType == "" {
					d.ErrorType = "Error"
				}
				detail += " " + d.ErrorType
			}
		}
		d.Fired = append(d.Fired, in.fire(s, deliveryEntry(&ev, i, detail)))
	}
	return d
}

// matchDelivery reports whether a delivery rule selects ev and the index
// of the record that matched its key and event name (-1 when the rule
// names neither, or the batch has no record).
func (s *ruleState) matchDelivery(ev *DeliveryEvent) (int, bool) {
	r := &s.rule
	if r.Target != TargetDelivery || !r.IsEnabled() {
		return -1, false
	}
	m := &r.Match
	if (m.Table != "" && !s.matchTable(ev.Table)) || (m.Mapping != "" && m.Mapping != ev.Mapping) ||
		(m.Function != "" && m.Function != ev.Function) {
		return -1, false
	}
	if len(m.Key) == 0 && len(m.EventName) == 0 {
		return -1, true
	}
	for i := range ev.Records {
		rec := &ev.Records[i]
		if (len(m.EventName) == 0 || slices.Contains(m.EventName, rec.EventName)) && matchKey(m.Key, rec.Keys) {
			return i, true
		}
	}
	return -1, false
}

// deliveryEntry is the journal entry of a delivery firing: it names the
// record that matched (else the batch's first), the mapping as its
// consumer, and the batch in its detail.
func deliveryEntry(ev *DeliveryEvent, matched int, action string) Entry {
	e := Entry{
		Kind: KindFiring, Target: TargetDelivery, Table: ev.Table, StreamArn: ev.StreamArn, ShardID: ev.ShardID,
		RequestID: ev.RequestID, Consumer: ev.Mapping,
	}
	detail := action + ": function " + ev.Function + ", batch of " + strconv.Itoa(len(ev.Records)) + " records"
	if n := len(ev.Records); n > 0 {
		detail += " " + ev.Records[0].SequenceNumber + " to " + ev.Records[n-1].SequenceNumber
		if matched < 0 {
			matched = 0
		}
		rec := &ev.Records[matched]
		e.Keys, e.EventName, e.EventID, e.SequenceNumber = rec.Keys.clone(), rec.EventName, rec.EventID, rec.SequenceNumber
	}
	e.Detail = detail
	return e
}
