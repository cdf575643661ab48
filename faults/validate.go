package faults

import (
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Limits of free-form fields.
const (
	maxIDLen          = 128
	maxDescriptionLen = 1024
)

// actionTypes lists the action types of each target, in documentation order.
var actionTypes = map[Target][]string{ //nolint:gochecknoglobals // constant table
	TargetStream:   {ActionDrop, ActionDelay, ActionDuplicate, ActionReorder},
	TargetAPI:      {ActionError, ActionLatency, ActionCommitThenFail, ActionPartialBatch, ActionEmptyRecords},
	TargetDelivery: {ActionFunctionError, ActionTimeout, ActionThrottle, ActionDuplicate, ActionLatency},
}

// actionFields lists the Action fields each action type may set.
var actionFields = map[string][]string{ //nolint:gochecknoglobals // constant table
	ActionDrop:           nil,
	ActionDuplicate:      nil,
	ActionReorder:        nil,
	ActionEmptyRecords:   nil,
	ActionDelay:          {"for", "holdShard"},
	ActionError:          {"code", "message", "httpStatus", "cancellationReasons", "throttlingReasons"},
	ActionLatency:        {"latency", "jitter"},
	ActionCommitThenFail: {"then"},
	ActionPartialBatch:   {"count", "fraction"},
	ActionFunctionError:  {"errorType", "message"},
	ActionTimeout:        nil,
	ActionThrottle:       nil,
}

// Validate reports the first invalid field of r as a *FieldError. An empty
// ID is valid (Injector.Add generates one).
func (r Rule) Validate() error {
	if err := validateID(r.ID); err != nil {
		return err
	}
	if len(r.Description) > maxDescriptionLen {
		return fieldErr("description", "must be at most "+strconv.Itoa(maxDescriptionLen)+" characters")
	}
	if _, ok := actionTypes[r.Target]; !ok {
		return fieldErr("target", `must be "stream", "api" or "delivery"`)
	}
	if err := r.validateAction(); err != nil {
		return prefixed("action", err)
	}
	if err := r.validateMatch(); err != nil {
		return prefixed("match", err)
	}
	if err := r.When.validate(); err != nil {
		return prefixed("when", err)
	}
	if r.TTL < 0 {
		return fieldErr("ttl", errDuration.Error())
	}
	return nil
}

// validateID checks a rule id: it appears in admin URLs, so it is kept to
// URL-safe characters.
func validateID(id string) error {
	if len(id) > maxIDLen || strings.IndexFunc(id, badIDRune) >= 0 {
		return fieldErr("id", "must be at most 128 letters, digits, '.', '_', ':' or '-'")
	}
	return nil
}

// badIDRune reports a rune not allowed in a rule id.
func badIDRune(c rune) bool {
	return (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') &&
		c != '.' && c != '_' && c != ':' && c != '-'
}

// validateMatch checks r.Match against r's target and action.
func (r Rule) validateMatch() error {
	m, stream, delivery := r.Match, r.Target == TargetStream, r.Target == TargetDelivery
	if m.Table != "" {
		if _, err := path.Match(m.Table, ""); err != nil {
			return fieldErr("table", "is not a valid glob pattern")
		}
	}
	if err := r.validateOperations(); err != nil {
		return err
	}
	if len(m.EventName) > 0 && !stream && !delivery {
		return fieldErr("eventName", "is only allowed in stream and delivery rules")
	}
	for i, e := range m.EventName {
		if !eventNames[e] {
			return fieldErr("eventName["+strconv.Itoa(i)+"]", "must be INSERT, MODIFY or REMOVE")
		}
	}
	if len(m.Key) > 0 && !stream && !delivery && r.Action.Type != ActionPartialBatch {
		return fieldErr("key", "is only allowed in stream rules, delivery rules and partialBatch rules")
	}
	for _, name := range sortedKeys(m.Key) {
		if name == "" {
			return fieldErr("key", "must not have an empty attribute name")
		}
		if p := m.Key[name]; p.Equals == nil && p.Prefix == nil {
			return fieldErr("key."+name, "must have equals or prefix")
		}
	}
	if m.AccessKeyID != "" && stream {
		return fieldErr("accessKeyId", "is only allowed in api rules (stream rules are decided when a record is written)")
	}
	if m.AccessKeyID != "" && delivery {
		return fieldErr("accessKeyId", "is only allowed in api rules (match a mapping by its UUID: mapping)")
	}
	if m.Mapping != "" && !delivery {
		return fieldErr("mapping", "is only allowed in delivery rules")
	}
	if m.Function != "" && !delivery {
		return fieldErr("function", "is only allowed in delivery rules")
	}
	return nil
}

// validateOperations checks match.operation.
func (r Rule) validateOperations() error {
	ops := r.Match.Operation
	if len(ops) > 0 && r.Target != TargetAPI {
		return fieldErr("operation", "is only allowed in api rules")
	}
	for i, op := range ops {
		field := "operation[" + strconv.Itoa(i) + "]"
		if !knownOperation(op) {
			return fieldErr(field, "is not a DynamoDB or DynamoDB Streams operation: "+strconv.Quote(op))
		}
		if !appliesTo(r.Action.Type, op) {
			return fieldErr(field, "action "+r.Action.Type+" applies only to "+applicableOps(r.Action.Type))
		}
	}
	return nil
}

// validateAction checks the action type against the target and the fields
// set against the type.
func (r Rule) validateAction() error {
	a := r.Action
	types := actionTypes[r.Target]
	if !slices.Contains(types, a.Type) {
		return fieldErr("type", "must be one of "+strings.Join(types, ", ")+" for target "+string(r.Target))
	}
	for _, f := range a.setFields() {
		if !slices.Contains(actionFields[a.Type], f) {
			return fieldErr(f, "is not allowed for action type "+a.Type)
		}
	}
	switch a.Type {
	case ActionError:
		return a.validateError()
	case ActionLatency:
		if a.Latency < 0 || a.Jitter < 0 || a.Latency+a.Jitter <= 0 {
			return fieldErr("latency", "latency or jitter must be greater than 0")
		}
	case ActionCommitThenFail:
		return prefixed("then", a.Then.validate())
	case ActionDelay:
		if a.For <= 0 {
			return fieldErr("for", "must be a duration greater than 0")
		}
	case ActionPartialBatch:
		return a.validatePartialBatch()
	}
	return nil
}

// setFields lists the JSON names of a's non-zero per-type fields.
func (a Action) setFields() []string {
	set := []struct {
		name string
		on   bool
	}{
		{"errorType", a.ErrorType != ""},
		{"code", a.Code != ""}, {"message", a.Message != ""}, {"httpStatus", a.HTTPStatus != 0},
		{"cancellationReasons", len(a.CancellationReasons) > 0},
		{"throttlingReasons", len(a.ThrottlingReasons) > 0},
		{"latency", a.Latency != 0}, {"jitter", a.Jitter != 0}, {"then", a.Then != nil},
		{"for", a.For != 0}, {"holdShard", a.HoldShard},
		{"count", a.Count != 0}, {"fraction", a.Fraction != 0},
	}
	var out []string
	for _, s := range set {
		if s.on {
			out = append(out, s.name)
		}
	}
	return out
}

// validateError checks an error action.
func (a Action) validateError() error {
	if a.Code == "" {
		return fieldErr("code", "is required for action type error")
	}
	if _, ok := LookupError(a.Code); !ok {
		return fieldErr("code", "is not an error code of the catalogue: "+strconv.Quote(a.Code))
	}
	if a.HTTPStatus != 0 && (a.HTTPStatus < status400 || a.HTTPStatus > status599) {
		return fieldErr("httpStatus", "must be between 400 and 599")
	}
	if len(a.CancellationReasons) > 0 && a.Code != codeTransactionCanceled {
		return fieldErr("cancellationReasons", "is only allowed with code "+codeTransactionCanceled)
	}
	for i, cr := range a.CancellationReasons {
		if _, ok := cancellationMessages[cr.Code]; !ok {
			return fieldErr("cancellationReasons["+strconv.Itoa(i)+"].code",
				"must be one of None, ConditionalCheckFailed, ItemCollectionSizeLimitExceeded, "+
					"TransactionConflict, ProvisionedThroughputExceeded, ThrottlingError, ValidationError")
		}
	}
	if len(a.ThrottlingReasons) > 0 && !throttlingCodes[a.Code] {
		return fieldErr("throttlingReasons", "is only allowed with codes ProvisionedThroughputExceededException, "+
			"ThrottlingException and RequestLimitExceeded")
	}
	for i, tr := range a.ThrottlingReasons {
		if tr.Reason == "" {
			return fieldErr("throttlingReasons["+strconv.Itoa(i)+"].reason", "is required")
		}
	}
	return nil
}

// validatePartialBatch checks a partialBatch action.
func (a Action) validatePartialBatch() error {
	if a.Count < 0 {
		return fieldErr("count", "must not be negative")
	}
	if math.IsNaN(a.Fraction) || a.Fraction < 0 || a.Fraction > 1 {
		return fieldErr("fraction", "must be between 0 and 1")
	}
	if a.Count > 0 && a.Fraction > 0 {
		return fieldErr("fraction", "cannot be combined with count")
	}
	return nil
}

// validate checks a commitThenFail outcome (nil = the default error).
func (t *Then) validate() error {
	if t == nil {
		return nil
	}
	switch t.Type {
	case ThenError:
		if _, ok := LookupError(t.Code); t.Code != "" && !ok {
			return fieldErr("code", "is not an error code of the catalogue: "+strconv.Quote(t.Code))
		}
	case ThenDrop:
		if t.Code != "" || t.Message != "" {
			return fieldErr("code", "is not allowed when type is drop")
		}
	default:
		return fieldErr("type", `must be "error" or "drop"`)
	}
	return nil
}

// validate checks a trigger.
func (w When) validate() error {
	switch {
	case w.Skip < 0:
		return fieldErr("skip", "must not be negative")
	case w.Times < 0:
		return fieldErr("times", "must not be negative")
	case w.EveryNth < 0:
		return fieldErr("everyNth", "must not be negative")
	case math.IsNaN(w.Probability) || w.Probability < 0 || w.Probability > 1:
		return fieldErr("probability", "must be between 0 and 1")
	}
	return nil
}

// Validate reports the first invalid field of p as a *FieldError.
func (p RulePatch) Validate() error {
	if p.Description != nil && len(*p.Description) > maxDescriptionLen {
		return fieldErr("description", "must be at most "+strconv.Itoa(maxDescriptionLen)+" characters")
	}
	if p.Times != nil && *p.Times < 0 {
		return fieldErr("times", "must not be negative")
	}
	if p.When != nil {
		if err := p.When.validate(); err != nil {
			return prefixed("when", err)
		}
	}
	if p.TTL != nil && *p.TTL < 0 {
		return fieldErr("ttl", errDuration.Error())
	}
	if p.Times != nil && p.When != nil {
		return fieldErr("times", "cannot be combined with when")
	}
	return nil
}
