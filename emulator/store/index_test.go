package store

import (
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// gsiDef is pkSKDef plus a GSI "g" (gpk S, gsk N) of the given projection.
func gsiDef(name string, proj Projection) TableDef {
	d := pkSKDef(name)
	d.Indexes = []IndexDef{{
		Name:       "g",
		Key:        KeySchema{Hash: "gpk", HashType: attr.S, Range: "gsk", RangeType: attr.N},
		Projection: proj,
	}}
	return d
}

func indexStats(tb testing.TB, t *Table, name string) (n, size int64) {
	tb.Helper()
	mustView(tb, t, func(tx *Tx) { n, size = tx.IndexStats(name) })
	return n, size
}

func TestIndexSparseAndTypeChecked(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectAll}))
	putAll(t, tbl,
		attr.Item{"pk": str("in"), "sk": num("1"), "gpk": str("g"), "gsk": num("1")},
		attr.Item{"pk": str("no-gpk"), "sk": num("1"), "gsk": num("2")},
		attr.Item{"pk": str("no-gsk"), "sk": num("1"), "gpk": str("g")},
		attr.Item{"pk": str("gpk-N"), "sk": num("1"), "gpk": num("1"), "gsk": num("3")},
		attr.Item{"pk": str("gsk-S"), "sk": num("1"), "gpk": str("g"), "gsk": str("4")},
		attr.Item{"pk": str("gsk-NULL"), "sk": num("1"), "gpk": str("g"), "gsk": attr.Null()},
	)
	if got := vals(scan(t, tbl, "g", 0, 1, nil), "pk"); !slices.Equal(got, []string{"in"}) {
		t.Errorf("index holds %q, want [in]", got)
	}
	if n, _ := indexStats(t, tbl, "g"); n != 1 {
		t.Errorf("index ItemCount = %d, want 1", n)
	}
	// Gaining, moving and losing the index key.
	putAll(t, tbl, attr.Item{"pk": str("no-gpk"), "sk": num("1"), "gpk": str("g"), "gsk": num("2")})
	putAll(t, tbl, attr.Item{"pk": str("in"), "sk": num("1"), "gpk": str("h"), "gsk": num("1")})
	if got := vals(query(t, tbl, "g", str("g"), KeyRange{}, true, nil), "pk"); !slices.Equal(got, []string{"no-gpk"}) {
		t.Errorf("partition g holds %q, want [no-gpk]", got)
	}
	if got := vals(query(t, tbl, "g", str("h"), KeyRange{}, true, nil), "pk"); !slices.Equal(got, []string{"in"}) {
		t.Errorf("partition h holds %q, want [in]", got)
	}
	putAll(t, tbl, attr.Item{"pk": str("in"), "sk": num("1")})
	mustUpdate(t, tbl, func(tx *Tx) { tx.Delete(attr.Item{"pk": str("no-gpk"), "sk": num("1")}) })
	if n, size := indexStats(t, tbl, "g"); n != 0 || size != 0 {
		t.Errorf("index stats = %d, %d after removals, want 0, 0", n, size)
	}
}

func TestIndexProjectionSizes(t *testing.T) {
	t.Parallel()
	def := pkSKDef("t")
	key := KeySchema{Hash: "gpk", HashType: attr.S, Range: "gsk", RangeType: attr.N}
	def.Indexes = []IndexDef{
		{Name: "all", Key: key, Projection: Projection{Type: ProjectAll}},
		{Name: "keys", Key: key, Projection: Projection{Type: ProjectKeysOnly}},
		{Name: "incl", Key: key, Projection: Projection{Type: ProjectInclude, NonKey: []string{"a", "missing"}}},
		{Name: "lsi", Local: true, Key: KeySchema{Hash: "pk", HashType: attr.S, Range: "gsk", RangeType: attr.N},
			Projection: Projection{Type: ProjectKeysOnly}},
	}
	tbl := newTable(t, def)
	item := attr.Item{
		"pk": str("p"), "sk": num("12.5"), "gpk": str("gg"), "gsk": num("-3"),
		"a": str("hello"), "b": attr.List(str("x"), num("1")), "c": attr.Boolean(true),
	}
	putAll(t, tbl, item, attr.Item{"pk": str("q"), "sk": num("1")})
	keys := attr.Item{"pk": item["pk"], "sk": item["sk"], "gpk": item["gpk"], "gsk": item["gsk"]}
	incl := keys.Clone()
	incl["a"] = item["a"]
	want := map[string]int{
		"all":  attr.ItemSize(item),
		"keys": attr.ItemSize(keys),
		"incl": attr.ItemSize(incl),
		"lsi":  attr.ItemSize(attr.Item{"pk": item["pk"], "sk": item["sk"], "gsk": item["gsk"]}),
	}
	for name, size := range want {
		if n, got := indexStats(t, tbl, name); n != 1 || got != int64(size) {
			t.Errorf("%s: stats = %d, %d; want 1, %d", name, n, got, size)
		}
	}
	if _, size := indexStats(t, tbl, "nope"); size != 0 {
		t.Errorf("unknown index size = %d", size)
	}
}

func TestSetDefBackfillsAndDrops(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	for i := range 20 {
		it := attr.Item{"pk": str(pkName(i % 4)), "sk": num(itoa(i))}
		if i%2 == 0 {
			it["gpk"], it["gsk"] = str("even"), num(itoa(-i))
		}
		putAll(t, tbl, it)
	}
	withGSI := gsiDef("t", Projection{Type: ProjectKeysOnly})
	mustUpdate(t, tbl, func(tx *Tx) { tx.SetDef(withGSI) })
	got := vals(query(t, tbl, "g", str("even"), KeyRange{}, true, nil), "gsk")
	want := []string{"-18", "-16", "-14", "-12", "-10", "-8", "-6", "-4", "-2", "0"}
	if !slices.Equal(got, want) {
		t.Errorf("backfilled index: %q, want %q", got, want)
	}
	// Writes after the backfill maintain the index.
	putAll(t, tbl, attr.Item{"pk": str("new"), "sk": num("1"), "gpk": str("even"), "gsk": num("-100")})
	if n, _ := indexStats(t, tbl, "g"); n != 11 {
		t.Errorf("index ItemCount = %d, want 11", n)
	}
	// A failed SetDef (with writes) leaves the index as it was.
	err := tbl.Update(func(tx *Tx) error {
		tx.SetDef(pkSKDef("t"))
		tx.Put(attr.Item{"pk": str("x"), "sk": num("1"), "gpk": str("even"), "gsk": num("5")})
		return errBoom
	})
	wantErr(t, err, errBoom)
	if n, _ := indexStats(t, tbl, "g"); n != 11 {
		t.Errorf("after rollback: index ItemCount = %d, want 11", n)
	}
	mustUpdate(t, tbl, func(tx *Tx) { tx.SetDef(pkSKDef("t")) })
	_, err = tryQuery(tbl, "g", str("even"), KeyRange{}, true, nil)
	wantErr(t, err, ErrNoSuchIndex)
}

func TestSetDefRejects(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	bad := []TableDef{
		{Name: "other", Key: pkSKDef("t").Key},
		{Name: "t", Key: KeySchema{Hash: "pk", HashType: attr.S}},
		gsiDef("t", Projection{Type: "SOME"}),
		func() TableDef {
			d := gsiDef("t", Projection{Type: ProjectAll})
			d.Indexes = append(d.Indexes, d.Indexes[0])
			return d
		}(),
	}
	for _, d := range bad {
		err := tbl.Update(func(tx *Tx) error { tx.SetDef(d); return nil })
		wantErr(t, err, ErrInvalidDef)
	}
}

func TestSetDefKeepsUnchangedIndex(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectAll}))
	var before *index
	mustView(t, tbl, func(tx *Tx) { before = tx.t.indexes[0] })
	d := gsiDef("t", Projection{Type: ProjectAll})
	d.Indexes = append(d.Indexes, IndexDef{Name: "h", Key: d.Indexes[0].Key, Projection: Projection{Type: ProjectKeysOnly}})
	mustUpdate(t, tbl, func(tx *Tx) { tx.SetDef(d) })
	mustView(t, tbl, func(tx *Tx) {
		if tx.t.indexes[0] != before || len(tx.t.indexes) != 2 {
			t.Error("SetDef rebuilt an unchanged index")
		}
		if got := tx.Def(); len(got.Indexes) != 2 || got.Indexes[1].Name != "h" {
			t.Errorf("Def = %+v", got)
		}
	})
}
