package engine

import (
	"context"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Query returns the items of one partition of a table or secondary index,
// in sort-key order (reversed with ScanIndexForward=false), restricted by
// the key condition, one page at a time: a page ends after Limit items
// were evaluated or 1 MB was read, and then carries LastEvaluatedKey. The
// filter runs after that, so a page may hold fewer items than it read.
func (e *Engine) Query(ctx context.Context, in *QueryInput) (*QueryOutput, error) {
	exprs, err := in.validate()
	if err != nil {
		return nil, err
	}
	t, err := e.lookup(*in.TableName)
	if err != nil {
		return nil, err
	}
	consistent := in.ConsistentRead != nil && *in.ConsistentRead
	out := &QueryOutput{}
	err = t.View(func(tx *store.Tx) error {
		target, err := e.resolveTarget(tx, in.IndexName, consistent)
		if err != nil {
			return err
		}
		kc, err := in.bind(exprs, target)
		if err != nil {
			return err
		}
		sel := resolveSelect(in.Select, exprs.hasProj, in.IndexName != nil)
		p := newPager(target, exprs, sel, in.Limit)
		forward := in.ScanIndexForward == nil || *in.ScanIndexForward
		var after attr.Item
		if in.ExclusiveStartKey != nil {
			after = attr.Item(in.ExclusiveStartKey)
		}
		if err := tx.QueryRef(target.index, kc.Hash, keyRange(kc), forward, after, p.visit); err != nil {
			return AsError(err)
		}
		out.Items, out.Count, out.ScannedCount = p.items, p.count, p.scanned
		out.LastEvaluatedKey = p.lastEvaluatedKey()
		out.ConsumedCapacity = p.capacity(in.ReturnConsumedCapacity, t.Name(), consistent)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// bind applies the checks that need the table: the key condition against
// the key schema, the exclusive start key, the projection and filter
// against the key attributes, and Select against the index projection.
func (in *QueryInput) bind(exprs *readExprs, target *readTarget) (*expr.KeyCondition, error) {
	if in.ExclusiveStartKey != nil && len(in.ExclusiveStartKey) != len(target.startNames) {
		return nil, validationErr(msgStartKeyInvalid)
	}
	kc, err := bindKeyCondition(in, exprs.env, target)
	if err != nil {
		return nil, err
	}
	if in.ExclusiveStartKey != nil {
		if err := checkStartTableKey(target.def, in.ExclusiveStartKey); err != nil {
			return nil, err
		}
		if err := checkStartBounds(kc, target.key, in.ExclusiveStartKey, target.index != ""); err != nil {
			return nil, err
		}
	}
	if err := checkKeyPaths(target.def, exprs.projPaths); err != nil {
		return nil, err
	}
	if err := checkFilterKeys(target.key, exprs); err != nil {
		return nil, err
	}
	sel := resolveSelect(in.Select, exprs.hasProj, in.IndexName != nil)
	if err := target.checkSelectAll(sel); err != nil {
		return nil, err
	}
	return kc, checkKeyPaths(target.def, exprs.filterPaths)
}

// checkStartTableKey checks the table key part of an exclusive start key.
func checkStartTableKey(def store.TableDef, start StartKey) error {
	key := keyOf(def, attr.Item(start))
	if err := checkKey(def, key); err != nil {
		return validationErr(msgStartKeyInvalid + ": " + AsError(err).Message)
	}
	return nil
}

// checkFilterKeys rejects a Query filter on a key attribute of the table
// or index being queried.
func checkFilterKeys(ks store.KeySchema, exprs *readExprs) error {
	for _, name := range keyNames(ks) {
		for _, p := range exprs.filterPaths {
			if p[0].Name == name {
				return validationErr(exprs.filterName +
					" can only contain non-primary key attributes: Primary key attribute: " + name)
			}
		}
	}
	return nil
}
