package expr

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Cond is a bound condition: the parsed form of a ConditionExpression,
// FilterExpression or KeyConditionExpression, or of a legacy Expected,
// QueryFilter or ScanFilter parameter. Evaluate it with EvalCondition.
// A nil Cond is "no condition" and always holds.
type Cond interface {
	// String prints the condition in expression syntax; for parsed
	// conditions, parsing the result with the same Env gives an equal Cond.
	String() string
	base() *nodeBase
}

// node is any AST node: an operand (path, value, function call) or a
// condition (comparison, BETWEEN, IN, function, AND, OR, NOT).
type node = Cond

// nodeBase carries what every node shares: the number of parentheses
// written around it.
type nodeBase struct{ parens int }

func (b *nodeBase) base() *nodeBase { return b }

// pathNode is a document path operand. src keeps the path as written
// (placeholders unresolved) for printing; path is the bound path.
type pathNode struct {
	nodeBase
	src  Path
	path Path
}

// valueNode is a :placeholder operand, or a literal from a legacy parameter
// when ph is empty.
type valueNode struct {
	nodeBase
	ph  string
	val attr.Value
}

// funcNode is a function call: attribute_exists, size, ... attrType is the
// static type of its result ("N" for size, "BOOL" for predicates).
type funcNode struct {
	nodeBase
	name     string
	args     []node
	attrType string
}

// cmpNode is a comparison; op is one of = <> < <= > >=.
type cmpNode struct {
	nodeBase
	op   string
	l, r node
}

type betweenNode struct {
	nodeBase
	x, lo, hi node
}

type inNode struct {
	nodeBase
	x    node
	list []node
}

// logicNode is AND or OR.
type logicNode struct {
	nodeBase
	op   string
	l, r node
}

type notNode struct {
	nodeBase
	x node
}

// isOperand reports whether n may stand where an operand is expected.
func isOperand(n node) bool {
	switch n.(type) {
	case *pathNode, *valueNode, *funcNode:
		return true
	}
	return false
}

// isCondition reports whether n may stand where a condition is expected.
func isCondition(n node) bool {
	_, isPath := n.(*pathNode)
	_, isValue := n.(*valueNode)
	return !isPath && !isValue
}

func (n *pathNode) String() string { return srcPathString(n.src) }

// srcPathString prints a path as written; names that are not plain
// identifiers (only possible in legacy parameters) are printed raw.
func srcPathString(p Path) string { return p.String() }

func (n *valueNode) String() string {
	if n.ph != "" {
		return n.ph
	}
	return literalString(n.val)
}

// literalString prints a value without a placeholder, as {T:v}.
func literalString(v attr.Value) string {
	switch v.Type {
	case attr.S, attr.N:
		return "{" + v.Type.String() + ":" + v.S + "}"
	case attr.B:
		return "{B:" + base64.StdEncoding.EncodeToString([]byte(v.S)) + "}"
	case attr.BOOL:
		return "{BOOL:" + strconv.FormatBool(v.Bool) + "}"
	case attr.NULL:
		return "{NULL:true}"
	}
	return "{" + v.Type.String() + "}"
}

func (n *funcNode) String() string { return n.name + "(" + joinNodes(n.args, ", ") + ")" }

func (n *cmpNode) String() string { return n.l.String() + " " + n.op + " " + n.r.String() }

func (n *betweenNode) String() string {
	return n.x.String() + " BETWEEN " + n.lo.String() + " AND " + n.hi.String()
}

func (n *inNode) String() string { return n.x.String() + " IN (" + joinNodes(n.list, ", ") + ")" }

func (n *logicNode) String() string {
	// The parser builds left-deep trees: a right operand of the same or
	// looser precedence was parenthesized in the source, and so was an OR
	// on the left of an AND.
	right := isOr(n.r) || n.op == "AND" && isLogic(n.r)
	return wrapIf(n.l, n.op == "AND" && isOr(n.l)) + " " + n.op + " " + wrapIf(n.r, right)
}

func (n *notNode) String() string { return "NOT " + wrapIf(n.x, isLogic(n.x)) }

func isLogic(n node) bool { _, ok := n.(*logicNode); return ok }

func isOr(n node) bool { l, ok := n.(*logicNode); return ok && l.op == "OR" }

func wrapIf(n node, wrap bool) string {
	if wrap {
		return "(" + n.String() + ")"
	}
	return n.String()
}

func joinNodes(ns []node, sep string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return strings.Join(parts, sep)
}
