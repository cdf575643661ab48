package engine

import (
	"context"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// TransactWriteItems applies up to 100 Put, Update, Delete and
// ConditionCheck actions on distinct items, all or nothing: every table is
// locked (in name order), every action is checked against the current items
// first, and only when all pass are the writes applied. Otherwise it fails
// with TransactionCanceledException and one reason per action. A
// ClientRequestToken makes the request idempotent for 10 minutes.
func (e *Engine) TransactWriteItems(ctx context.Context, in *TransactWriteItemsInput) (*TransactWriteItemsOutput, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	actions, err := in.parse()
	if err != nil {
		return nil, err
	}
	if in.ClientRequestToken == nil {
		return e.transactWrite(in, actions)
	}
	token, fp := *in.ClientRequestToken, in.fingerprint()
	if out, err := e.idem.begin(token, fp, e.clock.Now()); out != nil || err != nil {
		if err != nil {
			return nil, err
		}
		replay := *out
		replay.ConsumedCapacity = e.replayCapacity(in.ReturnConsumedCapacity, actions)
		return &replay, nil
	}
	out, err := e.transactWrite(in, actions)
	e.idem.finish(token, out, e.clock.Now())
	return out, err
}

// checkCapacity reports a ConditionCheck of a transaction that read item:
// DynamoDB bills it as a transactional write (paritysuite's capacity
// tests, recorded in eu-west-2 in 2026: 2 write units for an item under
// 1 KB), counted per started KB of the item.
func checkCapacity(mode *string, table string, item attr.Item) *ConsumedCapacity {
	cc := readCapacity(mode, table, 0, true)
	if cc == nil {
		return nil
	}
	cc.CapacityUnits = units(itemSize(item), writeUnitSize)
	if cc.Table != nil {
		cc.Table.CapacityUnits = cc.CapacityUnits
	}
	return transactional(cc, true)
}

// replayCapacity is the ConsumedCapacity of a transaction repeated with its
// ClientRequestToken, which applies nothing: DynamoDB reports a
// transactional read of each action's item as it is stored now
// (paritysuite's capacity tests, recorded in eu-west-2 in 2026: an item of
// 1.5 KB written for 4 write units is replayed for 2 read units).
func (e *Engine) replayCapacity(mode *string, actions []*txAction) []*ConsumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.table
	}
	tables, err := e.lookupAll(names)
	if err != nil {
		return nil // a table deleted since: nothing was read
	}
	capacity := capacityByTable{}
	_ = e.catalog.ViewMany(tables, func(txs []*store.Tx) error {
		for i, a := range actions {
			size := itemSize(getItem(txs[i], a.key))
			capacity.add(transactional(readCapacity(mode, tableNameOf(a.table), size, true), false))
		}
		return nil
	})
	return capacity.list()
}

// transactWrite runs the parsed actions in one critical section.
func (e *Engine) transactWrite(in *TransactWriteItemsInput, actions []*txAction) (*TransactWriteItemsOutput, error) {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.table
	}
	tables, err := e.lookupAll(names)
	if err != nil {
		return nil, err
	}
	out := &TransactWriteItemsOutput{}
	err = e.catalog.UpdateMany(tables, func(txs []*store.Tx) error {
		if err := checkTargets(txs, actions); err != nil {
			return err
		}
		writes, err := evaluate(txs, actions)
		if err != nil {
			return err
		}
		if err := e.admitTransactWrite(txs, actions, writes); err != nil {
			return err
		}
		in.apply(txs, actions, writes, out)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// checkTargets makes the checks that fail the whole request rather than
// one action: empty key values (of the table and, for a Put, its indexes)
// and two actions on one item.
func checkTargets(txs []*store.Tx, actions []*txAction) error {
	seen := targetSet{}
	for i, a := range actions {
		if err := checkEmptyKeyValues(txs[i].Def(), a.key, a.put != nil); err != nil {
			return err
		}
		if err := seen.add(txs[i], a.key); err != nil {
			return err
		}
	}
	return nil
}

// targetSet is the items a transaction targets, per table.
type targetSet map[*store.Table]map[string]bool

// add records the item with key in tx's table, failing when it was
// targeted already. Keys that do not fit the schema are not recorded.
func (s targetSet) add(tx *store.Tx, key attr.Item) error {
	k, ok := keyString(tx.Def().Key, key)
	if !ok {
		return nil
	}
	t := tx.Table()
	if s[t] == nil {
		s[t] = map[string]bool{}
	}
	if s[t][k] {
		return validationErr(msgMultipleOps)
	}
	s[t][k] = true
	return nil
}

// checkEmptyKeyValues rejects empty (or oversized) values of the table's
// key attributes in item and, when indexes is set, empty values of its
// index key attributes. Values of the wrong type are left to the actions.
func checkEmptyKeyValues(def store.TableDef, item attr.Item, indexes bool) error {
	for _, k := range keyAttrs(def.Key) {
		if v, ok := item[k.name]; ok && v.Type == k.typ {
			if err := checkKeyValue(k, v); err != nil {
				return err
			}
		}
	}
	if !indexes {
		return nil
	}
	for _, ix := range def.Indexes {
		for _, k := range indexKeyAttrs(ix.Key) {
			if v, ok := item[k.name]; ok && v.Type == k.typ {
				if err := checkIndexKeyValue(ix.Name, k, v, false); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// txWrite is what an action found and will leave: old is the current item
// (nil if none), item the item to store (nil: delete for a Delete, nothing
// for the others).
type txWrite struct {
	old, item attr.Item
}

// evaluate runs every action's check-then-compute step against the current
// items. It returns the computed writes, or TransactionCanceledException
// with one reason per action when any step failed.
func evaluate(txs []*store.Tx, actions []*txAction) ([]txWrite, error) {
	writes := make([]txWrite, len(actions))
	reasons := make([]CancellationReason, len(actions))
	failed := false
	for i := range reasons {
		reasons[i] = CancellationReason{Code: "None"}
	}
	for i, a := range actions {
		def := txs[i].Def()
		old := getItem(txs[i], a.key)
		item, err := a.step(def, old)
		writes[i] = txWrite{old: old, item: item}
		if err == nil {
			continue
		}
		reasons[i], failed = reasonOf(err), true
		if reasons[i].Code == "ValidationError" {
			// A validation failure stops the evaluation: the actions after it
			// are reported as None (scylladb
			// test_transact_write_cancellation_reasons_validationerror).
			break
		}
	}
	if failed {
		return nil, cancelled(reasons)
	}
	return writes, nil
}

// step is the action's check-then-compute step.
func (a *txAction) step(def store.TableDef, old attr.Item) (attr.Item, error) {
	switch {
	case a.put != nil:
		return a.put.step(def, a.w, old)
	case a.update != nil:
		return a.update.step(def, a.w, old)
	}
	return nil, a.del.step(def, a.w, old)
}

// reasonOf is the cancellation reason of an action whose step failed.
func reasonOf(err error) CancellationReason {
	e := AsError(err)
	if e.Code == ConditionalCheckFailed {
		return CancellationReason{Code: "ConditionalCheckFailed", Message: e.Message, Item: e.Item}
	}
	return CancellationReason{Code: "ValidationError", Message: e.Message}
}

// cancelled is the TransactionCanceledException for reasons.
func cancelled(reasons []CancellationReason) *Error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	return &Error{
		Code:                TransactionCanceled,
		Message:             msgCancelledPrefix + strings.Join(codes, ", ") + "]",
		CancellationReasons: reasons,
	}
}

// apply performs the checked writes and reports capacity and metrics.
func (in *TransactWriteItemsInput) apply(txs []*store.Tx, actions []*txAction, writes []txWrite, out *TransactWriteItemsOutput) {
	capacity, metrics := capacityByTable{}, metricsByTable{}
	for i, a := range actions {
		tx, def, w := txs[i], txs[i].Def(), writes[i]
		table := tableNameOf(a.table)
		switch {
		case a.kind == kindCheck:
			capacity.add(checkCapacity(in.ReturnConsumedCapacity, table, w.old))
			continue
		case a.kind == kindDelete:
			if w.old != nil {
				tx.Delete(a.key)
			}
		case w.item != nil:
			tx.Put(w.item)
		}
		capacity.add(transactional(writeCapacity(in.ReturnConsumedCapacity, table, def, w.old, w.item), true))
		metrics.add(table, collectionMetrics(tx, def, in.ReturnItemCollectionMetrics, a.key))
	}
	out.ConsumedCapacity = capacity.list()
	out.ItemCollectionMetrics = metrics.orNil()
}
