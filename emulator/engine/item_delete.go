package engine

import (
	"context"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// DeleteItem deletes the item with the given key when the request's
// condition holds. Deleting a missing item is not an error.
func (e *Engine) DeleteItem(ctx context.Context, in *DeleteItemInput) (*DeleteItemOutput, error) {
	if err := in.validate(); err != nil {
		return nil, enveloped(err)
	}
	w, err := parseConditional(in.ConditionExpression, in.ExpressionAttributeNames,
		in.ExpressionAttributeValues, in.Expected, in.ConditionalOperator)
	if err != nil {
		return nil, enveloped(err)
	}
	t, err := e.lookup(*in.TableName)
	if err != nil {
		return nil, err
	}
	out := &DeleteItemOutput{}
	err = t.Update(func(tx *store.Tx) error {
		return in.apply(e, tx, w, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validate applies DeleteItem's parameter constraints.
func (in *DeleteItemInput) validate() error {
	in.hv.current()
	var v violations
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	v.checkTableName(in.TableName, "tableName")
	v.checkEnum(in.ReturnValues, "returnValues", returnValuesEnum...)
	v.checkEnum(in.ReturnItemCollectionMetrics, "returnItemCollectionMetrics", returnCollectionMetricEnum...)
	if in.Key == nil {
		v.add(null, "key", mustNotBeNull)
	}
	v.checkEnum(in.ConditionalOperator, "conditionalOperator", conditionalOperatorEnum...)
	v.checkExpected(in.Expected)
	v.checkEnum(in.ReturnValuesOnConditionCheckFailure, "returnValuesOnConditionCheckFailure", returnOnFailureEnum...)
	if err := v.err(); err != nil {
		return err
	}
	// Then, before the attribute values, as for PutItem.
	err := checkConditionalStyle(in.ConditionExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.Expected)
	if err != nil {
		return err
	}
	if !isOneOf(in.ReturnValues, returnAllOld, returnNone) {
		return validationErr("ReturnValues can only be ALL_OLD or NONE")
	}
	if err := in.hv.in("Key", -1); err != nil {
		return err
	}
	if err := in.hv.before("Expected", checkExpectedShape(in.Expected, in.ConditionalOperator)); err != nil {
		return err
	}
	return in.hv.check()
}

// apply runs DeleteItem inside the table's write lock.
func (in *DeleteItemInput) apply(e *Engine, tx *store.Tx, w *writeExprs, out *DeleteItemOutput) error {
	def := tx.Def()
	old := getItem(tx, in.Key)
	err := in.step(def, w, old)
	if e.limiter.Active() {
		err = e.gateWrite(tx, in.Key, old, nil, err)
	}
	if err != nil {
		return err
	}
	if old != nil {
		tx.Delete(in.Key)
	}
	if str(in.ReturnValues) == returnAllOld {
		out.Attributes = old
	}
	out.ConsumedCapacity = writeCapacity(in.ReturnConsumedCapacity, *in.TableName, def, old, nil)
	out.ItemCollectionMetrics = collectionMetrics(tx, def, in.ReturnItemCollectionMetrics, in.Key)
	return nil
}

// step is DeleteItem's check part, shared with the Delete action of
// TransactWriteItems: it checks the key against the table shaped like def
// and the condition against old (the stored item, nil when there is none).
// It writes nothing.
func (in *DeleteItemInput) step(def store.TableDef, w *writeExprs, old attr.Item) error {
	if err := checkKey(def, in.Key); err != nil {
		return err
	}
	if !w.cond.holds(old) {
		return conditionFailed(in.ReturnValuesOnConditionCheckFailure, old)
	}
	return nil
}
