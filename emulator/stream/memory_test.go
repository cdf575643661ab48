package stream

import (
	"runtime"
	"strings"
	"testing"
)

// TestRecordMemoryFollowsTheData holds records with both images of a
// 90-byte item to a bound a record kept as maps (about 3.3 KB each) is far
// above: the packed images (about 2 x 100 bytes) and a small fixed part.
func TestRecordMemoryFollowsTheData(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 20,000 records")
	}
	const n = 20_000
	pad := strings.Repeat("x", 60)
	f := newFixture(t, Options{}, 1, NewAndOldImages)
	before := heapInUse()
	for i := range n {
		pk := "item-" + string(rune('a'+i%26)) + strings.Repeat("0", 3)
		old := item(pk, i, "v", "1", "pad", pad)
		f.put(t, old, item(pk, i, "v", "2", "pad", pad))
	}
	per := float64(heapInUse()-before) / n
	runtime.KeepAlive(f)
	if got := f.shards()[0].Counters.Appended; got != n {
		t.Fatalf("%d records appended, want %d", got, n)
	}
	t.Logf("%.0f bytes of heap per NEW_AND_OLD_IMAGES record of a 90-byte item", per)
	if per > 800 {
		t.Errorf("%.0f bytes of heap per record: want under 800 (two packed images and a small fixed part)", per)
	}
}

// heapInUse is the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
