package store

import (
	"fmt"
	"slices"

	"github.com/dynafault/dynafault/emulator/attr"
)

// KeySchema names the key attributes of a table or an index. Range is ""
// when there is no sort key. A global secondary index may have a
// multi-attribute key: up to four partition-key and four sort-key
// attributes, the first of each in Hash and Range, the others, in key
// schema order, in MoreHash and MoreRange (nil for a single-attribute key).
type KeySchema struct {
	Hash, Range         string
	HashType, RangeType attr.Type // S, N or B; RangeType is Invalid when Range is ""
	MoreHash, MoreRange []KeyAttr
}

// KeyAttr is one attribute of a key schema.
type KeyAttr struct {
	Name string
	Type attr.Type
}

// HashAttrs lists the partition-key attributes in key schema order.
func (ks KeySchema) HashAttrs() []KeyAttr {
	return append([]KeyAttr{{ks.Hash, ks.HashType}}, ks.MoreHash...)
}

// RangeAttrs lists the sort-key attributes in key schema order (none
// without a sort key).
func (ks KeySchema) RangeAttrs() []KeyAttr {
	if ks.Range == "" {
		return nil
	}
	return append([]KeyAttr{{ks.Range, ks.RangeType}}, ks.MoreRange...)
}

// Multi reports whether ks has more than one partition-key or sort-key
// attribute.
func (ks KeySchema) Multi() bool { return len(ks.MoreHash) > 0 || len(ks.MoreRange) > 0 }

// Equal reports whether ks and o name the same attributes with the same
// types in the same order.
func (ks KeySchema) Equal(o KeySchema) bool {
	return ks.Hash == o.Hash && ks.Range == o.Range && ks.HashType == o.HashType && ks.RangeType == o.RangeType &&
		slices.Equal(ks.MoreHash, o.MoreHash) && slices.Equal(ks.MoreRange, o.MoreRange)
}

// Projection is what an index stores besides its keys and the table keys.
type Projection struct {
	Type   string   // "ALL", "KEYS_ONLY" or "INCLUDE"
	NonKey []string // INCLUDE only
}

// Projection types.
const (
	ProjectAll      = "ALL"
	ProjectKeysOnly = "KEYS_ONLY"
	ProjectInclude  = "INCLUDE"
)

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

// Index returns the definition of the named index.
func (d TableDef) Index(name string) (IndexDef, bool) {
	for _, ix := range d.Indexes {
		if ix.Name == name {
			return ix, true
		}
	}
	return IndexDef{}, false
}

func (d TableDef) clone() TableDef {
	out := d
	out.Indexes = nil
	for _, ix := range d.Indexes {
		out.Indexes = append(out.Indexes, ix.clone())
	}
	return out
}

func (d IndexDef) clone() IndexDef {
	d.Projection.NonKey = slices.Clone(d.Projection.NonKey)
	d.Key.MoreHash, d.Key.MoreRange = slices.Clone(d.Key.MoreHash), slices.Clone(d.Key.MoreRange)
	return d
}

func (d IndexDef) equal(o IndexDef) bool {
	return d.Name == o.Name && d.Local == o.Local && d.Key.Equal(o.Key) &&
		d.Projection.Type == o.Projection.Type &&
		slices.Equal(d.Projection.NonKey, o.Projection.NonKey)
}

// Validate checks d as Catalog.Create does, for a caller that wants to
// know before it changes anything.
func (d TableDef) Validate() error { return d.validate() }

func (d TableDef) validate() error {
	if d.Name == "" {
		return fmt.Errorf("%w: empty table name", ErrInvalidDef)
	}
	if err := d.Key.validate(); err != nil {
		return fmt.Errorf("table %s: %w", d.Name, err)
	}
	seen := make(map[string]bool, len(d.Indexes))
	for _, ix := range d.Indexes {
		if ix.Name == "" || seen[ix.Name] {
			return fmt.Errorf("%w: index name %q empty or repeated", ErrInvalidDef, ix.Name)
		}
		seen[ix.Name] = true
		if err := ix.validate(); err != nil {
			return fmt.Errorf("index %s: %w", ix.Name, err)
		}
	}
	return nil
}

func (d IndexDef) validate() error {
	if err := d.Key.validate(); err != nil {
		return err
	}
	switch d.Projection.Type {
	case ProjectAll, ProjectKeysOnly, ProjectInclude:
		return nil
	}
	return fmt.Errorf("%w: projection type %q", ErrInvalidDef, d.Projection.Type)
}

func (ks KeySchema) validate() error {
	if ks.Hash == "" || !ks.HashType.IsScalarKey() {
		return fmt.Errorf("%w: partition key %q of type %q", ErrInvalidDef, ks.Hash, ks.HashType)
	}
	if ks.Range == "" && ks.RangeType != attr.Invalid {
		return fmt.Errorf("%w: sort key type %q without a name", ErrInvalidDef, ks.RangeType)
	}
	if ks.Range != "" && !ks.RangeType.IsScalarKey() {
		return fmt.Errorf("%w: sort key %q of type %q", ErrInvalidDef, ks.Range, ks.RangeType)
	}
	if ks.Range == "" && len(ks.MoreRange) > 0 {
		return fmt.Errorf("%w: more sort-key attributes without a first one", ErrInvalidDef)
	}
	if len(ks.MoreHash) > MaxKeyAttrs-1 || len(ks.MoreRange) > MaxKeyAttrs-1 {
		return fmt.Errorf("%w: more than %d partition-key or sort-key attributes", ErrInvalidDef, MaxKeyAttrs)
	}
	seen := map[string]bool{ks.Hash: true, ks.Range: ks.Range != ""}
	for _, a := range append(slices.Clone(ks.MoreHash), ks.MoreRange...) {
		if a.Name == "" || seen[a.Name] || !a.Type.IsScalarKey() {
			return fmt.Errorf("%w: key attribute %q of type %q empty, repeated or not a key type", ErrInvalidDef, a.Name, a.Type)
		}
		seen[a.Name] = true
	}
	return nil
}

// MaxKeyAttrs is the most partition-key (and sort-key) attributes a
// multi-attribute key may have.
const MaxKeyAttrs = 4
