package store

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestCompareKeysPivots(t *testing.T) {
	t.Parallel()
	stored := key{hash: 5, parts: [4]string{"p", "s", "tp", "ts"}, n: 4}
	tests := []struct {
		name  string
		pivot key
		want  int // sign of compareKeys(pivot, stored)
	}{
		{"lower hash", key{hash: 4, n: 0, edge: 1}, -1},
		{"higher hash", key{hash: 6, n: 0, edge: -1}, 1},
		{"hash start", key{hash: 5, n: 0, edge: -1}, -1},
		{"hash end", key{hash: 5, n: 0, edge: 1}, 1},
		{"partition start", pivot(stored, 1, -1), -1},
		{"partition end", pivot(stored, 1, 1), 1},
		{"sort key start", pivot(stored, 2, -1), -1},
		{"sort key end", pivot(stored, 2, 1), 1},
		{"just before", pivot(stored, 4, -1), -1},
		{"just after", pivot(stored, 4, 1), 1},
		{"equal", stored, 0},
		{"smaller part", key{hash: 5, parts: [4]string{"o"}, n: 1, edge: 1}, -1},
		{"greater part", key{hash: 5, parts: [4]string{"q"}, n: 1, edge: -1}, 1},
	}
	for _, tt := range tests {
		if got := compareKeys(&tt.pivot, &stored); got != tt.want {
			t.Errorf("%s: compareKeys = %d, want %d", tt.name, got, tt.want)
		}
		if got := compareKeys(&stored, &tt.pivot); got != -tt.want {
			t.Errorf("%s: reversed compareKeys = %d, want %d", tt.name, got, -tt.want)
		}
	}
}

// TestTreeComparatorsAgree checks compareEntries and compareIxEntries
// against compareKeys on random keys and pivots.
func TestTreeComparatorsAgree(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	randKey := func(maxN int) key {
		k := key{hash: uint64(r.IntN(2)), n: int8(r.IntN(maxN + 1)), edge: int8(r.IntN(3) - 1)}
		for i := range k.n {
			k.parts[i] = []string{"", "a", "ab", "b"}[r.IntN(4)]
		}
		return k
	}
	for range 5000 {
		a, b := randKey(2), randKey(2)
		want := compareKeys(&a, &b)
		if got := compareEntries(a.entry(), b.entry()); got != want {
			t.Fatalf("compareEntries(%+v, %+v) = %d, compareKeys %d", a, b, got, want)
		}
		a, b = randKey(4), randKey(4)
		a.n, b.n = min(a.n, 4), min(b.n, 4)
		if a.n == 3 {
			a.n = 4
		}
		if b.n == 3 {
			b.n = 4
		}
		want = compareKeys(&a, &b)
		if got := compareIxEntries(a.ixEntry(), b.ixEntry()); got != want {
			t.Fatalf("compareIxEntries(%+v, %+v) = %d, compareKeys %d", a, b, got, want)
		}
	}
}

func TestOrderNumbers(t *testing.T) {
	t.Parallel()
	want := []string{
		"-99999999999999999999999999999999999999", "-100", "-10.5", "-10", "-2", "-1.5", "-1",
		"-0.5", "-0.001", "-0.0000000001", "0", "0.0000000001", "0.001", "0.01", "0.1", "0.5", "1",
		"1.000000000000000000000000000000000001", "1.5", "2", "9", "10", "10.5", "11", "100",
		"123456789012345678901234567890", "99999999999999999999999999999999999999",
	}
	assertSortOrder(t, attr.N, want, num)
}

func TestOrderStrings(t *testing.T) {
	t.Parallel()
	want := []string{"A", "B", "Z", "a", "aa", "ab", "b", "z", "~", "\u00e9", "\u00ff", "\u4e16", "\U0001F600"}
	if !slices.IsSorted(want) {
		t.Fatal("fixture is not in byte order")
	}
	assertSortOrder(t, attr.S, want, str)
}

func TestOrderBinary(t *testing.T) {
	t.Parallel()
	want := []string{"\x00", "\x00\x00", "\x00\x01", "\x01", "\x7f", "\x7f\xff", "\x80", "\xfe", "\xff", "\xff\x00", "\xff\xff"}
	if !slices.IsSortedFunc(want, func(a, b string) int { return bytes.Compare([]byte(a), []byte(b)) }) {
		t.Fatal("fixture is not in byte order")
	}
	assertSortOrder(t, attr.B, want, func(s string) attr.Value { return bin([]byte(s)...) })
}

// assertSortOrder puts the sort keys want (in order) in shuffled order into
// one partition and checks Query returns them in order, and reversed.
func assertSortOrder(t *testing.T, typ attr.Type, want []string, mk func(string) attr.Value) {
	t.Helper()
	def := TableDef{Name: "t", Key: KeySchema{Hash: "pk", HashType: attr.S, Range: "sk", RangeType: typ}}
	tbl := newTable(t, def)
	r := rand.New(rand.NewPCG(1, 2))
	for _, i := range r.Perm(len(want)) {
		putAll(t, tbl, attr.Item{"pk": str("p"), "sk": mk(want[i])})
	}
	got := vals(query(t, tbl, "", str("p"), KeyRange{}, true, nil), "sk")
	if !slices.Equal(got, want) {
		t.Errorf("forward order:\n got %q\nwant %q", got, want)
	}
	got = vals(query(t, tbl, "", str("p"), KeyRange{}, false, nil), "sk")
	if !slices.Equal(got, reversed(want)) {
		t.Errorf("reverse order:\n got %q", got)
	}
}

func TestPartitionsContiguousInHashOrder(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	r := rand.New(rand.NewPCG(3, 4))
	const parts, per = 50, 7
	for _, i := range r.Perm(parts * per) {
		putAll(t, tbl, attr.Item{"pk": str(pkName(i / per)), "sk": num(itoa(i % per))})
	}
	items := scan(t, tbl, "", 0, 1, nil)
	if len(items) != parts*per {
		t.Fatalf("scan returned %d items, want %d", len(items), parts*per)
	}
	seen := map[string]bool{}
	for i, it := range items {
		pk := it["pk"].S
		if i > 0 && items[i-1]["pk"].S == pk {
			if c, _ := attr.Compare(items[i-1]["sk"], it["sk"]); c >= 0 {
				t.Fatalf("partition %s: sort keys out of order at %d", pk, i)
			}
			continue
		}
		if seen[pk] {
			t.Fatalf("partition %s is not contiguous", pk)
		}
		seen[pk] = true
		if i > 0 {
			prev := attr.PartitionHash(items[i-1]["pk"])
			if cur := attr.PartitionHash(it["pk"]); cur < prev {
				t.Fatalf("partition %s (hash %x) after hash %x", pk, cur, prev)
			}
		}
	}
	if inserted := pkNames(parts); slices.Equal(orderOfPartitions(items), inserted) {
		t.Error("scan order follows the partition names, not their hash")
	}
}

func pkName(i int) string { return "p" + itoa(i) }

func pkNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = pkName(i)
	}
	slices.Sort(out)
	return out
}

func orderOfPartitions(items []attr.Item) []string {
	var out []string
	for _, it := range items {
		if len(out) == 0 || out[len(out)-1] != it["pk"].S {
			out = append(out, it["pk"].S)
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

func reversed[T any](s []T) []T {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
