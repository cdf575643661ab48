package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// TestModel applies random operations to a table and to a plain-map model
// and checks that every read agrees. The seed is logged; repeat a failure
// with -seed=N (or DYNAFAULT_STORE_SEED=N).
func TestModel(t *testing.T) {
	t.Parallel()
	steps := 4000
	if testing.Short() {
		steps = 500
	}
	r := &runner{
		t: t, rng: rand.New(rand.NewPCG(modelSeed(t), 0x5eed)),
		tbl: newTable(t, modelDef()), m: model{}, views: modelViews(),
	}
	for r.step = 0; r.step < steps; r.step++ {
		r.randomOp()
		r.checkStats()
	}
}

type runner struct {
	t     *testing.T
	rng   *rand.Rand
	tbl   *Table
	m     model
	views []view
	step  int
}

func (r *runner) fatalf(format string, args ...any) {
	r.t.Helper()
	r.t.Fatalf("step %d: %s", r.step, fmt.Sprintf(format, args...))
}

func (r *runner) pickS(options ...string) attr.Value { return str(options[r.rng.IntN(len(options))]) }

func (r *runner) sortKey() attr.Value {
	return num([]string{"-10", "-1.5", "-1", "0", "0.25", "1", "2", "10", "100"}[r.rng.IntN(9)])
}

func (r *runner) boundValue() attr.Value {
	if r.rng.IntN(4) == 0 {
		return num([]string{"-100", "-1.25", "0.5", "3", "1000"}[r.rng.IntN(5)])
	}
	return r.sortKey()
}

func (r *runner) partition() attr.Value { return r.pickS("a", "b", "c", "d", "e", "f") }

func (r *runner) lsk() attr.Value { return r.pickS("a", "ab", "abc", "b", "ba", "bb", "\u00e9") }

// item returns a random item; index key attributes are sometimes missing
// or of another type than the index's.
func (r *runner) item() attr.Item {
	it := attr.Item{"pk": r.partition(), "sk": r.sortKey()}
	r.maybe(it, "gpk", func() attr.Value { return r.pickS("g1", "g2", "g3") }, func() attr.Value { return num("1") })
	r.maybe(it, "gsk", r.sortKey, func() attr.Value { return str("5") })
	r.maybe(it, "lsk", r.lsk, func() attr.Value { return bin('a') })
	if r.rng.IntN(2) == 0 {
		it["x"] = str(string(make([]byte, r.rng.IntN(30))))
	}
	if r.rng.IntN(2) == 0 {
		it["y"] = attr.List(num("1"), str("two"))
	}
	return it
}

func (r *runner) maybe(it attr.Item, name string, good, wrongType func() attr.Value) {
	switch r.rng.IntN(10) {
	case 0, 1:
	case 2:
		it[name] = wrongType()
	default:
		it[name] = good()
	}
}

func (r *runner) randomOp() {
	switch n := r.rng.IntN(100); {
	case n < 35:
		it := r.item()
		r.update(func(tx *Tx) { tx.Put(it) })
		r.m[modelKey(it)] = it
	case n < 50:
		key := attr.Item{"pk": r.partition(), "sk": r.sortKey()}
		r.update(func(tx *Tx) { tx.Delete(key) })
		delete(r.m, modelKey(key))
	case n < 60:
		r.checkGet()
	case n < 90:
		r.checkQuery(r.views[r.rng.IntN(len(r.views))])
	case n < 97:
		r.checkScan(r.views[r.rng.IntN(len(r.views))])
	default:
		r.failedUpdate()
	}
}

func (r *runner) update(fn func(tx *Tx)) {
	r.t.Helper()
	if err := r.tbl.Update(func(tx *Tx) error { fn(tx); return nil }); err != nil {
		r.fatalf("Update: %v", err)
	}
}

// failedUpdate writes, then fails: nothing may change.
func (r *runner) failedUpdate() {
	boom := errors.New("boom")
	err := r.tbl.Update(func(tx *Tx) error {
		for range 1 + r.rng.IntN(4) {
			if r.rng.IntN(3) == 0 {
				tx.Delete(attr.Item{"pk": r.partition(), "sk": r.sortKey()})
			} else {
				tx.Put(r.item())
			}
		}
		if r.rng.IntN(2) == 0 {
			panic(boom)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		r.fatalf("failed Update returned %v", err)
	}
	r.checkScan(r.views[0])
}

func (r *runner) checkGet() {
	key := attr.Item{"pk": r.partition(), "sk": r.sortKey()}
	var got attr.Item
	var ok bool
	mustView(r.t, r.tbl, func(tx *Tx) { got, ok = tx.Get(key) })
	want, wantOK := r.m[modelKey(key)]
	if ok != wantOK || !reflect.DeepEqual(got, want) {
		r.fatalf("Get(%v) = %v, %v; want %v, %v", key, got, ok, want, wantOK)
	}
}

func (r *runner) checkStats() {
	mustView(r.t, r.tbl, func(tx *Tx) {
		for _, v := range r.views {
			n, size := r.m.stats(v)
			gotN, gotSize := tx.ItemCount(), tx.SizeBytes()
			if v.name != "" {
				gotN, gotSize = tx.IndexStats(v.name)
			}
			if gotN != n || gotSize != size {
				r.fatalf("view %q: stats %d, %d; want %d, %d", v.name, gotN, gotSize, n, size)
			}
		}
	})
}

func (r *runner) checkQuery(v view) {
	hash := r.partition()
	if v.name == "g" {
		hash = r.pickS("g1", "g2", "g3", "g4")
	}
	kr, forward := r.keyRange(v), r.rng.IntN(2) == 0
	full := r.m.query(v, hash, kr)
	after := r.startKey(v, hash, full)
	var want []attr.Item
	for _, it := range full {
		if after == nil || forward && v.compare(it, after) > 0 || !forward && v.compare(it, after) < 0 {
			want = append(want, it)
		}
	}
	if !forward {
		slices.Reverse(want)
	}
	got, want := r.collect(want, func(tx *Tx, fn func(attr.Item) bool) error {
		return tx.Query(v.name, hash, kr, forward, after, fn)
	})
	if !sameItems(got, want) {
		r.fatalf("Query(%q, %v, %s, forward=%v, after=%v):\n got %v\nwant %v", v.name, hash.S, fmtRange(kr), forward, after, got, want)
	}
}

func (r *runner) keyRange(v view) KeyRange {
	val := r.boundValue
	if v.name == "l" {
		val = func() attr.Value { return r.pickS("a", "aa", "abc", "b", "c", "\u00e9") }
	}
	bound := func() *Bound { return &Bound{Value: val(), Inclusive: r.rng.IntN(2) == 0} }
	switch r.rng.IntN(6) {
	case 1:
		return KeyRange{Lower: bound()}
	case 2:
		return KeyRange{Upper: bound()}
	case 3:
		return KeyRange{Lower: bound(), Upper: bound()}
	case 4:
		x := val()
		return KeyRange{Lower: &Bound{Value: x, Inclusive: true}, Upper: &Bound{Value: x, Inclusive: true}}
	case 5:
		if v.name == "l" {
			p := r.pickS("", "a", "ab", "b", "c", "\xc3")
			return KeyRange{Prefix: &p}
		}
	}
	return KeyRange{}
}

// startKey returns nil, the key of one of items, or a random key of
// partition hash of v.
func (r *runner) startKey(v view, hash attr.Value, items []attr.Item) attr.Item {
	names := []string{"pk", "sk", v.hash, rangeAttr(v)}
	switch r.rng.IntN(3) {
	case 1:
		if len(items) > 0 {
			return pick(items[r.rng.IntN(len(items))], names...)
		}
	case 2:
		k := attr.Item{"pk": r.partition(), "sk": r.sortKey(), "gsk": r.sortKey(), "lsk": r.lsk()}
		k[v.hash] = hash
		return pick(k, names...)
	}
	return nil
}

func (r *runner) checkScan(v view) {
	total := []int{1, 1, 2, 3, 7}[r.rng.IntN(5)]
	seg := r.rng.IntN(total)
	want := r.m.scan(v, seg, total)
	var after attr.Item
	if len(want) > 0 && r.rng.IntN(2) == 0 {
		i := r.rng.IntN(len(want))
		after = pick(want[i], "pk", "sk", v.hash, rangeAttr(v))
		want = want[i+1:]
	}
	got, want := r.collect(want, func(tx *Tx, fn func(attr.Item) bool) error {
		return tx.Scan(v.name, seg, total, after, fn)
	})
	if !sameItems(got, want) {
		r.fatalf("Scan(%q, %d, %d, after=%v):\n got %v\nwant %v", v.name, seg, total, after, got, want)
	}
}

// collect runs read with a random limit (fn returns false once it is
// reached) and returns what it yielded and want cut to the limit.
func (r *runner) collect(want []attr.Item, read func(tx *Tx, fn func(attr.Item) bool) error) (got, wantCut []attr.Item) {
	limit := len(want) + 1
	if r.rng.IntN(3) == 0 {
		limit = 1 + r.rng.IntN(5)
	}
	err := r.tbl.View(func(tx *Tx) error {
		return read(tx, func(it attr.Item) bool {
			got = append(got, it)
			return len(got) < limit
		})
	})
	if err != nil {
		r.fatalf("read: %v", err)
	}
	if len(got) > limit {
		r.fatalf("read went on after fn returned false")
	}
	return got, want[:min(limit, len(want))]
}

// sameItems is deep equality with nil and empty alike.
func sameItems(a, b []attr.Item) bool {
	return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b))
}

// fmtRange formats r for failure messages.
func fmtRange(r KeyRange) string {
	b := func(x *Bound) string {
		if x == nil {
			return "nil"
		}
		return fmt.Sprintf("%q(incl=%v)", x.Value.S, x.Inclusive)
	}
	p := "nil"
	if r.Prefix != nil {
		p = fmt.Sprintf("%q", r.Prefix.S)
	}
	return fmt.Sprintf("{lower %s, upper %s, prefix %s}", b(r.Lower), b(r.Upper), p)
}
