package capacity

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
)

type specSrc struct{ spec Spec }

func (s *specSrc) CapacitySpec() *Spec { return &s.spec }

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

const arn = "arn:aws:dynamodb:us-east-1:000000000000:table/t"

func provisioned(r, w int64, gsis ...IndexSpec) *specSrc {
	return &specSrc{Spec{ID: "id1", ARN: arn, Table: Throughput{Read: r, Write: w}, Indexes: gsis}}
}

func onDemand(gsis ...IndexSpec) *specSrc {
	return &specSrc{Spec{ID: "id1", ARN: arn, Table: Throughput{OnDemand: true}, Indexes: gsis}}
}

func newOn(t *testing.T) (*Limiter, *clock.Clock) {
	t.Helper()
	c := clock.NewFrozen(t0)
	l := New(c)
	l.SetEnabled(true)
	return l, c
}

func sv(s string) attr.Value { return attr.Value{Type: attr.S, S: s} }

func put(src Source, key string, units float64) Request {
	return Request{Table: "t", Source: src, Charges: []Charge{{Write: true, Units: units, Key: sv(key)}}}
}

// admitN admits up to n requests built by mk and returns how many passed
// before the first refusal, with that refusal.
func admitN(l *Limiter, n int, mk func(i int) Request) (int, *Throttle) {
	for i := range n {
		if th := l.admitReq((mk(i))); th != nil {
			return i, th
		}
	}
	return n, nil
}

// admitReq is Admit of a Request.
func (l *Limiter) admitReq(r Request) *Throttle {
	return l.Admit(r.Table, r.Source, r.Bytes, r.Charges)
}

func reasons(th *Throttle) string {
	if th == nil {
		return "<nil>"
	}
	return fmt.Sprint(th.Reasons)
}

func TestOffAdmitsEverything(t *testing.T) {
	l := New(clock.NewFrozen(t0))
	src := provisioned(1, 1)
	if n, th := admitN(l, 5000, func(int) Request { return put(src, "k", 1) }); th != nil {
		t.Fatalf("refused after %d: %s", n, reasons(th))
	}
	if l.Active() {
		t.Fatal("Active with enforcement off")
	}
}

func TestProvisionedBurstThenRefill(t *testing.T) {
	l, c := newOn(t)
	src := provisioned(5, 5)
	key := func(i int) Request { return put(src, fmt.Sprint("k", i), 1) }
	// One partition: 1,000 WCU in the first second, then the key range.
	n, th := admitN(l, 2000, key)
	if n != 1000 || th == nil || th.Reasons[0].Reason != "TableWriteKeyRangeThroughputExceeded" || th.OnDemand {
		t.Fatalf("first second: %d admitted, %s", n, reasons(th))
	}
	c.Advance(time.Second)
	// The burst held 1,500 units plus 5 refilled: 505 left.
	n, th = admitN(l, 2000, key)
	if n != 505 || th == nil || th.Reasons[0] != (Reason{"TableWriteProvisionedThroughputExceeded", arn}) {
		t.Fatalf("second second: %d admitted, %s", n, reasons(th))
	}
	c.Advance(200 * time.Millisecond) // 1 unit exactly
	if n, _ = admitN(l, 10, key); n != 1 {
		t.Fatalf("after 200ms: %d admitted, want 1", n)
	}
	c.Advance(time.Hour) // the burst is full again, 300 s of 5 WCU
	st := l.Status("t", src, 0, 0)
	if got := st.Resources[0].Write; got.Available != 1500 || got.Capacity != 1500 || got.ThrottleEvents != 3 {
		t.Fatalf("status after an hour: %+v", got)
	}
}

func TestEventuallyConsistentHalfUnits(t *testing.T) {
	l, _ := newOn(t)
	l.Configure("t", TableConfig{BurstSeconds: 1})
	src := provisioned(2, 1)
	get := func(int) Request {
		return Request{Table: "t", Source: src, Charges: []Charge{{Units: 0.5, Key: sv("a")}}}
	}
	if n, th := admitN(l, 10, get); n != 4 || th.Reasons[0].Reason != "TableReadProvisionedThroughputExceeded" {
		t.Fatalf("%d admitted, %s", n, reasons(th))
	}
}

func TestOnDemandHotKey(t *testing.T) {
	l, c := newOn(t)
	src := onDemand()
	n, th := admitN(l, 1500, func(int) Request { return put(src, "hot", 1) })
	if n != 1000 || !th.OnDemand || reasons(th) != "[{TableWriteKeyRangeThroughputExceeded "+arn+"}]" {
		t.Fatalf("hot key: %d admitted, %s", n, reasons(th))
	}
	hot := partitionOf(attr.PartitionHash(sv("hot")), 4)
	others := 0
	for i := 0; others < 100; i++ {
		k := fmt.Sprint("cold", i)
		th := l.admitReq((put(src, k, 1)))
		if p := partitionOf(attr.PartitionHash(sv(k)), 4); p == hot {
			if th == nil {
				t.Fatalf("key %s on the hot partition admitted", k)
			}
			continue
		}
		if th != nil {
			t.Fatalf("key %s on partition other than the hot one refused: %s", k, reasons(th))
		}
		others++
	}
	c.Advance(time.Second)
	if th := l.admitReq((put(src, "hot", 1))); th != nil {
		t.Fatalf("after a second: %s", reasons(th))
	}
	s := l.Status("t", src, 0, 1)
	if len(s.HotKeys) != 1 || s.HotKeys[0].Key != "hot" || s.HotKeys[0].WriteUnits != 1001 || s.HotKeys[0].Throttled != 1 {
		t.Fatalf("hot keys: %+v", s.HotKeys)
	}
	if s.Resources[0].Partitions != 4 || s.Mode != "PAY_PER_REQUEST" {
		t.Fatalf("status: %+v", s)
	}
}

func TestOnDemandMaximum(t *testing.T) {
	l, _ := newOn(t)
	src := onDemand()
	src.spec.Table.MaxWrite = 10
	n, th := admitN(l, 100, func(i int) Request { return put(src, fmt.Sprint(i), 1) })
	if n != 10 || reasons(th) != "[{TableWriteMaxOnDemandThroughputExceeded "+arn+"}]" {
		t.Fatalf("%d admitted, %s", n, reasons(th))
	}
}

func TestGSIBackPressure(t *testing.T) {
	l, _ := newOn(t)
	l.Configure("t", TableConfig{BurstSeconds: 1})
	src := provisioned(100, 100, IndexSpec{Name: "g", Throughput: Throughput{Read: 1, Write: 2}})
	w := func(i int) Request {
		return Request{Table: "t", Source: src, Charges: []Charge{
			{Write: true, Units: 1, Key: sv(fmt.Sprint(i))},
			{Index: "g", Write: true, Units: 1, Key: sv("gk")},
		}}
	}
	n, th := admitN(l, 10, w)
	if n != 2 || reasons(th) != "[{IndexWriteProvisionedThroughputExceeded "+arn+"/index/g}]" || !th.IndexOnly() {
		t.Fatalf("%d admitted, %s", n, reasons(th))
	}
	s := l.Status("t", src, 0, 0)
	if s.Resources[0].Write.Consumed != 2 || s.Resources[1].Write.ThrottleEvents != 1 || s.Resources[0].Write.ThrottleEvents != 1 {
		t.Fatalf("status: %+v", s.Resources)
	}
}

func TestAdmitAllIsAllOrNothing(t *testing.T) {
	l, _ := newOn(t)
	l.Configure("t", TableConfig{BurstSeconds: 1})
	src := provisioned(10, 3)
	if th := l.admitReq((put(src, "z", 1))); th != nil {
		t.Fatal(reasons(th))
	}
	tx := []Request{put(src, "a", 1), put(src, "b", 2)}
	ths := l.AdmitAll(tx)
	if ths == nil || ths[0] != nil || ths[1] == nil {
		t.Fatalf("want the second refused: %v", ths)
	}
	if n, _ := admitN(l, 10, func(int) Request { return put(src, "c", 1) }); n != 2 {
		t.Fatalf("after the refused transaction %d admitted, want the 2 left", n)
	}
}

func TestSameRequestsSameDecisions(t *testing.T) {
	run := func() []int {
		l, c := newOn(t)
		src := onDemand()
		var refused []int
		for i := range 5000 {
			if i%700 == 0 {
				c.Advance(300 * time.Millisecond)
			}
			k := "hot"
			if i%10 == 9 {
				k = fmt.Sprint("k", i)
			}
			if l.admitReq((put(src, k, 1))) != nil {
				refused = append(refused, i)
			}
		}
		return refused
	}
	a, b := run(), run()
	if fmt.Sprint(a) != fmt.Sprint(b) || len(a) == 0 {
		t.Fatalf("decisions differ or nothing refused: %d vs %d", len(a), len(b))
	}
}

func TestReconfigureKeepsTokensAndGrowsPartitions(t *testing.T) {
	l, _ := newOn(t)
	src := provisioned(5, 5)
	l.admitReq((put(src, "a", 100)))
	src2 := provisioned(5, 3000)
	s := l.Status("t", src2, 0, 0)
	if s.Resources[0].Partitions != 4 || s.Resources[0].Write.Available != 1400 { // ceil(5/3000 + 3000/1000)
		t.Fatalf("after raising WCU: %+v", s.Resources[0])
	}
	src3 := provisioned(5, 1)
	s = l.Status("t", src3, 0, 0)
	if s.Resources[0].Partitions != 4 || s.Resources[0].Write.Available != 300 {
		t.Fatalf("after lowering WCU: %+v", s.Resources[0])
	}
	src4 := provisioned(5, 1)
	src4.spec.ID = "id2"
	if s = l.Status("t", src4, 0, 0); s.Resources[0].Partitions != 1 {
		t.Fatalf("a new table keeps the old partitions: %+v", s.Resources[0])
	}
}

func TestLargeRequestPassesFullBucket(t *testing.T) {
	l, _ := newOn(t)
	src := provisioned(1, 1)
	if th := l.admitReq((put(src, "big", 400))); th != nil {
		t.Fatalf("400 WCU on a full 300 WCU burst: %s", reasons(th))
	}
	if th := l.admitReq((put(src, "x", 1))); th == nil {
		t.Fatal("a bucket in debt admitted a write")
	}
}

func TestPerTableSetting(t *testing.T) {
	c := clock.NewFrozen(t0)
	l := New(c)
	on, off := true, false
	l.Configure("t", TableConfig{Enabled: &on})
	if !l.Active() {
		t.Fatal("not Active with one table on")
	}
	src := provisioned(1, 1)
	if n, _ := admitN(l, 2000, func(i int) Request { return put(src, fmt.Sprint(i), 1) }); n != 300 {
		t.Fatalf("%d admitted, want 300", n)
	}
	other := Request{Table: "u", Source: src, Charges: []Charge{{Write: true, Units: 1}}}
	if th := l.admitReq(other); th != nil {
		t.Fatal("a table without enforcement refused")
	}
	l.Configure("t", TableConfig{Enabled: &off})
	if l.Active() {
		t.Fatal("Active with every table off")
	}
	l.Configure("t", TableConfig{Enabled: &on})
	if n, _ := admitN(l, 2000, func(i int) Request { return put(src, fmt.Sprint(i), 1) }); n != 300 {
		t.Fatalf("switched on again: %d admitted, want a full burst", n)
	}
}

func TestHeatKeepsHottestKeys(t *testing.T) {
	l, _ := newOn(t)
	src := onDemand()
	for i := range 1000 {
		l.admitReq(put(src, fmt.Sprint("cold", i), 1))
		if i%2 == 0 {
			l.admitReq((put(src, "warm", 1)))
		}
	}
	s := l.Status("t", src, 0, 3)
	if len(s.HotKeys) != 3 || s.HotKeys[0].Key != "warm" || s.HotKeys[0].WriteUnits != 500 {
		t.Fatalf("hot keys: %+v", s.HotKeys)
	}
}

func TestRateOverLastSecond(t *testing.T) {
	l, c := newOn(t)
	src := onDemand()
	for range 100 {
		l.admitReq((put(src, "k", 1)))
	}
	c.Advance(1500 * time.Millisecond)
	s := l.Status("t", src, 0, 1)
	if got := s.HotKeys[0].WriteUnitsPerSecond; got != 50 {
		t.Fatalf("rate half a second after the window: %v, want 50", got)
	}
}

// Concurrent callers never get more than the buckets hold.
func TestConcurrentAdmissionsStayWithinTheBuckets(t *testing.T) {
	l, _ := newOn(t)
	l.Configure("t", TableConfig{BurstSeconds: 2})
	src := provisioned(10, 50) // 100 write units, one partition
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if l.admitReq(put(src, fmt.Sprint(g, "-", i), 1)) == nil {
					admitted.Add(1)
				}
				l.Status("t", src, 0, 3)
			}
		})
	}
	wg.Wait()
	if n := admitted.Load(); n != 100 {
		t.Fatalf("%d writes admitted, want exactly the 100 units of the bucket", n)
	}
	if s := l.Status("t", src, 0, 0); s.ThrottledRequests != 300 || s.Resources[0].Write.Consumed != 100 {
		t.Fatalf("status %+v", s)
	}
}

// One partition per 10 GB of table data: the count follows the size the
// engine passes with each request (Request.Bytes, the table's stored bytes,
// tx.SizeBytes() in engine.capacityRequest and engine.admit), takes the larger of that and
// the throughput's count, never shrinks, and decides which keys share a
// hot key's per-partition bucket.
func TestPartitionsPerTenGB(t *testing.T) {
	const gb = int64(1) << 30
	l, _ := newOn(t)
	src := provisioned(5, 5, IndexSpec{Name: "g", Throughput: Throughput{Read: 5, Write: 5}})
	parts := func(bytes int64) (table, index int) {
		t.Helper()
		s := l.Status("t", src, bytes, 0)
		return s.Resources[0].Partitions, s.Resources[1].Partitions
	}
	for _, c := range []struct {
		bytes int64
		want  int
	}{
		{0, 1}, {10 * gb, 1}, {10*gb + 1, 2}, {20 * gb, 2}, {25 * gb, 3}, {95 * gb, 10},
		{10 * gb, 10}, // a table that shrinks keeps its partitions
	} {
		if tp, ip := parts(c.bytes); tp != c.want || ip != 1 {
			t.Fatalf("%d bytes: %d table partitions, %d GSI partitions; want %d and 1 (the GSI's own throughput)", c.bytes, tp, ip, c.want)
		}
	}

	// Throughput and size: the larger count wins. 3,000 RCU and 6,000 WCU
	// need ceil(3,000/3,000 + 6,000/1,000) = 7 partitions, as do 70 GB.
	l2, _ := newOn(t)
	big := provisioned(3000, 6000)
	for _, c := range []struct {
		bytes int64
		want  int
	}{{0, 7}, {70 * gb, 7}, {70*gb + 1, 8}} {
		if got := l2.Status("t", big, c.bytes, 0).Resources[0].Partitions; got != c.want {
			t.Fatalf("3,000 RCU and 6,000 WCU, %d bytes: %d partitions, want %d", c.bytes, got, c.want)
		}
	}

	// On demand, 45 GB: 5 partitions (the warm throughput needs 4). A hot
	// key fills its partition's 1,000 WCU; the keys the size puts on the
	// same partition are refused with it, every other key is admitted.
	l3, _ := newOn(t)
	od := onDemand()
	hotKey := func(int) Request { r := put(od, "hot", 1); r.Bytes = 45 * gb; return r }
	if n, th := admitN(l3, 1500, hotKey); n != 1000 || reasons(th) != "[{TableWriteKeyRangeThroughputExceeded "+arn+"}]" {
		t.Fatalf("hot key: %d admitted, %s", n, reasons(th))
	}
	if got := l3.Status("t", od, 45*gb, 0).Resources[0].Partitions; got != 5 {
		t.Fatalf("on demand, 45 GB: %d partitions, want 5", got)
	}
	hot := Partition(sv("hot"), 5)
	shared, others := 0, 0
	for i := 0; shared < 20 || others < 100; i++ {
		k := fmt.Sprint("cold", i)
		r := put(od, k, 1)
		r.Bytes = 45 * gb
		th := l3.admitReq(r)
		if Partition(sv(k), 5) == hot {
			if th == nil {
				t.Fatalf("key %s, on the hot key's partition of 5, admitted", k)
			}
			shared++
			continue
		}
		if th != nil {
			t.Fatalf("key %s, on another partition of 5, refused: %s", k, reasons(th))
		}
		others++
	}
}
