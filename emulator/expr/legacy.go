package expr

import (
	"sort"

	"github.com/dynafault/dynafault/emulator/attr"
)

// ExpectedAttributeValue is one entry of the legacy Expected parameter.
type ExpectedAttributeValue struct {
	Value              *attr.Value  `json:"Value,omitempty"`
	Exists             *bool        `json:"Exists,omitempty"`
	ComparisonOperator *string      `json:"ComparisonOperator,omitempty"`
	AttributeValueList []attr.Value `json:"AttributeValueList,omitempty"`
}

// Condition is one entry of the legacy QueryFilter, ScanFilter and
// KeyConditions parameters.
type Condition struct {
	ComparisonOperator string       `json:"ComparisonOperator"`
	AttributeValueList []attr.Value `json:"AttributeValueList,omitempty"`
}

// AttributeValueUpdate is one entry of the legacy AttributeUpdates parameter.
type AttributeValueUpdate struct {
	Value  *attr.Value `json:"Value,omitempty"`
	Action *string     `json:"Action,omitempty"`
}

// legacyNode is one legacy comparison: attribute name, operator, operands.
type legacyNode struct {
	nodeBase
	name string
	op   string
	args []attr.Value
}

func (n *legacyNode) String() string {
	s := n.op + "(" + n.name
	for _, a := range n.args {
		s += ", " + literalString(a)
	}
	return s + ")"
}

func (n *legacyNode) eval(item attr.Item) bool {
	v, ok := item[n.name]
	return legacyCompare(n.op, opnd{v, ok}, n.args)
}

// legacyCompare applies a legacy ComparisonOperator.
func legacyCompare(op string, a opnd, args []attr.Value) bool {
	arg := func(i int) opnd { return opnd{args[i], true} }
	switch op {
	case "NULL":
		return !a.ok
	case "NOT_NULL":
		return a.ok
	case "EQ", "NE", "LT", "LE", "GT", "GE":
		return evalCompare(legacySymbols[op], a, arg(0))
	case "BEGINS_WITH":
		return beginsWith(a, arg(0))
	case "CONTAINS":
		return legacyContains(a, args[0])
	case "NOT_CONTAINS":
		return !legacyContains(a, args[0])
	case "BETWEEN":
		return evalBetween(a, arg(0), arg(1))
	case "IN":
		for i := range args {
			if a.ok && attr.Equal(a.v, args[i]) {
				return true
			}
		}
	}
	return false
}

var legacySymbols = map[string]string{"EQ": "=", "NE": "<>", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}

// legacyContains is CONTAINS: a substring of S, bytes of B, or a member
// of a set or a list.
func legacyContains(a opnd, v attr.Value) bool {
	if !a.ok {
		return false
	}
	return contains(a, opnd{v, true})
}

// sortedKeys returns m's keys in order, so that validation reports the
// same attribute every time.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// combine joins conditions with AND, or OR when conditionalOperator says so.
func combine(conds []node, conditionalOperator *string) Cond {
	if len(conds) == 0 {
		return nil
	}
	op := "AND"
	if conditionalOperator != nil && *conditionalOperator == "OR" {
		op = "OR"
	}
	c := conds[0]
	for _, n := range conds[1:] {
		c = &logicNode{op: op, l: c, r: n}
	}
	return c
}
