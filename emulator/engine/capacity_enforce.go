package engine

import (
	"errors"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/capacity"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Capacity enforcement (package capacity): while the Limiter is Active,
// each operation charges the units ConsumedCapacity reports (computed by
// the same functions, whatever ReturnConsumedCapacity asks) to the table,
// its partition, and the GSIs it reads or writes, inside the table's
// critical section and before anything is written. A refused request
// writes nothing and answers DynamoDB's throttling error.

// Capacity returns the engine's capacity limiter (off until enabled).
func (e *Engine) Capacity() *capacity.Limiter { return e.limiter }

// DynamoDB's throttling messages (the TransactWriteItems API reference
// lists them with the cancellation reason codes; a live on-demand table
// answered the ThrottlingException text).
const (
	msgProvisionedTable = "The level of configured provisioned throughput for the table was exceeded. " +
		"Consider increasing your provisioning level with the UpdateTable API."
	msgProvisionedIndex = "The level of configured provisioned throughput for one or more global secondary indexes " +
		"of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global " +
		"secondary indexes with the UpdateTable API."
	msgOnDemandTable = "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically " +
		"scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: " +
		"https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html"
	msgOnDemandIndex = "Throughput exceeds the current capacity for one or more global secondary indexes. " +
		"DynamoDB is automatically scaling your index so please try again shortly."
)

// throttleMessage is the message of th.
func throttleMessage(th *capacity.Throttle) string {
	switch {
	case th.OnDemand && th.IndexOnly():
		return msgOnDemandIndex
	case th.OnDemand:
		return msgOnDemandTable
	case th.IndexOnly():
		return msgProvisionedIndex
	}
	return msgProvisionedTable
}

// throttleError is the error of a refused request:
// ThrottlingException for an on-demand table,
// ProvisionedThroughputExceededException otherwise, with the
// ThrottlingReasons.
func throttleError(th *capacity.Throttle) *Error {
	code := ProvisionedThroughputExceeded
	if th.OnDemand {
		code = Throttling
	}
	err := NewError(code, throttleMessage(th))
	for _, r := range th.Reasons {
		err.ThrottlingReasons = append(err.ThrottlingReasons, ThrottlingReason{Reason: r.Reason, Resource: r.Resource})
	}
	return err
}

// throttleCancellation is the cancellation reason of a transaction action
// refused by th.
func throttleCancellation(th *capacity.Throttle) CancellationReason {
	code := "ProvisionedThroughputExceeded"
	if th.OnDemand {
		code = "ThrottlingError"
	}
	return CancellationReason{Code: code, Message: throttleMessage(th)}
}

// capacityRequest is what charges cs take from the table of tx.
func (e *Engine) capacityRequest(tx *store.Tx, cs []capacity.Charge) capacity.Request {
	return capacity.Request{Table: tx.Def().Name, Source: e.tableMetaOf(tx), Bytes: tx.SizeBytes(), Charges: cs}
}

// admit asks the limiter to admit cs on the table of tx; a refusal is the
// throttling error.
func (e *Engine) admit(tx *store.Tx, cs []capacity.Charge) error {
	if th := e.limiter.Admit(tx.Def().Name, e.tableMetaOf(tx), tx.SizeBytes(), cs); th != nil {
		return throttleError(th)
	}
	return nil
}

// admitRead admits a read of units from index ("" for the table) in the
// partition of key (a zero Value for a scan), when enforcement is active.
func (e *Engine) admitRead(tx *store.Tx, index string, key attr.Value, units float64) error {
	if !e.limiter.Active() {
		return nil
	}
	return e.admit(tx, readCharges(tx.Def(), index, key, units, 0))
}

// writeCharges are the charges of replacing old by new in a table shaped
// like def, the units multiplied by factor (2 in transactions): the table
// write (LSIs included) in the partition of key (the item's key
// attributes), and each GSI's writes in
// the partitions of the entries' index keys.
func writeCharges(def store.TableDef, key, old, new attr.Item, factor float64) []capacity.Charge {
	table := capacity.Charge{Write: true, Units: tableWriteUnits(old, new) * factor, Key: key[def.Key.Hash]}
	cs := []capacity.Charge{table}
	for _, ix := range def.Indexes {
		w := indexWriteOf(def, ix, old, new)
		if ix.Local {
			cs[0].Units += (w.removed + w.written) * factor
			continue
		}
		if w.removed > 0 {
			cs = append(cs, capacity.Charge{Index: ix.Name, Write: true, Units: w.removed * factor, Key: indexPartitionKey(ix, w.oldEntry)})
		}
		if w.written > 0 {
			cs = append(cs, capacity.Charge{Index: ix.Name, Write: true, Units: w.written * factor, Key: indexPartitionKey(ix, w.newEntry)})
		}
	}
	return cs
}

// readCharges are the charges of a read of indexUnits from index ("" for
// the table) and tableUnits fetched from the table (an LSI read of
// non-projected attributes) in the partition of key. An LSI read is the
// table's.
func readCharges(def store.TableDef, index string, key attr.Value, indexUnits, tableUnits float64) []capacity.Charge {
	if index != "" {
		if ix, ok := def.Index(index); ok && !ix.Local {
			return []capacity.Charge{{Index: index, Units: indexUnits, Key: key}}
		}
	}
	return []capacity.Charge{{Units: indexUnits + tableUnits, Key: key}}
}

// queryPartitionKey is the partition key value a query reads, as
// indexPartitionKey renders it.
func queryPartitionKey(kc *expr.KeyCondition) attr.Value {
	if len(kc.HashMore) == 0 {
		return kc.Hash
	}
	vals := kc.HashValues()
	texts := make([]string, len(vals))
	for i, v := range vals {
		texts[i] = v.S
	}
	return attr.Value{Type: attr.S, S: strings.Join(texts, "#")}
}

// indexPartitionKey is the partition key value of an index entry: the
// attribute's value, or for a multi-attribute partition key the values
// joined by '#'.
func indexPartitionKey(ix store.IndexDef, entry attr.Item) attr.Value {
	if !ix.Key.Multi() {
		return entry[ix.Key.Hash]
	}
	parts := ix.Key.HashAttrs()
	if len(parts) == 1 {
		return entry[parts[0].Name]
	}
	texts := make([]string, len(parts))
	for i, a := range parts {
		texts[i] = entry[a.Name].S
	}
	return attr.Value{Type: attr.S, S: strings.Join(texts, "#")}
}

// gateWrite admits, while enforcement is active, a single-item write whose
// check step answered stepErr: a write that passed its checks is charged
// for replacing old by new; one whose condition failed is charged for the
// stored item it read (DynamoDB charges a failed conditional write), and
// a refusal is answered before the condition's failure. Other errors
// (validation) are answered as they are, uncharged.
func (e *Engine) gateWrite(tx *store.Tx, key, old, new attr.Item, stepErr error) error {
	def := tx.Def()
	var cs []capacity.Charge
	switch {
	case stepErr == nil:
		cs = writeCharges(def, key, old, new, 1)
	case isConditionFailure(stepErr):
		cs = []capacity.Charge{{Write: true, Units: tableWriteUnits(old, nil), Key: key[def.Key.Hash]}}
	default:
		return stepErr
	}
	if err := e.admit(tx, cs); err != nil {
		return err
	}
	return stepErr
}

// isConditionFailure reports whether err is a ConditionalCheckFailed.
func isConditionFailure(err error) bool {
	var ee *Error
	return errors.As(err, &ee) && ee.Code == ConditionalCheckFailed
}

// admitPage admits, while enforcement is active, the read of a Query or
// Scan page: from the index or table read, in the partition of key (a
// zero Value for a scan, which charges no partition).
func (e *Engine) admitPage(tx *store.Tx, p *pager, key attr.Value, consistent bool) error {
	if !e.limiter.Active() {
		return nil
	}
	tableUnits, indexUnits := p.readUnits(consistent)
	if p.target.index == "" {
		indexUnits, tableUnits = tableUnits, 0
	}
	return e.admit(tx, readCharges(tx.Def(), p.target.index, key, indexUnits, tableUnits))
}

// capacityCharge is capacity.Charge, for the operation files.
type capacityCharge = capacity.Charge

// admitAll admits the charges of a transaction's actions (charges[i] on
// the table of txs[i]) all or none; a refusal cancels the transaction with
// a throttling reason for each refused action.
func (e *Engine) admitAll(txs []*store.Tx, charges [][]capacity.Charge) error {
	reqs := make([]capacity.Request, len(charges))
	for i, cs := range charges {
		reqs[i] = e.capacityRequest(txs[i], cs)
	}
	ths := e.limiter.AdmitAll(reqs)
	if ths == nil {
		return nil
	}
	reasons := make([]CancellationReason, len(charges))
	for i, th := range ths {
		reasons[i] = CancellationReason{Code: "None"}
		if th != nil {
			reasons[i] = throttleCancellation(th)
		}
	}
	return cancelled(reasons)
}

// admitTransactWrite admits, while enforcement is active, the checked
// actions of a TransactWriteItems: twice the units of each write, and of
// each condition check's read.
func (e *Engine) admitTransactWrite(txs []*store.Tx, actions []*txAction, writes []txWrite) error {
	if !e.limiter.Active() {
		return nil
	}
	charges := make([][]capacity.Charge, len(actions))
	for i, a := range actions {
		def, w := txs[i].Def(), writes[i]
		if a.kind == kindCheck {
			charges[i] = readCharges(def, "", a.key[def.Key.Hash], readUnits(itemSize(w.old), true)*2, 0)
			continue
		}
		charges[i] = writeCharges(def, a.key, w.old, w.item, 2)
	}
	return e.admitAll(txs, charges)
}

// batchGate admits the items of a batch one by one while enforcement is
// active: a refused item goes to the unprocessed ones.
type batchGate struct {
	admitted, refused, left int
	err                     error // the last refusal
}

// pass admits a batch write of new (nil: a delete) at key.
func (g *batchGate) pass(e *Engine, tx *store.Tx, key, new attr.Item) bool {
	if !e.limiter.Active() {
		g.admitted++
		return true
	}
	old := getItem(tx, key)
	return g.result(e.admit(tx, writeCharges(tx.Def(), key, old, new, 1)))
}

// passRead admits a batch read of units at key.
func (g *batchGate) passRead(e *Engine, tx *store.Tx, key attr.Item, units float64) bool {
	return g.result(e.admitRead(tx, "", key[tx.Def().Key.Hash], units))
}

// result counts an admission's outcome.
func (g *batchGate) result(err error) bool {
	if err != nil {
		g.refused++
		g.err = err
		return false
	}
	g.admitted++
	return true
}

// allRefused is the throttling error when every item of the batch was
// refused (DynamoDB fails the whole batch then), nil otherwise.
func (g *batchGate) allRefused() error {
	if g.refused > 0 && g.admitted == 0 && g.left == 0 {
		return g.err
	}
	return nil
}

// CapacityStatus reports the capacity enforcement of the named table, with
// at most hot hot keys (negative: every tracked key).
func (e *Engine) CapacityStatus(table string, hot int) (capacity.Status, error) {
	t, err := e.lookupNamed(table)
	if err != nil {
		return capacity.Status{}, err
	}
	var s capacity.Status
	err = t.View(func(tx *store.Tx) error {
		s = e.limiter.Status(t.Name(), e.tableMetaOf(tx), tx.SizeBytes(), hot)
		return nil
	})
	return s, droppedAs(err, errTableNotFoundNamed(table))
}

// CapacityStatuses reports every table, in name order.
func (e *Engine) CapacityStatuses(hot int) []capacity.Status {
	var out []capacity.Status
	for _, name := range e.catalog.Names() {
		if s, err := e.CapacityStatus(name, hot); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// sizedWriteCharge is the charge of a write to a table without secondary
// indexes replacing an item of oldSize bytes by one of newSize bytes
// (tableWriteUnits from sizes alone).
func sizedWriteCharge(def store.TableDef, key attr.Item, oldSize, newSize int) []capacity.Charge {
	return []capacity.Charge{{Write: true, Units: units(max(oldSize, newSize), writeUnitSize), Key: key[def.Key.Hash]}}
}
