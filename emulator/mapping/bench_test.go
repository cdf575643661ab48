package mapping

import (
	"context"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/stream"
)

// BenchmarkDeliver measures the poller alone: appends to a one-shard
// stream delivered through a mapping to an in-process no-op function
// (b.N records; the time includes waiting for the last one).
func BenchmarkDeliver(b *testing.B) {
	f := newFixture(b, 1, false)
	if _, err := f.m.RegisterFunction(Function{Name: "noop", Handler: func(context.Context, []byte) ([]byte, error) { return nil, nil }}); err != nil {
		b.Fatal(err)
	}
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition = "noop", streamARN, Latest
	v, err := f.m.Create(cfg)
	if err != nil {
		b.Fatal(err)
	}
	it := attr.Item{"pk": attr.Str("k"), "v": attr.Num("1"), "payload": attr.Str("0123456789012345678901234567890123456789")}
	rec, _ := f.s.Build(nil, it, false)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f.s.Append([]stream.Record{rec}, f.clk.Now())
		if i%1000 == 999 {
			time.Sleep(0) // let the poller run
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, _ := f.m.Status(v.UUID)
		if len(st.Shards) == 1 && st.Shards[0].Delivered >= uint64(b.N) || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Microsecond)
	}
}
