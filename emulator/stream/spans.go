package stream

import "sort"

// span is an inclusive range of sequence counter values.
type span struct{ lo, hi uint64 }

// spans is a sorted list of disjoint, non-adjacent spans: the compact form
// of a set of counter values that mostly come in runs (the positions a
// consumer was handed). A reader that reads a shard in order keeps one span
// however many records it reads.
type spans []span

// add inserts [lo, hi] (lo <= hi), merging overlapping and adjacent spans.
func (ss *spans) add(lo, hi uint64) {
	s := *ss
	if n := len(s); n == 0 || lo > s[n-1].hi+1 { // the common case: a later run
		*ss = append(s, span{lo, hi})
		return
	} else if lo >= s[n-1].lo { // extends the last run
		s[n-1].hi = max(s[n-1].hi, hi)
		return
	}
	// First span that could touch [lo, hi]: the first whose hi+1 >= lo.
	i := sort.Search(len(s), func(i int) bool { return s[i].hi+1 >= lo })
	j := i // first span after [lo, hi] that does not touch it
	for j < len(s) && s[j].lo <= hi+1 {
		j++
	}
	if i == j {
		s = append(s, span{})
		copy(s[i+1:], s[i:])
		s[i] = span{lo, hi}
		*ss = s
		return
	}
	merged := span{min(lo, s[i].lo), max(hi, s[j-1].hi)}
	s[i] = merged
	*ss = append(s[:i+1], s[j:]...)
}

// has reports whether n is in a span.
func (ss spans) has(n uint64) bool {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].hi >= n })
	return i < len(ss) && ss[i].lo <= n
}

// covers reports whether one span holds all of [lo, hi].
func (ss spans) covers(lo, hi uint64) bool {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].hi >= hi })
	return i < len(ss) && ss[i].lo <= lo
}

// overlaps reports whether any value of [lo, hi] is in a span.
func (ss spans) overlaps(lo, hi uint64) bool {
	i := sort.Search(len(ss), func(i int) bool { return ss[i].hi >= lo })
	return i < len(ss) && ss[i].lo <= hi
}
