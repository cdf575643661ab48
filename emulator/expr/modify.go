package expr

import "github.com/dynafault/dynafault/emulator/attr"

// editFunc computes the new value at a path from the current one (ok is
// false when there is none). It returns del to remove the element.
type editFunc func(cur attr.Value, ok bool) (nv attr.Value, del bool, err error)

// modify applies edit at p in item, copying every container on the way
// (values are shared, never mutated). item itself is changed in place, so
// callers pass their own copy. A missing or mistyped parent is DynamoDB's
// "invalid for update" error.
func modify(item attr.Item, p Path, edit editFunc) error {
	name := p[0].Name
	cur, ok := item[name]
	if len(p) > 1 {
		if !ok {
			return plainErr(msgBadUpdatePath)
		}
		nv, err := modifyIn(cur, p[1:], edit)
		if err != nil {
			return err
		}
		item[name] = nv
		return nil
	}
	nv, del, err := edit(cur, ok)
	switch {
	case err != nil:
		return err
	case del:
		delete(item, name)
	default:
		item[name] = nv
	}
	return nil
}

// modifyIn applies edit at p inside container v and returns v's new copy.
func modifyIn(v attr.Value, p Path, edit editFunc) (attr.Value, error) {
	e := p[0]
	if e.IsIndex && v.Type != attr.L || !e.IsIndex && v.Type != attr.M {
		return v, plainErr(msgBadUpdatePath)
	}
	if e.IsIndex {
		return modifyList(v, e.Index, p[1:], edit)
	}
	return modifyMap(v, e.Name, p[1:], edit)
}

func modifyList(v attr.Value, i int, rest Path, edit editFunc) (attr.Value, error) {
	exists := i < len(v.L)
	var cur attr.Value
	if exists {
		cur = v.L[i]
	}
	nv, del, err := editChild(cur, exists, rest, edit)
	if err != nil {
		return v, err
	}
	l := append([]attr.Value{}, v.L...)
	switch {
	case del && exists:
		l = append(l[:i], l[i+1:]...)
	case del:
	case exists:
		l[i] = nv
	default:
		l = append(l, nv)
	}
	return attr.List(l...), nil
}

func modifyMap(v attr.Value, name string, rest Path, edit editFunc) (attr.Value, error) {
	cur, exists := v.M[name]
	nv, del, err := editChild(cur, exists, rest, edit)
	if err != nil {
		return v, err
	}
	m := make(map[string]attr.Value, len(v.M)+1)
	for k, x := range v.M {
		m[k] = x
	}
	if del {
		delete(m, name)
	} else {
		m[name] = nv
	}
	return attr.Map(m), nil
}

// editChild applies edit to a child, or descends further when rest is
// not empty (the child must then exist).
func editChild(cur attr.Value, exists bool, rest Path, edit editFunc) (attr.Value, bool, error) {
	if len(rest) == 0 {
		return edit(cur, exists)
	}
	if !exists {
		return cur, false, plainErr(msgBadUpdatePath)
	}
	nv, err := modifyIn(cur, rest, edit)
	return nv, false, err
}
