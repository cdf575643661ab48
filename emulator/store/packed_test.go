package store

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/dynafault/dynafault/emulator/attr"
)

// within reports whether s lies inside the memory of data.
func within(s, data string) bool {
	if len(s) == 0 {
		return true
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(data)))
	return p >= lo && p+uintptr(len(s)) <= lo+uintptr(len(data))
}

func TestStoredEntriesShareThePackedItem(t *testing.T) {
	t.Parallel()
	def := gsiDef("t", Projection{Type: ProjectAll})
	def.Key.RangeType = attr.S
	tbl := newTable(t, def)
	in := attr.Item{"pk": str("p1"), "sk": str("s1"), "gpk": str("g1"), "gsk": num("7"), "x": str("payload")}
	putAll(t, tbl, in)

	mustView(t, tbl, func(tx *Tx) {
		var prim *entry
		tbl.primary.Scan(func(e *entry) bool { prim = e; return false })
		if prim == nil || prim.n != 2 {
			t.Fatalf("primary entry %+v", prim)
		}
		if !within(prim.pk, prim.data) || !within(prim.sk, prim.data) {
			t.Error("the S key parts of a primary entry are not substrings of its packed item")
		}
		got, err := attr.UnpackString(prim.data)
		if err != nil || !attr.Equal(attr.Map(got), attr.Map(in)) {
			t.Fatalf("packed item %v, %v", got, err)
		}
		ix, _ := tbl.index("g")
		ix.tree.Scan(func(e *ixEntry) bool {
			if e.row != prim || e.n != 4 {
				t.Errorf("index entry does not point at the primary entry: %+v", e)
			}
			if !within(e.pk, prim.data) {
				t.Error("the S index key part is not a substring of the packed item")
			}
			return true
		})
	})
}

func TestReadsUnpackTheStoredItem(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	in := attr.Item{"pk": str("p"), "sk": num("1"), "l": attr.List(str("a")), "m": attr.Map(map[string]attr.Value{"k": str("v")})}
	putAll(t, tbl, in.Clone())
	key := attr.Item{"pk": str("p"), "sk": num("1")}
	var a attr.Item
	mustView(t, tbl, func(tx *Tx) { a, _ = tx.Get(key) })
	a["pk"] = str("changed") // only to tell the maps apart: callers must not do this
	a["l"].L[0] = str("changed")
	a["m"].M["k"] = str("changed")
	mustView(t, tbl, func(tx *Tx) {
		b, _ := tx.Get(key)
		if !attr.Equal(attr.Map(b), attr.Map(in)) {
			t.Errorf("the item read in another View shares maps with an earlier read: %v", b)
		}
	})
}

func TestWriteReusesTheItemReadLast(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	key := attr.Item{"pk": str("p"), "sk": num("1")}
	putAll(t, tbl, attr.Item{"pk": str("p"), "sk": num("1"), "v": num("1")})
	mustUpdate(t, tbl, func(tx *Tx) {
		got, _ := tx.Get(key)
		again, _ := tx.Get(key)
		old, _ := tx.Put(attr.Item{"pk": str("p"), "sk": num("1"), "v": num("2")})
		if !sameMap(got, again) || !sameMap(got, old) {
			t.Error("the item read last was unpacked again")
		}
		next := attr.Item{"pk": str("p"), "sk": num("1"), "v": num("3")}
		tx.Put(next)
		if old, _ := tx.Delete(key); !sameMap(old, next) {
			t.Error("Delete after Put did not return the map given to Put")
		}
	})
}

func sameMap(a, b attr.Item) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

func TestPutOldAndChangesAreUnpacked(t *testing.T) {
	t.Parallel()
	var changes []Change
	c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(_ *Table, _ any, cs []Change) { changes = append(changes, cs...) }})
	tbl := mustCreate(t, c, pkSKDef("t"))
	v1 := attr.Item{"pk": str("p"), "sk": num("1"), "v": num("1")}
	v2 := attr.Item{"pk": str("p"), "sk": num("1"), "v": num("2")}
	putAll(t, tbl, v1)
	mustUpdate(t, tbl, func(tx *Tx) {
		old, existed := tx.Put(v2)
		if !existed || !attr.Equal(attr.Map(old), attr.Map(v1)) {
			t.Errorf("Put returned %v, %v; want %v", old, existed, v1)
		}
		old, existed = tx.Delete(v2)
		if !existed || !attr.Equal(attr.Map(old), attr.Map(v2)) {
			t.Errorf("Delete returned %v, %v; want %v", old, existed, v2)
		}
	})
	want := []Change{{New: v1}, {Old: v1, New: v2}, {Old: v2}}
	if len(changes) != len(want) {
		t.Fatalf("%d changes, want %d", len(changes), len(want))
	}
	for i, c := range changes {
		if (c.Old == nil) != (want[i].Old == nil) || (c.New == nil) != (want[i].New == nil) ||
			!attr.Equal(attr.Map(c.Old), attr.Map(want[i].Old)) || !attr.Equal(attr.Map(c.New), attr.Map(want[i].New)) {
			t.Errorf("change %d = %+v, want %+v", i, c, want[i])
		}
	}
}

// TestElementSizes keeps the per-item cost of the trees' elements in the
// 64-byte allocation class.
func TestElementSizes(t *testing.T) {
	t.Parallel()
	if n := unsafe.Sizeof(entry{}); n > 64 {
		t.Errorf("entry is %d bytes, want at most 64", n)
	}
	if n := unsafe.Sizeof(ixEntry{}); n > 64 {
		t.Errorf("ixEntry is %d bytes, want at most 64", n)
	}
}
