package engine

import (
	"context"
	"maps"
	"slices"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// UpdateItem edits the attributes of the item with the given key, creating
// it when it does not exist (unless the update only removes attributes),
// when the request's condition holds. Key attributes cannot be updated.
func (e *Engine) UpdateItem(ctx context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	if err := in.validate(); err != nil {
		return nil, enveloped(err)
	}
	w, err := in.parse()
	if err != nil {
		return nil, enveloped(err)
	}
	t, err := e.lookup(*in.TableName)
	if err != nil {
		return nil, err
	}
	out := &UpdateItemOutput{}
	err = t.Update(func(tx *store.Tx) error {
		return in.apply(e, tx, w, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validate applies UpdateItem's parameter constraints.
func (in *UpdateItemInput) validate() error {
	in.hv.current()
	var v violations
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	v.checkTableName(in.TableName, "tableName")
	v.checkEnum(in.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", returnCollectionMetricEnum...)
	v.checkEnum(in.ReturnValues, "returnValues", returnValuesEnum...)
	// ConditionalOperator before Key (paritysuite tier3
	// validation-ordering/updateItem, AWS October 2026).
	v.checkEnum(in.ConditionalOperator, "conditionalOperator", conditionalOperatorEnum...)
	if in.Key == nil {
		v.add(null, "key", mustNotBeNull)
	}
	v.checkExpected(in.Expected)
	v.checkAttributeUpdates(in.AttributeUpdates)
	v.checkEnum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", returnOnFailureEnum...)
	if err := v.err(); err != nil {
		return err
	}
	// Then the style of the expression parameters and the attribute values:
	// those of the key, a malformed Expected or AttributeUpdates, the others
	// (DynamoDB Local 3.3.1; see heldValue.before).
	if err := in.checkStyle(); err != nil {
		return err
	}
	if err := in.hv.in("Key", -1); err != nil {
		return err
	}
	if err := in.hv.before("Expected", checkExpectedShape(in.Expected, in.ConditionalOperator)); err != nil {
		return err
	}
	err := in.hv.before("AttributeUpdates", func() error {
		_, err := in.parseAttributeUpdates()
		return err
	})
	if err != nil {
		return err
	}
	return in.hv.check()
}

// checkStyle applies the rules on mixing expression and legacy parameters.
func (in *UpdateItemInput) checkStyle() error {
	exprs := []param{
		{"UpdateExpression", in.UpdateExpression != nil},
		{"ConditionExpression", in.ConditionExpression != nil},
	}
	legacy := []param{{"AttributeUpdates", in.AttributeUpdates != nil}, {"Expected", in.Expected != nil}}
	return checkExpressionStyle(exprs, legacy, in.ExpressionAttributeNames != nil, in.ExpressionAttributeValues != nil,
		[]string{"UpdateExpression", "ConditionExpression"})
}

// parseAttributeUpdates converts the legacy AttributeUpdates parameter
// (nil when there is none).
func (in *UpdateItemInput) parseAttributeUpdates() (*expr.Update, error) {
	if in.AttributeUpdates == nil {
		return nil, nil
	}
	if err := checkNameList(slices.Sorted(maps.Keys(in.AttributeUpdates))); err != nil {
		return nil, err
	}
	u, err := expr.FromAttributeUpdates(in.AttributeUpdates)
	return u, exprError(err)
}

// parse checks the expression parameters and parses the update and the
// condition, in DynamoDB's order: style, AttributeUpdates, Expected,
// placeholders, UpdateExpression, ConditionExpression, unused placeholders.
func (in *UpdateItemInput) parse() (*writeExprs, error) {
	if err := in.checkStyle(); err != nil {
		return nil, err
	}
	names, values := in.ExpressionAttributeNames, in.ExpressionAttributeValues
	w := &writeExprs{}
	var err error
	if w.update, err = in.parseAttributeUpdates(); err != nil {
		return nil, err
	}
	if err := w.parseExpected(in.Expected, in.ConditionalOperator); err != nil {
		return nil, err
	}
	if in.UpdateExpression == nil && in.ConditionExpression == nil {
		return w, nil
	}
	if w.env, err = newEnv(names, values); err != nil {
		return nil, err
	}
	if in.UpdateExpression != nil {
		if w.update, err = expr.ParseUpdate(*in.UpdateExpression, w.env); err != nil {
			return nil, exprError(err)
		}
	}
	if err := w.parseCondition(in.ConditionExpression); err != nil {
		return nil, err
	}
	return w, w.checkUnused()
}

// apply runs UpdateItem inside the table's write lock. The new item is
// computed aside and written only when every check passes.
func (in *UpdateItemInput) apply(e *Engine, tx *store.Tx, w *writeExprs, out *UpdateItemOutput) error {
	def := tx.Def()
	old := getItem(tx, in.Key)
	item, err := in.step(def, w, old)
	if e.limiter.Active() {
		err = e.gateWrite(tx, in.Key, old, item, err)
	}
	if err != nil {
		return err
	}
	out.ConsumedCapacity = writeCapacity(in.ReturnConsumedCapacity, *in.TableName, def, old, item)
	if item == nil {
		return nil // only REMOVE/DELETE actions on a missing item: nothing to create
	}
	tx.Put(item)
	out.Attributes = w.returnValues(str(in.ReturnValues), old, item)
	out.ItemCollectionMetrics = collectionMetrics(tx, def, in.ReturnItemCollectionMetrics, item)
	return nil
}

// step is UpdateItem's check-then-compute part, shared with the Update
// action of TransactWriteItems: it checks the request against the table
// shaped like def and the condition against old (the stored item, nil when
// there is none), and returns the item the update leaves: nil when there is
// nothing to write (only removals on a missing item). It writes nothing.
func (in *UpdateItemInput) step(def store.TableDef, w *writeExprs, old attr.Item) (attr.Item, error) {
	if err := checkKey(def, in.Key); err != nil {
		return nil, err
	}
	touches := w.touches()
	if err := checkKeyUpdate(def, touches); err != nil {
		return nil, err
	}
	if w.update != nil {
		if err := checkIndexKeyTypes(def, w.update.SetType); err != nil {
			return nil, err
		}
		if err := checkKeyPaths(def, w.update.Paths()); err != nil {
			return nil, err
		}
	}
	if !w.cond.holds(old) {
		return nil, conditionFailed(in.ReturnValuesOnConditionCheckFailure, old)
	}
	item, err := w.newItem(def, in.Key, old)
	if err != nil || item == nil {
		return nil, err
	}
	if attr.ItemSize(item) > maxItemSize {
		return nil, validationErr(msgUpdateTooBig)
	}
	if err := checkIndexKeys(def, item, touches); err != nil {
		return nil, err
	}
	return item, nil
}

// touches reports whether the update writes the top-level attribute name.
func (w *writeExprs) touches() func(string) bool {
	if w.update == nil {
		return func(string) bool { return false }
	}
	return w.update.TouchesAttr
}

// newItem computes the item an update leaves behind: old (or the bare key
// when there is no item) with the update applied. It returns nil when the
// item does not exist and the update would leave nothing but its key.
func (w *writeExprs) newItem(def store.TableDef, key, old attr.Item) (attr.Item, error) {
	base := old
	if base == nil {
		base = keyOf(def, key)
	}
	if w.update == nil || len(w.update.Paths()) == 0 {
		return base, nil
	}
	item, err := w.update.Apply(base)
	if err != nil {
		return nil, exprError(err)
	}
	if old == nil && len(item) == len(base) {
		return nil, nil
	}
	return item, nil
}

// returnValues shapes UpdateItem's Attributes for ReturnValues rv.
func (w *writeExprs) returnValues(rv string, old, item attr.Item) attr.Item {
	var out attr.Item
	switch rv {
	case returnAllOld:
		out = old
	case returnAllNew:
		out = item
	case returnUpdatedOld:
		out = w.projectUpdated(old)
	case returnUpdatedNew:
		out = w.projectUpdated(item)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// projectUpdated keeps the paths the update wrote.
func (w *writeExprs) projectUpdated(item attr.Item) attr.Item {
	if item == nil || w.update == nil {
		return nil
	}
	return expr.Project(item, w.update.Paths())
}
