package store

import (
	"cmp"
	"flag"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

var seedFlag = flag.Uint64("seed", 0, "seed of TestModel (0: from $DYNAFAULT_STORE_SEED or the time)")

// modelSeed returns the seed of this run and logs how to repeat it.
func modelSeed(t *testing.T) uint64 {
	seed := *seedFlag
	if env := os.Getenv("DYNAFAULT_STORE_SEED"); seed == 0 && env != "" {
		s, err := strconv.ParseUint(env, 10, 64)
		if err != nil {
			t.Fatalf("DYNAFAULT_STORE_SEED: %v", err)
		}
		seed = s
	}
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (repeat with -seed=%d or DYNAFAULT_STORE_SEED=%d)", seed, seed, seed)
	return seed
}

// modelDef has a KEYS_ONLY GSI "g" (gpk S, gsk N) and an INCLUDE LSI "l"
// (pk S, lsk S).
func modelDef() TableDef {
	d := gsiDef("t", Projection{Type: ProjectKeysOnly})
	d.Indexes = append(d.Indexes, IndexDef{
		Name: "l", Local: true,
		Key:        KeySchema{Hash: "pk", HashType: attr.S, Range: "lsk", RangeType: attr.S},
		Projection: Projection{Type: ProjectInclude, NonKey: []string{"x"}},
	})
	return d
}

// view is one ordered collection of the model: the table or an index.
type view struct {
	name     string
	hash     string                       // partition key attribute
	contains func(it attr.Item) bool      // sparseness
	compare  func(a, b attr.Item) int     // order within a partition
	project  func(it attr.Item) attr.Item // projection, for sizes
}

func modelViews() []view {
	tableKey := func(a, b attr.Item) int {
		return cmp.Or(strings.Compare(a["pk"].S, b["pk"].S), compareAttr(a, b, "sk"))
	}
	return []view{
		{name: "", hash: "pk", contains: func(attr.Item) bool { return true }, compare: tableKey,
			project: func(it attr.Item) attr.Item { return it }},
		{name: "g", hash: "gpk",
			contains: func(it attr.Item) bool { return it["gpk"].Type == attr.S && it["gsk"].Type == attr.N },
			compare:  func(a, b attr.Item) int { return cmp.Or(compareAttr(a, b, "gsk"), tableKey(a, b)) },
			project:  func(it attr.Item) attr.Item { return pick(it, "pk", "sk", "gpk", "gsk") }},
		{name: "l", hash: "pk",
			contains: func(it attr.Item) bool { return it["lsk"].Type == attr.S },
			compare:  func(a, b attr.Item) int { return cmp.Or(compareAttr(a, b, "lsk"), tableKey(a, b)) },
			project:  func(it attr.Item) attr.Item { return pick(it, "pk", "sk", "lsk", "x") }},
	}
}

func compareAttr(a, b attr.Item, name string) int {
	c, ok := attr.Compare(a[name], b[name])
	if !ok {
		panic("model: incomparable " + name)
	}
	return c
}

func pick(it attr.Item, names ...string) attr.Item {
	out := attr.Item{}
	for _, n := range names {
		if v, ok := it[n]; ok {
			out[n] = v
		}
	}
	return out
}

// model is the plain-map specification of a table.
type model map[string]attr.Item

func modelKey(it attr.Item) string { return it["pk"].S + "\x00" + attr.EncodeKey(it["sk"]) }

// query returns the items of partition hash of v within r, in order.
func (m model) query(v view, hash attr.Value, r KeyRange) []attr.Item {
	var out []attr.Item
	for _, it := range m {
		if v.contains(it) && attr.Equal(it[v.hash], hash) && inRange(it[rangeAttr(v)], r) {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, v.compare)
	return out
}

func rangeAttr(v view) string {
	return map[string]string{"": "sk", "g": "gsk", "l": "lsk"}[v.name]
}

func inRange(v attr.Value, r KeyRange) bool {
	if r.Lower != nil {
		if c, _ := attr.Compare(v, r.Lower.Value); c < 0 || c == 0 && !r.Lower.Inclusive {
			return false
		}
	}
	if r.Upper != nil {
		if c, _ := attr.Compare(v, r.Upper.Value); c > 0 || c == 0 && !r.Upper.Inclusive {
			return false
		}
	}
	return r.Prefix == nil || strings.HasPrefix(v.S, r.Prefix.S)
}

// scan returns the items of v in segment seg of total, in storage order.
func (m model) scan(v view, seg, total int) []attr.Item {
	lo, hi := segmentRange(seg, total)
	var out []attr.Item
	for _, it := range m {
		h := new(big.Int).SetUint64(attr.PartitionHash(it[v.hash]))
		if v.contains(it) && h.Cmp(lo) >= 0 && h.Cmp(hi) < 0 {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b attr.Item) int {
		return cmp.Or(cmp.Compare(attr.PartitionHash(a[v.hash]), attr.PartitionHash(b[v.hash])),
			compareAttr(a, b, v.hash), v.compare(a, b))
	})
	return out
}

// segmentRange is [seg*2^64/total, (seg+1)*2^64/total) in big integers.
func segmentRange(seg, total int) (lo, hi *big.Int) {
	at := func(s int) *big.Int {
		x := new(big.Int).Lsh(big.NewInt(int64(s)), 64)
		return x.Quo(x, big.NewInt(int64(total)))
	}
	return at(seg), at(seg + 1)
}

// stats returns ItemCount and the size of v.
func (m model) stats(v view) (n, size int64) {
	for _, it := range m {
		if v.contains(it) {
			n, size = n+1, size+int64(attr.ItemSize(v.project(it)))
		}
	}
	return n, size
}
