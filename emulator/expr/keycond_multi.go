package expr

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Key conditions on a multi-attribute key (a GSI with several
// partition-key or sort-key attributes): every partition-key attribute
// with an equality, then equalities on the first sort-key attributes with
// no gap, and any operator on the last sort-key attribute named. The
// messages are DynamoDB's (AWS-verified for the sort-key rule).

// ParseMultiKeyCondition parses a KeyConditionExpression for a key whose
// partition-key attributes are hash and sort-key attributes rng, each in
// key schema order.
func ParseMultiKeyCondition(s string, env *Env, hash, rng []string) (*KeyCondition, error) {
	c, terms, err := parseKeyTerms(s, env)
	if err != nil {
		return nil, err
	}
	return buildMultiKeyCondition(c, terms, hash, rng)
}

// MultiKeyConditionFromConditions converts the legacy KeyConditions
// parameter for a multi-attribute key.
func MultiKeyConditionFromConditions(m map[string]Condition, hash, rng []string) (*KeyCondition, error) {
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
	return buildMultiKeyCondition(c, terms, hash, rng)
}

// buildMultiKeyCondition matches the terms against a multi-attribute key.
func buildMultiKeyCondition(src Cond, terms []keyTerm, hash, rng []string) (*KeyCondition, error) {
	byName := make(map[string]keyTerm, len(terms))
	for _, t := range terms {
		byName[t.name] = t
	}
	notEqual := func(names []string) []string {
		var bad []string
		for _, n := range names {
			if t, ok := byName[n]; !ok || t.op != "EQ" {
				bad = append(bad, n)
			}
		}
		return bad
	}
	if bad := notEqual(hash); len(bad) > 0 {
		return nil, plainErr("HASH key attributes " + strings.Join(bad, ", ") +
			" must have equality conditions specified in the query")
	}
	last := -1
	for i, n := range rng {
		if _, ok := byName[n]; ok {
			last = i
		}
	}
	if last >= 0 {
		if bad := notEqual(rng[:last]); len(bad) > 0 {
			return nil, plainErr("RANGE key attributes " + strings.Join(bad, ", ") +
				" must have equality conditions specified in the query because a condition is present on key attribute " + rng[last])
		}
	}
	if len(terms) != len(hash)+last+1 {
		return nil, plainErr("Query condition missed key schema element")
	}
	k := &KeyCondition{HashKey: hash[0], Hash: byName[hash[0]].vals[0], src: src}
	for _, n := range hash[1:] {
		k.HashMore = append(k.HashMore, byName[n].vals[0])
	}
	for _, n := range rng[:max(last, 0)] {
		k.Leading = append(k.Leading, byName[n].vals[0])
	}
	if last < 0 {
		return k, nil
	}
	r := byName[rng[last]]
	k.RangeKey, k.Range = r.name, r.vals
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

// HashValues returns the partition-key values of the condition in key
// schema order.
func (k *KeyCondition) HashValues() []attr.Value {
	return append([]attr.Value{k.Hash}, k.HashMore...)
}
