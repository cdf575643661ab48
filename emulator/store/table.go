package store

import (
	"cmp"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/tidwall/btree"
)

// Table is one table with its indexes. Safe for concurrent use; its data is
// reached only through View, Update and Catalog.UpdateMany.
type Table struct {
	name     string                                     // immutable
	seq      uint64                                     // immutable; breaks lock-order ties between equal names
	onCommit func(t *Table, meta any, changes []Change) // immutable

	mu      sync.RWMutex          // guards every field below
	def     TableDef              // private copy; Tx.Def returns clones
	meta    any                   // the caller's metadata
	primary *btree.BTreeG[*entry] // items in key order
	indexes []*index              // in def.Indexes order
	count   int64                 // number of items
	size    int64                 // sum of attr.ItemSize over the items
	dropped bool                  // removed from its catalog (Catalog.Drop, Reset)
}

// Name returns the table name.
func (t *Table) Name() string { return t.name }

// View runs fn under the table's read lock. Mutating Tx methods panic
// (ErrReadOnly), which View returns as a *PanicError. On a dropped table it
// returns ErrTableDropped without calling fn.
func (t *Table) View(fn func(tx *Tx) error) error {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if err := checkLive(t); err != nil {
		return err
	}
	tx := &Tx{t: t}
	defer tx.close()
	return protect(func() error { return fn(tx) })
}

// Update runs fn under the table's write lock. If fn returns an error or
// panics, every change it made is rolled back and the error (a *PanicError
// for a panic) is returned; otherwise the OnCommit hook sees the changes.
// On a dropped table it returns ErrTableDropped without calling fn.
func (t *Table) Update(fn func(tx *Tx) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := checkLive(t); err != nil {
		return err
	}
	tx := &Tx{t: t, write: true}
	defer tx.close()
	err := protect(func() error { return fn(tx) })
	if err == nil {
		err = tx.commit()
	}
	if err != nil {
		tx.rollback()
	}
	return err
}

// UpdateMany runs fn with write access to several tables at once, for
// TransactWriteItems and BatchWriteItem. It locks the tables in name order
// (each table once; txs[i] belongs to tables[i], so a repeated table gets
// the same *Tx twice). If fn returns an error or panics, every table is
// rolled back; otherwise the OnCommit hook runs for each table, in name
// order, before any lock is released. If one of the tables was dropped it
// returns ErrTableDropped without calling fn.
func (c *Catalog) UpdateMany(tables []*Table, fn func(txs []*Tx) error) error {
	if slices.Contains(tables, nil) {
		return errNilTable
	}
	order := lockOrder(tables)
	for _, t := range order {
		t.mu.Lock()
		defer t.mu.Unlock()
	}
	if err := checkLive(order...); err != nil {
		return err
	}
	txs, byTable := newTxs(tables, order, true)
	err := protect(func() error { return fn(txs) })
	for _, t := range order {
		if err == nil {
			err = byTable[t].commit()
		}
	}
	for _, t := range slices.Backward(order) {
		if err != nil {
			byTable[t].rollback()
		}
		byTable[t].close()
	}
	return err
}

// ViewMany runs fn with read access to several tables at once, seeing one
// consistent state of all of them (for TransactGetItems). It read-locks the
// tables in name order; txs[i] belongs to tables[i]. If one of the tables
// was dropped it returns ErrTableDropped without calling fn.
func (c *Catalog) ViewMany(tables []*Table, fn func(txs []*Tx) error) error {
	if slices.Contains(tables, nil) {
		return errNilTable
	}
	order := lockOrder(tables)
	for _, t := range order {
		t.mu.RLock()
		defer t.mu.RUnlock()
	}
	if err := checkLive(order...); err != nil {
		return err
	}
	txs, byTable := newTxs(tables, order, false)
	defer func() {
		for _, tx := range byTable {
			tx.close()
		}
	}()
	return protect(func() error { return fn(txs) })
}

// checkLive returns ErrTableDropped, naming the first dropped table of
// tables, or nil. Must be called with the tables' locks held.
func checkLive(tables ...*Table) error {
	for _, t := range tables {
		if t.dropped {
			return fmt.Errorf("%w: %s", ErrTableDropped, t.name)
		}
	}
	return nil
}

// newTxs returns one Tx per distinct table, and the Txs in the caller's
// order.
func newTxs(tables, order []*Table, write bool) ([]*Tx, map[*Table]*Tx) {
	byTable := make(map[*Table]*Tx, len(order))
	for _, t := range order {
		byTable[t] = &Tx{t: t, write: write}
	}
	txs := make([]*Tx, len(tables))
	for i, t := range tables {
		txs[i] = byTable[t]
	}
	return txs, byTable
}

// lockOrder returns the distinct tables sorted by name (then creation).
func lockOrder(tables []*Table) []*Table {
	order := slices.Clone(tables)
	slices.SortFunc(order, func(a, b *Table) int {
		return cmp.Or(cmp.Compare(a.name, b.name), cmp.Compare(a.seq, b.seq))
	})
	return slices.Compact(order)
}

// protect runs fn, turning a panic into a *PanicError.
func protect(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// commit calls the OnCommit hook. Must be called with t.mu held for writing.
func (tx *Tx) commit() error {
	t := tx.t
	if t.onCommit == nil || len(tx.changes) == 0 {
		return nil
	}
	return protect(func() error {
		t.onCommit(t, t.meta, tx.changes)
		return nil
	})
}

// rollback undoes everything tx did, newest first. Must be called with
// t.mu held for writing.
func (tx *Tx) rollback() {
	for _, undo := range slices.Backward(tx.undo) {
		undo()
	}
	tx.undo, tx.changes = nil, nil
}
