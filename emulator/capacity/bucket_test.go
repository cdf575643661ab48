package capacity

import (
	"testing"
	"time"
)

func TestBucketRefillIsExact(t *testing.T) {
	b := newBucket(5, 300, t0) // 5 units per second, 1,500 held
	if b.units() != 1500 {
		t.Fatalf("a new bucket holds %v, want 1500 (full)", b.units())
	}
	b.take(ticks(1500))
	b.refill(t0.Add(200 * time.Millisecond))
	if b.units() != 1 {
		t.Fatalf("after 200 ms at 5/s: %v, want 1", b.units())
	}
	b.refill(t0.Add(100 * time.Millisecond)) // the clock went back: nothing
	if b.units() != 1 {
		t.Fatalf("after a clock moved back: %v", b.units())
	}
	b.refill(t0.Add(300 * time.Millisecond))
	if b.units() != 1.5 {
		t.Fatalf("after 100 ms more: %v, want 1.5", b.units())
	}
	b.refill(t0.Add(24 * time.Hour))
	if b.units() != 1500 {
		t.Fatalf("after a day: %v, want the 1500 it holds", b.units())
	}
}

func TestBucketDebt(t *testing.T) {
	b := newBucket(1, 300, t0)
	if !b.fits(ticks(400)) {
		t.Fatal("a full bucket refused a request larger than itself")
	}
	b.take(ticks(400))
	if b.fits(ticks(1)) || b.units() != -100 {
		t.Fatalf("in debt: fits=%v units=%v", b.fits(ticks(1)), b.units())
	}
	b.refill(t0.Add(101 * time.Second))
	if !b.fits(ticks(1)) || b.units() != 1 {
		t.Fatalf("after paying the debt: units=%v", b.units())
	}
	b.refill(t0.Add(10 * time.Hour)) // longer than the bucket's 300 s, from a debt
	if b.units() != 300 {
		t.Fatalf("refilled from debt: %v, want 300", b.units())
	}
}

func TestBucketRateChangeKeepsTokens(t *testing.T) {
	b := newBucket(10, 1, t0)
	b.take(ticks(4))
	b.setRate(20)
	if b.units() != 6 {
		t.Fatalf("raised rate: %v, want the 6 left", b.units())
	}
	b.setRate(2)
	if b.units() != 2 {
		t.Fatalf("lowered rate: %v, want 2 (cut to the new size)", b.units())
	}
}
