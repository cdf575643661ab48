package store

import (
	"fmt"
	"slices"
	"sync"

	"github.com/tidwall/btree"
)

// CatalogOptions configure a Catalog.
type CatalogOptions struct {
	// OnCommit, if set, is called after an Update (or, once per table, an
	// UpdateMany) whose function returned nil and that recorded at least
	// one Change. It runs under the table's write lock, after the changes
	// were applied, so calls for one table happen in commit order. meta is
	// the table's metadata as the transaction left it; changes are in the
	// order they were made and must not be modified. It must not start
	// another critical section of this package. If it panics the panic is
	// returned as a *PanicError and the transaction is rolled back.
	OnCommit func(t *Table, meta any, changes []Change)
}

// Catalog is the set of tables. Safe for concurrent use.
type Catalog struct {
	onCommit func(t *Table, meta any, changes []Change) // immutable

	mu     sync.RWMutex      // guards the fields below (not the tables' contents)
	tables map[string]*Table // by name
	seq    uint64            // number of tables ever created
}

// NewCatalog returns an empty Catalog without hooks.
func NewCatalog() *Catalog { return NewCatalogWithOptions(CatalogOptions{}) }

// NewCatalogWithOptions returns an empty Catalog.
func NewCatalogWithOptions(opts CatalogOptions) *Catalog {
	return &Catalog{onCommit: opts.OnCommit, tables: map[string]*Table{}}
}

// Create adds a table; meta is the caller's metadata, guarded by the table
// lock (see Tx.Meta). It fails with ErrTableExists if the name is taken and
// with ErrInvalidDef if def is malformed (a key attribute without a name or
// with a type other than S, N or B, a repeated index name, an unknown
// projection type).
func (c *Catalog) Create(def TableDef, meta any) (*Table, error) {
	if err := def.validate(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tables[def.Name]; ok {
		return nil, fmt.Errorf("%w: %s", ErrTableExists, def.Name)
	}
	c.seq++
	t := &Table{
		name:     def.Name,
		seq:      c.seq,
		onCommit: c.onCommit,
		def:      def.clone(),
		meta:     meta,
		primary:  newTree(),
	}
	for _, d := range t.def.Indexes {
		t.indexes = append(t.indexes, newIndex(d, t.def.Key))
	}
	c.tables[def.Name] = t
	return t, nil
}

// Table returns the named table or nil.
func (c *Catalog) Table(name string) *Table {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.tables[name]
}

// Drop removes tx's table from the catalog, marks it dropped and reports
// whether it was there: false when it was dropped already (even if a table
// of the same name was created since, which Drop leaves alone). It must be
// called inside the table's Update (tx is that Update's Tx), so that a check
// of the table and its removal are one step. Whoever still holds the table
// afterwards gets ErrTableDropped from View, Update, UpdateMany and ViewMany
// instead of working on a table no one can see. If the Update fails, the
// drop is undone unless a table of the same name was created meanwhile.
func (c *Catalog) Drop(tx *Tx) bool {
	tx.check(true)
	t := tx.t
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.dropped || c.tables[t.name] != t {
		return false
	}
	delete(c.tables, t.name)
	t.dropped = true
	tx.undo = append(tx.undo, func() { c.restore(t) })
	return true
}

// restore puts a dropped t back unless its name was taken meanwhile. Must
// be called with t.mu held for writing.
func (c *Catalog) restore(t *Table) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, taken := c.tables[t.name]; !taken {
		c.tables[t.name] = t
		t.dropped = false
	}
}

// Names returns all table names in byte order.
func (c *Catalog) Names() []string {
	c.mu.RLock()
	names := make([]string, 0, len(c.tables))
	for n := range c.tables {
		names = append(names, n)
	}
	c.mu.RUnlock()
	slices.Sort(names)
	return names
}

// Reset drops every table: each is marked dropped as Drop does, once the
// operations holding its lock are done.
func (c *Catalog) Reset() {
	c.mu.Lock()
	old := c.tables
	c.tables = map[string]*Table{}
	c.mu.Unlock()
	for _, t := range old {
		t.mu.Lock()
		t.dropped = true
		t.mu.Unlock()
	}
}

func newTree() *btree.BTreeG[*entry] {
	return btree.NewBTreeGOptions(lessEntry, btree.Options{NoLocks: true})
}

func newIndexTree() *btree.BTreeG[*ixEntry] {
	return btree.NewBTreeGOptions(lessIxEntry, btree.Options{NoLocks: true})
}
