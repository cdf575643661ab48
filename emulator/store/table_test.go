package store

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

var errBoom = errors.New("boom")

func TestCatalog(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	for _, n := range []string{"b", "a", "c"} {
		mustCreate(t, c, pkSKDef(n))
	}
	_, err := c.Create(pkSKDef("a"), nil)
	wantErr(t, err, ErrTableExists)
	_, err = c.Create(TableDef{Name: "bad", Key: KeySchema{Hash: "pk", HashType: attr.BOOL}}, nil)
	wantErr(t, err, ErrInvalidDef)
	if got := c.Names(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("Names = %q", got)
	}
	if tb := c.Table("b"); tb == nil || tb.Name() != "b" {
		t.Errorf("Table(b) = %v", tb)
	}
	b := c.Table("b")
	if !drop(t, c, b) || c.Table("b") != nil {
		t.Error("Drop did not remove b")
	}
	b2 := mustCreate(t, c, pkSKDef("b"))
	if c.Table("b") != b2 {
		t.Error("Table(b) is not the new table")
	}
	c.Reset()
	if got := c.Names(); len(got) != 0 {
		t.Errorf("Names after Reset = %q", got)
	}
	mustCreate(t, c, pkSKDef("a"))
}

// snapshot is everything observable about a table.
type snapshot struct {
	Items      []attr.Item
	Count      int64
	Size       int64
	IndexStats [2]int64
	Meta       any
	Indexes    int
}

func snap(tb testing.TB, t *Table) snapshot {
	tb.Helper()
	var s snapshot
	mustView(tb, t, func(tx *Tx) {
		s.Count, s.Size, s.Meta, s.Indexes = tx.ItemCount(), tx.SizeBytes(), tx.Meta(), len(tx.Def().Indexes)
		s.IndexStats[0], s.IndexStats[1] = tx.IndexStats("g")
	})
	s.Items = scan(tb, t, "", 0, 1, nil)
	return s
}

func seeded(tb testing.TB, c *Catalog, name string) *Table {
	tb.Helper()
	tbl := mustCreate(tb, c, gsiDef(name, Projection{Type: ProjectAll}))
	for i := range 10 {
		putAll(tb, tbl, attr.Item{"pk": str(pkName(i % 3)), "sk": num(itoa(i)), "gpk": str("g"), "gsk": num(itoa(i))})
	}
	return tbl
}

// scramble makes every kind of change, then fails with err or panics.
func scramble(tx *Tx, fail func() error) error {
	tx.Put(attr.Item{"pk": str("new"), "sk": num("1"), "gpk": str("g"), "gsk": num("1")})
	tx.Put(attr.Item{"pk": str(pkName(0)), "sk": num("0"), "big": str("xxxxxxxxxxxxxxxxxxxxx")})
	tx.Delete(attr.Item{"pk": str(pkName(1)), "sk": num("1")})
	tx.Put(attr.Item{"pk": str(pkName(1)), "sk": num("1"), "gpk": str("h"), "gsk": num("1")})
	tx.SetMeta("changed")
	tx.SetDef(pkSKDef(tx.Def().Name))
	tx.Put(attr.Item{"pk": str(pkName(2)), "sk": num("2"), "gpk": str("z"), "gsk": num("2")})
	return fail()
}

func TestUpdateRollsBack(t *testing.T) {
	t.Parallel()
	fails := map[string]func() error{
		"error": func() error { return errBoom },
		"panic": func() error { panic(errBoom) },
	}
	for name, fail := range fails {
		var calls int
		c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(*Table, any, []Change) { calls++ }})
		tbl := seeded(t, c, "t")
		calls = 0
		before := snap(t, tbl)
		err := tbl.Update(func(tx *Tx) error { return scramble(tx, fail) })
		wantErr(t, err, errBoom)
		var pe *PanicError
		if isPanic := errors.As(err, &pe); isPanic != (name == "panic") {
			t.Errorf("%s: error %v is a PanicError: %v", name, err, isPanic)
		}
		if after := snap(t, tbl); !reflect.DeepEqual(before, after) {
			t.Errorf("%s: not rolled back:\nbefore %+v\nafter  %+v", name, before, after)
		}
		if calls != 0 {
			t.Errorf("%s: OnCommit called %d times", name, calls)
		}
	}
}

func TestOnCommit(t *testing.T) {
	t.Parallel()
	type call struct {
		table   string
		meta    any
		changes []Change
	}
	var calls []call
	c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(tb *Table, meta any, ch []Change) {
		calls = append(calls, call{tb.Name(), meta, ch})
	}})
	tbl, _ := c.Create(pkSKDef("t"), "m")
	a := attr.Item{"pk": str("a"), "sk": num("1")}
	a2 := attr.Item{"pk": str("a"), "sk": num("1"), "v": num("2")}
	mustUpdate(t, tbl, func(tx *Tx) { tx.Put(a); tx.Put(a2) })
	mustUpdate(t, tbl, func(tx *Tx) { tx.Get(a) })                                             // no change: no call
	mustUpdate(t, tbl, func(tx *Tx) { tx.Delete(attr.Item{"pk": str("zz"), "sk": num("1")}) }) // nothing deleted
	mustUpdate(t, tbl, func(tx *Tx) { tx.SetMeta("m2"); tx.Delete(a) })
	mustUpdate(t, tbl, func(tx *Tx) { tx.Put(a); tx.SetCause(CauseTTL); tx.Delete(a) })
	want := []call{
		{"t", "m", []Change{{Old: nil, New: a}, {Old: a, New: a2}}},
		{"t", "m2", []Change{{Old: a2, New: nil}}},
		{"t", "m2", []Change{{Old: nil, New: a}, {Old: a, New: nil, Cause: CauseTTL}}},
	}
	for _, c := range calls {
		for i, ch := range c.changes {
			requirePacked(t, ch.OldPacked, ch.Old)
			requirePacked(t, ch.NewPacked, ch.New)
			c.changes[i].OldPacked, c.changes[i].NewPacked = "", ""
		}
	}
	if !reflect.DeepEqual(calls, want) {
		t.Errorf("OnCommit calls:\n got %+v\nwant %+v", calls, want)
	}
}

// requirePacked checks that packed is the packed form of it ("" for nil).
func requirePacked(t *testing.T, packed string, it attr.Item) {
	t.Helper()
	if it == nil {
		if packed != "" {
			t.Errorf("packed form %q of an absent item", packed)
		}
		return
	}
	got, err := attr.UnpackString(packed)
	if err != nil || !attr.Equal(attr.Map(got), attr.Map(it)) {
		t.Errorf("packed form unpacks to %v (%v), want %v", got, err, it)
	}
}

func TestOnCommitPanicRollsBack(t *testing.T) {
	t.Parallel()
	c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(*Table, any, []Change) { panic("hook") }})
	tbl := mustCreate(t, c, pkSKDef("t"))
	err := tbl.Update(func(tx *Tx) error { tx.Put(attr.Item{"pk": str("a"), "sk": num("1")}); return nil })
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "hook" {
		t.Fatalf("error = %v, want the hook's panic", err)
	}
	if s := snap(t, tbl); s.Count != 0 {
		t.Errorf("ItemCount = %d after a failed commit", s.Count)
	}
}

func TestUpdateMany(t *testing.T) {
	t.Parallel()
	var order []string
	c := NewCatalogWithOptions(CatalogOptions{OnCommit: func(tb *Table, _ any, ch []Change) {
		order = append(order, tb.Name())
	}})
	b, a := mustCreate(t, c, pkSKDef("b")), mustCreate(t, c, pkSKDef("a"))
	item := attr.Item{"pk": str("x"), "sk": num("1")}
	err := c.UpdateMany([]*Table{b, a, b}, func(txs []*Tx) error {
		if len(txs) != 3 || txs[0] != txs[2] || txs[0].Table() != b || txs[1].Table() != a {
			t.Errorf("txs do not follow the caller's order")
		}
		txs[0].Put(item)
		txs[1].Put(item)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(order, []string{"a", "b"}) {
		t.Errorf("OnCommit order = %q, want [a b]", order)
	}
	sa, sb := snap(t, a), snap(t, b)
	err = c.UpdateMany([]*Table{a, b}, func(txs []*Tx) error {
		txs[0].Delete(item)
		txs[1].Put(attr.Item{"pk": str("y"), "sk": num("1")})
		return errBoom
	})
	wantErr(t, err, errBoom)
	if !reflect.DeepEqual(sa, snap(t, a)) || !reflect.DeepEqual(sb, snap(t, b)) {
		t.Error("UpdateMany failure was not rolled back")
	}
	wantErr(t, c.UpdateMany([]*Table{a, nil}, func([]*Tx) error { return nil }), errNilTable)
}

func TestViewMany(t *testing.T) {
	t.Parallel()
	c := NewCatalog()
	a, b := seeded(t, c, "a"), mustCreate(t, c, pkSKDef("b"))
	err := c.ViewMany([]*Table{b, a}, func(txs []*Tx) error {
		if txs[0].Table() != b || txs[1].ItemCount() != 10 {
			t.Error("txs do not follow the caller's order")
		}
		txs[0].Put(attr.Item{"pk": str("x"), "sk": num("1")})
		return nil
	})
	wantErr(t, err, ErrReadOnly)
}
