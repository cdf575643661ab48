package store

import (
	"errors"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestPutGetDelete(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	a := attr.Item{"pk": str("a"), "sk": num("1"), "x": str("one")}
	a2 := attr.Item{"pk": str("a"), "sk": num("1"), "x": str("uno"), "y": num("2")}
	mustUpdate(t, tbl, func(tx *Tx) {
		if old, existed := tx.Put(a); existed || old != nil {
			t.Errorf("first Put: old = %v, existed = %v", old, existed)
		}
		if old, existed := tx.Put(a2); !existed || old["x"].S != "one" {
			t.Errorf("second Put: old = %v, existed = %v", old, existed)
		}
	})
	mustView(t, tbl, func(tx *Tx) {
		got, ok := tx.Get(attr.Item{"pk": str("a"), "sk": num("1"), "other": str("ignored")})
		if !ok || got["x"].S != "uno" {
			t.Errorf("Get = %v, %v", got, ok)
		}
		if tx.ItemCount() != 1 || tx.SizeBytes() != int64(attr.ItemSize(a2)) {
			t.Errorf("ItemCount, SizeBytes = %d, %d; want 1, %d", tx.ItemCount(), tx.SizeBytes(), attr.ItemSize(a2))
		}
		for _, key := range []attr.Item{
			{"pk": str("a"), "sk": num("2")},
			{"pk": str("a")},
			{"pk": str("a"), "sk": str("1")},
			{"pk": num("1"), "sk": num("1")},
		} {
			if got, ok := tx.Get(key); ok {
				t.Errorf("Get(%v) = %v, want nothing", key, got)
			}
		}
	})
	mustUpdate(t, tbl, func(tx *Tx) {
		if _, existed := tx.Delete(attr.Item{"pk": str("b"), "sk": num("1")}); existed {
			t.Error("Delete of a missing item reports existed")
		}
		if old, existed := tx.Delete(attr.Item{"pk": str("a"), "sk": num("1")}); !existed || old["x"].S != "uno" {
			t.Errorf("Delete = %v, %v", old, existed)
		}
		if tx.ItemCount() != 0 || tx.SizeBytes() != 0 {
			t.Errorf("after Delete: ItemCount, SizeBytes = %d, %d", tx.ItemCount(), tx.SizeBytes())
		}
	})
}

func TestHashOnlyTable(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, TableDef{Name: "t", Key: KeySchema{Hash: "id", HashType: attr.N}})
	putAll(t, tbl, attr.Item{"id": num("1000"), "v": str("a")}, attr.Item{"id": num("7")})
	mustView(t, tbl, func(tx *Tx) {
		if got, ok := tx.Get(attr.Item{"id": num("1000")}); !ok || got["v"].S != "a" {
			t.Errorf("Get = %v, %v", got, ok)
		}
	})
	if got := query(t, tbl, "", num("7"), KeyRange{}, true, nil); len(got) != 1 {
		t.Errorf("Query = %v, want one item", got)
	}
}

func TestPutInvalidKeyFails(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	for _, item := range []attr.Item{
		{"pk": str("a")},
		{"sk": num("1")},
		{"pk": num("1"), "sk": num("1")},
		{"pk": str("a"), "sk": str("1")},
	} {
		err := tbl.Update(func(tx *Tx) error {
			tx.Put(attr.Item{"pk": str("ok"), "sk": num("1")})
			tx.Put(item)
			return nil
		})
		wantErr(t, err, ErrInvalidKey)
	}
	mustView(t, tbl, func(tx *Tx) {
		if tx.ItemCount() != 0 {
			t.Errorf("ItemCount = %d after failed updates", tx.ItemCount())
		}
	})
}

func TestViewIsReadOnly(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	writes := map[string]func(tx *Tx){
		"Put":     func(tx *Tx) { tx.Put(attr.Item{"pk": str("a"), "sk": num("1")}) },
		"Delete":  func(tx *Tx) { tx.Delete(attr.Item{"pk": str("a"), "sk": num("1")}) },
		"SetMeta": func(tx *Tx) { tx.SetMeta(1) },
		"SetDef":  func(tx *Tx) { tx.SetDef(pkSKDef("t")) },
	}
	for name, w := range writes {
		err := tbl.View(func(tx *Tx) error { w(tx); return nil })
		var pe *PanicError
		if !errors.As(err, &pe) || !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s in View: error = %v, want a PanicError wrapping ErrReadOnly", name, err)
		}
	}
}

func TestTxUnusableAfterReturn(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	var kept *Tx
	mustView(t, tbl, func(tx *Tx) { kept = tx })
	defer func() {
		if r := recover(); r != ErrTxClosed {
			t.Errorf("recovered %v, want ErrTxClosed", r)
		}
	}()
	kept.ItemCount()
}

func TestMetaAndDef(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	tbl, err := c.Create(pkSKDef("t"), "m1")
	if err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, tbl, func(tx *Tx) {
		if tx.Meta() != "m1" {
			t.Errorf("Meta = %v", tx.Meta())
		}
		tx.SetMeta("m2")
		d := tx.Def()
		d.Key.Hash = "changed"
		if tx.Def().Key.Hash != "pk" {
			t.Error("Def returned the table's own copy")
		}
	})
	mustView(t, tbl, func(tx *Tx) {
		if tx.Meta() != "m2" || tx.Table() != tbl {
			t.Errorf("Meta = %v after SetMeta", tx.Meta())
		}
	})
}

func TestNoWriteDuringIteration(t *testing.T) {
	t.Parallel()
	tbl := numTable(t)
	err := tbl.Update(func(tx *Tx) error {
		return tx.Query("", str("p"), KeyRange{}, true, nil, func(it attr.Item) bool {
			tx.Delete(it)
			return true
		})
	})
	wantErr(t, err, ErrWriteInIteration)
	err = tbl.Update(func(tx *Tx) error {
		return tx.Scan("", 0, 1, nil, func(it attr.Item) bool {
			tx.Put(it)
			return true
		})
	})
	wantErr(t, err, ErrWriteInIteration)
	// After the walk, writes are fine again.
	mustUpdate(t, tbl, func(tx *Tx) {
		var keys []attr.Item
		_ = tx.Query("", str("p"), KeyRange{}, true, nil, func(it attr.Item) bool { keys = append(keys, it); return true })
		for _, k := range keys {
			tx.Delete(k)
		}
	})
	if got := query(t, tbl, "", str("p"), KeyRange{}, true, nil); len(got) != 0 {
		t.Errorf("%d items left", len(got))
	}
}
