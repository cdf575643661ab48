package expr

import "github.com/dynafault/dynafault/emulator/attr"

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
