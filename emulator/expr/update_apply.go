package expr

import (
	"errors"
	"sort"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Messages of failures found while applying an update to an item.
const (
	msgBadUpdatePath = "The document path provided in the update expression is invalid for update"
	msgMissingAttr   = "The provided expression refers to an attribute that does not exist in the item"
	msgBadOperand    = "An operand in the update expression has an incorrect data type"
)

// Apply returns the item that results from applying u to item (nil or
// empty for a missing item). It never modifies item or its values, and it
// checks every action before returning, so on error nothing changed.
func (u *Update) Apply(item attr.Item) (attr.Item, error) {
	if u.legacy {
		return u.applyLegacy(item)
	}
	vals, err := u.evalSetValues(item)
	if err != nil {
		return nil, err
	}
	out := item.Clone()
	if out == nil {
		out = attr.Item{}
	}
	var removals []Path
	for _, i := range u.applyOrder() {
		a := u.actions[i]
		if a.kind == actRemove && a.path[len(a.path)-1].IsIndex {
			removals = append(removals, a.path)
			continue
		}
		if err := modify(out, a.path, u.change(a, vals[i])); err != nil {
			return nil, err
		}
	}
	return out, removeIndexes(out, removals)
}

// applyOrder is the order in which actions are applied: the order written,
// except that SETs and ADDs of list elements are applied in ascending index order
// among themselves, so that several elements set past the end of one list
// are appended in index order ("SET l[9] = :y, l[5] = :x" appends x, then y).
func (u *Update) applyOrder() []int {
	order := make([]int, len(u.actions))
	var slots []int
	for i, a := range u.actions {
		order[i] = i
		if a.kind != actRemove && a.path[len(a.path)-1].IsIndex {
			slots = append(slots, i)
		}
	}
	if len(slots) < 2 {
		return order
	}
	sorted := append([]int(nil), slots...)
	sort.SliceStable(sorted, func(x, y int) bool {
		px, py := u.actions[sorted[x]].path, u.actions[sorted[y]].path
		kx, ky := px[:len(px)-1].String(), py[:len(py)-1].String()
		if kx != ky {
			return kx < ky
		}
		return px[len(px)-1].Index < py[len(py)-1].Index
	})
	for j, slot := range slots {
		order[slot] = sorted[j]
	}
	return order
}

// evalSetValues computes every SET value against the original item, as
// DynamoDB does before it changes anything.
func (u *Update) evalSetValues(item attr.Item) ([]attr.Value, error) {
	vals := make([]attr.Value, len(u.actions))
	for i, a := range u.actions {
		if a.kind != actSet {
			continue
		}
		v, err := evalSetValue(a.val, item)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

func evalSetValue(n node, item attr.Item) (attr.Value, error) {
	switch n := n.(type) {
	case *valueNode:
		return n.val, nil
	case *pathNode:
		if v, ok := lookup(item, n.path); ok {
			return v, nil
		}
		return attr.Value{}, plainErr(msgMissingAttr)
	case *arithNode:
		return evalArith(n, item)
	case *funcNode:
		if n.name == "if_not_exists" {
			if v, ok := lookup(item, n.args[0].(*pathNode).path); ok {
				return v, nil
			}
			return evalSetValue(n.args[1], item)
		}
		return evalListAppend(n, item)
	}
	return attr.Value{}, plainErr(msgBadOperand)
}

func evalOperands(l, r node, want attr.Type, item attr.Item) (a, b attr.Value, err error) {
	if a, err = evalSetValue(l, item); err != nil {
		return a, b, err
	}
	if a.Type != want {
		return a, b, plainErr(msgBadOperand)
	}
	if b, err = evalSetValue(r, item); err != nil {
		return a, b, err
	}
	if b.Type != want {
		return a, b, plainErr(msgBadOperand)
	}
	return a, b, nil
}

func evalArith(n *arithNode, item attr.Item) (attr.Value, error) {
	a, b, err := evalOperands(n.l, n.r, attr.N, item)
	if err != nil {
		return attr.Value{}, err
	}
	var s string
	if n.op == "+" {
		s, err = attr.AddNumbers(a.S, b.S)
	} else {
		s, err = attr.SubtractNumbers(a.S, b.S)
	}
	if err != nil {
		return attr.Value{}, numberErr(err)
	}
	return attr.Num(s), nil
}

// numberErr keeps the message of an attr range error.
func numberErr(err error) error {
	var ve *attr.ValidationError
	if errors.As(err, &ve) {
		return plainErr(ve.Msg)
	}
	return plainErr(err.Error())
}

func evalListAppend(n *funcNode, item attr.Item) (attr.Value, error) {
	a, b, err := evalOperands(n.args[0], n.args[1], attr.L, item)
	if err != nil {
		return attr.Value{}, err
	}
	l := make([]attr.Value, 0, len(a.L)+len(b.L))
	return attr.List(append(append(l, a.L...), b.L...)...), nil
}

// change returns the edit one action makes to the value at its path.
func (u *Update) change(a action, setVal attr.Value) editFunc {
	switch a.kind {
	case actSet:
		return func(attr.Value, bool) (attr.Value, bool, error) { return setVal, false, nil }
	case actRemove:
		return func(attr.Value, bool) (attr.Value, bool, error) { return attr.Value{}, true, nil }
	case actAdd:
		return addEdit(a.val.(*valueNode).val, msgBadOperand)
	}
	return deleteEdit(a.val.(*valueNode).val, msgBadOperand)
}

// addEdit adds a number or unites a set; a missing attribute counts as 0
// or the empty set.
func addEdit(v attr.Value, mismatch string) editFunc {
	return func(cur attr.Value, ok bool) (attr.Value, bool, error) {
		switch {
		case !ok && v.Type == attr.N:
			cur, ok = attr.Num("0"), true
		case !ok:
			return v, false, nil
		case cur.Type != v.Type:
			return cur, false, plainErr(mismatch)
		}
		switch v.Type {
		case attr.N:
			s, err := attr.AddNumbers(cur.S, v.S)
			if err != nil {
				return cur, false, numberErr(err)
			}
			return attr.Num(s), false, nil
		case attr.L:
			return attr.List(append(append([]attr.Value{}, cur.L...), v.L...)...), false, nil
		}
		return attr.Value{Type: v.Type, Set: union(cur.Set, v.Set)}, false, nil
	}
}

// deleteEdit removes set members; removing the last member removes the
// attribute. A missing attribute stays missing.
func deleteEdit(v attr.Value, mismatch string) editFunc {
	return func(cur attr.Value, ok bool) (attr.Value, bool, error) {
		if !ok {
			return cur, true, nil
		}
		if cur.Type != v.Type {
			return cur, false, plainErr(mismatch)
		}
		rest := difference(cur.Set, v.Set)
		if len(rest) == 0 {
			return cur, true, nil
		}
		return attr.Value{Type: cur.Type, Set: rest}, false, nil
	}
}

func union(a, b []string) []string {
	out := append([]string{}, a...)
	have := make(map[string]bool, len(a))
	for _, m := range a {
		have[m] = true
	}
	for _, m := range b {
		if !have[m] {
			have[m] = true
			out = append(out, m)
		}
	}
	return out
}

func difference(a, b []string) []string {
	drop := make(map[string]bool, len(b))
	for _, m := range b {
		drop[m] = true
	}
	var out []string
	for _, m := range a {
		if !drop[m] {
			out = append(out, m)
		}
	}
	return out
}

// removeIndexes removes list elements last-first, so that every index
// refers to the list as it was before the update.
func removeIndexes(item attr.Item, paths []Path) error {
	sort.SliceStable(paths, func(i, j int) bool { return pathAfter(paths[i], paths[j]) })
	for _, p := range paths {
		remove := func(attr.Value, bool) (attr.Value, bool, error) { return attr.Value{}, true, nil }
		if err := modify(item, p, remove); err != nil {
			return err
		}
	}
	return nil
}

// pathAfter orders paths so that later list positions come first.
func pathAfter(p, q Path) bool {
	for i := 0; i < len(p) && i < len(q); i++ {
		switch {
		case p[i].IsIndex && q[i].IsIndex && p[i].Index != q[i].Index:
			return p[i].Index > q[i].Index
		case !p[i].IsIndex && !q[i].IsIndex && p[i].Name != q[i].Name:
			return p[i].Name > q[i].Name
		}
	}
	return len(p) > len(q)
}
