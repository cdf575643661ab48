package expr

import (
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
)

// MaxOperators is how many operators and functions a condition may use
// (comparisons, AND, OR, NOT, BETWEEN, IN and function calls). DynamoDB
// stops counting at the first one over, so its message always reports
// MaxOperators+1.
const MaxOperators = 300

// countOperators adds the operators and functions of n to count, stopping
// once the count is past MaxOperators.
func countOperators(n node, count int) int {
	if count > MaxOperators {
		return count
	}
	switch n := n.(type) {
	case *logicNode:
		return countOperators(n.r, countOperators(n.l, count+1))
	case *notNode:
		return countOperators(n.x, count+1)
	case *cmpNode:
		return countOperators(n.r, countOperators(n.l, count+1))
	case *betweenNode:
		return countOperators(n.hi, countOperators(n.lo, countOperators(n.x, count+1)))
	case *inNode:
		count = countOperators(n.x, count+1)
		for _, x := range n.list {
			count = countOperators(x, count)
		}
	case *funcNode:
		count++
		for _, a := range n.args {
			count = countOperators(a, count)
		}
	}
	return count
}

// ParseCondition parses and binds a ConditionExpression or
// FilterExpression (kind ConditionKind or FilterKind). Placeholders it
// uses are marked used in env.
func ParseCondition(s string, kind Kind, env *Env) (Cond, error) {
	if err := checkSize(s, kind); err != nil {
		return nil, err
	}
	n, redundant, err := parseCondSyntax(s, kind)
	if err != nil {
		return nil, err
	}
	if countOperators(n, 0) > MaxOperators {
		return nil, kindErr(kind, "The expression contains too many operators; operator count: "+strconv.Itoa(MaxOperators+1))
	}
	c := &condChecker{env: env, kind: kind}
	if redundant {
		c.parens = msgRedundant
	}
	c.walkCond(n)
	c.checkMisusedSize(n)
	if err := c.result(); err != nil {
		return nil, err
	}
	return n, nil
}

// parseCondSyntax runs the parser alone.
func parseCondSyntax(s string, kind Kind) (n node, redundant bool, err error) {
	defer catch(&err)
	p := newParser(s, kind)
	n = p.parseCondExpr()
	return n, p.redundant, nil
}

// EvalCondition reports whether item satisfies c. A nil c always holds.
// It never modifies item. Comparing values of different types is false.
func EvalCondition(c Cond, item attr.Item) bool {
	if c == nil {
		return true
	}
	return evalCond(c, item)
}

func evalCond(n node, item attr.Item) bool {
	switch n := n.(type) {
	case *logicNode:
		if n.op == "AND" {
			return evalCond(n.l, item) && evalCond(n.r, item)
		}
		return evalCond(n.l, item) || evalCond(n.r, item)
	case *notNode:
		return !evalCond(n.x, item)
	case *cmpNode:
		return evalCompare(n.op, operand(n.l, item), operand(n.r, item))
	case *betweenNode:
		return evalBetween(operand(n.x, item), operand(n.lo, item), operand(n.hi, item))
	case *inNode:
		return evalIn(n, item)
	case *funcNode:
		return evalFunction(n, item)
	case *legacyNode:
		return n.eval(item)
	}
	return false
}

// opnd is an evaluated operand: a value, or nothing (ok false) when a path
// is missing or size() does not apply.
type opnd struct {
	v  attr.Value
	ok bool
}

func operand(n node, item attr.Item) opnd {
	switch n := n.(type) {
	case *pathNode:
		v, ok := lookup(item, n.path)
		return opnd{v, ok}
	case *valueNode:
		return opnd{n.val, true}
	case *funcNode:
		if n.name == "size" {
			return sizeOf(operand(n.args[0], item))
		}
	}
	return opnd{}
}
