package expr

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// evalCompare applies a comparator. = and the orderings need both
// operands, of one type; <> holds unless both exist and are equal.
func evalCompare(op string, a, b opnd) bool {
	if op == "<>" {
		return !(a.ok && b.ok && attr.Equal(a.v, b.v))
	}
	if !a.ok || !b.ok {
		return false
	}
	if op == "=" {
		return attr.Equal(a.v, b.v)
	}
	c, ok := attr.Compare(a.v, b.v)
	if !ok {
		return false
	}
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	}
	return c >= 0
}

func evalBetween(x, lo, hi opnd) bool {
	return evalCompare(">=", x, lo) && evalCompare("<=", x, hi)
}

func evalIn(n *inNode, item attr.Item) bool {
	x := operand(n.x, item)
	if !x.ok {
		return false
	}
	for _, o := range n.list {
		if v := operand(o, item); v.ok && attr.Equal(x.v, v.v) {
			return true
		}
	}
	return false
}

func evalFunction(f *funcNode, item attr.Item) bool {
	switch f.name {
	case "attribute_exists":
		return operand(f.args[0], item).ok
	case "attribute_not_exists":
		return !operand(f.args[0], item).ok
	case "attribute_type":
		a, t := operand(f.args[0], item), operand(f.args[1], item)
		return a.ok && t.ok && t.v.Type == attr.S && a.v.Type.String() == t.v.S
	case "begins_with":
		return beginsWith(operand(f.args[0], item), operand(f.args[1], item))
	case "contains":
		return contains(operand(f.args[0], item), operand(f.args[1], item))
	}
	return false
}

// beginsWith holds when a and b are both S or both B and a starts with b.
func beginsWith(a, b opnd) bool {
	if !a.ok || !b.ok || a.v.Type != b.v.Type || (a.v.Type != attr.S && a.v.Type != attr.B) {
		return false
	}
	return strings.HasPrefix(a.v.S, b.v.S)
}

// contains holds for a substring of an S, a byte run of a B, a member of
// a set of the operand's type, or an element of a list.
func contains(a, b opnd) bool {
	if !a.ok || !b.ok {
		return false
	}
	switch a.v.Type {
	case attr.S, attr.B:
		return b.v.Type == a.v.Type && bytes.Contains([]byte(a.v.S), []byte(b.v.S))
	case attr.SS, attr.NS, attr.BS:
		return memberType(a.v.Type) == b.v.Type && hasMember(a.v, b.v)
	case attr.L:
		for _, e := range a.v.L {
			if attr.Equal(e, b.v) {
				return true
			}
		}
	}
	return false
}

// memberType is the scalar type of a set's members.
func memberType(t attr.Type) attr.Type {
	switch t {
	case attr.SS:
		return attr.S
	case attr.NS:
		return attr.N
	case attr.BS:
		return attr.B
	}
	return attr.Invalid
}

func hasMember(set, v attr.Value) bool {
	for _, m := range set.Set {
		if attr.Equal(attr.Value{Type: v.Type, S: m}, v) {
			return true
		}
	}
	return false
}

// sizeOf is size(): bytes of S and B, members of sets, elements of L and
// M. Other types, and missing attributes, have no size.
func sizeOf(a opnd) opnd {
	if !a.ok {
		return opnd{}
	}
	n := 0
	switch a.v.Type {
	case attr.S, attr.B:
		n = len(a.v.S)
	case attr.SS, attr.NS, attr.BS:
		n = len(a.v.Set)
	case attr.L:
		n = len(a.v.L)
	case attr.M:
		n = len(a.v.M)
	default:
		return opnd{}
	}
	return opnd{attr.Num(strconv.Itoa(n)), true}
}
