package stream

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestSequenceNumbersAndShardIDs(t *testing.T) {
	if got := formatSeq(7); got != "400000000000000000007" || len(got) != 21 {
		t.Fatalf("formatSeq(7) = %q", got)
	}
	for _, n := range []uint64{1, 99, 1 << 40, ^uint64(0) >> 1} {
		if m, ok := parseSeq(formatSeq(n)); !ok || m != n {
			t.Errorf("parseSeq(formatSeq(%d)) = %d %v", n, m, ok)
		}
	}
	for _, bad := range []string{"", "123", "500000000000000000001", "4000000000000000000x1", "40000000000000000000001"} {
		if _, ok := parseSeq(bad); ok {
			t.Errorf("parseSeq(%q) accepted", bad)
		}
	}
	if a, b := shardID(5, 9), shardID(5, 10); !(a < b) || len(a) < 28 || len(a) > 65 {
		t.Errorf("shard IDs %q %q", a, b)
	}
	r := evenRanges(3)
	if r[0][0] != 0 || r[2][1] != ^uint64(0) || r[0][1]+1 != r[1][0] || r[1][1]+1 != r[2][0] {
		t.Errorf("evenRanges(3) = %v", r)
	}
}

func TestAppendIncreasingAndRouted(t *testing.T) {
	f := newFixture(t, Options{}, 4, KeysOnly)
	var last string
	byShard := map[string][]string{}
	for i := range 200 {
		pk := string(rune('a' + i%26))
		r := f.put(t, nil, item(pk, i))
		if r.SequenceNumber <= last || len(r.SequenceNumber) != 21 || !IsDecimal(r.SequenceNumber) {
			t.Fatalf("sequence %q after %q", r.SequenceNumber, last)
		}
		if len(r.EventID) != 32 {
			t.Fatalf("eventID %q", r.EventID)
		}
		last = r.SequenceNumber
		byShard[r.ShardID] = append(byShard[r.ShardID], pk)
	}
	shards := f.shards()
	if len(shards) != 4 {
		t.Fatalf("%d shards", len(shards))
	}
	for _, sh := range shards {
		for _, pk := range byShard[sh.ID] {
			if h := attr.PartitionHash(attr.Str(pk)); h < sh.HashLo || h > sh.HashHi {
				t.Errorf("key %s (hash %x) in shard %s [%x, %x]", pk, h, sh.ID, sh.HashLo, sh.HashHi)
			}
		}
	}
}

func TestIteratorTypes(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	sh := f.shards()[0]
	latest0 := f.iter(t, sh.ID, Latest, "")
	atStart := f.iter(t, sh.ID, AtSequenceNumber, sh.Start)
	r1, r2, r3 := f.put(t, nil, item("a", 1)), f.put(t, nil, item("a", 2)), f.put(t, nil, item("a", 3))
	all := []string{r1.SequenceNumber, r2.SequenceNumber, r3.SequenceNumber}
	cases := []struct {
		name string
		it   string
		want []string
	}{
		{"LATEST issued before the writes", latest0, all},
		{"AT the starting sequence number", atStart, all},
		{"TRIM_HORIZON", f.iter(t, sh.ID, TrimHorizon, ""), all},
		{"LATEST", f.iter(t, sh.ID, Latest, ""), nil},
		{"AT r2", f.iter(t, sh.ID, AtSequenceNumber, r2.SequenceNumber), all[1:]},
		{"AFTER r2", f.iter(t, sh.ID, AfterSequenceNumber, r2.SequenceNumber), all[2:]},
	}
	for _, c := range cases {
		p := f.read(t, c.it)
		if got := seqs(p.Records); !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if p.Next == "" {
			t.Errorf("%s: no next iterator on an open shard", c.name)
		}
		if again := f.read(t, p.Next); len(again.Records) != 0 || again.Next == "" {
			t.Errorf("%s: at the end: %v next %q", c.name, seqs(again.Records), again.Next)
		}
	}
	for _, bad := range []struct{ typ, seq string }{{AtSequenceNumber, "400000000000000000099"}, {AfterSequenceNumber, "123"}, {"NOPE", ""}} {
		if _, err := f.s.ShardIterator(sh.ID, bad.typ, bad.seq, f.clk.Now()); err == nil {
			t.Errorf("ShardIterator(%s, %s) accepted", bad.typ, bad.seq)
		}
	}
	if _, err := f.s.ShardIterator("shardId-00000000000000000000-deadbeef", Latest, "", f.clk.Now()); !errors.Is(err, ErrShardNotFound) {
		t.Errorf("unknown shard: %v", err)
	}
}

func TestReadLimitAndSize(t *testing.T) {
	f := newFixture(t, Options{}, 1, NewImage)
	big := strings.Repeat("x", 300_000)
	for i := range 5 {
		f.put(t, nil, item("a", i, "big", big))
	}
	it := f.iter(t, f.shards()[0].ID, TrimHorizon, "")
	p, err := f.s.Read(it, 2, 1<<20, f.clk.Now())
	if err != nil || len(p.Records) != 2 {
		t.Fatalf("limit 2: %d records, %v", len(p.Records), err)
	}
	p = f.read(t, p.Next)
	if len(p.Records) != 3 {
		t.Fatalf("1 MB cap: %d records", len(p.Records))
	}
	if p, _ = f.s.Read(it, 1000, 10, f.clk.Now()); len(p.Records) != 1 {
		t.Fatalf("a record bigger than the cap still comes alone: %d", len(p.Records))
	}
}

func TestIteratorTamperingAndExpiry(t *testing.T) {
	f := newFixture(t, Options{IteratorTTL: time.Minute}, 1, KeysOnly)
	f.put(t, nil, item("a", 1))
	it := f.iter(t, f.shards()[0].ID, TrimHorizon, "")
	if !strings.HasPrefix(it, f.s.ARN()+"|1|") || len(it) > 2048 {
		t.Fatalf("iterator %q", it)
	}
	tampered := []string{
		it[:len(it)-1] + map[bool]string{true: "A", false: "B"}[it[len(it)-1] != 'A'],
		strings.Replace(it, "|1|", "|2|", 1),
		"arn:aws:dynamodb:us-east-1:000000000000:table/U/stream/x" + it[strings.Index(it, "|1|"):],
		"garbage", "", "a|1|", it + "AAAA",
	}
	for _, bad := range tampered {
		if _, err := f.reg.Lookup(bad); !errors.Is(err, ErrBadIterator) {
			t.Errorf("Lookup(%.60q): %v", bad, err)
		}
		if _, err := f.s.Read(bad, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrBadIterator) {
			t.Errorf("Read(%.60q): %v", bad, err)
		}
	}
	other := NewRegistry(Options{Clock: f.clk})
	if _, err := other.Lookup(it); !errors.Is(err, ErrBadIterator) {
		t.Errorf("another registry's key accepted the iterator: %v", err)
	}
	f.advance(t, time.Minute)
	if _, err := f.s.Read(it, 10, 1<<20, f.clk.Now()); err != nil {
		t.Errorf("at exactly the lifetime: %v", err)
	}
	f.advance(t, time.Second)
	if _, err := f.s.Read(it, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrExpiredIterator) {
		t.Errorf("past the lifetime: %v", err)
	}
	fresh := f.iter(t, f.shards()[0].ID, TrimHorizon, "")
	f.s.ExpireIterators()
	if _, err := f.s.Read(fresh, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrExpiredIterator) {
		t.Errorf("after ExpireIterators (same instant): %v", err)
	}
	if _, err := f.s.Read(f.iter(t, f.shards()[0].ID, TrimHorizon, ""), 10, 1<<20, f.clk.Now()); err != nil {
		t.Errorf("iterator issued after ExpireIterators: %v", err)
	}
}

func TestRetention(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	id := f.shards()[0].ID
	r1 := f.put(t, nil, item("a", 1))
	oldIt := f.iter(t, id, TrimHorizon, "")
	f.advance(t, 12*time.Hour)
	r2 := f.put(t, nil, item("a", 2))
	f.advance(t, 12*time.Hour) // r1 is 24 h old: trimmed
	th := f.read(t, f.iter(t, id, TrimHorizon, ""))
	if got := seqs(th.Records); !slices.Equal(got, []string{r2.SequenceNumber}) {
		t.Fatalf("TRIM_HORIZON after 24 h: %v", got)
	}
	if sh := f.shards()[0]; sh.TrimHorizon != r2.SequenceNumber || sh.Trimmed != 1 || sh.Records != 1 {
		t.Errorf("shard info %+v", sh)
	}
	if _, err := f.s.Read(oldIt, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrTrimmed) && !errors.Is(err, ErrExpiredIterator) {
		t.Errorf("old iterator: %v", err)
	}
	if _, err := f.s.ShardIterator(id, AtSequenceNumber, r1.SequenceNumber, f.clk.Now()); !errors.Is(err, ErrTrimmed) {
		t.Errorf("AT a trimmed record: %v", err)
	}
	if _, err := f.s.ShardIterator(id, AfterSequenceNumber, r1.SequenceNumber, f.clk.Now()); err != nil {
		t.Errorf("AFTER the last trimmed record: %v", err)
	}
	// An iterator obtained before trimming fails with TrimmedDataAccess.
	it := f.iter(t, id, TrimHorizon, "")
	if n := f.s.Trim(0, f.clk.Now()); n != 1 {
		t.Errorf("Trim(0) removed %d", n)
	}
	if _, err := f.s.Read(it, 10, 1<<20, f.clk.Now()); !errors.Is(err, ErrTrimmed) {
		t.Errorf("iterator behind the horizon: %v", err)
	}
}

func TestRolloverSplitLineage(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	root := f.shards()[0].ID
	a := f.put(t, nil, item("a", 1))
	rootIt := f.iter(t, root, TrimHorizon, "")
	child, err := f.s.Rollover(root, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Rollover(root, f.clk.Now()); !errors.Is(err, ErrShardClosed) {
		t.Errorf("second rollover of the same shard: %v", err)
	}
	p := f.read(t, rootIt)
	if len(p.Records) != 1 || p.Records[0].SequenceNumber != a.SequenceNumber || p.Next != "" {
		t.Errorf("closed parent: %v next %q", seqs(p.Records), p.Next)
	}
	kids, err := f.s.Split(child, f.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	shards := f.shards()
	if len(shards) != 4 {
		t.Fatalf("%d shards", len(shards))
	}
	ids := []string{shards[0].ID, shards[1].ID, shards[2].ID, shards[3].ID}
	if !slices.IsSorted(ids) || ids[1] != child || ids[2] != kids[0] || ids[3] != kids[1] {
		t.Errorf("order %v (child %s kids %v)", ids, child, kids)
	}
	if shards[1].Parent != root || shards[2].Parent != child || shards[3].Parent != child || shards[0].Parent != "" {
		t.Errorf("lineage %+v", shards)
	}
	if shards[0].End != a.SequenceNumber || shards[1].End != shards[1].Start || shards[2].End != "" {
		t.Errorf("ranges: root end %q, empty child %q..%q, open kid end %q", shards[0].End, shards[1].Start, shards[1].End, shards[2].End)
	}
	if shards[2].HashLo != 0 || shards[2].HashHi+1 != shards[3].HashLo || shards[3].HashHi != ^uint64(0) {
		t.Errorf("split ranges %x-%x %x-%x", shards[2].HashLo, shards[2].HashHi, shards[3].HashLo, shards[3].HashHi)
	}
	// Every later record lands in the kid that covers its hash.
	for i := range 50 {
		pk := string(rune('a' + i%26))
		r := f.put(t, nil, item(pk, i+10))
		want := kids[0]
		if attr.PartitionHash(attr.Str(pk)) > shards[2].HashHi {
			want = kids[1]
		}
		if r.ShardID != want {
			t.Fatalf("key %s went to %s, want %s", pk, r.ShardID, want)
		}
	}
}

func TestAutomaticRolloverIsDeterministic(t *testing.T) {
	run := func() []ShardInfo {
		f := newFixture(t, Options{Rollover: 4 * time.Hour}, 1, KeysOnly)
		f.put(t, nil, item("a", 1))
		f.advance(t, 9*time.Hour)
		f.put(t, nil, item("a", 2))
		return f.shards()
	}
	a, b := run(), run()
	if len(a) != 3 {
		t.Fatalf("after 9 h with a 4 h rollover: %d shards, want 3", len(a))
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Parent != b[i].Parent || a[i].Created != b[i].Created {
			t.Fatalf("run differs at %d: %+v vs %+v", i, a[i], b[i])
		}
	}
	if a[1].Created != t0.Add(4*time.Hour) || a[2].Created != t0.Add(8*time.Hour) || a[1].Parent != a[0].ID || a[2].Parent != a[1].ID {
		t.Errorf("rollover chain %+v", a)
	}
	if a[0].Records != 1 || a[1].Records != 0 || a[2].Records != 1 || !a[2].Open || a[1].Open {
		t.Errorf("records per shard %+v", a)
	}
	// A long jump creates only the shards still within retention.
	f := newFixture(t, Options{Rollover: time.Hour}, 1, KeysOnly)
	f.advance(t, 1000*time.Hour)
	if n := len(f.shards()); n > 27 {
		t.Errorf("%d shards listed after a 1000 h jump", n)
	}
}

func TestDisableAndExpiry(t *testing.T) {
	f := newFixture(t, Options{}, 2, KeysOnly)
	r := f.put(t, nil, item("a", 1))
	f.s.Disable(f.clk.Now())
	if f.s.Status() != StatusDisabled {
		t.Fatal("not disabled")
	}
	if got := f.s.Append([]Record{r}, f.clk.Now()); got != nil {
		t.Errorf("append to a disabled stream kept %d records", len(got))
	}
	for _, sh := range f.shards() {
		if sh.Open || sh.End == "" {
			t.Errorf("shard %s still open", sh.ID)
		}
		p := f.read(t, f.iter(t, sh.ID, TrimHorizon, ""))
		if p.Next != "" {
			t.Errorf("closed shard gives a next iterator")
		}
	}
	f.advance(t, 23*time.Hour)
	if f.reg.Get(f.s.ARN()) == nil || len(f.reg.List("T")) != 1 {
		t.Fatal("disabled stream gone before 24 h")
	}
	f.advance(t, time.Hour)
	if f.reg.Get(f.s.ARN()) != nil || len(f.reg.List("")) != 0 {
		t.Fatal("disabled stream still listed after 24 h")
	}
}

func TestClosedShardsDroppedAfterRetention(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	root := f.shards()[0].ID
	f.put(t, nil, item("a", 1))
	child, _ := f.s.Rollover(root, f.clk.Now())
	f.advance(t, 24*time.Hour)
	shards := f.shards()
	if len(shards) != 1 || shards[0].ID != child || shards[0].Parent != root {
		t.Fatalf("after retention: %+v", shards)
	}
	if _, err := f.s.ShardIterator(root, TrimHorizon, "", f.clk.Now()); !errors.Is(err, ErrShardNotFound) {
		t.Errorf("dropped shard: %v", err)
	}
}

func TestRepartitionFreshStreamOnly(t *testing.T) {
	f := newFixture(t, Options{}, 1, KeysOnly)
	if !f.s.Repartition(4, f.clk.Now()) || len(f.shards()) != 4 {
		t.Fatalf("fresh stream: %d shards", len(f.shards()))
	}
	f.put(t, nil, item("a", 1))
	if f.s.Repartition(2, f.clk.Now()) || len(f.shards()) != 4 {
		t.Fatal("repartitioned a stream with records")
	}
	f.reg.SetTableShards("T", 3)
	s2, err := f.reg.Create(Spec{ARN: f.s.ARN() + "x", Table: "T", Key: KeySchema{Hash: "pk"}, ViewType: KeysOnly, Created: t0})
	if err != nil || len(s2.Describe(t0).Shards) != 3 {
		t.Fatalf("per-table setting: %v", err)
	}
	if _, err := f.reg.Create(Spec{ARN: f.s.ARN()}); !errors.Is(err, ErrStreamExists) {
		t.Errorf("duplicate ARN: %v", err)
	}
}

// TestTrimReportsFreedMemory checks that retention trims and explicit trims
// tell Options.Freed about at least the memory the records held, and that
// a shard trimmed of most of its records lets go of its large array.
func TestTrimReportsFreedMemory(t *testing.T) {
	var freed []int64
	f := newFixture(t, Options{Freed: func(n int64) { freed = append(freed, n) }}, 1, NewAndOldImages)
	const n = 1000
	var imgBytes int64
	for i := range n {
		r := f.put(t, item("a", i, "v", "old"), item("a", i, "v", "new"))
		imgBytes += int64(len(r.PackedKeys()) + len(r.PackedNewImage()) + len(r.PackedOldImage()))
	}
	sh := f.s.shards[0]
	bigCap := cap(sh.recs)
	last := f.put(t, nil, item("b", 1))
	if _, err := f.s.TrimBefore(last.SequenceNumber, f.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if len(freed) != 1 || freed[0] < imgBytes+n*int64(unsafe.Sizeof(rec{})) {
		t.Errorf("TrimBefore freed %v, want one report of at least %d", freed, imgBytes+n*int64(unsafe.Sizeof(rec{})))
	}
	if len(sh.recs) != 1 || cap(sh.recs) >= bigCap/4 {
		t.Errorf("after the trim: %d records in an array of %d (was %d)", len(sh.recs), cap(sh.recs), bigCap)
	}
	f.advance(t, 25*time.Hour) // retention trims the last record
	f.s.Advance(f.clk.Now())
	if len(freed) != 2 || freed[1] <= 0 {
		t.Errorf("retention trim: reports %v", freed)
	}
	f.s.Advance(f.clk.Now()) // nothing more to trim: no report
	if len(freed) != 2 {
		t.Errorf("a trim of nothing reported %v", freed)
	}
}
