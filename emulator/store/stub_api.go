// Package store holds tables and their secondary indexes in memory over
// tidwall/btree. It is the only package with data locks.
package store

import "github.com/dynafault/dynafault/emulator/attr"

// THIS FILE IS A PLACEHOLDER holding the minimum API contract of package
// store that package engine codes against. The real implementation replaces
// it (and may add to it); delete this file when that exists.

// KeySchema names the key attributes of a table or an index. Range is ""
// when there is no sort key.
type KeySchema struct {
	Hash, Range         string
	HashType, RangeType attr.Type // S, N or B; RangeType is Invalid when Range is ""
}

// Projection is what an index stores besides its keys and the table keys.
type Projection struct {
	Type   string   // "ALL", "KEYS_ONLY" or "INCLUDE"
	NonKey []string // INCLUDE only
}

// IndexDef defines one secondary index.
type IndexDef struct {
	Name       string
	Local      bool // LSI (same partition key as the table) or GSI
	Key        KeySchema
	Projection Projection
}

// TableDef is what the store needs to know about a table's shape.
type TableDef struct {
	Name    string
	Key     KeySchema
	Indexes []IndexDef
}

// Catalog is the set of tables. Safe for concurrent use.
type Catalog struct{}

// NewCatalog returns an empty Catalog.
func NewCatalog() *Catalog { return &Catalog{} }

// Create adds a table; meta is the caller's metadata, guarded by the table
// lock (see Tx.Meta). It fails with ErrTableExists if the name is taken.
func (c *Catalog) Create(def TableDef, meta any) (*Table, error) { panic("unimplemented") }

// Table returns the named table or nil.
func (c *Catalog) Table(name string) *Table { panic("unimplemented") }

// Drop removes the named table and returns it, or nil if there was none.
func (c *Catalog) Drop(name string) *Table { panic("unimplemented") }

// Names returns all table names in byte order.
func (c *Catalog) Names() []string { panic("unimplemented") }

// Table is one table with its indexes.
type Table struct{}

// Name returns the table name.
func (t *Table) Name() string { panic("unimplemented") }

// View runs fn under the table's read lock.
func (t *Table) View(fn func(tx *Tx) error) error { panic("unimplemented") }

// Update runs fn under the table's write lock.
func (t *Table) Update(fn func(tx *Tx) error) error { panic("unimplemented") }

// Tx is access to one table inside View or Update. It must not be used after
// fn returns. Mutating methods panic inside View.
type Tx struct{}

// Def returns the table's definition.
func (tx *Tx) Def() TableDef { panic("unimplemented") }

// Meta returns the caller's metadata for the table.
func (tx *Tx) Meta() any { panic("unimplemented") }

// SetMeta replaces the caller's metadata (Update only).
func (tx *Tx) SetMeta(m any) { panic("unimplemented") }

// Get returns the item whose key attributes equal those in key (key may hold
// more attributes; only the table's key attributes are read).
func (tx *Tx) Get(key attr.Item) (attr.Item, bool) { panic("unimplemented") }

// Put stores item (which must hold the key attributes), replacing any item
// with the same key, and returns the replaced item. The store keeps item:
// the caller must not modify it afterwards.
func (tx *Tx) Put(item attr.Item) (old attr.Item, existed bool) { panic("unimplemented") }

// Delete removes the item with key's key attributes and returns it.
func (tx *Tx) Delete(key attr.Item) (old attr.Item, existed bool) { panic("unimplemented") }

// ItemCount is the number of items in the table.
func (tx *Tx) ItemCount() int64 { panic("unimplemented") }

// SizeBytes is the sum of attr.ItemSize over the table's items.
func (tx *Tx) SizeBytes() int64 { panic("unimplemented") }
