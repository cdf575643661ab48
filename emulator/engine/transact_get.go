package engine

import (
	"context"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// TransactGetItems reads up to 100 items of distinct keys from one or more
// tables as one consistent snapshot: every table is read-locked (in name
// order) for the whole read. Responses are in request order, empty for a
// missing item. A Get whose key does not match its table's schema cancels
// the request with a ValidationError reason.
func (e *Engine) TransactGetItems(ctx context.Context, in *TransactGetItemsInput) (*TransactGetItemsOutput, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	reads, err := in.parse()
	if err != nil {
		return nil, err
	}
	names := make([]string, len(in.TransactItems))
	for i, item := range in.TransactItems {
		names[i] = *item.Get.TableName
	}
	tables, err := e.lookupAll(names)
	if err != nil {
		return nil, err
	}
	out := &TransactGetItemsOutput{}
	err = e.catalog.ViewMany(tables, func(txs []*store.Tx) error {
		return in.read(e, txs, reads, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validate applies TransactGetItems' parameter constraints.
func (in *TransactGetItemsInput) validate() error {
	var v violations
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	v.checkTransactItems(in.TransactItems != nil, len(in.TransactItems))
	for i, item := range in.TransactItems {
		path := "transactItems." + strconv.Itoa(i+1) + ".member.get"
		if item.Get == nil {
			v.add(null, path, mustNotBeNull)
			continue
		}
		v.checkTableName(item.Get.TableName, path+".tableName")
		v.checkNotNull(item.Get.Key != nil, path+".key")
	}
	return v.err()
}

// parse parses every Get's projection, in request order.
func (in *TransactGetItemsInput) parse() ([]batchRead, error) {
	reads := make([]batchRead, len(in.TransactItems))
	for i, item := range in.TransactItems {
		g := item.Get
		get := &GetItemInput{ProjectionExpression: g.ProjectionExpression, ExpressionAttributeNames: g.ExpressionAttributeNames}
		if err := get.checkExpressionParams(); err != nil {
			return nil, err
		}
		proj, paths, err := get.projection()
		if err != nil {
			return nil, err
		}
		// One Get after the other: its projection, then its key's values
		// (DynamoDB Local 3.3.1).
		if err := in.hv.in("TransactItems", i); err != nil {
			return nil, err
		}
		reads[i] = batchRead{project: proj, paths: paths, consistent: true}
	}
	return reads, in.hv.check()
}

// read checks the keys, then reads every item.
func (in *TransactGetItemsInput) read(e *Engine, txs []*store.Tx, reads []batchRead, out *TransactGetItemsOutput) error {
	if err := in.checkTargets(txs); err != nil {
		return err
	}
	reasons := make([]CancellationReason, len(txs))
	failed := false
	for i, item := range in.TransactItems {
		reasons[i] = CancellationReason{Code: "None"}
		if err := checkReadKeys(txs[i].Def(), []attr.Item{item.Get.Key}, reads[i].paths); err != nil {
			reasons[i], failed = reasonOf(err), true
		}
	}
	if failed {
		return cancelled(reasons)
	}
	found := make([]attr.Item, len(txs))
	sizes := make([]int, len(txs))
	total := 0
	for i, item := range in.TransactItems {
		found[i] = getItem(txs[i], item.Get.Key)
		sizes[i] = itemSize(found[i])
		total += sizes[i]
	}
	if total > maxTransactBytes {
		return errTransactReadTooBig(total)
	}
	capacity := capacityByTable{}
	out.Responses = make([]ItemResponse, len(txs))
	var charges [][]capacityCharge
	for i, item := range in.TransactItems {
		if found[i] != nil {
			out.Responses[i].Item = reads[i].project(found[i])
		}
		if e.limiter.Active() {
			charges = append(charges, readCharges(txs[i].Def(), "", item.Get.Key[txs[i].Def().Key.Hash], readUnits(sizes[i], true)*2, 0))
		}
		table := tableNameOf(*item.Get.TableName)
		capacity.add(transactional(readCapacity(in.ReturnConsumedCapacity, table, sizes[i], true), false))
	}
	if charges != nil {
		if err := e.admitAll(txs, charges); err != nil {
			out.Responses = nil
			return err
		}
	}
	out.ConsumedCapacity = capacity.list()
	return nil
}

// errTransactReadTooBig is the error for a read transaction whose items
// add up to more than 4 MB: DynamoDB Local's text (AWS documents the
// limit, no recorded response gives its words). size is the sum of the
// sizes of the items read.
func errTransactReadTooBig(size int) *Error {
	return validationErr("Payload in response is too large." + strconv.Itoa(size))
}

// checkTargets rejects empty key values and two Gets of one item.
func (in *TransactGetItemsInput) checkTargets(txs []*store.Tx) error {
	seen := targetSet{}
	for i, item := range in.TransactItems {
		if err := checkEmptyKeyValues(txs[i].Def(), item.Get.Key, false); err != nil {
			return err
		}
		if err := seen.add(txs[i], item.Get.Key); err != nil {
			return err
		}
	}
	return nil
}
