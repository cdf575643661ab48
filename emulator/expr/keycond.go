package expr

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// RangeOp is the operator of a sort-key condition.
type RangeOp int

// Sort-key operators; RangeNone means the query has no sort-key condition.
const (
	RangeNone RangeOp = iota
	RangeEQ
	RangeLT
	RangeLE
	RangeGT
	RangeGE
	RangeBetween
	RangeBeginsWith
)

var rangeOpNames = [...]string{"", "EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH"}

// String returns the legacy ComparisonOperator name ("EQ", "BETWEEN", ...).
func (o RangeOp) String() string { return rangeOpNames[o] }

// KeyCondition is a bound KeyConditionExpression (or KeyConditions): an
// equality on the partition key and at most one sort-key condition.
type KeyCondition struct {
	HashKey string
	Hash    attr.Value
	// RangeKey is the sort key named in the condition, "" when RangeOp is RangeNone.
	RangeKey string
	RangeOp  RangeOp
	// Range holds the operand, or the lower and upper bounds for BETWEEN.
	Range []attr.Value
	// For a multi-attribute key: HashMore holds the values of the
	// partition-key attributes after HashKey, Leading the equalities on the
	// sort-key attributes before RangeKey, in key schema order.
	HashMore, Leading []attr.Value
	src               Cond
}

// String prints the condition as it was given.
func (k *KeyCondition) String() string { return k.src.String() }

// MatchRange reports whether a sort-key value satisfies the sort-key
// condition; it always holds when there is none.
func (k *KeyCondition) MatchRange(v attr.Value) bool {
	a := opnd{v, true}
	switch k.RangeOp {
	case RangeNone:
		return true
	case RangeBetween:
		return evalBetween(a, opnd{k.Range[0], true}, opnd{k.Range[1], true})
	case RangeBeginsWith:
		return beginsWith(a, opnd{k.Range[0], true})
	}
	return legacyCompare(k.RangeOp.String(), a, k.Range)
}

// CheckTypes checks the condition's values against the key attribute
// types of the table or index (rangeType is ignored without a sort-key
// condition).
func (k *KeyCondition) CheckTypes(hashType, rangeType attr.Type) error {
	ok := k.Hash.Type == hashType
	for _, v := range k.Range {
		ok = ok && v.Type == rangeType
	}
	if !ok {
		return plainErr(msgInvalidParam + "Condition parameter type does not match schema type")
	}
	return nil
}

// keyTerm is one condition on one attribute, in legacy form.
type keyTerm struct {
	name string
	op   string
	vals []attr.Value
}

// ParseKeyCondition parses a KeyConditionExpression for a table or index
// whose key attributes are hashKey and rangeKey ("" for none).
func ParseKeyCondition(s string, env *Env, hashKey, rangeKey string) (*KeyCondition, error) {
	c, terms, err := parseKeyTerms(s, env)
	if err != nil {
		return nil, err
	}
	return buildKeyCondition(c, terms, hashKey, rangeKey)
}

// parseKeyTerms parses a KeyConditionExpression into its condition and its
// terms (one per key attribute named), with their operands checked.
func parseKeyTerms(s string, env *Env) (Cond, []keyTerm, error) {
	c, err := ParseCondition(s, KeyConditionKind, env)
	if err != nil {
		return nil, nil, err
	}
	kc := &keyConv{}
	if err := kc.check(c); err != nil {
		return nil, nil, err
	}
	for _, t := range kc.terms {
		if err := checkKeyOperands(t.op, t.vals); err != nil {
			return nil, nil, err
		}
	}
	return c, kc.terms, nil
}

// KeyConditionFromConditions converts the legacy KeyConditions parameter.
func KeyConditionFromConditions(m map[string]Condition, hashKey, rangeKey string) (*KeyCondition, error) {
	c, err := FromConditions(m, nil, KeyConditionKind)
	if err != nil {
		return nil, err
	}
	var terms []keyTerm
	for _, name := range sortedKeys(m) {
		op := m[name].ComparisonOperator
		switch op {
		case "NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN":
			return nil, plainErr("Attempted conditional constraint is not an indexable operation")
		}
		terms = append(terms, keyTerm{name: name, op: op, vals: m[name].AttributeValueList})
	}
	return buildKeyCondition(c, terms, hashKey, rangeKey)
}

// buildKeyCondition matches the terms against the key schema.
func buildKeyCondition(src Cond, terms []keyTerm, hashKey, rangeKey string) (*KeyCondition, error) {
	if len(terms) != 1 && len(terms) != 2 {
		return nil, plainErr("Conditions can be of length 1 or 2 only")
	}
	if rangeKey == "" && len(terms) > 1 {
		return nil, plainErr("Query key condition not supported")
	}
	byName := map[string]keyTerm{}
	for _, t := range terms {
		byName[t.name] = t
	}
	h, ok := byName[hashKey]
	if !ok {
		return nil, plainErr("Query condition missed key schema element: " + hashKey)
	}
	if h.op != "EQ" {
		return nil, plainErr("Query key condition not supported")
	}
	k := &KeyCondition{HashKey: hashKey, Hash: h.vals[0], src: src}
	if len(terms) == 1 {
		return k, nil
	}
	r, ok := byName[rangeKey]
	if !ok {
		return nil, plainErr("Query condition missed key schema element: " + rangeKey)
	}
	k.RangeKey, k.Range = rangeKey, r.vals
	for i, name := range rangeOpNames {
		if name == r.op && i > 0 {
			k.RangeOp = RangeOp(i)
		}
	}
	if k.RangeOp == RangeNone {
		return nil, plainErr("Query key condition not supported")
	}
	return k, nil
}

// keyConv flattens a key condition into per-attribute terms, with
// DynamoDB's messages for everything a key condition cannot contain.
type keyConv struct{ terms []keyTerm }

var keyOps = map[string]string{"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE"}

// flipped is the operator seen from the other side: ":v < k" is "k > :v".
var flipped = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (kc *keyConv) check(n node) error {
	if err := keyOperatorErr(n); err != nil {
		return err
	}
	switch n := n.(type) {
	case *logicNode:
		if err := kc.check(n.l); err != nil {
			return err
		}
		return kc.check(n.r)
	case *cmpNode:
		return kc.leaf(n.op, []node{n.l, n.r})
	case *betweenNode:
		return kc.leaf("BETWEEN", []node{n.x, n.lo, n.hi})
	case *funcNode:
		return kc.leaf("BEGINS_WITH", n.args)
	}
	return nil
}

// keyOperatorErr rejects operators and functions key conditions lack.
func keyOperatorErr(n node) error {
	invalid := "Invalid operator used in KeyConditionExpression: "
	first := "Invalid condition in KeyConditionExpression: "
	switch n := n.(type) {
	case *logicNode:
		if n.op == "OR" {
			return plainErr(invalid + "OR")
		}
	case *notNode:
		return plainErr(invalid + "NOT")
	case *inNode:
		return plainErr(invalid + "IN")
	case *cmpNode:
		if n.op == "<>" {
			return plainErr(invalid + "<>")
		}
	case *betweenNode:
		if _, ok := n.x.(*pathNode); !ok {
			return plainErr(first + "BETWEEN operator must have the key attribute as its first operand")
		}
	case *funcNode:
		return keyFunctionErr(n)
	}
	return nil
}

func keyFunctionErr(f *funcNode) error {
	switch f.name {
	case "size":
		return plainErr("KeyConditionExpressions cannot contain nested operations")
	case "begins_with":
		if _, ok := f.args[0].(*pathNode); !ok {
			return plainErr("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand")
		}
		return nil
	}
	return plainErr("Invalid operator used in KeyConditionExpression: " + f.name)
}

// leaf records one simple condition on one key attribute.
func (kc *keyConv) leaf(op string, args []node) error {
	name, at := "", 0
	var vals []attr.Value
	for i, a := range args {
		switch a := a.(type) {
		case *pathNode:
			if name != "" {
				return plainErr("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
			}
			if len(a.path) > 1 {
				return plainErr("KeyConditionExpressions cannot have conditions on nested attributes")
			}
			name, at = a.path[0].Name, i
		case *funcNode:
			if err := keyOperatorErr(a); err != nil {
				return err
			}
		case *valueNode:
			vals = append(vals, a.val)
		}
	}
	if name == "" {
		return plainErr("Invalid condition in KeyConditionExpression: No key attribute specified")
	}
	for _, t := range kc.terms {
		if t.name == name {
			return plainErr("KeyConditionExpressions must only contain one condition per key")
		}
	}
	if cmp, ok := keyOps[op]; ok {
		if at != 0 {
			cmp = keyOps[flipped[op]]
		}
		op = cmp
	}
	kc.terms = append(kc.terms, keyTerm{name: name, op: strings.ToUpper(op), vals: vals})
	return nil
}
