package engine

import (
	"errors"
	"strconv"
	"strings"
)

// DynamoDB checks a request's members against their constraints, and makes
// a few checks of its own, before it validates the attribute values the
// request carries (dynalite's validations, DynamoDB Local, and the
// validation-order captures of paritysuite's tier 3). The wire layer
// validates attribute values while it decodes a request; when one fails, it
// decodes the request again with the value left at a placeholder and hands
// the value's error to the operation (HoldValueError), which reports it at
// its place in the operation's order of checks. An input holding an error
// is never executed: each operation's validation returns the held error
// before anything reads the placeholders.

// heldValue is the invalid attribute value of a decoded request.
type heldValue struct {
	err  error
	now  error    // err in the words of the current validation layer
	path []string // member names and list indices leading to the value
}

// holder is implemented by the inputs of the operations that take
// attribute values.
type holder interface{ held() *heldValue }

// HoldValueError gives in (a pointer to an operation's input) the error of
// an attribute value that failed validation at path (member names and list
// indices, as sent). It reports false when the operation takes no
// attribute values: the caller then answers err itself.
func HoldValueError(in any, err error, path []string) bool {
	h, ok := in.(holder)
	if !ok || err == nil {
		return false
	}
	hv := heldValue{err: AsError(err), path: path}
	hv.now = hv.err
	var layered interface{ Current() string }
	if errors.As(err, &layered) {
		hv.now = validationErr(layered.Current())
	}
	*h.held() = hv
	return true
}

// current makes the held error read in the words of the current
// validation layer (attr.ValidationError), as PutItem, UpdateItem,
// DeleteItem, GetItem, BatchGetItem and Query report it; the others keep
// the older layer's.
func (h *heldValue) current() { h.err = h.now }

// check returns the held error, if any.
func (h *heldValue) check() error {
	if h.err == nil {
		return nil
	}
	return h.err
}

// in returns the held error when it lies under member (and, when index is
// not negative, in element index of that member's list), else nil.
func (h *heldValue) in(member string, index int) error {
	if index < 0 {
		return h.at(member)
	}
	return h.at(member, strconv.Itoa(index))
}

// at returns the held error when its path starts with prefix (the member
// name matched as encoding/json matches it, regardless of case), else nil.
func (h *heldValue) at(prefix ...string) error {
	if h.err == nil || len(h.path) < len(prefix) || !strings.EqualFold(h.path[0], prefix[0]) {
		return nil
	}
	for i := 1; i < len(prefix); i++ {
		if h.path[i] != prefix[i] {
			return nil
		}
	}
	return h.err
}

// before runs check, the checks of member that read no attribute value,
// when the held value lies in another member: DynamoDB reports a malformed
// legacy parameter (Expected, AttributeUpdates) before an invalid value
// elsewhere in the request (DynamoDB Local 3.3.1), but the value of the
// request's item or key before both.
func (h *heldValue) before(member string, check func() error) error {
	if h.err == nil || h.in(member, -1) != nil {
		return nil
	}
	return check()
}

// outside returns the held error unless it lies under one of members.
func (h *heldValue) outside(members ...string) error {
	for _, m := range members {
		if h.in(m, -1) != nil {
			return nil
		}
	}
	return h.check()
}

// enveloped words a request-validation error of PutItem, UpdateItem or
// DeleteItem as DynamoDB's current validation layer does: inside the
// "1 validation error detected: " envelope, unless it is a constraint
// message already (paritysuite tier3 error-messages putItem, deleteItem,
// updateItem and valueLayers, recorded in us-east-1, eu-west-2 and other
// regions in October 2026; dynalite's older captures have no envelope).
// Errors that need the table (a key of the wrong type, a failed condition)
// are not enveloped, and neither is the item size error: no capture shows
// it in the current layer, and clients compare its text whole.
func enveloped(err error) error {
	e := AsError(err)
	if e.Code != Validation || isConstraintMessage(e.Message) || e.Message == msgItemTooBig {
		return err
	}
	msg := e.Message
	if strings.HasPrefix(msg, msgValuesWithoutExpr+": ") {
		msg = msgValuesWithoutExpr // names no expression in this layer
	}
	return validationErr("1 validation error detected: " + msg)
}

// isConstraintMessage reports whether msg is a "N validation error(s)
// detected" message.
func isConstraintMessage(msg string) bool {
	n, rest, ok := strings.Cut(msg, " validation error")
	if !ok || n == "" {
		return false
	}
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return strings.HasPrefix(rest, " detected: ") || strings.HasPrefix(rest, "s detected: ")
}
