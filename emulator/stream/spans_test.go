package stream

import (
	"math/rand/v2"
	"testing"
)

func TestSpansAgainstSet(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		var ss spans
		set := map[uint64]bool{}
		for range 30 {
			lo := rng.Uint64N(100)
			hi := lo + rng.Uint64N(6)
			if round%2 == 0 { // mostly in order, like a reader
				lo = uint64(len(set)) + rng.Uint64N(3)
				hi = lo + rng.Uint64N(4)
			}
			ss.add(lo, hi)
			for n := lo; n <= hi; n++ {
				set[n] = true
			}
			for k := 1; k < len(ss); k++ {
				if ss[k].lo <= ss[k-1].hi+1 {
					t.Fatalf("round %d: spans not disjoint and apart: %v", round, ss)
				}
			}
			for n := uint64(0); n < 120; n++ {
				if ss.has(n) != set[n] {
					t.Fatalf("round %d: has(%d) = %v, want %v (%v)", round, n, ss.has(n), set[n], ss)
				}
			}
			for lo := uint64(0); lo < 110; lo += 7 {
				hi := lo + 5
				all, any := true, false
				for n := lo; n <= hi; n++ {
					all = all && set[n]
					any = any || set[n]
				}
				if ss.covers(lo, hi) != all || ss.overlaps(lo, hi) != any {
					t.Fatalf("round %d: [%d,%d] covers=%v overlaps=%v, want %v %v (%v)", round, lo, hi,
						ss.covers(lo, hi), ss.overlaps(lo, hi), all, any, ss)
				}
			}
		}
	}
}

func TestSpansSequentialReaderKeepsOneSpan(t *testing.T) {
	t.Parallel()
	var ss spans
	for pos := uint64(10); pos < 100_000; pos += 25 {
		ss.add(pos, pos+24)
	}
	if len(ss) != 1 || ss[0] != (span{10, 100_009}) {
		t.Fatalf("spans = %v, want one span", ss)
	}
}
