package expr

import (
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// actionKind is the section an update action belongs to.
type actionKind uint8

const (
	actSet actionKind = iota
	actRemove
	actAdd
	actDelete
)

var sectionNames = [...]string{actSet: "SET", actRemove: "REMOVE", actAdd: "ADD", actDelete: "DELETE"}

// action is one planned change: SET path = val, REMOVE path,
// ADD path value, DELETE path value.
type action struct {
	kind actionKind
	src  Path // as written
	path Path // bound
	val  node // SET: value expression; ADD/DELETE: *valueNode
}

// arithNode is "a + b" or "a - b" in a SET value.
type arithNode struct {
	nodeBase
	op   string
	l, r node
}

func (n *arithNode) String() string { return arithOperand(n.l) + " " + n.op + " " + arithOperand(n.r) }

// arithOperand prints an operand of + or -, parenthesising a nested
// arithmetic operand: "a + (b + c)" must not print as "a + b + c", which
// is a syntax error.
func arithOperand(n node) string {
	if _, ok := n.(*arithNode); ok {
		return "(" + n.String() + ")"
	}
	return n.String()
}

// Update is a planned UpdateExpression or AttributeUpdates parameter.
// Apply it with Apply; it is immutable and safe for concurrent use.
type Update struct {
	actions []action
	// legacy marks an Update built from AttributeUpdates, whose ADD and
	// DELETE follow the legacy rules and messages.
	legacy bool
}

// Paths returns the document paths the update writes or removes, in
// order, for ReturnValues UPDATED_OLD and UPDATED_NEW.
func (u *Update) Paths() []Path {
	out := make([]Path, len(u.actions))
	for i, a := range u.actions {
		out[i] = a.path
	}
	return out
}

// TouchesAttr reports whether any action's path starts at the top-level
// attribute name (used to refuse updates of key attributes).
func (u *Update) TouchesAttr(name string) bool {
	for _, a := range u.actions {
		if len(a.path) > 0 && !a.path[0].IsIndex && a.path[0].Name == name {
			return true
		}
	}
	return false
}

// NestedAttrs returns the top-level attributes the update reaches into
// with a nested path (a.b or a[0]), for the key-attribute checks.
func (u *Update) NestedAttrs() []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range u.actions {
		if len(a.path) > 1 && !seen[a.path[0].Name] {
			seen[a.path[0].Name] = true
			out = append(out, a.path[0].Name)
		}
	}
	return out
}

// SetType returns the static type of the value a top-level SET assigns to
// name, when it is known before evaluation ("" otherwise), for the index
// key type checks.
func (u *Update) SetType(name string) attr.Type {
	for _, a := range u.actions {
		if a.kind == actSet && len(a.path) == 1 && a.path[0].Name == name {
			if v, ok := a.val.(*valueNode); ok {
				return v.val.Type
			}
		}
	}
	return attr.Invalid
}

// String prints the update in UpdateExpression syntax, one clause per
// section in order; parsing it with the same Env gives an equal Update.
func (u *Update) String() string {
	var b strings.Builder
	for i, a := range u.actions {
		switch {
		case i == 0:
			b.WriteString(sectionNames[a.kind] + " ")
		case a.kind != u.actions[i-1].kind:
			b.WriteString(" " + sectionNames[a.kind] + " ")
		default:
			b.WriteString(", ")
		}
		b.WriteString(a.String())
	}
	return b.String()
}

func (a action) String() string {
	switch a.kind {
	case actSet:
		return a.src.String() + " = " + a.val.String()
	case actRemove:
		return a.src.String()
	}
	if a.val == nil {
		return a.src.String()
	}
	return a.src.String() + " " + a.val.String()
}
