package store

import (
	"math"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestScanSegmentsPartitionTheTable(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectAll}))
	const n = 600
	for i := range n {
		putAll(t, tbl, attr.Item{"pk": str(pkName(i / 2)), "sk": num(itoa(i)), "gpk": str(pkName(i % 50)), "gsk": num("0")})
	}
	for _, index := range []string{"", "g"} {
		for _, total := range []int{1, 2, 3, 7, 1000} {
			seen := map[string]int{}
			for seg := range total {
				for _, it := range scan(t, tbl, index, seg, total, nil) {
					seen[it["sk"].S]++
					pk := it["pk"]
					if index == "g" {
						pk = it["gpk"]
					}
					if got := SegmentOf(pk, total); got != seg {
						t.Fatalf("index %q: item of segment %d in segment %d of %d", index, got, seg, total)
					}
				}
			}
			if len(seen) != n {
				t.Errorf("index %q, %d segments: %d distinct items, want %d", index, total, len(seen), n)
			}
			for sk, c := range seen {
				if c != 1 {
					t.Errorf("index %q, %d segments: item %s seen %d times", index, total, sk, c)
				}
			}
		}
	}
}

func TestScanContinuation(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, gsiDef("t", Projection{Type: ProjectKeysOnly}))
	for i := range 100 {
		putAll(t, tbl, attr.Item{"pk": str(pkName(i / 3)), "sk": num(itoa(i)), "gpk": str(pkName(i % 4)), "gsk": num(itoa(i % 5))})
	}
	for _, index := range []string{"", "g"} {
		for _, total := range []int{1, 3} {
			for seg := range total {
				all := scan(t, tbl, index, seg, total, nil)
				var paged []attr.Item
				var after attr.Item
				for {
					page := scanPage(t, tbl, index, seg, total, after, 7)
					paged = append(paged, page...)
					if len(page) < 7 {
						break
					}
					after = page[len(page)-1]
				}
				if len(paged) != len(all) {
					t.Fatalf("index %q segment %d/%d: paged %d items, want %d", index, seg, total, len(paged), len(all))
				}
				for i := range all {
					if !sameKey(all[i], paged[i]) {
						t.Fatalf("index %q segment %d/%d: item %d differs", index, seg, total, i)
					}
				}
			}
		}
	}
}

func scanPage(tb testing.TB, t *Table, index string, segment, total int, after attr.Item, limit int) []attr.Item {
	tb.Helper()
	var page []attr.Item
	mustView(tb, t, func(tx *Tx) {
		err := tx.Scan(index, segment, total, after, func(it attr.Item) bool {
			page = append(page, it)
			return len(page) < limit
		})
		if err != nil {
			tb.Fatal(err)
		}
	})
	return page
}

func TestScanErrors(t *testing.T) {
	t.Parallel()
	tbl := newTable(t, pkSKDef("t"))
	for _, c := range [][2]int{{0, 0}, {-1, 2}, {2, 2}, {5, 1}} {
		err := tbl.View(func(tx *Tx) error { return tx.Scan("", c[0], c[1], nil, func(attr.Item) bool { return true }) })
		wantErr(t, err, ErrInvalidSegment)
	}
	err := tbl.View(func(tx *Tx) error { return tx.Scan("x", 0, 1, nil, func(attr.Item) bool { return true }) })
	wantErr(t, err, ErrNoSuchIndex)
	err = tbl.View(func(tx *Tx) error {
		return tx.Scan("", 0, 1, attr.Item{"pk": str("a")}, func(attr.Item) bool { return true })
	})
	wantErr(t, err, ErrInvalidKey)
}

func TestSegmentBounds(t *testing.T) {
	t.Parallel()
	for _, total := range []int{1, 2, 3, 7, 1000, 1000000} {
		for _, seg := range []int{0, 1, total / 2, total - 2, total - 1} {
			if seg < 0 || seg >= total {
				continue
			}
			lo := segmentStart(seg, total)
			if got := segmentOfHash(lo, total); got != seg {
				t.Errorf("%d/%d: start hash %x is in segment %d", seg, total, lo, got)
			}
			if seg > 0 && segmentOfHash(lo-1, total) != seg-1 {
				t.Errorf("%d/%d: hash before the start is not in the previous segment", seg, total)
			}
		}
		if got := segmentOfHash(math.MaxUint64, total); got != total-1 {
			t.Errorf("max hash in segment %d of %d", got, total)
		}
	}
}
