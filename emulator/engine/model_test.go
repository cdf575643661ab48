package engine

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// The model-based test: random writes (PutItem, UpdateItem, DeleteItem,
// some conditional) and reads (GetItem, Query on the table, its GSI and its
// LSI, Scan, paged and segmented) run against an Engine and against a plain
// map of items; every answer must agree with the map.

var modelSeedFlag = flag.Uint64("model-seed", 0, "seed of TestEngineModel (0: from $DYNAFAULT_ENGINE_SEED or the time)")

// engineModelSeed returns the seed of this run and logs how to repeat it.
func engineModelSeed(t *testing.T) uint64 {
	seed := *modelSeedFlag
	if env := os.Getenv("DYNAFAULT_ENGINE_SEED"); seed == 0 && env != "" {
		s, err := strconv.ParseUint(env, 10, 64)
		if err != nil {
			t.Fatalf("DYNAFAULT_ENGINE_SEED: %v", err)
		}
		seed = s
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (repeat with -model-seed=%d or DYNAFAULT_ENGINE_SEED=%d)", seed, seed, seed)
	return seed
}

// modelTable is the table of the model test: key pk (S) + sk (N), GSI
// "byg" on g (S) + r (N) and LSI "byl" on pk + l (S), both projecting ALL
// and both sparse (items lacking the index key are not in the index).
func modelTable() store.TableDef {
	return store.TableDef{
		Name: "model",
		Key:  store.KeySchema{Hash: "pk", HashType: attr.S, Range: "sk", RangeType: attr.N},
		Indexes: []store.IndexDef{
			{Name: "byg", Key: store.KeySchema{Hash: "g", HashType: attr.S, Range: "r", RangeType: attr.N},
				Projection: store.Projection{Type: store.ProjectAll}},
			{Name: "byl", Local: true, Key: store.KeySchema{Hash: "pk", HashType: attr.S, Range: "l", RangeType: attr.S},
				Projection: store.Projection{Type: store.ProjectAll}},
		},
	}
}

// engineModel is the expected state: items by "pk/sk".
type engineModel map[string]attr.Item

func modelKey(key attr.Item) string { return key["pk"].S + "/" + key["sk"].S }

// modelRun is one run of the model test.
type modelRun struct {
	t   *testing.T
	rng *rand.Rand
	e   *Engine
	m   engineModel
	ctx context.Context
}

func TestEngineModel(t *testing.T) {
	t.Parallel()
	seed := engineModelSeed(t)
	r := &modelRun{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		e: newItemEngine(t, modelTable()), m: engineModel{}, ctx: context.Background()}
	steps := 3000
	if testing.Short() {
		steps = 500
	}
	ops := []func(){r.put, r.update, r.update, r.delete, r.get, r.queryTable, r.queryGSI, r.queryLSI}
	for i := range steps {
		ops[r.rng.IntN(len(ops))]()
		if i%200 == 199 {
			r.scan()
		}
		if t.Failed() {
			t.Fatalf("step %d failed (seed %d)", i, seed)
		}
	}
	r.scan()
}

// Random values: few partitions and sort keys so that writes collide.
func (r *modelRun) pk() attr.Value { return itemS("p" + strconv.Itoa(r.rng.IntN(4))) }
func (r *modelRun) sk() attr.Value { return itemN(strconv.Itoa(r.rng.IntN(12) - 2)) }
func (r *modelRun) g() attr.Value  { return itemS("g" + strconv.Itoa(r.rng.IntN(3))) }
func (r *modelRun) n() attr.Value  { return itemN(strconv.Itoa(r.rng.IntN(7) - 3)) }
func (r *modelRun) l() attr.Value  { return itemS(string(rune('a' + r.rng.IntN(5)))) }
func (r *modelRun) key() attr.Item { return attr.Item{"pk": r.pk(), "sk": r.sk()} }

// item returns a random item: always the key and v, the index keys and s
// only sometimes.
func (r *modelRun) item() attr.Item {
	it := r.key()
	it["v"] = r.n()
	if r.rng.IntN(3) > 0 {
		it["g"], it["r"] = r.g(), r.n()
	}
	if r.rng.IntN(2) == 0 {
		it["l"] = r.l()
	}
	if r.rng.IntN(2) == 0 {
		it["s"] = itemS("s" + strconv.Itoa(r.rng.IntN(100)))
	}
	return it
}

// wantCondFailed checks the outcome of a conditional write: err must be a
// ConditionalCheckFailedException exactly when failed.
func (r *modelRun) wantCondFailed(op string, err error, failed bool) bool {
	r.t.Helper()
	var e *Error
	switch {
	case failed && (!errors.As(err, &e) || e.Code != ConditionalCheckFailed):
		r.t.Errorf("%s: err = %v, want ConditionalCheckFailedException", op, err)
	case !failed && err != nil:
		r.t.Errorf("%s: %v", op, err)
	}
	return err == nil
}

func (r *modelRun) put() {
	it := r.item()
	in := &PutItemInput{TableName: itemStr("model"), Item: it, ReturnValues: itemStr("ALL_OLD")}
	old, exists := r.m[modelKey(it)]
	cond := r.rng.IntN(3) == 0
	if cond {
		in.ConditionExpression = itemStr("attribute_not_exists(pk)")
	}
	out, err := r.e.PutItem(r.ctx, in)
	if !r.wantCondFailed("PutItem", err, cond && exists) {
		return
	}
	r.wantSame("PutItem ALL_OLD", out.Attributes, old)
	r.m[modelKey(it)] = it
}

func (r *modelRun) delete() {
	key := r.key()
	in := &DeleteItemInput{TableName: itemStr("model"), Key: key, ReturnValues: itemStr("ALL_OLD")}
	old, exists := r.m[modelKey(key)]
	cond := r.rng.IntN(3) == 0
	if cond {
		in.ConditionExpression = itemStr("attribute_exists(pk)")
	}
	out, err := r.e.DeleteItem(r.ctx, in)
	if !r.wantCondFailed("DeleteItem", err, cond && !exists) {
		return
	}
	r.wantSame("DeleteItem ALL_OLD", out.Attributes, old)
	delete(r.m, modelKey(key))
}

// modelUpdate is one update expression and what it does to an item.
type modelUpdate struct {
	expr    string
	values  func(r *modelRun) map[string]attr.Value
	apply   func(it attr.Item, values map[string]attr.Value)
	creates bool // applied to a missing item, creates it (false: REMOVE only)
}

func modelUpdates() []modelUpdate {
	return []modelUpdate{
		{"SET v = :v", func(r *modelRun) map[string]attr.Value { return map[string]attr.Value{":v": r.n()} },
			func(it attr.Item, vs map[string]attr.Value) { it["v"] = vs[":v"] }, true},
		{"SET g = :g, r = :r", func(r *modelRun) map[string]attr.Value {
			return map[string]attr.Value{":g": r.g(), ":r": r.n()}
		}, func(it attr.Item, vs map[string]attr.Value) { it["g"], it["r"] = vs[":g"], vs[":r"] }, true},
		{"SET l = :l", func(r *modelRun) map[string]attr.Value { return map[string]attr.Value{":l": r.l()} },
			func(it attr.Item, vs map[string]attr.Value) { it["l"] = vs[":l"] }, true},
		{"REMOVE g", nil, func(it attr.Item, _ map[string]attr.Value) { delete(it, "g") }, false},
		{"REMOVE l, s", nil, func(it attr.Item, _ map[string]attr.Value) { delete(it, "l"); delete(it, "s") }, false},
		{"ADD v :one", func(*modelRun) map[string]attr.Value { return map[string]attr.Value{":one": itemN("1")} },
			func(it attr.Item, _ map[string]attr.Value) {
				sum := "1"
				if v, ok := it["v"]; ok {
					sum, _ = attr.AddNumbers(v.S, "1")
				}
				it["v"] = itemN(sum)
			}, true},
		{"SET s = if_not_exists(s, :s)", func(r *modelRun) map[string]attr.Value {
			return map[string]attr.Value{":s": itemS("d" + strconv.Itoa(r.rng.IntN(10)))}
		}, func(it attr.Item, vs map[string]attr.Value) {
			if _, ok := it["s"]; !ok {
				it["s"] = vs[":s"]
			}
		}, true},
	}
}

func (r *modelRun) update() {
	ups := modelUpdates()
	u := ups[r.rng.IntN(len(ups))]
	key := r.key()
	in := &UpdateItemInput{TableName: itemStr("model"), Key: key, UpdateExpression: itemStr(u.expr),
		ReturnValues: itemStr("ALL_NEW")}
	var values map[string]attr.Value
	if u.values != nil {
		values = u.values(r)
		in.ExpressionAttributeValues = values
	}
	old, exists := r.m[modelKey(key)]
	cond := r.rng.IntN(4) == 0
	if cond {
		in.ConditionExpression = itemStr("attribute_exists(pk)")
	}
	out, err := r.e.UpdateItem(r.ctx, in)
	if !r.wantCondFailed("UpdateItem "+u.expr, err, cond && !exists) {
		return
	}
	if !exists && !u.creates {
		r.wantSame("UpdateItem "+u.expr+" ALL_NEW", out.Attributes, nil)
		return
	}
	next := key.Clone()
	if exists {
		next = old.Clone()
	}
	u.apply(next, values)
	r.wantSame("UpdateItem "+u.expr+" ALL_NEW", out.Attributes, next)
	r.m[modelKey(key)] = next
}

func (r *modelRun) get() {
	key := r.key()
	out, err := r.e.GetItem(r.ctx, &GetItemInput{TableName: itemStr("model"), Key: key, ConsistentRead: itemBool(r.rng.IntN(2) == 0)})
	if err != nil {
		r.t.Errorf("GetItem: %v", err)
		return
	}
	r.wantSame("GetItem "+modelKey(key), out.Item.Item(), r.m[modelKey(key)])
}

// wantSame fails unless got and want hold the same attributes (nil and
// empty are the same).
func (r *modelRun) wantSame(what string, got, want attr.Item) {
	r.t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !itemsEqual(got, want) {
		r.t.Errorf("%s = %v\nwant %v", what, got, want)
	}
}

// limit returns a random page size, nil (no limit) half of the time.
func (r *modelRun) limit() *int32 {
	if r.rng.IntN(2) == 0 {
		return nil
	}
	n := int32(1 + r.rng.IntN(4))
	return &n
}

// pages runs one paged read to its end: page(start) returns a page's items
// and its LastEvaluatedKey.
func (r *modelRun) pages(what string, page func(start StartKey) ([]attr.Item, attr.Item, error)) ([]attr.Item, bool) {
	var all []attr.Item
	var start StartKey
	for range 1000 {
		items, last, err := page(start)
		if err != nil {
			r.t.Errorf("%s: %v", what, err)
			return nil, false
		}
		all = append(all, items...)
		if last == nil {
			return all, true
		}
		start = StartKey(last)
	}
	r.t.Errorf("%s: no last page after 1000 pages", what)
	return nil, false
}

// modelQuery is one random Query and the items it must return.
type modelQuery struct {
	index    string                // "" for the table
	cond     string                // KeyConditionExpression
	values   map[string]attr.Value // its values
	sortAttr string                // the range key of the table or index
	match    func(attr.Item) bool  // which model items it returns
}

func (r *modelRun) queryTable() {
	p, a, b := r.pk(), r.sk(), r.sk()
	if c, _ := attr.Compare(a, b); c > 0 {
		a, b = b, a
	}
	between := func(v attr.Value, lo, hi attr.Value) bool {
		c1, _ := attr.Compare(v, lo)
		c2, _ := attr.Compare(v, hi)
		return c1 >= 0 && c2 <= 0
	}
	q := modelQuery{sortAttr: "sk", values: map[string]attr.Value{":p": p}}
	switch r.rng.IntN(3) {
	case 0:
		q.cond = "pk = :p"
		q.match = func(it attr.Item) bool { return attr.Equal(it["pk"], p) }
	case 1:
		q.cond, q.values[":a"], q.values[":b"] = "pk = :p AND sk BETWEEN :a AND :b", a, b
		q.match = func(it attr.Item) bool { return attr.Equal(it["pk"], p) && between(it["sk"], a, b) }
	default:
		q.cond, q.values[":b"] = "pk = :p AND sk < :b", b
		q.match = func(it attr.Item) bool { c, _ := attr.Compare(it["sk"], b); return attr.Equal(it["pk"], p) && c < 0 }
	}
	r.query(q)
}

func (r *modelRun) queryGSI() {
	g, lo := r.g(), r.n()
	q := modelQuery{index: "byg", sortAttr: "r", values: map[string]attr.Value{":g": g}}
	inIndex := func(it attr.Item) bool {
		return it["g"].Type == attr.S && it["r"].Type == attr.N && attr.Equal(it["g"], g)
	}
	if r.rng.IntN(2) == 0 {
		q.cond, q.match = "g = :g", inIndex
	} else {
		q.cond, q.values[":lo"] = "g = :g AND r >= :lo", lo
		q.match = func(it attr.Item) bool { c, _ := attr.Compare(it["r"], lo); return inIndex(it) && c >= 0 }
	}
	r.query(q)
}

func (r *modelRun) queryLSI() {
	p, l := r.pk(), r.l()
	q := modelQuery{index: "byl", sortAttr: "l", values: map[string]attr.Value{":p": p}}
	inIndex := func(it attr.Item) bool { return it["l"].Type == attr.S && attr.Equal(it["pk"], p) }
	if r.rng.IntN(2) == 0 {
		q.cond, q.match = "pk = :p", inIndex
	} else {
		q.cond, q.values[":l"] = "pk = :p AND l <= :l", l
		q.match = func(it attr.Item) bool { c, _ := attr.Compare(it["l"], l); return inIndex(it) && c <= 0 }
	}
	r.query(q)
}

// query runs q, paged, in a random direction and checks the answer.
func (r *modelRun) query(q modelQuery) {
	forward := r.rng.IntN(2) == 0
	in := &QueryInput{TableName: itemStr("model"), KeyConditionExpression: itemStr(q.cond),
		ExpressionAttributeValues: q.values, ScanIndexForward: itemBool(forward), Limit: r.limit()}
	if q.index != "" {
		in.IndexName = itemStr(q.index)
	}
	what := "Query " + q.index + " " + q.cond
	got, ok := r.pages(what, func(start StartKey) ([]attr.Item, attr.Item, error) {
		in.ExclusiveStartKey = start
		out, err := r.e.Query(r.ctx, in)
		if err != nil {
			return nil, nil, err
		}
		return Items(out.Items), out.LastEvaluatedKey, nil
	})
	if !ok {
		return
	}
	r.wantOrdered(what, got, q.sortAttr, forward)
	r.wantItems(what, got, q.match)
}

// scan scans the table (or, sometimes, the GSI) in random segments and
// pages and checks that every matching item comes back exactly once.
func (r *modelRun) scan() {
	total := 1 + r.rng.IntN(3)
	index := ""
	match := func(attr.Item) bool { return true }
	if r.rng.IntN(3) == 0 {
		index = "byg"
		match = func(it attr.Item) bool { return it["g"].Type == attr.S && it["r"].Type == attr.N }
	}
	var all []attr.Item
	for seg := range total {
		in := &ScanInput{TableName: itemStr("model"), Limit: r.limit()}
		if index != "" {
			in.IndexName = itemStr(index)
		}
		if total > 1 {
			in.Segment, in.TotalSegments = new(int32(seg)), new(int32(total))
		}
		got, ok := r.pages("Scan", func(start StartKey) ([]attr.Item, attr.Item, error) {
			in.ExclusiveStartKey = start
			out, err := r.e.Scan(r.ctx, in)
			if err != nil {
				return nil, nil, err
			}
			return Items(out.Items), out.LastEvaluatedKey, nil
		})
		if !ok {
			return
		}
		all = append(all, got...)
	}
	r.wantItems("Scan "+index+" in "+strconv.Itoa(total)+" segments", all, match)
}

// wantOrdered fails unless items are ordered by sortAttr (ascending when
// forward). Ties are allowed (index keys need not be unique).
func (r *modelRun) wantOrdered(what string, items []attr.Item, sortAttr string, forward bool) {
	r.t.Helper()
	for i := 1; i < len(items); i++ {
		c, _ := attr.Compare(items[i-1][sortAttr], items[i][sortAttr])
		if (forward && c > 0) || (!forward && c < 0) {
			r.t.Errorf("%s (forward %v): %s out of order at %d: %v after %v", what, forward, sortAttr, i, items[i], items[i-1])
			return
		}
	}
}

// wantItems fails unless items are exactly the model's items that match,
// each once.
func (r *modelRun) wantItems(what string, items []attr.Item, match func(attr.Item) bool) {
	r.t.Helper()
	seen := map[string]bool{}
	for _, it := range items {
		k := modelKey(it)
		if seen[k] {
			r.t.Errorf("%s: item %s returned twice", what, k)
		}
		seen[k] = true
		want, ok := r.m[k]
		if !ok || !match(want) {
			r.t.Errorf("%s: unexpected item %v", what, it)
			continue
		}
		r.wantSame(what+" item "+k, it, want)
	}
	var missing []string
	for k, it := range r.m {
		if match(it) && !seen[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		slices.SortFunc(missing, cmp.Compare)
		r.t.Errorf("%s: missing items %v", what, missing)
	}
}
