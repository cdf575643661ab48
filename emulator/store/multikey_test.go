package store

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// multiDef has a GSI "g" keyed by (h1 S, h2 N) and sorted by (r1 N, r2 S,
// r3 B).
func multiDef() TableDef {
	return TableDef{Name: "m", Key: KeySchema{Hash: "id", HashType: attr.S}, Indexes: []IndexDef{{
		Name: "g", Projection: Projection{Type: ProjectAll},
		Key: KeySchema{
			Hash: "h1", HashType: attr.S, MoreHash: []KeyAttr{{"h2", attr.N}},
			Range: "r1", RangeType: attr.N, MoreRange: []KeyAttr{{"r2", attr.S}, {"r3", attr.B}},
		},
	}}}
}

// randomMultiItem draws an item whose index attributes come from small
// domains (so prefixes and ties are common), some of them missing.
func randomMultiItem(r *rand.Rand, id int) attr.Item {
	it := attr.Item{"id": attr.Str(fmt.Sprint(id))}
	pick := func(name string, vals ...attr.Value) {
		if r.IntN(12) > 0 {
			it[name] = vals[r.IntN(len(vals))]
		}
	}
	pick("h1", attr.Str("a"), attr.Str("a\x00"), attr.Str("b"))
	pick("h2", attr.Num("1"), attr.Num("-1"))
	pick("r1", attr.Num("-10"), attr.Num("-1.5"), attr.Num("0"), attr.Num("1"), attr.Num("1.5"), attr.Num("10"))
	pick("r2", attr.Str(""), attr.Str("x"), attr.Str("x\x00"), attr.Str("x\x00y"), attr.Str("xy"), attr.Str("y"))
	pick("r3", attr.Bin([]byte{0}), attr.Bin([]byte{0, 0}), attr.Bin([]byte{1}), attr.Bin([]byte{0xff}))
	return it
}

// modelCompare orders two indexed items by (r1, r2, r3, id).
func modelCompare(a, b attr.Item) int {
	for _, n := range []string{"r1", "r2", "r3", "id"} {
		if c, _ := attr.Compare(a[n], b[n]); c != 0 {
			return c
		}
	}
	return 0
}

func TestMultiKeyQueryMatchesModel(t *testing.T) {
	seed := uint64(rand.Int64())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	tbl := newTable(t, multiDef())
	var items []attr.Item
	for i := range 400 {
		items = append(items, randomMultiItem(r, i))
	}
	putAll(t, tbl, items...)
	sortVals := map[string][]attr.Value{
		"r1": {attr.Num("-1.5"), attr.Num("0"), attr.Num("1"), attr.Num("2")},
		"r2": {attr.Str("x"), attr.Str("x\x00"), attr.Str("xy")},
		"r3": {attr.Bin([]byte{0}), attr.Bin([]byte{1})},
	}
	names := []string{"r1", "r2", "r3"}
	for trial := range 600 {
		h1 := []attr.Value{attr.Str("a"), attr.Str("a\x00"), attr.Str("b")}[r.IntN(3)]
		h2 := []attr.Value{attr.Num("1"), attr.Num("-1")}[r.IntN(2)]
		nLead := r.IntN(3)
		kr := KeyRange{HashMore: []attr.Value{h2}}
		for i := range nLead {
			vals := sortVals[names[i]]
			kr.Leading = append(kr.Leading, vals[r.IntN(len(vals))])
		}
		next := names[nLead]
		vals := sortVals[next]
		v1, v2 := vals[r.IntN(len(vals))], vals[r.IntN(len(vals))]
		if c, _ := attr.Compare(v1, v2); c > 0 {
			v1, v2 = v2, v1
		}
		op := r.IntN(7)
		switch op {
		case 1:
			kr.Lower = &Bound{Value: v1, Inclusive: r.IntN(2) == 0}
		case 2:
			kr.Upper = &Bound{Value: v1, Inclusive: r.IntN(2) == 0}
		case 3:
			kr.Lower, kr.Upper = &Bound{Value: v1, Inclusive: true}, &Bound{Value: v2, Inclusive: true}
		case 4:
			kr.Lower, kr.Upper = &Bound{Value: v1, Inclusive: true}, &Bound{Value: v1, Inclusive: true}
		case 5, 6:
			if next != "r1" {
				p := attr.Value{Type: v1.Type, S: v1.S[:r.IntN(len(v1.S)+1)]}
				kr.Prefix = &p
			}
		}
		forward := r.IntN(2) == 0
		var want []attr.Item
		for _, it := range items {
			if !inMultiIndex(it) || !attr.Equal(it["h1"], h1) || !attr.Equal(it["h2"], h2) {
				continue
			}
			ok := true
			for i, lv := range kr.Leading {
				ok = ok && attr.Equal(it[names[i]], lv)
			}
			x := it[next]
			if kr.Lower != nil {
				c, _ := attr.Compare(x, kr.Lower.Value)
				ok = ok && (c > 0 || c == 0 && kr.Lower.Inclusive)
			}
			if kr.Upper != nil {
				c, _ := attr.Compare(x, kr.Upper.Value)
				ok = ok && (c < 0 || c == 0 && kr.Upper.Inclusive)
			}
			if kr.Prefix != nil {
				ok = ok && len(x.S) >= len(kr.Prefix.S) && x.S[:len(kr.Prefix.S)] == kr.Prefix.S
			}
			if ok {
				want = append(want, it)
			}
		}
		slices.SortFunc(want, modelCompare)
		if !forward {
			slices.Reverse(want)
		}
		got := query(t, tbl, "g", h1, kr, forward, nil)
		if !sameIDs(got, want) {
			t.Fatalf("trial %d: h1=%v h2=%v range %+v forward=%v:\n got %v\nwant %v", trial, h1, h2, kr, forward, ids(got), ids(want))
		}
		// Resuming after each item yields the rest.
		if len(want) > 1 {
			k := r.IntN(len(want) - 1)
			rest := query(t, tbl, "g", h1, kr, forward, want[k])
			if !sameIDs(rest, want[k+1:]) {
				t.Fatalf("trial %d: after %v got %v want %v", trial, ids(want[k:k+1]), ids(rest), ids(want[k+1:]))
			}
		}
	}
}

func inMultiIndex(it attr.Item) bool {
	for _, n := range []string{"h1", "h2", "r1", "r2", "r3"} {
		if _, ok := it[n]; !ok {
			return false
		}
	}
	return true
}

func ids(items []attr.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it["id"].S)
	}
	return out
}

func sameIDs(a, b []attr.Item) bool { return slices.Equal(ids(a), ids(b)) }

func TestMultiKeyItemsMissingAnAttributeAreNotIndexed(t *testing.T) {
	tbl := newTable(t, multiDef())
	full := attr.Item{"id": str("1"), "h1": str("a"), "h2": num("1"), "r1": num("1"), "r2": str("x"), "r3": bin(1)}
	partial := attr.Item{"id": str("2"), "h1": str("a"), "h2": num("1"), "r1": num("1"), "r2": str("x")}
	wrongType := attr.Item{"id": str("3"), "h1": str("a"), "h2": str("1"), "r1": num("1"), "r2": str("x"), "r3": bin(1)}
	putAll(t, tbl, full, partial, wrongType)
	got := query(t, tbl, "g", str("a"), KeyRange{HashMore: []attr.Value{num("1")}}, true, nil)
	if !sameIDs(got, []attr.Item{full}) {
		t.Fatalf("query: got %v, want [1]", ids(got))
	}
	if n := len(scan(t, tbl, "g", 0, 1, nil)); n != 1 {
		t.Fatalf("scan of the index: %d items, want 1", n)
	}
	mustView(t, tbl, func(tx *Tx) {
		if c, _ := tx.IndexStats("g"); c != 1 {
			t.Fatalf("IndexStats count %d, want 1", c)
		}
	})
}

func TestMultiKeyQueryErrors(t *testing.T) {
	tbl := newTable(t, multiDef())
	for name, kr := range map[string]KeyRange{
		"missing partition value":   {},
		"partition value type":      {HashMore: []attr.Value{str("1")}},
		"leading type":              {HashMore: []attr.Value{num("1")}, Leading: []attr.Value{str("1")}},
		"too many leading":          {HashMore: []attr.Value{num("1")}, Leading: []attr.Value{num("1"), str("x"), bin(1), bin(2)}},
		"range past the last":       {HashMore: []attr.Value{num("1")}, Leading: []attr.Value{num("1"), str("x"), bin(1)}, Lower: &Bound{Value: bin(1)}},
		"bound type":                {HashMore: []attr.Value{num("1")}, Lower: &Bound{Value: str("1")}},
		"begins_with on a number":   {HashMore: []attr.Value{num("1")}, Prefix: &attr.Value{Type: attr.N, S: "1"}},
		"begins_with of wrong type": {HashMore: []attr.Value{num("1")}, Leading: []attr.Value{num("1")}, Prefix: &attr.Value{Type: attr.B, S: "x"}},
	} {
		if _, err := tryQuery(tbl, "g", str("a"), kr, true, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := tryQuery(newTable(t, pkSKDef("t")), "", str("a"), KeyRange{HashMore: []attr.Value{num("1")}}, true, nil); err == nil {
		t.Errorf("multi-attribute values on a single-attribute key: no error")
	}
}

func TestMultiKeyBackfill(t *testing.T) {
	def := multiDef()
	ix := def.Indexes
	def.Indexes = nil
	tbl := newTable(t, def)
	putAll(t, tbl,
		attr.Item{"id": str("1"), "h1": str("a"), "h2": num("1"), "r1": num("2"), "r2": str("x"), "r3": bin(1)},
		attr.Item{"id": str("2"), "h1": str("a"), "h2": num("1"), "r1": num("1"), "r2": str("x"), "r3": bin(1)},
		attr.Item{"id": str("3"), "h1": str("a"), "h2": num("1")})
	def.Indexes = ix
	mustUpdate(t, tbl, func(tx *Tx) { tx.SetDef(def) })
	got := query(t, tbl, "g", str("a"), KeyRange{HashMore: []attr.Value{num("1")}}, true, nil)
	if want := []string{"2", "1"}; !slices.Equal(ids(got), want) {
		t.Fatalf("after backfill: got %v, want %v", ids(got), want)
	}
}

func TestMultiKeyDefValidation(t *testing.T) {
	bad := []KeySchema{
		{Hash: "a", HashType: attr.S, MoreRange: []KeyAttr{{"b", attr.S}}},
		{Hash: "a", HashType: attr.S, MoreHash: []KeyAttr{{"a", attr.S}}},
		{Hash: "a", HashType: attr.S, MoreHash: []KeyAttr{{"b", attr.BOOL}}},
		{Hash: "a", HashType: attr.S, MoreHash: []KeyAttr{{"b", attr.S}, {"c", attr.S}, {"d", attr.S}, {"e", attr.S}}},
	}
	for _, ks := range bad {
		def := TableDef{Name: "t", Key: KeySchema{Hash: "id", HashType: attr.S}, Indexes: []IndexDef{{Name: "g", Key: ks, Projection: Projection{Type: ProjectAll}}}}
		if _, err := NewCatalog().Create(def, nil); err == nil {
			t.Errorf("%+v accepted", ks)
		}
	}
}
