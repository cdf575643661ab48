package engine

import (
	"slices"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
)

// param names one request parameter and whether the request set it.
type param struct {
	name string
	set  bool
}

// names lists the names of the set parameters.
func setNames(ps []param) []string {
	var out []string
	for _, p := range ps {
		if p.set {
			out = append(out, p.name)
		}
	}
	return out
}

// msgValuesWithoutExpr opens the error for ExpressionAttributeValues
// without an expression that may use them.
const msgValuesWithoutExpr = "ExpressionAttributeValues can only be specified when using expressions"

// checkExpressionStyle applies DynamoDB's rules on mixing expression and
// legacy parameters and on placeholder maps without expressions. exprs and
// legacy are in DynamoDB's message order; valueExprs are the expression
// parameters that may use ExpressionAttributeValues (all but
// ProjectionExpression).
func checkExpressionStyle(exprs, legacy []param, namesSet, valuesSet bool, valueExprs []string) error {
	usedExprs := setNames(exprs)
	if len(usedExprs) > 0 {
		if usedLegacy := setNames(legacy); len(usedLegacy) > 0 {
			return validationErr("Can not use both expression and non-expression parameters in the same request: " +
				"Non-expression parameters: {" + strings.Join(usedLegacy, ", ") + "} " +
				"Expression parameters: {" + strings.Join(usedExprs, ", ") + "}")
		}
	}
	if namesSet && len(usedExprs) == 0 {
		return validationErr("ExpressionAttributeNames can only be specified when using expressions")
	}
	if valuesSet && len(valueExprs) > 0 && !anySet(exprs, valueExprs) {
		verb := " is null"
		if len(valueExprs) > 1 {
			verb = " are null"
		}
		return validationErr(msgValuesWithoutExpr + ": " +
			strings.Join(valueExprs, " and ") + verb)
	}
	return nil
}

// anySet reports whether one of the parameters named in names is set.
func anySet(ps []param, names []string) bool {
	for _, p := range ps {
		for _, n := range names {
			if p.set && p.name == n {
				return true
			}
		}
	}
	return false
}

// exprError converts an expr error into the client's ValidationException.
func exprError(err error) error {
	if err == nil {
		return nil
	}
	return AsError(err)
}

// condition is a parsed write condition (ConditionExpression or Expected);
// the zero value always holds.
type condition struct {
	cond expr.Cond
	set  bool
}

// holds evaluates the condition against item (nil when there is none).
func (c condition) holds(item attr.Item) bool {
	if !c.set {
		return true
	}
	if item == nil {
		item = attr.Item{}
	}
	return expr.EvalCondition(c.cond, item)
}

// writeExprs is what a write request's expression parameters parse to.
type writeExprs struct {
	env    *expr.Env
	cond   condition
	update *expr.Update // UpdateItem only; nil when no update was given
}

// newEnv builds the placeholder environment of a request.
func newEnv(names map[string]string, values map[string]attr.Value) (*expr.Env, error) {
	env, err := expr.NewEnv(names, values, names != nil, values != nil)
	return env, exprError(err)
}

// parseCondition parses ConditionExpression (when set) into c.
func (w *writeExprs) parseCondition(s *string) error {
	if s == nil {
		return nil
	}
	c, err := expr.ParseCondition(*s, expr.ConditionKind, w.env)
	if err != nil {
		return exprError(err)
	}
	w.cond = condition{cond: c, set: true}
	return nil
}

// parseExpected converts the legacy Expected parameter (when set) into c.
func (w *writeExprs) parseExpected(exp map[string]expr.ExpectedAttributeValue, op *string) error {
	if exp == nil {
		return nil
	}
	c, err := expr.FromExpected(exp, op)
	if err != nil {
		return exprError(err)
	}
	w.cond = condition{cond: c, set: true}
	return nil
}

// checkUnused reports placeholders that no expression of the request used.
func (w *writeExprs) checkUnused() error {
	if w.env == nil {
		return nil
	}
	return exprError(w.env.CheckUnused())
}

// parseConditional parses the condition parameters of PutItem and
// DeleteItem: the style checks, the placeholder maps, ConditionExpression
// or Expected, and the unused-placeholder check.
func parseConditional(ce *string, names map[string]string, values map[string]attr.Value,
	exp map[string]expr.ExpectedAttributeValue, op *string,
) (*writeExprs, error) {
	if err := checkConditionalStyle(ce, names, values, exp); err != nil {
		return nil, err
	}
	w := &writeExprs{}
	if err := w.parseExpected(exp, op); err != nil {
		return nil, err
	}
	if ce == nil {
		return w, nil
	}
	var err error
	if w.env, err = newEnv(names, values); err != nil {
		return nil, err
	}
	if err := w.parseCondition(ce); err != nil {
		return nil, err
	}
	return w, w.checkUnused()
}

// checkConditionalStyle applies the style rules of PutItem's and
// DeleteItem's condition parameters (checkExpressionStyle).
func checkConditionalStyle(ce *string, names map[string]string, values map[string]attr.Value,
	exp map[string]expr.ExpectedAttributeValue,
) error {
	return checkExpressionStyle(
		[]param{{"ConditionExpression", ce != nil}},
		[]param{{"Expected", exp != nil}},
		names != nil, values != nil, []string{"ConditionExpression"})
}

// checkExpectedShape checks the legacy Expected parameter's conditions
// without reading their values (see heldValue.before).
func checkExpectedShape(exp map[string]expr.ExpectedAttributeValue, op *string) func() error {
	return func() error {
		if exp == nil {
			return nil
		}
		_, err := expr.FromExpected(exp, op)
		return exprError(err)
	}
}

// checkExpected applies the enum constraint on the legacy Expected
// parameter's comparison operators.
func (v *violations) checkExpected(exp map[string]expr.ExpectedAttributeValue) {
	for _, name := range sortedKeys(exp) {
		v.checkEnum(exp[name].ComparisonOperator, "expected."+name+".member.comparisonOperator",
			comparisonOperatorEnum...)
	}
}

// checkAttributeUpdates applies the enum constraint on the legacy
// AttributeUpdates parameter's actions.
func (v *violations) checkAttributeUpdates(upd map[string]expr.AttributeValueUpdate) {
	for _, name := range sortedKeys(upd) {
		v.checkEnum(upd[name].Action, "attributeUpdates."+name+".member.action", attributeActionEnum...)
	}
}

// sortedKeys returns the keys of m in byte order, so that composite
// messages list their parts deterministically.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
