package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// BenchmarkScan100k reads a 100,000-item table page by page through
// Scan, as a client following LastEvaluatedKey does.
func BenchmarkScan100k(b *testing.B) {
	const tbl = "bench"
	const n = 100_000
	e := newItemEngine(b, itemHashDef(tbl))
	for i := range n {
		mustPut(b, e, tbl, attr.Item{"pk": itemS("k" + strconv.Itoa(i)), "v": itemN(strconv.Itoa(i))})
	}
	ctx := context.Background()
	for b.Loop() {
		in := &ScanInput{TableName: itemStr(tbl)}
		count := 0
		for {
			out, err := e.Scan(ctx, in)
			if err != nil {
				b.Fatal(err)
			}
			count += out.Count
			if out.LastEvaluatedKey == nil {
				break
			}
			in.ExclusiveStartKey = StartKey(out.LastEvaluatedKey)
		}
		if count != n {
			b.Fatalf("scanned %d items, want %d", count, n)
		}
	}
}
