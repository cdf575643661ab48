package partiql

import (
	"errors"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
)

// rootPath is how DynamoDB names the top of a literal in its messages.
const rootPath = "root"

// IsConstant reports whether e is a value: a literal, a parameter, or a
// tuple, list or bag of values.
func IsConstant(e Expr) bool {
	switch x := e.(type) {
	case *Lit, *Param:
		return true
	case *Neg:
		return IsConstant(x.X)
	case *Tuple:
		for _, f := range x.Fields {
			if !IsConstant(f.Key) || !IsConstant(f.Value) {
				return false
			}
		}
		return true
	case *List:
		return allConstant(x.Elems)
	case *Bag:
		return allConstant(x.Elems)
	}
	return false
}

func allConstant(es []Expr) bool {
	for _, e := range es {
		if !IsConstant(e) {
			return false
		}
	}
	return true
}

// Value converts a constant expression to an attribute value, binding ?
// parameters from params: strings are S, numbers N (canonical), true and
// false BOOL, null NULL, tuples M, lists L, and bags SS, NS or BS. Errors
// name the place inside the value ("under root.a[1]").
func Value(e Expr, params []attr.Value) (attr.Value, error) {
	return value(e, params, rootPath)
}

func value(e Expr, params []attr.Value, at string) (attr.Value, error) {
	switch x := e.(type) {
	case *Lit:
		if x.Value.Type == attr.N {
			return number(x.Value.S, at)
		}
		return x.Value, nil
	case *Neg:
		if lit, ok := x.X.(*Lit); ok && lit.Value.Type == attr.N {
			return number("-"+lit.Value.S, at)
		}
		return attr.Value{}, plainErr(msgUnsupportedToken + "-")
	case *Param:
		if x.N < 0 || x.N >= len(params) {
			return attr.Value{}, plainErr(MsgParamCount)
		}
		return params[x.N], nil
	case *Missing:
		return attr.Value{}, plainErr(MsgMissingLiteral)
	case *Tuple:
		return tupleValue(x, params, at)
	case *List:
		return listValue(x, params, at)
	case *Bag:
		return bagValue(x, params, at)
	}
	return attr.Value{}, plainErr(msgUnsupportedToken + describe(e))
}

// number canonicalizes a number literal.
func number(text, at string) (attr.Value, error) {
	n, err := attr.ParseNumber(text)
	if err != nil {
		var ve *attr.ValidationError
		if errors.As(err, &ve) {
			return attr.Value{}, plainErr(ve.Msg + " under " + at)
		}
		return attr.Value{}, syntaxErr(-1, "")
	}
	return attr.Num(n), nil
}

func tupleValue(t *Tuple, params []attr.Value, at string) (attr.Value, error) {
	m := make(map[string]attr.Value, len(t.Fields))
	for _, f := range t.Fields {
		k, err := value(f.Key, params, at)
		if err != nil {
			return attr.Value{}, err
		}
		if k.Type != attr.S {
			return attr.Value{}, plainErr(msgTupleKeyType + typeName(k) + " under " + at)
		}
		if _, dup := m[k.S]; dup {
			return attr.Value{}, plainErr(msgDuplicateKeys + k.S + " under " + at)
		}
		v, err := value(f.Value, params, at+"."+k.S)
		if err != nil {
			return attr.Value{}, err
		}
		m[k.S] = v
	}
	return attr.Map(m), nil
}

func listValue(l *List, params []attr.Value, at string) (attr.Value, error) {
	vs := make([]attr.Value, len(l.Elems))
	for i, e := range l.Elems {
		v, err := value(e, params, at+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return attr.Value{}, err
		}
		vs[i] = v
	}
	return attr.List(vs...), nil
}

// bagValue converts <<...>> to a set: every member a string (SS), a number
// (NS) or a binary (BS, from parameters); duplicates collapse.
func bagValue(b *Bag, params []attr.Value, at string) (attr.Value, error) {
	if len(b.Elems) == 0 {
		return attr.Value{}, plainErr(MsgEmptyBag)
	}
	var t attr.Type
	var members []string
	seen := map[string]bool{}
	for i, e := range b.Elems {
		v, err := value(e, params, at+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return attr.Value{}, err
		}
		if !v.Type.IsScalarKey() || t != attr.Invalid && v.Type != t {
			return attr.Value{}, plainErr(MsgBagType)
		}
		t = v.Type
		if !seen[v.S] {
			seen[v.S] = true
			members = append(members, v.S)
		}
	}
	setType := map[attr.Type]attr.Type{attr.S: attr.SS, attr.N: attr.NS, attr.B: attr.BS}[t]
	return attr.Value{Type: setType, Set: members}, nil
}

// typeName names a value's type in messages.
func typeName(v attr.Value) string {
	switch v.Type {
	case attr.N:
		return "DECIMAL"
	case attr.BOOL:
		return "BOOL"
	case attr.NULL:
		return "NULL"
	case attr.M:
		return "STRUCT"
	case attr.L:
		return "LIST"
	case attr.SS, attr.NS, attr.BS:
		return "BAG"
	case attr.B:
		return "BLOB"
	}
	return "STRING"
}

// describe names a non-constant expression in messages.
func describe(e Expr) string {
	switch x := e.(type) {
	case Path:
		return x.String()
	case *Call:
		return x.Name
	case *Binary:
		return x.Op
	}
	return "expression"
}

// String renders p as a.b[1].
func (p Path) String() string {
	s := ""
	for i, e := range p {
		switch {
		case e.IsIndex:
			s += "[" + strconv.Itoa(e.Index) + "]"
		case i > 0:
			s += "." + e.Name
		default:
			s += e.Name
		}
	}
	return s
}
