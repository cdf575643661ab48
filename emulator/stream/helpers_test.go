package stream

import (
	"strconv"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
)

var t0 = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// fixture is a registry on a frozen clock with one stream.
type fixture struct {
	clk *clock.Clock
	reg *Registry
	s   *Stream
}

func newFixture(t *testing.T, opts Options, partitions int, view string) *fixture {
	t.Helper()
	clk := clock.NewFrozen(t0)
	opts.Clock = clk
	reg := NewRegistry(opts)
	s, err := reg.Create(Spec{
		ARN: "arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2025-01-02T03:04:05.000", Label: "2025-01-02T03:04:05.000",
		Table: "T", Key: KeySchema{Hash: "pk", Range: "sk"}, ViewType: view, Created: t0, Partitions: partitions,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{clk: clk, reg: reg, s: s}
}

func item(pk string, sk int, extra ...string) attr.Item {
	it := attr.Item{"pk": attr.Str(pk), "sk": attr.Num(strconv.Itoa(sk))}
	for i := 0; i+1 < len(extra); i += 2 {
		it[extra[i]] = attr.Str(extra[i+1])
	}
	return it
}

// put appends the record of a change from old to new.
func (f *fixture) put(t *testing.T, old, new attr.Item) Record {
	t.Helper()
	r, ok := f.s.Build(old, new, false)
	if !ok {
		t.Fatalf("no record for %v -> %v", old, new)
	}
	return f.s.Append([]Record{r}, f.clk.Now())[0]
}

func (f *fixture) advance(t *testing.T, d time.Duration) {
	t.Helper()
	if _, err := f.clk.Advance(d); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) iter(t *testing.T, shard, typ, seq string) string {
	t.Helper()
	it, err := f.s.ShardIterator(shard, typ, seq, f.clk.Now())
	if err != nil {
		t.Fatalf("ShardIterator(%s, %s, %s): %v", shard, typ, seq, err)
	}
	return it
}

func (f *fixture) read(t *testing.T, it string) Page {
	t.Helper()
	p, err := f.s.Read(it, 1000, 1<<20, f.clk.Now())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return p
}

func (f *fixture) shards() []ShardInfo { return f.s.Describe(f.clk.Now()).Shards }

func seqs(recs []Record) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.SequenceNumber
	}
	return out
}
