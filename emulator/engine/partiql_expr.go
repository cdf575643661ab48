package engine

import (
	"errors"
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/partiql"
)

// PartiQL conditions and SET/REMOVE clauses are rendered as DynamoDB
// expressions with placeholders for every name and value, and then parsed
// by the expr package, so that they are checked and evaluated exactly as
// the item API's ConditionExpression, FilterExpression and
// UpdateExpression are.

// Messages of the PartiQL translation (DynamoDB's PartiQL texts).
const (
	msgWhereBoolean    = "WHERE clause must contain an expression that resolves to a boolean"
	msgInOperator      = "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"
	msgIsOperand       = "The left hand side argument to IS must be a Variable Reference, Literal, or Path"
	msgCondOperator    = "Unsupported operator in Condition Expression. Operator: "
	msgUpdateOperator  = "Unsupported operator in Update Expression. Operator: "
	msgUnknownFunction = "Unrecognized function: "
)

// exprBuilder renders PartiQL expressions as DynamoDB expressions,
// collecting the placeholders they use.
type exprBuilder struct {
	params []attr.Value
	names  map[string]string // #placeholder -> attribute name
	byName map[string]string // attribute name -> #placeholder
	values map[string]attr.Value
}

func newExprBuilder(params []attr.Value) *exprBuilder {
	return &exprBuilder{params: params, names: map[string]string{}, byName: map[string]string{}, values: map[string]attr.Value{}}
}

// env returns the placeholder environment of everything rendered so far.
func (b *exprBuilder) env() (*expr.Env, error) {
	var names map[string]string
	var values map[string]attr.Value
	if len(b.names) > 0 {
		names = b.names
	}
	if len(b.values) > 0 {
		values = b.values
	}
	env, err := expr.NewEnv(names, values, names != nil, values != nil)
	return env, partiqlExprErr(err)
}

// name returns the placeholder of an attribute name.
func (b *exprBuilder) name(n string) string {
	if ph, ok := b.byName[n]; ok {
		return ph
	}
	ph := "#n" + strconv.Itoa(len(b.names))
	b.names[ph], b.byName[n] = n, ph
	return ph
}

// value returns a new placeholder for v.
func (b *exprBuilder) value(v attr.Value) string {
	ph := ":v" + strconv.Itoa(len(b.values))
	b.values[ph] = v
	return ph
}

// path renders a document path.
func (b *exprBuilder) path(p partiql.Path) string {
	var sb strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			sb.WriteString("[" + strconv.Itoa(e.Index) + "]")
		case i > 0:
			sb.WriteString("." + b.name(e.Name))
		default:
			sb.WriteString(b.name(e.Name))
		}
	}
	return sb.String()
}

// cond renders a condition.
func (b *exprBuilder) cond(e partiql.Expr) (string, error) {
	switch x := e.(type) {
	case *partiql.Binary:
		return b.binaryCond(x)
	case *partiql.Not:
		s, err := b.cond(x.X)
		return "NOT " + wrapLogic(x.X, s), err
	case *partiql.Between:
		return b.between(x)
	case *partiql.In:
		return b.in(x)
	case *partiql.Is:
		return b.is(x)
	case *partiql.Call:
		return b.call(x)
	case *partiql.Missing:
		return "", validationErr(partiql.MsgMissingLiteral)
	}
	return "", validationErr(msgWhereBoolean)
}

// wrapLogic parenthesizes the rendering s of e when e is AND or OR.
func wrapLogic(e partiql.Expr, s string) string {
	if x, ok := e.(*partiql.Binary); ok && (x.Op == "AND" || x.Op == "OR") {
		return "(" + s + ")"
	}
	return s
}

func (b *exprBuilder) binaryCond(x *partiql.Binary) (string, error) {
	switch x.Op {
	case "AND", "OR":
		l, err := b.cond(x.L)
		if err != nil {
			return "", err
		}
		r, err := b.cond(x.R)
		if err != nil {
			return "", err
		}
		return wrapLogic(x.L, l) + " " + x.Op + " " + wrapLogic(x.R, r), nil
	case "+", "-":
		return "", validationErr(msgCondOperator + x.Op)
	}
	l, err := b.operand(x.L)
	if err != nil {
		return "", err
	}
	r, err := b.operand(x.R)
	if err != nil {
		return "", err
	}
	return l + " " + x.Op + " " + r, nil
}

func (b *exprBuilder) between(x *partiql.Between) (string, error) {
	ops, err := b.operands(x.X, x.Lo, x.Hi)
	if err != nil {
		return "", err
	}
	s := ops[0] + " BETWEEN " + ops[1] + " AND " + ops[2]
	if x.Not {
		return "NOT (" + s + ")", nil
	}
	return s, nil
}

func (b *exprBuilder) in(x *partiql.In) (string, error) {
	list, err := b.inList(x.List)
	if err != nil {
		return "", err
	}
	if _, ok := x.X.(partiql.Path); !ok || len(list) == 0 {
		return "", validationErr(msgInOperator)
	}
	s := b.path(x.X.(partiql.Path)) + " IN (" + strings.Join(list, ", ") + ")"
	if x.Not {
		return "NOT (" + s + ")", nil
	}
	return s, nil
}

// inList renders the right side of IN; a single ? bound to a list stands
// for its elements.
func (b *exprBuilder) inList(list []partiql.Expr) ([]string, error) {
	if len(list) == 1 {
		if p, ok := list[0].(*partiql.Param); ok {
			v, err := partiql.Value(p, b.params)
			if err != nil {
				return nil, partiqlErr(err)
			}
			if v.Type == attr.L {
				out := make([]string, len(v.L))
				for i, e := range v.L {
					out[i] = b.value(e)
				}
				return out, nil
			}
		}
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, err := b.operand(e)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// isTypes maps the types of IS to attribute_type's type names.
func isAttrType(t string) string {
	switch t {
	case "NULL":
		return "NULL"
	case "BOOLEAN":
		return "BOOL"
	case "BLOB":
		return "B"
	case "STRING":
		return "S"
	case "NUMERIC":
		return "N"
	case "STRUCT", "TUPLE":
		return "M"
	}
	return "L"
}

// is renders IS [NOT] MISSING as attribute_(not_)exists and the other
// types as attribute_type.
func (b *exprBuilder) is(x *partiql.Is) (string, error) {
	p, ok := x.X.(partiql.Path)
	if !ok {
		return "", validationErr(msgIsOperand)
	}
	path := b.path(p)
	if x.Type == "MISSING" {
		if x.Not {
			return "attribute_exists(" + path + ")", nil
		}
		return "attribute_not_exists(" + path + ")", nil
	}
	s := "attribute_type(" + path + ", " + b.value(attr.Str(isAttrType(x.Type))) + ")"
	if x.Not {
		return "NOT " + s, nil
	}
	return s, nil
}

// call renders a condition function.
func (b *exprBuilder) call(x *partiql.Call) (string, error) {
	switch x.Name {
	case "begins_with", "contains", "attribute_type", "attribute_exists", "attribute_not_exists", "size":
	default:
		return "", validationErr(msgUnknownFunction + x.Name)
	}
	args, err := b.operands(x.Args...)
	if err != nil {
		return "", err
	}
	return x.Name + "(" + strings.Join(args, ", ") + ")", nil
}

// operands renders each of es as an operand.
func (b *exprBuilder) operands(es ...partiql.Expr) ([]string, error) {
	out := make([]string, len(es))
	for i, e := range es {
		s, err := b.operand(e)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// operand renders a path, a value or a function call.
func (b *exprBuilder) operand(e partiql.Expr) (string, error) {
	switch x := e.(type) {
	case partiql.Path:
		return b.path(x), nil
	case *partiql.Call:
		return b.call(x)
	case *partiql.Missing:
		return "", validationErr(partiql.MsgMissingLiteral)
	case *partiql.Binary:
		return "", validationErr(msgCondOperator + x.Op)
	}
	if !partiql.IsConstant(e) {
		return "", validationErr(msgWhereBoolean)
	}
	v, err := partiql.Value(e, b.params)
	if err != nil {
		return "", partiqlErr(err)
	}
	return b.value(v), nil
}

// partiqlErr converts a partiql error into the client's ValidationException.
func partiqlErr(err error) error {
	var pe *partiql.Error
	if errors.As(err, &pe) {
		return validationErr(pe.Msg)
	}
	return AsError(err)
}

// partiqlExprErr converts an expr error of a translated statement: the
// message without the "Invalid <Kind>: " prefix, which names a request
// parameter the client did not send.
func partiqlExprErr(err error) error {
	if err == nil {
		return nil
	}
	var xe *expr.Error
	if errors.As(err, &xe) {
		return validationErr(xe.Msg)
	}
	return AsError(err)
}

// conjuncts flattens the top-level AND of a condition.
func conjuncts(e partiql.Expr) []partiql.Expr {
	if x, ok := e.(*partiql.Binary); ok && x.Op == "AND" {
		return append(conjuncts(x.L), conjuncts(x.R)...)
	}
	if e == nil {
		return nil
	}
	return []partiql.Expr{e}
}

// andAll joins conditions with AND (nil when there are none).
func andAll(es []partiql.Expr) partiql.Expr {
	var out partiql.Expr
	for _, e := range es {
		if out == nil {
			out = e
		} else {
			out = &partiql.Binary{Op: "AND", L: out, R: e}
		}
	}
	return out
}

// keyEquality reports whether e is "name = value" or "value = name" for a
// top-level attribute name, and returns both.
func keyEquality(e partiql.Expr) (string, partiql.Expr, bool) {
	x, ok := e.(*partiql.Binary)
	if !ok || x.Op != "=" {
		return "", nil, false
	}
	if p, ok := x.L.(partiql.Path); ok && len(p) == 1 && partiql.IsConstant(x.R) {
		return p[0].Name, x.R, true
	}
	if p, ok := x.R.(partiql.Path); ok && len(p) == 1 && partiql.IsConstant(x.L) {
		return p[0].Name, x.L, true
	}
	return "", nil, false
}
