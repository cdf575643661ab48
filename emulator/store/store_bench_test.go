package store

import (
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func benchItem(i int) attr.Item {
	return attr.Item{
		"pk": str("user#" + strconv.Itoa(i/100)), "sk": num(strconv.Itoa(i % 100)),
		"name": str("some name"), "n": num("12345.678"), "tags": attr.List(str("a"), str("b")),
	}
}

// benchTable returns a table with n items in partitions of 100 and a GSI.
func benchTable(b *testing.B, n int) *Table {
	b.Helper()
	tbl := newTable(b, gsiDef("t", Projection{Type: ProjectKeysOnly}))
	mustUpdate(b, tbl, func(tx *Tx) {
		for i := range n {
			it := benchItem(i)
			it["gpk"], it["gsk"] = str("g"+strconv.Itoa(i%10)), num(strconv.Itoa(i))
			tx.Put(it)
		}
	})
	return tbl
}

func BenchmarkPut(b *testing.B) {
	tbl := benchTable(b, 0)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		it := benchItem(i)
		i++
		if err := tbl.Update(func(tx *Tx) error { tx.Put(it); return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	const n = 100_000
	tbl := benchTable(b, n)
	keys := make([]attr.Item, 1024)
	for i := range keys {
		keys[i] = benchItem(i * 97 % n)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		key := keys[i%len(keys)]
		i++
		_ = tbl.View(func(tx *Tx) error {
			if _, ok := tx.Get(key); !ok {
				b.Fatal("missing item")
			}
			return nil
		})
	}
}

func BenchmarkQueryPartitionPage(b *testing.B) {
	tbl := benchTable(b, 100_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pk := str("user#" + strconv.Itoa(i%1000))
		i++
		count := 0
		_ = tbl.View(func(tx *Tx) error {
			return tx.Query("", pk, KeyRange{}, true, nil, func(attr.Item) bool { count++; return true })
		})
		if count != 100 {
			b.Fatalf("page of %d items", count)
		}
	}
}

func BenchmarkScan100k(b *testing.B) {
	const n = 100_000
	tbl := benchTable(b, n)
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		_ = tbl.View(func(tx *Tx) error {
			return tx.Scan("", 0, 1, nil, func(attr.Item) bool { count++; return true })
		})
		if count != n {
			b.Fatalf("scanned %d items", count)
		}
	}
}

// BenchmarkScanPageAfter reads a 100-item Scan page after an exclusive
// start key deep in a 100k-item table: the seek must not walk from the
// start.
func BenchmarkScanPageAfter(b *testing.B) {
	const n = 100_000
	tbl := benchTable(b, n)
	starts := scan(b, tbl, "", 0, 1, nil)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		after := starts[(n-200)-i%1000]
		i++
		count := 0
		_ = tbl.View(func(tx *Tx) error {
			return tx.Scan("", 0, 1, after, func(attr.Item) bool { count++; return count < 100 })
		})
		if count != 100 {
			b.Fatalf("page of %d items", count)
		}
	}
}

// BenchmarkQueryPartitionPageRef is BenchmarkQueryPartitionPage reading
// packed items and their sizes without unpacking them.
func BenchmarkQueryPartitionPageRef(b *testing.B) {
	tbl := benchTable(b, 100_000)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		pk := str("user#" + strconv.Itoa(i%1000))
		i++
		count, size := 0, 0
		_ = tbl.View(func(tx *Tx) error {
			return tx.QueryRef("", pk, KeyRange{}, true, nil, func(r Ref) bool { count++; size += r.Size(); return true })
		})
		if count != 100 || size == 0 {
			b.Fatalf("page of %d items", count)
		}
	}
}

// BenchmarkScan100kRef is BenchmarkScan100k reading packed items.
func BenchmarkScan100kRef(b *testing.B) {
	const n = 100_000
	tbl := benchTable(b, n)
	b.ReportAllocs()
	for b.Loop() {
		count, bytes := 0, 0
		_ = tbl.View(func(tx *Tx) error {
			return tx.ScanRef("", 0, 1, nil, func(r Ref) bool { count++; bytes += len(r.Packed()); return true })
		})
		if count != n || bytes == 0 {
			b.Fatalf("scanned %d items", count)
		}
	}
}
