package expr

import "github.com/dynafault/dynafault/emulator/attr"

// msgTypeMismatch is the legacy AttributeUpdates failure for ADD and
// DELETE on an attribute of another type.
const msgTypeMismatch = "Type mismatch for attribute to update"

// FromAttributeUpdates converts the legacy AttributeUpdates parameter.
// Actions are PUT (the default), ADD (numbers, sets, and lists, which it
// appends to) and DELETE (set members with a value, the whole attribute
// without one).
func FromAttributeUpdates(m map[string]AttributeValueUpdate) (*Update, error) {
	u := &Update{legacy: true}
	for _, name := range sortedKeys(m) {
		a, err := attributeUpdate(name, m[name])
		if err != nil {
			return nil, err
		}
		u.actions = append(u.actions, a)
	}
	return u, nil
}

func attributeUpdate(name string, up AttributeValueUpdate) (action, error) {
	act := "PUT"
	if up.Action != nil {
		act = *up.Action
	}
	p := Path{{Name: name}}
	a := action{src: p, path: p}
	if up.Value == nil {
		if act != "DELETE" {
			return a, plainErr(msgInvalidParam + "Only DELETE action is allowed when no attribute value is specified")
		}
		a.kind = actRemove
		return a, nil
	}
	t := up.Value.Type
	a.val = &valueNode{val: *up.Value}
	switch act {
	case "DELETE":
		if !t.IsSet() {
			return a, plainErr(msgInvalidParam + "DELETE action with value is not supported for the type " + t.String())
		}
		a.kind = actDelete
	case "ADD":
		if !t.IsSet() && t != attr.N && t != attr.L {
			return a, plainErr(msgInvalidParam + "ADD action is not supported for the type " + t.String())
		}
		a.kind = actAdd
	default:
		a.kind = actSet
	}
	return a, nil
}

// applyLegacy applies AttributeUpdates actions, all on top-level
// attributes, in order.
func (u *Update) applyLegacy(item attr.Item) (attr.Item, error) {
	out := item.Clone()
	if out == nil {
		out = attr.Item{}
	}
	for _, a := range u.actions {
		var edit editFunc
		switch a.kind {
		case actSet:
			v := a.val.(*valueNode).val
			edit = func(attr.Value, bool) (attr.Value, bool, error) { return v, false, nil }
		case actRemove:
			edit = func(attr.Value, bool) (attr.Value, bool, error) { return attr.Value{}, true, nil }
		case actAdd:
			edit = addEdit(a.val.(*valueNode).val, msgTypeMismatch)
		case actDelete:
			edit = deleteEdit(a.val.(*valueNode).val, msgTypeMismatch)
		}
		if err := modify(out, a.path, edit); err != nil {
			return nil, err
		}
	}
	return out, nil
}
