package engine

import (
	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Capacity unit arithmetic (DynamoDB developer guide, "Capacity unit
// consumption"): a write costs one unit per started KB of the larger of the
// old and the new item, at least one; a read costs one unit per started
// 4 KB of the item read (a missing item counts as one unit), halved for an
// eventually consistent read. A secondary index costs writes too: putting
// an entry into the index, removing one, or rewriting one whose projected
// attributes changed costs one unit per started KB of the index entry, and
// moving an entry to a new index key costs the removal plus the put.

const (
	writeUnitSize = 1024
	readUnitSize  = 4 * 1024
)

// wantsCapacity reports whether ReturnConsumedCapacity asks for a report.
func wantsCapacity(mode *string) bool {
	return mode != nil && (*mode == capacityTotal || *mode == capacityIndexes)
}

// units is the number of started size-byte blocks in n bytes, at least 1.
func units(n, size int) float64 {
	u := (n + size - 1) / size
	if u < 1 {
		u = 1
	}
	return float64(u)
}

// itemSize is attr.ItemSize, 0 for a missing item.
func itemSize(it attr.Item) int {
	if it == nil {
		return 0
	}
	return attr.ItemSize(it)
}

// readCapacity reports a single-item read of an item of size bytes.
func readCapacity(mode *string, table string, size int, consistent bool) *ConsumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	u := units(size, readUnitSize)
	if !consistent {
		u /= 2
	}
	cc := &ConsumedCapacity{TableName: table, CapacityUnits: u}
	if *mode == capacityIndexes {
		cc.Table = &Capacity{CapacityUnits: u}
	}
	return cc
}

// writeCapacity reports a single-item write that replaced old (nil when
// there was none) by new (nil for a delete) in a table shaped like def.
func writeCapacity(mode *string, table string, def store.TableDef, old, new attr.Item) *ConsumedCapacity {
	if !wantsCapacity(mode) {
		return nil
	}
	tableUnits := units(max(itemSize(old), itemSize(new)), writeUnitSize)
	cc := &ConsumedCapacity{TableName: table, CapacityUnits: tableUnits}
	indexes := *mode == capacityIndexes
	if indexes {
		cc.Table = &Capacity{CapacityUnits: tableUnits}
	}
	for _, ix := range def.Indexes {
		u := indexWriteUnits(def, ix, old, new)
		if u == 0 {
			continue
		}
		cc.CapacityUnits += u
		if indexes {
			cc.addIndex(ix, u)
		}
	}
	return cc
}

// addIndex records u units consumed by index ix.
func (cc *ConsumedCapacity) addIndex(ix store.IndexDef, u float64) {
	m := &cc.GlobalSecondaryIndexes
	if ix.Local {
		m = &cc.LocalSecondaryIndexes
	}
	if *m == nil {
		*m = map[string]Capacity{}
	}
	(*m)[ix.Name] = Capacity{CapacityUnits: u}
}

// indexWriteUnits is what replacing old by new costs in index ix.
func indexWriteUnits(def store.TableDef, ix store.IndexDef, old, new attr.Item) float64 {
	oldEntry := indexEntry(def, ix, old)
	newEntry := indexEntry(def, ix, new)
	switch {
	case oldEntry == nil && newEntry == nil:
		return 0
	case oldEntry == nil:
		return units(attr.ItemSize(newEntry), writeUnitSize)
	case newEntry == nil:
		return units(attr.ItemSize(oldEntry), writeUnitSize)
	}
	if !sameIndexKey(ix, oldEntry, newEntry) {
		return units(attr.ItemSize(oldEntry), writeUnitSize) + units(attr.ItemSize(newEntry), writeUnitSize)
	}
	if itemsEqual(oldEntry, newEntry) {
		return 0
	}
	return units(max(attr.ItemSize(oldEntry), attr.ItemSize(newEntry)), writeUnitSize)
}

// indexEntry is the projection of item that index ix stores, or nil when
// item is nil or lacks one of the index key attributes (a sparse index).
func indexEntry(def store.TableDef, ix store.IndexDef, item attr.Item) attr.Item {
	if item == nil {
		return nil
	}
	for _, k := range indexKeyAttrs(ix.Key) {
		if _, ok := item[k.name]; !ok {
			return nil
		}
	}
	if ix.Projection.Type == "ALL" {
		return item
	}
	entry := keyOf(def, item)
	for _, k := range indexKeyAttrs(ix.Key) {
		entry[k.name] = item[k.name]
	}
	for _, name := range ix.Projection.NonKey {
		if v, ok := item[name]; ok {
			entry[name] = v
		}
	}
	return entry
}

// sameIndexKey reports whether two entries of ix have equal index keys.
func sameIndexKey(ix store.IndexDef, a, b attr.Item) bool {
	for _, k := range indexKeyAttrs(ix.Key) {
		if !attr.Equal(a[k.name], b[k.name]) {
			return false
		}
	}
	return true
}

// itemsEqual reports whether two items hold the same attributes with equal
// values.
func itemsEqual(a, b attr.Item) bool {
	return attr.Equal(attr.Map(a), attr.Map(b))
}

// Item collection metrics: for a table with local secondary indexes, a
// write reports the size of the item collection it touched (the table
// items sharing its partition key plus their LSI entries) as a 1 GB wide
// estimate range.

const bytesPerGB = 1 << 30

// collectionMetrics reports the item collection of partition key value
// hash when mode is SIZE and the table has an LSI; nil otherwise. It must
// run inside the write's critical section, after the write.
func collectionMetrics(tx *store.Tx, def store.TableDef, mode *string, key attr.Item) *ItemCollectionMetrics {
	if str(mode) != "SIZE" || !hasLocalIndex(def) {
		return nil
	}
	hash, ok := key[def.Key.Hash]
	if !ok {
		return nil
	}
	var size int
	err := tx.Query("", hash, store.KeyRange{}, true, nil, func(it attr.Item) bool {
		size += attr.ItemSize(it)
		for _, ix := range def.Indexes {
			if e := indexEntry(def, ix, it); ix.Local && e != nil {
				size += attr.ItemSize(e)
			}
		}
		return true
	})
	if err != nil {
		return nil
	}
	lower := float64(size / bytesPerGB)
	return &ItemCollectionMetrics{
		ItemCollectionKey:   attr.Item{def.Key.Hash: hash},
		SizeEstimateRangeGB: []float64{lower, lower + 1},
	}
}

// hasLocalIndex reports whether def has a local secondary index.
func hasLocalIndex(def store.TableDef) bool {
	for _, ix := range def.Indexes {
		if ix.Local {
			return true
		}
	}
	return false
}
