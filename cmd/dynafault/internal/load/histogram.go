package load

import (
	"math/bits"
	"time"
)

// subBits sets the histogram's precision: each power of two is split into
// 2^subBits buckets, a relative error of at most 1/2^subBits.
const subBits = 6

// numBuckets covers every int64 nanosecond value.
const numBuckets = (64 - subBits) << subBits

// Histogram is a log-linear histogram of durations (HDR style): exact below
// 2^subBits ns, then 2^subBits buckets per power of two. The zero value is
// ready to use. Not safe for concurrent use; merge per-worker histograms.
type Histogram struct {
	counts [numBuckets]uint64
	n      uint64
	max    time.Duration
	sum    time.Duration
}

// bucketOf returns the bucket index of v (v >= 0).
func bucketOf(v uint64) int {
	if v < 1<<subBits {
		return int(v)
	}
	shift := bits.Len64(v) - subBits - 1
	return (shift+1)<<subBits + int(v>>shift) - 1<<subBits
}

// bucketRange returns the smallest value of bucket i and its width.
func bucketRange(i int) (low, width uint64) {
	if i < 1<<subBits {
		return uint64(i), 1
	}
	shift := i>>subBits - 1
	m := uint64(i&(1<<subBits-1)) + 1<<subBits
	return m << shift, 1 << shift
}

// Record adds one duration; negative durations count as 0.
func (h *Histogram) Record(d time.Duration) {
	d = max(d, 0)
	h.counts[bucketOf(uint64(d))]++
	h.n++
	h.sum += d
	h.max = max(h.max, d)
}

// Merge adds o's observations to h.
func (h *Histogram) Merge(o *Histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// Count returns the number of observations.
func (h *Histogram) Count() uint64 { return h.n }

// Max returns the largest observation, exactly.
func (h *Histogram) Max() time.Duration { return h.max }

// Mean returns the mean observation (0 when empty).
func (h *Histogram) Mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}

// Quantile returns the value at quantile q in [0, 1]: the middle of the
// bucket holding the ceil(q*n)-th smallest observation, never above Max.
// It is 0 when the histogram is empty.
func (h *Histogram) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.999999999)
	rank = min(max(rank, 1), h.n)
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			low, width := bucketRange(i)
			return min(time.Duration(low+(width-1)/2), h.max)
		}
	}
	return h.max
}
