package expr

import (
	"sort"

	"github.com/dynafault/dynafault/emulator/attr"
)

// ParseProjection parses and binds a ProjectionExpression: a
// comma-separated list of document paths that must neither overlap nor
// conflict.
func ParseProjection(s string, env *Env) ([]Path, error) {
	if err := checkSize(s, ProjectionKind); err != nil {
		return nil, err
	}
	nodes, err := parseProjectionSyntax(s)
	if err != nil {
		return nil, err
	}
	var reserved, nameErr string
	paths := make([]Path, len(nodes))
	for i, n := range nodes {
		paths[i] = bindNames(n.src, env, &reserved, &nameErr)
	}
	overlap, conflict := checkPaths(paths)
	for _, m := range []string{reserved, nameErr, overlap, conflict} {
		if m != "" {
			return nil, kindErr(ProjectionKind, m)
		}
	}
	return paths, nil
}

func parseProjectionSyntax(s string) (nodes []*pathNode, err error) {
	defer catch(&err)
	p := newParser(s, ProjectionKind)
	noKeywords := func(string) bool { return false }
	nodes = append(nodes, p.parsePath(noKeywords))
	for p.peek().kind == tComma {
		p.next()
		nodes = append(nodes, p.parsePath(noKeywords))
	}
	p.expect(tEOF)
	return nodes, nil
}

// bindNames resolves a path as written, recording the first reserved
// word and the first undefined placeholder.
func bindNames(src Path, env *Env, reserved, undefined *string) Path {
	out := make(Path, len(src))
	copy(out, src)
	for i, e := range src {
		switch {
		case e.IsIndex:
		case e.Name[0] != '#':
			if isReserved(e.Name) {
				set(reserved, msgReservedPrefix+e.Name)
			}
		case *undefined == "":
			name, ok := env.name(e.Name)
			if !ok {
				*undefined = msgUndefinedName + e.Name
			}
			out[i].Name = name
		}
	}
	return out
}

// Project returns the parts of item that paths name, nested as in item.
// Missing paths are skipped; list elements keep their relative order and
// close up (a[1], a[3] of a five-element list give a two-element list).
// item is not modified.
func Project(item attr.Item, paths []Path) attr.Item {
	root := &projNode{}
	for _, p := range paths {
		if v, ok := lookup(item, p); ok {
			root.insert(p, v)
		}
	}
	out := attr.Item{}
	for name, child := range root.keys {
		out[name] = child.value()
	}
	return out
}

// projNode is the tree of projected values being assembled.
type projNode struct {
	leaf    *attr.Value
	keys    map[string]*projNode
	indexes map[int]*projNode
}

func (n *projNode) insert(p Path, v attr.Value) {
	if len(p) == 0 {
		n.leaf = &v
		return
	}
	n.child(p[0]).insert(p[1:], v)
}

func (n *projNode) child(e PathElem) *projNode {
	if e.IsIndex {
		if n.indexes == nil {
			n.indexes = map[int]*projNode{}
		}
		if n.indexes[e.Index] == nil {
			n.indexes[e.Index] = &projNode{}
		}
		return n.indexes[e.Index]
	}
	if n.keys == nil {
		n.keys = map[string]*projNode{}
	}
	if n.keys[e.Name] == nil {
		n.keys[e.Name] = &projNode{}
	}
	return n.keys[e.Name]
}

func (n *projNode) value() attr.Value {
	switch {
	case n.leaf != nil:
		return *n.leaf
	case n.indexes != nil:
		idx := make([]int, 0, len(n.indexes))
		for i := range n.indexes {
			idx = append(idx, i)
		}
		sort.Ints(idx)
		l := make([]attr.Value, len(idx))
		for j, i := range idx {
			l[j] = n.indexes[i].value()
		}
		return attr.List(l...)
	}
	m := make(map[string]attr.Value, len(n.keys))
	for k, c := range n.keys {
		m[k] = c.value()
	}
	return attr.Map(m)
}
