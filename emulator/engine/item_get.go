package engine

import (
	"context"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
	"github.com/dynafault/dynafault/emulator/store"
)

// GetItem returns the item with the given key, projected to
// ProjectionExpression or AttributesToGet when one is given. A missing item
// is not an error: the output has no Item.
func (e *Engine) GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	proj, paths, err := in.projection()
	if err != nil {
		return nil, err
	}
	// The key's values are validated after the projection is parsed
	// (DynamoDB Local 3.3.1).
	if err := in.hv.check(); err != nil {
		return nil, err
	}
	t, err := e.lookup(*in.TableName)
	if err != nil {
		return nil, err
	}
	out := &GetItemOutput{}
	err = t.View(func(tx *store.Tx) error {
		if err := checkKey(tx.Def(), in.Key); err != nil {
			return err
		}
		if err := checkKeyPaths(tx.Def(), paths); err != nil {
			return err
		}
		var size int
		out.Item, size = readOne(tx, in.Key, in.whole(), proj)
		consistent := in.ConsistentRead != nil && *in.ConsistentRead
		if err := e.admitRead(tx, "", in.Key[tx.Def().Key.Hash], readUnits(size, consistent)); err != nil {
			out.Item = ReadItem{}
			return err
		}
		if wantsCapacity(in.ReturnConsumedCapacity) {
			out.ConsumedCapacity = readCapacity(in.ReturnConsumedCapacity, *in.TableName, size, consistent)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validate applies GetItem's parameter constraints.
func (in *GetItemInput) validate() error {
	in.hv.current()
	var v violations
	v.checkEnum(in.ReturnConsumedCapacity, "returnConsumedCapacity", returnCapacityEnum...)
	if in.AttributesToGet != nil {
		checkAttributesToGet(&v, in.AttributesToGet)
	}
	v.checkTableName(in.TableName, "tableName")
	if in.Key == nil {
		v.add(null, "key", mustNotBeNull)
	}
	if err := v.err(); err != nil {
		return err
	}
	err := checkExpressionStyle(
		[]param{{"ProjectionExpression", in.ProjectionExpression != nil}},
		[]param{{"AttributesToGet", in.AttributesToGet != nil}},
		in.ExpressionAttributeNames != nil, false, nil)
	if err != nil {
		return err
	}
	if err := checkNameList(in.AttributesToGet); err != nil {
		return err
	}
	if dup, ok := firstDuplicate(in.AttributesToGet); ok {
		return validationErr(msgInvalidParams + "Duplicate value in attribute name: " + dup)
	}
	return nil
}

// projection parses ProjectionExpression or AttributesToGet into the
// function that shapes the returned item, and the projected paths.
func (in *GetItemInput) projection() (func(attr.Item) attr.Item, []expr.Path, error) {
	if in.AttributesToGet != nil {
		names := in.AttributesToGet
		return func(it attr.Item) attr.Item { return projectNames(it, names) }, nil, nil
	}
	if in.ProjectionExpression == nil {
		return func(it attr.Item) attr.Item { return it }, nil, nil // store items are immutable
	}
	env, err := newEnv(in.ExpressionAttributeNames, nil)
	if err != nil {
		return nil, nil, err
	}
	paths, err := expr.ParseProjection(*in.ProjectionExpression, env)
	if err != nil {
		return nil, nil, exprError(err)
	}
	if err := env.CheckUnused(); err != nil {
		return nil, nil, exprError(err)
	}
	return func(it attr.Item) attr.Item { return expr.Project(it, paths) }, paths, nil
}

// whole reports whether the item is returned whole (no projection).
func (in *GetItemInput) whole() bool {
	return in.AttributesToGet == nil && in.ProjectionExpression == nil
}

// readOne reads the item with key's key attributes as GetItem and
// BatchGetItem return it: a whole item in its packed form, without
// unpacking it, else unpacked and projected by proj. size is the whole
// item's attr.ItemSize as the store keeps it (0 when there is none).
func readOne(tx *store.Tx, key attr.Item, whole bool, proj func(attr.Item) attr.Item) (ReadItem, int) {
	r, ok := tx.GetRef(key)
	if !ok {
		return ReadItem{}, 0
	}
	if whole {
		return PackedItem(r.Packed()), r.ItemSize()
	}
	return ItemOf(proj(r.Item())), r.ItemSize()
}

// projectNames keeps the top-level attributes of it named in names.
func projectNames(it attr.Item, names []string) attr.Item {
	out := make(attr.Item, len(names))
	for _, n := range names {
		if v, ok := it[n]; ok {
			out[n] = v
		}
	}
	return out
}

// getItem returns the item with key's key attributes, or nil.
func getItem(tx *store.Tx, key attr.Item) attr.Item {
	it, ok := tx.Get(key)
	if !ok {
		return nil
	}
	return it
}

// firstDuplicate returns the first string of list seen twice.
// checkNameList rejects an empty or oversized attribute name in list.
func checkNameList(list []string) error {
	for _, n := range list {
		if m := attr.CheckName(n); m != "" {
			return validationErr(m)
		}
	}
	return nil
}

func firstDuplicate(list []string) (string, bool) {
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		if seen[s] {
			return s, true
		}
		seen[s] = true
	}
	return "", false
}

// checkAttributesToGet applies the 1-255 length constraint on AttributesToGet.
func checkAttributesToGet(v *violations, names []string) {
	value := quote("[" + strings.Join(names, ", ") + "]")
	if len(names) < 1 {
		v.add(value, "attributesToGet", minLengthFmt+"1")
	}
	if len(names) > 255 {
		v.add(value, "attributesToGet", maxLengthFmt+"255")
	}
}
