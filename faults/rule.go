package faults

import "time"

// Target is where a rule applies.
type Target string

// The targets.
const (
	// TargetStream rules are decided when a stream record is appended.
	TargetStream Target = "stream"
	// TargetAPI rules are decided per request around each operation.
	TargetAPI Target = "api"
	// TargetDelivery rules are decided per invocation of a function by an
	// event source mapping (delivery.go).
	TargetDelivery Target = "delivery"
)

// Action types of stream rules.
const (
	// ActionDrop: the record is never visible; the item write succeeds.
	ActionDrop = "drop"
	// ActionDelay: the record becomes visible only after Action.For of clock
	// time; later records of the same item wait behind it (with HoldShard,
	// every later record of the shard does).
	ActionDelay = "delay"
	// ActionDuplicate: the record is delivered twice.
	ActionDuplicate = "duplicate"
	// ActionReorder: the record is swapped with the next record of the same
	// item. This violates DynamoDB Streams' per-item ordering guarantee on
	// purpose; the journal labels it so.
	ActionReorder = "reorder"
)

// Action types of api rules.
const (
	// ActionError: the operation is not run; the client gets Action.Code.
	ActionError = "error"
	// ActionLatency: the response waits Action.Latency plus up to
	// Action.Jitter. Stacks with every other action.
	ActionLatency = "latency"
	// ActionCommitThenFail: the write is applied (with its stream record),
	// then the client gets an error or a dropped connection (Action.Then).
	ActionCommitThenFail = "commitThenFail"
	// ActionPartialBatch: BatchWriteItem / BatchGetItem leave matching items
	// in UnprocessedItems / UnprocessedKeys.
	ActionPartialBatch = "partialBatch"
	// ActionEmptyRecords: GetRecords returns no records but a valid next
	// iterator.
	ActionEmptyRecords = "emptyRecords"
)

// Shard actions, journaled by RecordShardAction for the admin layer.
const (
	ShardPause    = "pause"
	ShardResume   = "resume"
	ShardRollover = "rollover"
	ShardSplit    = "split"
	// ShardTrim and ShardExpireIterators act on a whole stream (no shard).
	ShardTrim            = "trim"
	ShardExpireIterators = "expireIterators"
)

// Clock changes, journaled by RecordClockChange for the admin layer.
const (
	ClockAdvance  = "advance"  // moved forward by a duration
	ClockSet      = "set"      // set to a time (it may go back)
	ClockFreeze   = "freeze"   // mode frozen: it stands still
	ClockUnfreeze = "unfreeze" // mode real: it runs again from where it stands
	ClockOffset   = "offset"   // real mode at an offset from wall time (0: wall time)
)

// Rule is one fault rule. Its JSON form is the admin API's and the --faults
// file's.
type Rule struct {
	// ID names the rule; generated ("rule-1", "rule-2", ...) when empty.
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	Target      Target `json:"target"`
	Match       Match  `json:"match"`
	Action      Action `json:"action"`
	When        When   `json:"when"`
	// TTL, when set, removes the rule after this much wall-clock time.
	// JSON accepts Go durations ("10m") and ISO-8601 ("PT10M").
	TTL Duration `json:"ttl,omitempty"`
	// Enabled defaults to true; a disabled rule matches nothing.
	Enabled *bool `json:"enabled,omitempty"`
}

// IsEnabled reports whether r is enabled (nil means enabled).
func (r Rule) IsEnabled() bool { return r.Enabled == nil || *r.Enabled }

// Match selects the events a rule applies to. Every set field must match; an
// omitted field matches anything.
type Match struct {
	// Table is a table name or a path.Match glob ("orders-*").
	Table string `json:"table,omitempty"`
	// Operation lists operation names (api rules), e.g. "PutItem".
	Operation []string `json:"operation,omitempty"`
	// EventName lists stream event names (stream rules): INSERT, MODIFY,
	// REMOVE.
	EventName []string `json:"eventName,omitempty"`
	// Key maps key attribute names to predicates on their values (stream
	// rules and partialBatch).
	Key map[string]KeyPredicate `json:"key,omitempty"`
	// AccessKeyID is the caller's access key id from the SigV4
	// Authorization header (api rules).
	AccessKeyID string `json:"accessKeyId,omitempty"`
	// Mapping is an event source mapping's UUID (delivery rules).
	Mapping string `json:"mapping,omitempty"`
	// Function is the registered name of the function a mapping invokes
	// (delivery rules).
	Function string `json:"function,omitempty"`
}

// KeyPredicate tests one key attribute's value, compared as rendered in
// KeyValue.Value. Both set means both must hold.
type KeyPredicate struct {
	Equals *string `json:"equals,omitempty"`
	Prefix *string `json:"prefix,omitempty"`
}

// Action is what a rule does when it fires. Type selects the action; only the
// fields of that type may be set.
type Action struct {
	Type string `json:"type"`

	// functionError (delivery): the function error the poller sees,
	// ErrorType (default "Error") and Message (the errorMessage).
	ErrorType string `json:"errorType,omitempty"`

	// error: Code from the catalogue (LookupError); Message and HTTPStatus
	// override the catalogue's; CancellationReasons go with
	// TransactionCanceledException; ThrottlingReasons with the throttling
	// codes.
	Code                string               `json:"code,omitempty"`
	Message             string               `json:"message,omitempty"`
	HTTPStatus          int                  `json:"httpStatus,omitempty"`
	CancellationReasons []CancellationReason `json:"cancellationReasons,omitempty"`
	ThrottlingReasons   []ThrottlingReason   `json:"throttlingReasons,omitempty"`

	// latency: wait Latency plus a uniform draw in [0, Jitter].
	Latency Duration `json:"latency,omitempty"`
	Jitter  Duration `json:"jitter,omitempty"`

	// commitThenFail: what the client gets after the write is applied;
	// default an InternalServerError.
	Then *Then `json:"then,omitempty"`

	// delay: visible after For of clock time; HoldShard holds every later
	// record of the shard too, not only those of the same item.
	For       Duration `json:"for,omitempty"`
	HoldShard bool     `json:"holdShard,omitempty"`

	// partialBatch: leave the first Count matching items unprocessed, or
	// each matching item with probability Fraction; neither means every
	// matching item.
	Count    int     `json:"count,omitempty"`
	Fraction float64 `json:"fraction,omitempty"`
}

// Then is the outcome of a commitThenFail rule after the write is applied.
type Then struct {
	// Type is "error" (answer Code) or "drop" (close the connection
	// without an answer).
	Type    string `json:"type"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// The Then types.
const (
	ThenError = "error"
	ThenDrop  = "drop"
)

// CancellationReason is one entry of a TransactionCanceledException's
// CancellationReasons.
type CancellationReason struct {
	Code    string `json:"code"`
	Message string `json:"message,omitempty"`
}

// ThrottlingReason is one entry of a throttling error's ThrottlingReasons.
// An empty Resource is filled by the wire layer with the table's ARN.
type ThrottlingReason struct {
	Reason   string `json:"reason"`
	Resource string `json:"resource,omitempty"`
}

// When composes the trigger. Zero values mean "not set".
type When struct {
	// Skip lets the first Skip matches pass.
	Skip int `json:"skip,omitempty"`
	// Times fires at most Times times; then the rule is exhausted.
	Times int `json:"times,omitempty"`
	// EveryNth fires on every Nth match after the skipped ones.
	EveryNth int `json:"everyNth,omitempty"`
	// Probability fires with this probability, in (0, 1]; 0 means always.
	Probability float64 `json:"probability,omitempty"`
}

// Stats are a rule's live counters.
type Stats struct {
	// Matched counts events the rule matched (whether or not it fired).
	Matched uint64 `json:"matched"`
	// Fired counts firings.
	Fired uint64 `json:"fired"`
	// Remaining is how many more times the rule may fire; nil = unlimited.
	Remaining *int `json:"remaining,omitempty"`
	// Exhausted is true once Fired reached When.Times.
	Exhausted bool `json:"exhausted"`
	// ExpiresAt is the wall-clock time the TTL removes the rule, if any.
	ExpiresAt *time.Time `json:"expiresAt,omitempty"`
}

// RuleStatus is a stored rule with its counters, as List, Get and the admin
// API return it.
type RuleStatus struct {
	Rule
	Stats Stats `json:"stats"`
}

// RulePatch changes some fields of a stored rule; nil fields stay as they are.
type RulePatch struct {
	Description *string `json:"description,omitempty"`
	Enabled     *bool   `json:"enabled,omitempty"`
	// Times sets When.Times; the rule may fire until Fired reaches it (0 =
	// unlimited).
	Times *int `json:"times,omitempty"`
	// When replaces the whole trigger and resets the counters and the
	// random generator, as if the rule were new.
	When *When `json:"when,omitempty"`
	// TTL restarts the rule's lifetime from now; 0 removes the TTL.
	TTL *Duration `json:"ttl,omitempty"`
}

// Key is an item's key attributes rendered for matching and journaling. Its
// JSON form is DynamoDB's: {"pk":{"S":"ORDER#4"}}.
type Key map[string]KeyValue

// KeyValue is one key attribute: Type is "S", "N" or "B"; Value is the
// string, the canonical number, or the base64 of the bytes.
type KeyValue struct {
	Type  string
	Value string
}
