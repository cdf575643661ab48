package load

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestBucketsAreContiguous(t *testing.T) {
	next := uint64(0)
	for i := range numBuckets {
		low, width := bucketRange(i)
		if low != next {
			t.Fatalf("bucket %d starts at %d, want %d", i, low, next)
		}
		if bucketOf(low) != i || bucketOf(low+width-1) != i {
			t.Fatalf("bucket %d [%d, +%d) maps to %d..%d", i, low, width, bucketOf(low), bucketOf(low+width-1))
		}
		next = low + width
		if next == 0 || next > 1<<63 { // the last int64 bucket ends at 2^63
			break
		}
	}
}

func TestQuantilesWithinPrecision(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h, a, b Histogram
	var all []time.Duration
	for i := range 100_000 {
		d := time.Duration(rng.ExpFloat64() * float64(time.Millisecond))
		all = append(all, d)
		h.Record(d)
		if i%2 == 0 {
			a.Record(d)
		} else {
			b.Record(d)
		}
	}
	a.Merge(&b)
	slices.Sort(all)
	for _, q := range []float64{0.5, 0.99, 0.999, 1} {
		want := all[int(q*float64(len(all)-1))]
		got := h.Quantile(q)
		if diff := float64(got-want) / float64(want); diff > 0.02 || diff < -0.02 {
			t.Errorf("q%v = %v, want %v within 2%%", q, got, want)
		}
		if a.Quantile(q) != got {
			t.Errorf("merged q%v = %v, want %v", q, a.Quantile(q), got)
		}
	}
	if h.Max() != all[len(all)-1] || h.Count() != uint64(len(all)) {
		t.Errorf("max %v count %d", h.Max(), h.Count())
	}
}

func TestEmptyAndSmall(t *testing.T) {
	var h Histogram
	if h.Quantile(0.5) != 0 || h.Mean() != 0 {
		t.Fatal("empty histogram")
	}
	h.Record(-5)
	h.Record(3)
	if h.Quantile(0.5) != 0 || h.Quantile(1) != 3 || h.Max() != 3 {
		t.Fatalf("small values: %v %v %v", h.Quantile(0.5), h.Quantile(1), h.Max())
	}
}
