package store

import (
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// refTable has items in two partitions and a KEYS_ONLY GSI over half of
// them.
func refTable(t *testing.T) *Table {
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectKeysOnly}))
	for i := range 6 {
		it := attr.Item{"pk": str("p" + strconv.Itoa(i%2)), "sk": num(strconv.Itoa(i)), "x": str("some value")}
		if i%2 == 0 {
			it["gpk"], it["gsk"] = str("g"), num(strconv.Itoa(i))
		}
		putAll(t, tbl, it)
	}
	return tbl
}

// wantRef checks a Ref against the item the attr.Item API returned.
func wantRef(t *testing.T, r Ref, want attr.Item, size int) {
	t.Helper()
	if !attr.Equal(attr.Map(r.Item()), attr.Map(want)) {
		t.Fatalf("Ref.Item %v, want %v", r.Item(), want)
	}
	unpacked, err := attr.UnpackString(r.Packed())
	if err != nil || !attr.Equal(attr.Map(unpacked), attr.Map(want)) {
		t.Fatalf("Ref.Packed unpacks to %v (%v), want %v", unpacked, err, want)
	}
	if r.ItemSize() != attr.ItemSize(want) || r.Size() != size {
		t.Fatalf("Ref sizes %d, %d; want %d, %d", r.Size(), r.ItemSize(), size, attr.ItemSize(want))
	}
	first := r.Item()
	first["cached"] = attr.Null() // the same map comes back: it was kept
	if _, ok := r.Item()["cached"]; !ok {
		t.Fatal("Ref.Item unpacked twice")
	}
	delete(first, "cached")
}

func TestRefsMatchItems(t *testing.T) {
	tbl := refTable(t)
	mustView(t, tbl, func(tx *Tx) {
		var refs []Ref
		collect := func(r Ref) bool { refs = append(refs, r); return true }
		check := func(items []attr.Item, index bool) {
			t.Helper()
			if len(refs) != len(items) {
				t.Fatalf("%d refs, %d items", len(refs), len(items))
			}
			for i, r := range refs {
				size := attr.ItemSize(items[i])
				if index { // KEYS_ONLY: pk, sk, gpk, gsk
					size = attr.ItemSize(attr.Item{"pk": items[i]["pk"], "sk": items[i]["sk"], "gpk": items[i]["gpk"], "gsk": items[i]["gsk"]})
				}
				wantRef(t, r, items[i], size)
			}
			refs = nil
		}
		if err := tx.QueryRef("", str("p1"), KeyRange{}, false, nil, collect); err != nil {
			t.Fatal(err)
		}
		check(query(t, tbl, "", str("p1"), KeyRange{}, false, nil), false)
		if err := tx.QueryRef("g", str("g"), KeyRange{}, true, nil, collect); err != nil {
			t.Fatal(err)
		}
		check(query(t, tbl, "g", str("g"), KeyRange{}, true, nil), true)
		if err := tx.ScanRef("", 0, 1, nil, collect); err != nil {
			t.Fatal(err)
		}
		check(scan(t, tbl, "", 0, 1, nil), false)
		if err := tx.ScanRef("g", 0, 1, nil, collect); err != nil {
			t.Fatal(err)
		}
		check(scan(t, tbl, "g", 0, 1, nil), true)
		key := attr.Item{"pk": str("p0"), "sk": num("4")}
		r, ok := tx.GetRef(key)
		it, _ := tx.Get(key)
		if !ok {
			t.Fatal("GetRef found nothing")
		}
		wantRef(t, r, it, attr.ItemSize(it))
		if _, ok := tx.GetRef(attr.Item{"pk": str("p0"), "sk": num("5")}); ok {
			t.Fatal("GetRef found a missing item")
		}
	})
}

// GetRef inside an Update sees the item just written, as Get does.
func TestGetRefAfterPut(t *testing.T) {
	tbl := refTable(t)
	mustUpdate(t, tbl, func(tx *Tx) {
		it := attr.Item{"pk": str("p9"), "sk": num("1"), "y": attr.Boolean(true)}
		tx.Put(it)
		r, ok := tx.GetRef(it)
		if !ok {
			t.Fatal("GetRef found nothing")
		}
		wantRef(t, r, it, attr.ItemSize(it))
	})
}
