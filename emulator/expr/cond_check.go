package expr

import (
	"encoding/base64"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
)

// condChecker binds a parsed condition to an Env and finds its semantic
// errors. Each slot keeps the first error of its category; DynamoDB
// reports categories in a fixed priority (see result), and the
// per-condition categories as of the first simple condition that had any.
type condChecker struct {
	env  *Env
	kind Kind

	parens, unknownFn, misused, reserved string
	nameVal, operand, distinct, function string
	condition                            string
}

func set(slot *string, msg string) {
	if *slot == "" {
		*slot = msg
	}
}

// result returns the error DynamoDB reports, or nil.
func (c *condChecker) result() error {
	for _, m := range []string{c.parens, c.unknownFn, c.misused, c.reserved, c.condition} {
		if m != "" {
			return kindErr(c.kind, m)
		}
	}
	return nil
}

// leafDone records the per-condition errors when a simple condition ends.
func (c *condChecker) leafDone() {
	if c.condition != "" {
		return
	}
	for _, m := range []string{c.nameVal, c.operand, c.distinct, c.function} {
		if m != "" {
			c.condition = m
			return
		}
	}
}

// walk binds n and its children, post-order and left to right, the order
// in which DynamoDB meets them.
func (c *condChecker) walk(n node) {
	switch n := n.(type) {
	case *pathNode:
		c.bindPath(n)
	case *valueNode:
		c.bindValue(n)
	case *funcNode:
		c.walkAll(n.args)
		c.checkMisused(n.args...)
		c.checkFunction(n)
	case *cmpNode:
		c.walkCompare(n)
	case *betweenNode:
		c.walkBetween(n)
	case *inNode:
		c.walkIn(n)
	case *notNode:
		c.walkCond(n.x)
		c.checkMisusedSize(n.x)
	case *logicNode:
		c.walkCond(n.l)
		c.walkCond(n.r)
		c.checkMisusedSize(n.l)
		c.checkMisusedSize(n.r)
	}
}

// walkCond walks a node in condition position; a function there is a
// simple condition of its own.
func (c *condChecker) walkCond(n node) {
	c.walk(n)
	if _, ok := n.(*funcNode); ok {
		c.leafDone()
	}
}

func (c *condChecker) walkAll(ns []node) {
	for _, n := range ns {
		c.walk(n)
	}
}

func (c *condChecker) walkCompare(n *cmpNode) {
	c.walk(n.l)
	c.walk(n.r)
	c.checkMisused(n.l, n.r)
	c.checkDistinct(n.op, n.l, n.r)
	if n.op != "=" && n.op != "<>" {
		c.checkOrderable(n.op, n.l, n.r)
	}
	c.leafDone()
}

func (c *condChecker) walkBetween(n *betweenNode) {
	c.walkAll([]node{n.x, n.lo, n.hi})
	c.checkMisused(n.x, n.lo, n.hi)
	c.checkOrderable("BETWEEN", n.x, n.lo, n.hi)
	c.checkBounds(n.lo, n.hi)
	c.leafDone()
}

func (c *condChecker) walkIn(n *inNode) {
	c.walk(n.x)
	c.walkAll(n.list)
	c.checkMisused(append([]node{n.x}, n.list...)...)
	if len(n.list) > maxInOperands {
		set(&c.operand, "Too many operands for the operator or function; operator or function: IN, number of operands: "+
			strconv.Itoa(len(n.list)))
	}
	for _, o := range n.list {
		c.checkDistinct("IN", n.x, o)
	}
	c.leafDone()
}

// bindPath resolves #placeholders and checks plain names against the
// reserved words.
func (c *condChecker) bindPath(n *pathNode) {
	n.path = bindNames(n.src, c.env, &c.reserved, &c.nameVal)
}

func (c *condChecker) bindValue(n *valueNode) {
	if c.nameVal != "" {
		return
	}
	v, ok := c.env.value(n.ph)
	if !ok {
		c.nameVal = msgUndefinedValue + n.ph
	}
	n.val = v
}

// staticType is the type an operand is known to have before evaluation:
// a value's type, a function's result type, or "" for a path.
func staticType(n node) string {
	switch n := n.(type) {
	case *valueNode:
		return n.val.Type.String()
	case *funcNode:
		return n.attrType
	}
	return ""
}

// checkMisused rejects functions other than size used as operands.
func (c *condChecker) checkMisused(args ...node) {
	for _, a := range args {
		if f, ok := a.(*funcNode); ok && f.name != "size" {
			set(&c.misused, msgMisused+f.name)
			return
		}
	}
}

// checkMisusedSize rejects size() used as a condition.
func (c *condChecker) checkMisusedSize(n node) {
	if f, ok := n.(*funcNode); ok && f.name == "size" {
		set(&c.misused, msgMisused+"size")
	}
}

// checkDistinct rejects "a = a" and friends: two identical paths.
func (c *condChecker) checkDistinct(op string, l, r node) {
	lp, lok := l.(*pathNode)
	rp, rok := r.(*pathNode)
	if lok && rok && lp.path.equal(rp.path) {
		set(&c.distinct, msgDistinct+op+", first operand: "+lp.path.errString())
	}
}

// checkOrderable rejects values of types that have no order (BOOL, NULL,
// sets, lists, maps) as operands of < <= > >= and BETWEEN.
func (c *condChecker) checkOrderable(op string, ns ...node) {
	for _, n := range ns {
		switch t := staticType(n); t {
		case "", "S", "N", "B":
		default:
			set(&c.function, msgOperandType+op+", operand type: "+t)
			return
		}
	}
}

// checkBounds checks BETWEEN's bounds when both are values.
func (c *condChecker) checkBounds(lo, hi node) {
	lv, lok := lo.(*valueNode)
	hv, hok := hi.(*valueNode)
	if !lok || !hok || lv.val.Type == attr.Invalid || hv.val.Type == attr.Invalid {
		return
	}
	bounds := "lower bound operand: AttributeValue: " + boundString(lv.val) +
		", upper bound operand: AttributeValue: " + boundString(hv.val)
	if lv.val.Type != hv.val.Type {
		set(&c.function, "The BETWEEN operator requires same data type for lower and upper bounds; "+bounds)
		return
	}
	if cmp, ok := attr.Compare(lv.val, hv.val); ok && cmp > 0 {
		set(&c.function, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "+bounds)
	}
}

// boundString renders a scalar value as DynamoDB's BETWEEN messages do.
func boundString(v attr.Value) string {
	if v.Type == attr.B {
		return "{B:" + base64.StdEncoding.EncodeToString([]byte(v.S)) + "}"
	}
	return "{" + v.Type.String() + ":" + v.S + "}"
}
