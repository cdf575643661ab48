package store

import (
	"errors"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// drop drops tb inside its Update, as DeleteTable does, and returns Drop's
// answer.
func drop(t *testing.T, c *Catalog, tb *Table) bool {
	t.Helper()
	var ok bool
	if err := tb.Update(func(tx *Tx) error { ok = c.Drop(tx); return nil }); err != nil {
		t.Fatalf("Update around Drop: %v", err)
	}
	return ok
}

// A caller that looked a table up before it was dropped gets
// ErrTableDropped from every critical section, and its function never
// runs: no write lands in (and no change is reported for) a table no one
// can see any more.
func TestDroppedTableRefusesAccess(t *testing.T) {
	t.Parallel()
	var commits int
	c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(*Table, any, []Change) { commits++ }})
	held := mustCreate(t, c, pkSKDef("t"))
	other := mustCreate(t, c, pkSKDef("u"))
	if !drop(t, c, held) {
		t.Fatal("Drop = false for a live table")
	}
	ran := false
	fn := func(tx *Tx) error { ran = true; tx.Put(pkItem("a")); return nil }
	many := func(txs []*Tx) error { ran = true; return nil }
	for name, err := range map[string]error{
		"View":       held.View(func(*Tx) error { ran = true; return nil }),
		"Update":     held.Update(fn),
		"UpdateMany": c.UpdateMany([]*Table{other, held}, many),
		"ViewMany":   c.ViewMany([]*Table{held, other}, many),
	} {
		if !errors.Is(err, ErrTableDropped) {
			t.Errorf("%s on a dropped table = %v, want ErrTableDropped", name, err)
		}
	}
	if ran || commits != 0 {
		t.Errorf("function ran = %v, commits = %d after the drop", ran, commits)
	}
	if !drop(t, c, other) || c.Table("u") != nil {
		t.Error("Drop of the other table failed")
	}
	if err := other.Update(fn); !errors.Is(err, ErrTableDropped) {
		t.Errorf("Update after the second drop = %v", err)
	}
}

// Drop answers false for a table dropped already, and leaves a new table of
// the same name alone.
func TestDropOnce(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	old := mustCreate(t, c, pkSKDef("t"))
	if !drop(t, c, old) {
		t.Fatal("first Drop = false")
	}
	fresh := mustCreate(t, c, pkSKDef("t"))
	// The dropped table's Update fails before its function runs, so a
	// second Drop cannot even be attempted through it.
	if err := old.Update(func(tx *Tx) error { c.Drop(tx); return nil }); !errors.Is(err, ErrTableDropped) {
		t.Errorf("Update of the dropped table = %v", err)
	}
	if c.Table("t") != fresh {
		t.Error("the new table of the same name was removed")
	}
	if err := fresh.Update(func(tx *Tx) error { tx.Put(pkItem("a")); return nil }); err != nil {
		t.Errorf("Update of the new table: %v", err)
	}
}

// A failed Update undoes its Drop: the table is back in the catalog and
// usable, unless its name was taken meanwhile.
func TestDropRolledBack(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	tb := mustCreate(t, c, pkSKDef("t"))
	err := tb.Update(func(tx *Tx) error {
		if !c.Drop(tx) || c.Table("t") != nil {
			t.Error("Drop inside the Update did not remove the table")
		}
		return errBoom
	})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Update = %v", err)
	}
	if c.Table("t") != tb {
		t.Fatal("rolled-back Drop did not put the table back")
	}
	if err := tb.View(func(*Tx) error { return nil }); err != nil {
		t.Errorf("View after the rolled-back Drop: %v", err)
	}

	var fresh *Table
	err = tb.Update(func(tx *Tx) error {
		c.Drop(tx)
		fresh = mustCreate(t, c, pkSKDef("t"))
		return errBoom
	})
	if !errors.Is(err, errBoom) || c.Table("t") != fresh {
		t.Fatalf("Update = %v; the new table of the name must stay", err)
	}
	if err := tb.View(func(*Tx) error { return nil }); !errors.Is(err, ErrTableDropped) {
		t.Errorf("View of the displaced table = %v, want ErrTableDropped", err)
	}
}

// Reset marks every table dropped.
func TestResetDropsHeldTables(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	tb := mustCreate(t, c, pkSKDef("t"))
	c.Reset()
	err := tb.Update(func(tx *Tx) error { tx.Put(pkItem("a")); return nil })
	if !errors.Is(err, ErrTableDropped) {
		t.Errorf("Update after Reset = %v, want ErrTableDropped", err)
	}
}

// pkItem is an item of pkSKDef's schema.
func pkItem(pk string) attr.Item {
	return attr.Item{"pk": str(pk), "sk": num("1")}
}
