package store

import (
	"fmt"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/tidwall/btree"
)

// index is one secondary index. All fields are guarded by the owning
// table's mu.
type index struct {
	def   IndexDef                // immutable
	table KeySchema               // the table's key; immutable
	attrs []string                // attributes of a non-ALL projection; immutable
	tree  *btree.BTreeG[*ixEntry] // entries pointing at the primary entries
	count int64                   // number of entries
	size  int64                   // sum of the projected items' attr.ItemSize
}

func newIndex(def IndexDef, table KeySchema) *index {
	ix := &index{def: def.clone(), table: table, tree: newIndexTree()}
	if def.Projection.Type == ProjectAll {
		return ix
	}
	var names []string
	for _, a := range append(def.Key.HashAttrs(), def.Key.RangeAttrs()...) {
		names = append(names, a.Name)
	}
	names = append(names, table.Hash, table.Range)
	if def.Projection.Type == ProjectInclude {
		names = append(names, def.Projection.NonKey...)
	}
	seen := map[string]bool{"": true}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			ix.attrs = append(ix.attrs, n)
		}
	}
	return ix
}

// entryFor returns the index entry of the table entry e, or nil if e is nil
// or absent from the (sparse) index.
func (ix *index) entryFor(e *entry) *ixEntry {
	if e == nil {
		return nil
	}
	k, err := packedKeyOf(ix.def.Key, e.data)
	if err != nil {
		return nil
	}
	return &ixEntry{hash: k.hash, pk: k.parts[0], sk: k.parts[1], row: e, size: ix.projectedSize(e), n: 4}
}

// projectedSize is the attr.ItemSize of what the index projects of e.
func (ix *index) projectedSize(e *entry) int32 {
	if ix.attrs == nil {
		return e.size
	}
	n := 0
	for _, name := range ix.attrs {
		if v, ok := attr.PackedAttr(e.data, name); ok {
			n += len(name) + attr.Size(v)
		}
	}
	return int32(n)
}

// apply replaces the index entry prev by next (either may be nil). Must be
// called with the table's mu held for writing.
func (ix *index) apply(prev, next *ixEntry) {
	if prev != nil && (next == nil || compareIxEntries(prev, next) != 0) {
		ix.tree.Delete(prev)
	}
	if next != nil {
		ix.tree.Set(next)
	}
	ix.count, ix.size = adjust(ix.count, ix.size, prev, next)
}

// index returns the named index. Must be called with t.mu held.
func (t *Table) index(name string) (*index, error) {
	for _, ix := range t.indexes {
		if ix.def.Name == name {
			return ix, nil
		}
	}
	return nil, fmt.Errorf("%w: %s", ErrNoSuchIndex, name)
}

// IndexStats returns the number of items in the named index and the sum of
// their projected sizes (attr.ItemSize of the projected item). An unknown
// index has (0, 0).
func (tx *Tx) IndexStats(index string) (itemCount, sizeBytes int64) {
	tx.check(false)
	ix, err := tx.t.index(index)
	if err != nil {
		return 0, 0
	}
	return ix.count, ix.size
}

// SetDef replaces the table's definition (Update only). The name and the
// table's key schema cannot change. An index that is new, or whose key or
// projection changed, is built from the current items (backfill); indexes
// absent from def are dropped. A malformed def panics with ErrInvalidDef,
// so Update returns that error after rolling back.
func (tx *Tx) SetDef(def TableDef) {
	tx.check(true)
	t := tx.t
	if err := def.validate(); err != nil {
		panic(err)
	}
	if def.Name != t.def.Name || !def.Key.Equal(t.def.Key) {
		panic(fmt.Errorf("%w: the table name and key schema cannot change", ErrInvalidDef))
	}
	def = def.clone()
	indexes := make([]*index, 0, len(def.Indexes))
	for _, d := range def.Indexes {
		if ix, err := t.index(d.Name); err == nil && ix.def.equal(d) {
			indexes = append(indexes, ix)
			continue
		}
		indexes = append(indexes, t.backfill(d))
	}
	oldDef, oldIndexes := t.def, t.indexes
	t.def, t.indexes = def, indexes
	tx.undo = append(tx.undo, func() { t.def, t.indexes = oldDef, oldIndexes })
}

// backfill builds the index d over the current items, leaving out the
// items whose key values DynamoDB could not index (index key violations:
// an S or B partition-key value over 2,048 bytes, a sort-key value or the
// sum of a multi-attribute sort key over 1,024). Must be called with t.mu
// held.
func (t *Table) backfill(d IndexDef) *index {
	ix := newIndex(d, t.def.Key)
	t.primary.Scan(func(e *entry) bool {
		if ie := ix.entryFor(e); ie != nil && !ix.violates(e) {
			ix.apply(nil, ie)
		}
		return true
	})
	return ix
}

// Index key size limits of DynamoDB, in bytes.
const (
	maxIndexHashBytes  = 2048
	maxIndexRangeBytes = 1024
)

// violates reports whether the index key values of e exceed DynamoDB's
// size limits (writes are checked by the engine; this catches items
// written before the index existed).
func (ix *index) violates(e *entry) bool {
	for _, a := range ix.def.Key.HashAttrs() {
		if v, _ := attr.PackedAttr(e.data, a.Name); v.Type != attr.N && len(v.S) > maxIndexHashBytes {
			return true
		}
	}
	total := 0
	for _, a := range ix.def.Key.RangeAttrs() {
		v, _ := attr.PackedAttr(e.data, a.Name)
		if v.Type != attr.N && len(v.S) > maxIndexRangeBytes {
			return true
		}
		total += attr.Size(v)
	}
	return len(ix.def.Key.RangeAttrs()) > 1 && total > maxIndexRangeBytes
}
