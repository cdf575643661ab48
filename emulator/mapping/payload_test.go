package mapping

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/stream"
)

// invokeLimit is the invoke payload bound the tests hold the events to:
// 6 MiB.
const invokeLimit = 6 << 20

// itemLimit is DynamoDB's item size limit, 400 KB.
const itemLimit = 400 << 10

// putLarge writes item pk holding a string attribute that brings it to
// DynamoDB's 400 KB item limit.
func (f *fixture) putLarge(pk string) stream.Record {
	f.t.Helper()
	blob := strings.Repeat("x", itemLimit-len("pk")-len(pk)-len("blob"))
	r, ok := f.s.Build(nil, attr.Item{"pk": attr.Str(pk), "blob": attr.Str(blob)}, false)
	if !ok {
		f.t.Fatal("no record")
	}
	return f.s.Append([]stream.Record{r}, f.clk.Now())[0]
}

// payloads is an in-process handler that keeps the size and the sequence
// numbers of every event it receives, and answers with respond (null
// when nil).
type payloads struct {
	t       *testing.T
	mu      sync.Mutex
	sizes   []int
	seqs    [][]string
	events  []map[string]json.RawMessage
	respond func(n int) []byte
}

func (p *payloads) handler(_ context.Context, payload []byte) ([]byte, error) {
	var ev event
	var top map[string]json.RawMessage
	if err := json.Unmarshal(payload, &ev); err != nil {
		p.t.Errorf("event is not JSON: %v", err)
	}
	_ = json.Unmarshal(payload, &top)
	var seqs []string
	for _, r := range ev.Records {
		seqs = append(seqs, r.Dynamodb.SequenceNumber)
	}
	p.mu.Lock()
	p.sizes = append(p.sizes, len(payload))
	p.seqs = append(p.seqs, seqs)
	p.events = append(p.events, top)
	n := len(p.sizes)
	p.mu.Unlock()
	if p.respond != nil {
		return p.respond(n), nil
	}
	return []byte("null"), nil
}

// check asserts that every event was within invokeLimit, that the records
// came in at least minBatches events holding records, and that the
// records were delivered once each, in order.
func (p *payloads) check(want []string, minBatches int) {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	var got []string
	batches := 0
	for i, size := range p.sizes {
		if size > invokeLimit {
			p.t.Errorf("event %d (%d records) is %d bytes, over %d", i, len(p.seqs[i]), size, invokeLimit)
		}
		if len(p.seqs[i]) > 0 {
			batches++
		}
		got = append(got, p.seqs[i]...)
	}
	p.t.Logf("event sizes %v", p.sizes)
	if batches < minBatches {
		p.t.Errorf("%d events held the %d records, want at least %d", batches, len(want), minBatches)
	}
	if !slices.Equal(got, want) {
		p.t.Errorf("delivered %v, want %v once each in order", got, want)
	}
}

// TestBatchesStayWithinTheInvokePayload writes 20 items of 400 KB while
// the function holds the lane with a first small record, so that the
// worker has read all of them when it forms the next batch: BatchSize 100
// would take them all, the invoke payload bound splits them.
func TestBatchesStayWithinTheInvokePayload(t *testing.T) {
	f := newFixture(t, 1, false)
	p := &payloads{t: t}
	want := deliverLargeBehindAFirst(t, f, p, []byte("null"), 0)
	if got, _, _ := f.obs.snapshot(); !slices.Equal(got, want) {
		t.Errorf("the observer saw %v, want %v", got, want)
	}
}

// deliverLargeBehindAFirst creates a mapping (BatchSize 100, the tumbling
// window given) whose function answers response, writes a small record,
// holds the function on it while 20 records of 400 KB are written and
// read, then lets it go and checks that the 21 records arrived once each,
// in order, the large ones in two batches or more. It returns the
// records' sequence numbers.
func deliverLargeBehindAFirst(t *testing.T, f *fixture, p *payloads, response []byte, tumbling int) []string {
	t.Helper()
	release := make(chan struct{})
	p.respond = func(n int) []byte {
		if n == 1 {
			<-release
		}
		return response
	}
	if _, err := f.m.RegisterFunction(Function{Name: "fn", Handler: p.handler}); err != nil {
		t.Fatal(err)
	}
	want := []string{f.put("first", 1).SequenceNumber}
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition, cfg.BatchSize = "fn", streamARN, TrimHorizon, 100
	cfg.TumblingWindowInSeconds = tumbling
	v, err := f.m.Create(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the first invocation", func() bool { p.mu.Lock(); defer p.mu.Unlock(); return len(p.sizes) == 1 })
	for i := range 20 {
		want = append(want, f.putLarge(string(rune('a'+i))).SequenceNumber)
	}
	eventually(t, "the 400 KB records read", func() bool { st, _ := f.m.Status(v.UUID); return st.Stats.PolledEventCount == 21 })
	close(release)
	eventually(t, "21 records handled", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 21 })
	p.check(want, 3) // the first record, then the 400 KB ones in two or more
	return want
}

// TestWindowBatchesCountTheState is TestBatchesStayWithinTheInvokePayload
// with a tumbling window whose state is close to its 1 MB limit: every
// event carries that state besides the records, and must still be within
// the invoke payload.
func TestWindowBatchesCountTheState(t *testing.T) {
	f := newFixture(t, 1, true) // the clock stands still: one window
	state := `{"blob":"` + strings.Repeat("s", maxWindowState-100) + `"}`
	p := &payloads{t: t}
	deliverLargeBehindAFirst(t, f, p, []byte(`{"state":`+state+`}`), 60)
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, ev := range p.events[1:] {
		if string(ev["state"]) != state || string(ev["isWindowTerminatedEarly"]) != "false" {
			t.Errorf("event %d: state of %d bytes, isWindowTerminatedEarly %s; want the %d-byte state of the window", i+1,
				len(ev["state"]), ev["isWindowTerminatedEarly"], len(state))
		}
	}
}

// TestWindowBatchAtThePayloadBoundDoesNotWait: with a tumbling window and
// a batching window, a batch cut at the invoke payload bound is full and
// is invoked at once, as one of BatchSize records is; the rest waits for
// the batching window on the clock.
func TestWindowBatchAtThePayloadBoundDoesNotWait(t *testing.T) {
	f := newFixture(t, 1, true) // the clock stands still until moved
	p := &payloads{t: t, respond: func(int) []byte { return []byte(`{"state":{}}`) }}
	if _, err := f.m.RegisterFunction(Function{Name: "fn", Handler: p.handler}); err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 20 {
		want = append(want, f.putLarge(string(rune('a'+i))).SequenceNumber)
	}
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition, cfg.BatchSize = "fn", streamARN, TrimHorizon, 100
	cfg.TumblingWindowInSeconds, cfg.MaximumBatchingWindowInSeconds = 60, 10
	if _, err := f.m.Create(cfg); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a batch cut at the payload bound invoked without the clock moving", func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return len(p.sizes) >= 1
	})
	// The batching window of the rest, then the end of the tumbling
	// window, which checkpoints its records.
	for range 7 {
		if _, err := f.clk.Advance(10 * time.Second); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	eventually(t, "20 records handled", func() bool { got, _, _ := f.obs.snapshot(); return len(got) == 20 })
	p.check(want, 2)
}
