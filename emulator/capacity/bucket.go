package capacity

import (
	"math"
	"time"
)

// A bucket's tokens are kept in ticks: one half unit is tickPerHalf ticks,
// and a rate of r half units per second adds r ticks per nanosecond, so
// refills are exact integers for any clock step.
const tickPerHalf = int64(time.Second)

// maxHalfRate caps a rate (half units per second) so that a full bucket
// (rate × 300 s in ticks) fits an int64.
const maxHalfRate = 10_000_000

// bucket is a token bucket refilled continuously at rate half units per
// second, holding at most seconds seconds of it. Not safe for concurrent
// use: the Limiter's mutex guards every bucket.
type bucket struct {
	rate    int64 // half units per second
	seconds int64 // capacity in seconds of rate
	tokens  int64 // ticks; negative after a request larger than the bucket
	last    time.Time
}

// newBucket returns a full bucket of units per second holding seconds of
// it.
func newBucket(units, seconds int64, now time.Time) *bucket {
	b := &bucket{seconds: seconds, last: now}
	b.setRate(units)
	b.tokens = b.capacity()
	return b
}

// setRate changes the rate to units per second, keeping the tokens (cut to
// the new capacity).
func (b *bucket) setRate(units int64) {
	b.rate = min(max(0, units)*2, maxHalfRate)
	b.tokens = min(b.tokens, b.capacity())
}

// capacity is the bucket's size in ticks.
func (b *bucket) capacity() int64 { return b.rate * b.seconds * tickPerHalf }

// refill adds the tokens accrued from b.last to now. A clock that moved
// back refills nothing.
func (b *bucket) refill(now time.Time) {
	d := int64(now.Sub(b.last))
	if d <= 0 {
		return
	}
	b.last = now
	full := b.capacity()
	if b.tokens >= full || b.rate == 0 {
		return
	}
	if need := full - b.tokens; d >= (need+b.rate-1)/b.rate {
		b.tokens = full
		return
	}
	b.tokens += d * b.rate // < need: no overflow
}

// fits reports whether demand ticks can be served now: the bucket holds
// them, or it is full. A bucket without a rate (no capacity set) limits
// nothing.
func (b *bucket) fits(demand int64) bool {
	return b.rate == 0 || demand <= b.tokens || b.tokens >= b.capacity()
}

// take removes demand ticks.
func (b *bucket) take(demand int64) { b.tokens -= demand }

// units is the bucket's content in capacity units.
func (b *bucket) units() float64 { return float64(b.tokens) / float64(2*tickPerHalf) }

// ticks converts capacity units to ticks of demand.
func ticks(units float64) int64 {
	return int64(math.Round(units*2)) * tickPerHalf
}
