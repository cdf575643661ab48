package emulator

import (
	"net/http"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
)

// BenchmarkPutItemHTTPCapacity is BenchmarkPutItemHTTP on a frozen clock
// moved 1 ms per request, with capacity enforcement off and on: the same
// hot key written at 1,000 WCU per second of clock time, exactly what its
// partition serves, so no request is throttled and "on" measures the cost
// of admission (charges, buckets, heat).
func BenchmarkPutItemHTTPCapacity(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := "off"
		if on {
			name = "on"
		}
		b.Run(name, func(b *testing.B) {
			clk := clock.NewFrozen(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			e, err := New(Options{Clock: clk, Capacity: on})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = e.Close() })
			create := newBenchCall(e.Handler(), "CreateTable", `{"TableName":"bench","BillingMode":"PAY_PER_REQUEST",`+
				`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
			if s := create.do(); s != http.StatusOK {
				b.Fatalf("CreateTable: status %d", s)
			}
			c := newBenchCall(e.Handler(), "PutItem", `{"TableName":"bench","Item":{`+benchItem+`}}`)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := clk.Advance(time.Millisecond); err != nil {
					b.Fatal(err)
				}
				if s := c.do(); s != http.StatusOK {
					b.Fatalf("status %d", s)
				}
			}
		})
	}
}
