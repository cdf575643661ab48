package conformance

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// Delivery latency: a latency rule on the delivery target makes the
// mapping's invocation wait (wall time) before the function is called.
// The checks hold however slow the machine is: a lower bound on the gap
// between the firing and the call, and a wait far longer than the test,
// seen in the mapping's status and the consumer report, that a reset
// aborts.

// inFlight returns the mapping's batches in flight, over its shards.
func (e *lambdaEnv) inFlight(id string) []mapping.BatchStatus {
	e.t.Helper()
	var out []mapping.BatchStatus
	for _, sh := range e.status(id).Shards {
		out = append(out, sh.Batches...)
	}
	return out
}

func TestDeliveryLatencyWaitsBeforeTheFunctionIsCalled(t *testing.T) {
	const latency = 300 * time.Millisecond
	var mu sync.Mutex
	var called []time.Time
	h := &handler{respond: func(int, []byte) ([]byte, error) {
		mu.Lock()
		called = append(called, time.Now())
		mu.Unlock()
		return []byte("null"), nil
	}}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{h.function("fn")}}})
	table, arn := e.streamTable()
	id := aws.ToString(e.createMapping(minimal("fn", arn)).UUID)
	e.deliveryRule(faults.Rule{ID: "slow", Match: faults.Match{Mapping: id},
		Action: faults.Action{Type: faults.ActionLatency, Latency: faults.Duration(latency)}, When: faults.When{Times: 1}})
	e.putPK(table, "A", 1)
	waitFor(t, "A delivered", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(called) == 1
	})
	fired := e.deliveryFirings("slow")
	if len(fired) != 1 || fired[0].Consumer != id || fired[0].Keys.String() != "pk=S:A" ||
		!strings.HasPrefix(fired[0].Detail, "latency 300ms: function fn, batch of 1 records") {
		t.Fatalf("journal: %s", entriesString(fired))
	}
	mu.Lock()
	gap := called[0].Sub(fired[0].WallTime)
	mu.Unlock()
	if gap < latency {
		t.Errorf("the function was called %v after the latency fired, want at least %v", gap, latency)
	}
	waitFor(t, "the batch checkpointed", func() bool { return e.status(id).Shards[0].Delivered == 1 })
	if b := e.inFlight(id); len(b) != 0 {
		t.Errorf("batches in flight after the wait: %+v", b)
	}
}

func TestDeliveryLatencyHoldsTheBatchInFlightAndTheLagClimbs(t *testing.T) {
	h := &handler{}
	e := newLambdaEnv(t, emulator.Options{Clock: clock.NewFrozen(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)),
		Mappings: emulator.MappingOptions{Functions: []mapping.Function{h.function("fn")}}})
	adm := client.New(e.url)
	table, arn := e.streamTable()
	id := aws.ToString(e.createMapping(minimal("fn", arn)).UUID)
	e.deliveryRule(faults.Rule{ID: "stuck", Match: faults.Match{Mapping: id},
		Action: faults.Action{Type: faults.ActionLatency, Latency: faults.Duration(time.Hour)}, When: faults.When{Times: 1}})
	e.putPK(table, "HELD", 1)
	waitFor(t, "the latency firing", func() bool { return len(e.deliveryFirings("stuck")) == 1 })
	fired := e.deliveryFirings("stuck")[0]
	if fired.Detail != "latency 1h0m0s: function fn, batch of 1 records "+fired.SequenceNumber+" to "+fired.SequenceNumber {
		t.Errorf("firing detail %q", fired.Detail)
	}
	// The firing is journaled before the wait starts: from now on the
	// invocation waits an hour of wall time, so the function cannot have
	// been called, and the batch shows as an invocation under way.
	b := e.inFlight(id)
	if len(b) != 1 || !b[0].Invoking || b[0].Attempt != 1 || b[0].First != fired.SequenceNumber || b[0].Records != 1 {
		t.Errorf("batches in flight %+v, want the first invocation of HELD (seq %s) under way", b, fired.SequenceNumber)
	}
	if n := len(h.got()); n != 0 {
		t.Fatalf("the function was called %d times during the wait", n)
	}
	// While it waits, the record is not handed to the mapping: its lag and
	// the batch's iterator age climb with the (virtual) clock.
	if _, err := adm.AdvanceClock(ctx(t), 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	if age := e.status(id).Shards[0].IteratorAgeMs; age < (2 * time.Hour).Milliseconds() {
		t.Errorf("iterator age %d ms of the batch waiting for 2 h", age)
	}
	c, err := adm.Consumer(ctx(t), id)
	if err != nil || c.LagSeconds < 7200 || c.Missed[client.MissedPending] != 1 {
		t.Errorf("the mapping as a consumer: lag %.0fs, missed %v (%v); want 2 h and HELD pending", c.LagSeconds, c.Missed, err)
	}
	// A reset aborts the invocation under way (as a shutdown does): the
	// function is never called.
	if err := adm.Reset(ctx(t), false); err != nil {
		t.Fatal(err)
	}
	if n := len(h.got()); n != 0 {
		t.Errorf("the function was called %d times after the wait was aborted", n)
	}
}
