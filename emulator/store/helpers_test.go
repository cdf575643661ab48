package store

import (
	"errors"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func str(s string) attr.Value  { return attr.Str(s) }
func num(s string) attr.Value  { return attr.Num(s) }
func bin(b ...byte) attr.Value { return attr.Bin(b) }

// pkSKDef is a table with an S partition key "pk" and an N sort key "sk".
func pkSKDef(name string) TableDef {
	return TableDef{Name: name, Key: KeySchema{Hash: "pk", HashType: attr.S, Range: "sk", RangeType: attr.N}}
}

func mustCreate(tb testing.TB, c *Catalog, def TableDef) *Table {
	tb.Helper()
	t, err := c.Create(def, nil)
	if err != nil {
		tb.Fatalf("Create(%s): %v", def.Name, err)
	}
	return t
}

func newTable(tb testing.TB, def TableDef) *Table {
	tb.Helper()
	return mustCreate(tb, NewCatalog(), def)
}

func mustUpdate(tb testing.TB, t *Table, fn func(tx *Tx)) {
	tb.Helper()
	if err := t.Update(func(tx *Tx) error { fn(tx); return nil }); err != nil {
		tb.Fatalf("Update: %v", err)
	}
}

func mustView(tb testing.TB, t *Table, fn func(tx *Tx)) {
	tb.Helper()
	if err := t.View(func(tx *Tx) error { fn(tx); return nil }); err != nil {
		tb.Fatalf("View: %v", err)
	}
}

func putAll(tb testing.TB, t *Table, items ...attr.Item) {
	tb.Helper()
	mustUpdate(tb, t, func(tx *Tx) {
		for _, it := range items {
			tx.Put(it)
		}
	})
}

func query(tb testing.TB, t *Table, index string, hash attr.Value, r KeyRange, forward bool, after attr.Item) []attr.Item {
	tb.Helper()
	items, err := tryQuery(t, index, hash, r, forward, after)
	if err != nil {
		tb.Fatalf("Query: %v", err)
	}
	return items
}

func tryQuery(t *Table, index string, hash attr.Value, r KeyRange, forward bool, after attr.Item) ([]attr.Item, error) {
	var items []attr.Item
	err := t.View(func(tx *Tx) error {
		return tx.Query(index, hash, r, forward, after, func(it attr.Item) bool {
			items = append(items, it)
			return true
		})
	})
	return items, err
}

func scan(tb testing.TB, t *Table, index string, segment, total int, after attr.Item) []attr.Item {
	tb.Helper()
	var items []attr.Item
	err := t.View(func(tx *Tx) error {
		return tx.Scan(index, segment, total, after, func(it attr.Item) bool {
			items = append(items, it)
			return true
		})
	})
	if err != nil {
		tb.Fatalf("Scan: %v", err)
	}
	return items
}

// vals returns the S field (string, canonical number or bytes) of attribute
// name in each item.
func vals(items []attr.Item, name string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it[name].S
	}
	return out
}

func wantErr(tb testing.TB, err, target error) {
	tb.Helper()
	if !errors.Is(err, target) {
		tb.Fatalf("error = %v, want %v", err, target)
	}
}
