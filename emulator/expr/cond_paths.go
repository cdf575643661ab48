package expr

import "github.com/dynafault/dynafault/emulator/attr"

// CondPaths returns the document paths a condition reads, in the order
// they appear (a legacy comparison reads the one-element path of its
// attribute). Query uses it to keep filters off key attributes.
func CondPaths(c Cond) []Path {
	var out []Path
	walkNodes(c, func(n node) {
		switch n := n.(type) {
		case *pathNode:
			out = append(out, n.path)
		case *legacyNode:
			out = append(out, Path{{Name: n.name}})
		}
	})
	return out
}

// CondValues returns, for every simple condition of c whose only document
// path is a top-level attribute name (k < :v, k BETWEEN :a AND :b,
// begins_with(k, :p), a legacy comparison), the values that attribute is
// compared against, keyed by the name. Query uses it to check key
// condition values against the key schema.
func CondValues(c Cond) map[string][]attr.Value {
	out := map[string][]attr.Value{}
	walkNodes(c, func(n node) {
		var args []node
		switch n := n.(type) {
		case *cmpNode:
			args = []node{n.l, n.r}
		case *betweenNode:
			args = []node{n.x, n.lo, n.hi}
		case *funcNode:
			args = n.args
		case *legacyNode:
			out[n.name] = append(out[n.name], n.args...)
			return
		default:
			return
		}
		name, vals, ok := leafOperands(args)
		if ok {
			out[name] = append(out[name], vals...)
		}
	})
	return out
}

// leafOperands splits the operands of a simple condition into its one
// top-level attribute name and its values.
func leafOperands(args []node) (name string, vals []attr.Value, ok bool) {
	for _, a := range args {
		switch a := a.(type) {
		case *pathNode:
			if name != "" || len(a.path) != 1 || a.path[0].IsIndex {
				return "", nil, false
			}
			name = a.path[0].Name
		case *valueNode:
			vals = append(vals, a.val)
		default:
			return "", nil, false
		}
	}
	return name, vals, name != ""
}

// walkNodes calls fn on n and every node below it, parents first.
func walkNodes(n node, fn func(node)) {
	if n == nil {
		return
	}
	fn(n)
	switch n := n.(type) {
	case *logicNode:
		walkNodes(n.l, fn)
		walkNodes(n.r, fn)
	case *notNode:
		walkNodes(n.x, fn)
	case *cmpNode:
		walkNodes(n.l, fn)
		walkNodes(n.r, fn)
	case *betweenNode:
		walkNodes(n.x, fn)
		walkNodes(n.lo, fn)
		walkNodes(n.hi, fn)
	case *inNode:
		walkNodes(n.x, fn)
		for _, m := range n.list {
			walkNodes(m, fn)
		}
	case *funcNode:
		for _, m := range n.args {
			walkNodes(m, fn)
		}
	}
}
