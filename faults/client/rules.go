package client

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/dynafault/dynafault/faults"
)

// Fault rules: GET|POST|PUT /_admin/faults and GET|PATCH|DELETE
// /_admin/faults/{id}.

// AddRules adds rules after the existing ones, all or none, and returns
// them as stored (with generated ids filled in). They are active for the
// next request when AddRules returns. A taken id is an *Error with status
// 409, a bad rule one with status 400 naming the field.
func (c *Client) AddRules(ctx context.Context, rules ...faults.Rule) ([]faults.Rule, error) {
	var out ruleList
	if err := c.do(ctx, http.MethodPost, "/faults", nil, body(rules), &out); err != nil {
		return nil, err
	}
	return out.rules(), nil
}

// ReplaceRules replaces the whole rule set with rules (none clears it),
// all or none, and returns them as stored. The journal is kept.
func (c *Client) ReplaceRules(ctx context.Context, rules ...faults.Rule) ([]faults.Rule, error) {
	var out ruleList
	if err := c.do(ctx, http.MethodPut, "/faults", nil, body(rules), &out); err != nil {
		return nil, err
	}
	return out.rules(), nil
}

// ListRules returns every rule with its counters, in evaluation order.
func (c *Client) ListRules(ctx context.Context) ([]faults.RuleStatus, error) {
	var out ruleList
	if err := c.do(ctx, http.MethodGet, "/faults", nil, nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetRule returns one rule with its counters; an unknown id is an *Error
// with status 404 (see IsNotFound).
func (c *Client) GetRule(ctx context.Context, id string) (faults.RuleStatus, error) {
	var out faults.RuleStatus
	err := c.do(ctx, http.MethodGet, "/faults/"+pathEscape(id), nil, nil, &out)
	return out, err
}

// PatchRule changes the fields of a rule that p sets (enabled, times,
// when, ttl, description) and returns the rule as stored.
func (c *Client) PatchRule(ctx context.Context, id string, p faults.RulePatch) (faults.RuleStatus, error) {
	var out faults.RuleStatus
	err := c.do(ctx, http.MethodPatch, "/faults/"+pathEscape(id), nil, p, &out)
	return out, err
}

// DeleteRule removes a rule; an unknown id is an *Error with status 404.
// Its journal entries stay.
func (c *Client) DeleteRule(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/faults/"+pathEscape(id), nil, nil, nil)
}

// body is the request body of rules: one rule as an object, so that the
// field of an error is "action.type" rather than "[0].action.type";
// several (or none) as an array.
func body(rules []faults.Rule) any {
	switch len(rules) {
	case 0:
		return []faults.Rule{}
	case 1:
		return rules[0]
	}
	return rules
}

// ruleList decodes a list of rules answered as a JSON array, as an object
// with a "rules" array, or as one rule object.
type ruleList []faults.RuleStatus

// UnmarshalJSON implements json.Unmarshaler.
func (l *ruleList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	var list []faults.RuleStatus
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &list); err != nil {
			return err
		}
	default:
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(data, &obj); err != nil {
			return err
		}
		if raw, ok := obj["rules"]; ok {
			if err := json.Unmarshal(raw, &list); err != nil {
				return err
			}
			break
		}
		var one faults.RuleStatus
		if err := json.Unmarshal(data, &one); err != nil {
			return err
		}
		list = []faults.RuleStatus{one}
	}
	if list == nil {
		list = []faults.RuleStatus{}
	}
	*l = list
	return nil
}

// rules returns the rules of l without their counters.
func (l ruleList) rules() []faults.Rule {
	out := make([]faults.Rule, len(l))
	for i, s := range l {
		out[i] = s.Rule
	}
	return out
}
