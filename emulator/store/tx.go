package store

import (
	"github.com/dynafault/dynafault/emulator/attr"
)

// Change is one Put or Delete inside an Update: Old is nil for an insert,
// New is nil for a delete. A Put that stores an item equal to the old one is
// still a Change; deciding that nothing changed is the caller's business.
type Change struct {
	Old, New attr.Item
	// OldPacked and NewPacked are the packed forms the store keeps of Old
	// and New (attr.PackString; "" for an absent item). They are immutable
	// and may be kept, e.g. by a stream record, without copying.
	OldPacked, NewPacked string
	// Cause says who made the change: a client request (CauseRequest, the
	// zero value) or the service itself (CauseTTL for a TTL expiry).
	Cause Cause
}

// Cause is who made a Change.
type Cause uint8

// The causes of a change.
const (
	CauseRequest Cause = iota // a client request
	CauseTTL                  // the TTL sweeper deleting an expired item
)

// Tx is access to one table inside View or Update. It must not be used after
// fn returns (its methods then panic with ErrTxClosed) nor from another
// goroutine than fn's while fn runs. Mutating methods panic inside View
// and inside the callback of a Query or Scan.
type Tx struct {
	t       *Table
	write   bool     // inside Update
	closed  bool     // fn returned
	walking int      // Query or Scan callbacks running
	undo    []func() // inverse operations, applied newest first on rollback
	changes []Change // Puts and Deletes, oldest first
	cause   Cause    // recorded on the Changes made from now on
	last    read     // the item of the entry read or written last
}

// read is an entry and its unpacked item. A write usually reads its item
// first (a condition, ReturnValues), so Put and Delete reuse that map for
// old and the Change instead of unpacking the entry again.
type read struct {
	e  *entry
	it attr.Item
}

// itemOf returns the item of e, unpacking it unless it is tx.last.
func (tx *Tx) itemOf(e *entry) attr.Item {
	if tx.last.e != e {
		tx.last = read{e: e, it: e.item()}
	}
	return tx.last.it
}

// SetCause records c as the Cause of the changes this Tx makes from now on
// (Update only).
func (tx *Tx) SetCause(c Cause) {
	tx.check(true)
	tx.cause = c
}

func (tx *Tx) check(write bool) {
	if tx.closed {
		panic(ErrTxClosed)
	}
	if write && !tx.write {
		panic(ErrReadOnly)
	}
	if write && tx.walking > 0 {
		panic(ErrWriteInIteration)
	}
}

func (tx *Tx) close() { tx.closed = true }

// Table returns the table tx works on.
func (tx *Tx) Table() *Table { return tx.t }

// Def returns (a copy of) the table's definition.
func (tx *Tx) Def() TableDef {
	tx.check(false)
	return tx.t.def.clone()
}

// Meta returns the caller's metadata for the table.
func (tx *Tx) Meta() any {
	tx.check(false)
	return tx.t.meta
}

// SetMeta replaces the caller's metadata (Update only). A rollback restores
// the previous value (the value itself, not changes made inside it).
func (tx *Tx) SetMeta(m any) {
	tx.check(true)
	t, old := tx.t, tx.t.meta
	t.meta = m
	tx.undo = append(tx.undo, func() { t.meta = old })
}

// Get returns the item whose key attributes equal those in key (key may hold
// more attributes; only the table's key attributes are read). A key lacking
// a key attribute, or holding one of the wrong type, finds nothing.
func (tx *Tx) Get(key attr.Item) (attr.Item, bool) {
	tx.check(false)
	e := tx.t.lookup(key)
	if e == nil {
		return nil, false
	}
	return tx.itemOf(e), true
}

// Put stores item (which must hold the key attributes), replacing any item
// with the same key, and returns the replaced item. The store keeps a
// packed copy of item; item itself becomes the New of the Change, so the
// caller must not modify it afterwards. An item without its key attributes
// (or with one of the wrong type) panics with ErrInvalidKey, so Update
// returns that error after rolling back. old is also the Old of the Change.
func (tx *Tx) Put(item attr.Item) (old attr.Item, existed bool) {
	tx.check(true)
	t := tx.t
	data := attr.PackString(item)
	k, err := packedKeyOf(t.def.Key, data) // key parts sharing data's memory
	if err != nil {
		panic(err)
	}
	next := &entry{hash: k.hash, pk: k.parts[0], sk: k.parts[1], data: data, size: int32(attr.ItemSize(item)), n: 2}
	prev, _ := t.primary.Get(next)
	if prev != nil {
		old = tx.itemOf(prev)
	}
	tx.apply(t.plan(prev, next), old, item)
	tx.last = read{e: next, it: item}
	return old, prev != nil
}

// Delete removes the item with key's key attributes and returns it. A key
// lacking a key attribute, or holding one of the wrong type, deletes nothing.
func (tx *Tx) Delete(key attr.Item) (old attr.Item, existed bool) {
	tx.check(true)
	prev := tx.t.lookup(key)
	if prev == nil {
		return nil, false
	}
	old = tx.itemOf(prev)
	tx.apply(tx.t.plan(prev, nil), old, nil)
	return old, true
}

// ItemCount is the number of items in the table.
func (tx *Tx) ItemCount() int64 {
	tx.check(false)
	return tx.t.count
}

// SizeBytes is the sum of attr.ItemSize over the table's items.
func (tx *Tx) SizeBytes() int64 {
	tx.check(false)
	return tx.t.size
}

// apply applies p, logging its inverse and the Change from oldItem to
// newItem (the items of p.prev and p.next).
func (tx *Tx) apply(p plan, oldItem, newItem attr.Item) {
	t := tx.t
	t.apply(p)
	tx.undo = append(tx.undo, func() { t.apply(p.inverse()) })
	tx.changes = append(tx.changes, Change{Old: oldItem, New: newItem, OldPacked: p.prev.packed(), NewPacked: p.next.packed(), Cause: tx.cause})
}

// lookup returns the primary entry for the key attributes in key, or nil.
// Must be called with t.mu held.
func (t *Table) lookup(key attr.Item) *entry {
	k, err := keyOf(t.def.Key, key)
	if err != nil {
		return nil
	}
	e, _ := t.primary.Get(k.entry())
	return e
}

// plan is one write, fully computed before anything changes: the primary
// entry before (nil if absent) and after (nil to delete), and the same for
// every index.
type plan struct {
	prev, next *entry
	ix         []ixWrite
}

type ixWrite struct {
	ix         *index
	prev, next *ixEntry // nil when the item is absent from the index
}

// plan computes the write replacing prev by next. Must be called with t.mu
// held. It may panic (on a malformed value); it changes nothing.
func (t *Table) plan(prev, next *entry) plan {
	p := plan{prev: prev, next: next, ix: make([]ixWrite, 0, len(t.indexes))}
	for _, ix := range t.indexes {
		w := ixWrite{ix: ix, prev: ix.entryFor(prev), next: ix.entryFor(next)}
		if w.prev != nil || w.next != nil {
			p.ix = append(p.ix, w)
		}
	}
	return p
}

func (p plan) inverse() plan {
	inv := plan{prev: p.next, next: p.prev, ix: make([]ixWrite, len(p.ix))}
	for i, w := range p.ix {
		inv.ix[i] = ixWrite{ix: w.ix, prev: w.next, next: w.prev}
	}
	return inv
}

// apply performs p: tree operations and counters only, nothing that can
// fail. Must be called with t.mu held for writing.
func (t *Table) apply(p plan) {
	switch {
	case p.next != nil:
		t.primary.Set(p.next)
	case p.prev != nil:
		t.primary.Delete(p.prev)
	}
	t.count, t.size = adjust(t.count, t.size, p.prev, p.next)
	for _, w := range p.ix {
		w.ix.apply(w.prev, w.next)
	}
}
