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

// Drop removes t from the catalog and reports whether it was there: false
// when t was dropped already (even if a table of the same name was created
// since, which Drop leaves alone). It takes only the catalog lock, so it may
// be called inside t's Update, making a check of the table and its removal
// one step. A dropped table stays usable by whoever still holds it.
func (c *Catalog) Drop(t *Table) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t == nil || c.tables[t.name] != t {
		return false
	}
	delete(c.tables, t.name)
	return true
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

// Reset drops every table.
func (c *Catalog) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tables = map[string]*Table{}
}

func newTree() *btree.BTreeG[*entry] {
	return btree.NewBTreeGOptions(lessEntry, btree.Options{NoLocks: true})
}

func newIndexTree() *btree.BTreeG[*ixEntry] {
	return btree.NewBTreeGOptions(lessIxEntry, btree.Options{NoLocks: true})
}
