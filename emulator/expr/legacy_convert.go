package expr

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// argCounts is how many values each ComparisonOperator takes; -1 is "one
// or more".
var argCounts = map[string]int{
	"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1,
	"CONTAINS": 1, "NOT_CONTAINS": 1, "BEGINS_WITH": 1,
	"NULL": 0, "NOT_NULL": 0, "IN": -1, "BETWEEN": 2,
}

// allowedTypes lists the value types each ComparisonOperator accepts: EQ
// and NE take every type, lists and maps included; CONTAINS looks for a
// member of a set or a list, so it also takes BOOL and NULL (AWS API
// reference, Condition; DynamoDB Local 3.3.1 agrees).
var allowedTypes = map[string]string{
	"EQ": "S N B SS NS BS L M BOOL NULL", "NE": "S N B SS NS BS L M BOOL NULL",
	"LE": "S N B", "LT": "S N B", "GE": "S N B", "GT": "S N B",
	"CONTAINS": "S N B BOOL NULL", "NOT_CONTAINS": "S N B BOOL NULL", "BEGINS_WITH": "S B",
	"IN": "S N B", "BETWEEN": "S N B",
}

// FromExpected converts the legacy Expected parameter into a condition,
// with DynamoDB's validation messages. conditionalOperator is AND (the
// default) or OR.
func FromExpected(m map[string]ExpectedAttributeValue, conditionalOperator *string) (Cond, error) {
	var conds []node
	for _, name := range sortedKeys(m) {
		n, err := expectedNode(name, m[name])
		if err != nil {
			return nil, err
		}
		conds = append(conds, n)
	}
	return combine(conds, conditionalOperator), nil
}

func expectedNode(name string, e ExpectedAttributeValue) (node, error) {
	if e.AttributeValueList != nil && e.Value != nil {
		return nil, plainErr(msgInvalidParam + "Value and AttributeValueList cannot be used together for Attribute: " + name)
	}
	if e.ComparisonOperator != nil {
		return expectedOperator(name, e)
	}
	if e.AttributeValueList != nil {
		return nil, plainErr(msgInvalidParam +
			"AttributeValueList can only be used with a ComparisonOperator for Attribute: " + name)
	}
	exists := e.Exists == nil || *e.Exists
	switch {
	case exists && e.Value == nil:
		shown := "null"
		if e.Exists != nil {
			shown = "true"
		}
		return nil, plainErr(msgInvalidParam + "Value must be provided when Exists is " + shown + " for Attribute: " + name)
	case !exists && e.Value != nil:
		return nil, plainErr(msgInvalidParam + "Value cannot be used when Exists is false for Attribute: " + name)
	case !exists:
		return &legacyNode{name: name, op: "NULL"}, nil
	}
	return &legacyNode{name: name, op: "EQ", args: []attr.Value{*e.Value}}, nil
}

func expectedOperator(name string, e ExpectedAttributeValue) (node, error) {
	op := *e.ComparisonOperator
	if e.Exists != nil {
		return nil, plainErr(msgInvalidParam + "Exists and ComparisonOperator cannot be used together for Attribute: " + name)
	}
	args := e.AttributeValueList
	if e.Value != nil {
		args = []attr.Value{*e.Value}
	}
	if op != "NULL" && op != "NOT_NULL" && e.AttributeValueList == nil && e.Value == nil {
		return nil, plainErr(msgInvalidParam + "Value or AttributeValueList must be used with ComparisonOperator: " +
			op + " for Attribute: " + name)
	}
	if err := checkOperands(op, args); err != nil {
		return nil, err
	}
	return &legacyNode{name: name, op: op, args: args}, nil
}

// keyAllowedTypes is allowedTypes for key conditions, which compare only
// scalar key values.
var keyAllowedTypes = map[string]string{
	"EQ": "S N B SS NS BS", "NE": "S N B SS NS BS",
	"LE": "S N B", "LT": "S N B", "GE": "S N B", "GT": "S N B",
	"CONTAINS": "S N B", "NOT_CONTAINS": "S N B", "BEGINS_WITH": "S B",
	"IN": "S N B", "BETWEEN": "S N B",
}

// checkOperands validates a ComparisonOperator's AttributeValueList.
func checkOperands(op string, args []attr.Value) error {
	return checkOperandsIn(op, args, allowedTypes)
}

// checkKeyOperands is checkOperands for a key condition.
func checkKeyOperands(op string, args []attr.Value) error {
	return checkOperandsIn(op, args, keyAllowedTypes)
}

// checkOperandsIn validates an AttributeValueList against the types of allowed.
func checkOperandsIn(op string, args []attr.Value, allowed map[string]string) error {
	want, known := argCounts[op]
	if !known || want >= 0 && len(args) != want || want < 0 && len(args) == 0 {
		return plainErr(msgInvalidParam + "Invalid number of argument(s) for the " + op + " ComparisonOperator")
	}
	for _, a := range args {
		if a.Type != args[0].Type {
			return plainErr(msgInvalidParam + "AttributeValues inside AttributeValueList must be of same type")
		}
	}
	for _, a := range args {
		if !strings.Contains(" "+allowed[op]+" ", " "+a.Type.String()+" ") {
			return plainErr(msgInvalidParam + "ComparisonOperator " + op + " is not valid for " +
				a.Type.String() + " AttributeValue type")
		}
	}
	if op == "BETWEEN" {
		if c, ok := attr.Compare(args[0], args[1]); ok && c > 0 {
			return plainErr("The BETWEEN condition was provided a range where the lower bound is greater than the upper bound")
		}
	}
	return nil
}

// FromConditions converts QueryFilter, ScanFilter or KeyConditions into a
// condition. kind is FilterKind for the filters and KeyConditionKind for
// KeyConditions (which are always combined with AND).
func FromConditions(m map[string]Condition, conditionalOperator *string, kind Kind) (Cond, error) {
	if kind == KeyConditionKind {
		conditionalOperator = nil
	}
	check := checkOperands
	if kind == KeyConditionKind {
		check = checkKeyOperands
	}
	var conds []node
	for _, name := range sortedKeys(m) {
		c := m[name]
		if err := check(c.ComparisonOperator, c.AttributeValueList); err != nil {
			return nil, err
		}
		conds = append(conds, &legacyNode{name: name, op: c.ComparisonOperator, args: c.AttributeValueList})
	}
	return combine(conds, conditionalOperator), nil
}
