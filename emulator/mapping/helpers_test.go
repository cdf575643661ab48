package mapping

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/stream"
)

// registryStreams adapts a stream registry to Streams, as the emulator does.
type registryStreams struct {
	reg *stream.Registry
	clk *clock.Clock
}

func (s registryStreams) get(arn string) (*stream.Stream, error) {
	st := s.reg.Get(arn)
	if st == nil {
		return nil, stream.ErrStreamNotFound
	}
	return st, nil
}

func (s registryStreams) Describe(arn string) (string, string, error) {
	st, err := s.get(arn)
	if err != nil {
		return "", "", err
	}
	return st.Table(), st.ViewType(), nil
}

func (s registryStreams) ShardList(arn string) ([]stream.ShardRef, error) {
	st, err := s.get(arn)
	if err != nil {
		return nil, err
	}
	return st.ShardList(s.clk.Now()), nil
}

func (s registryStreams) ReadAt(arn, shard string, pos stream.Position, limit, maxBytes int) (stream.Chunk, error) {
	st, err := s.get(arn)
	if err != nil {
		return stream.Chunk{}, err
	}
	return st.ReadAt(shard, pos, limit, maxBytes, s.clk.Now())
}

func (s registryStreams) Appended() *stream.Signal { return s.reg.Appended() }

const streamARN = "arn:aws:dynamodb:us-east-1:000000000000:table/T/stream/2025-01-02T03:04:05.000"

// fixture is a Manager over one stream of a registry.
type fixture struct {
	t   testing.TB
	clk *clock.Clock
	reg *stream.Registry
	s   *stream.Stream
	m   *Manager
	obs *recorder
}

func newFixture(t testing.TB, partitions int, frozen bool) *fixture {
	t.Helper()
	clk := clock.New()
	if frozen {
		clk = clock.NewFrozen(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	}
	reg := stream.NewRegistry(stream.Options{Clock: clk})
	s, err := reg.Create(stream.Spec{ARN: streamARN, Label: "2025-01-02T03:04:05.000", Table: "T",
		Key: stream.KeySchema{Hash: "pk"}, ViewType: stream.NewAndOldImages, Created: clk.Now(), Partitions: partitions})
	if err != nil {
		t.Fatal(err)
	}
	obs := &recorder{}
	m := New(Options{Clock: clk, Streams: registryStreams{reg, clk}, Observer: obs, Journal: journalOf{obs},
		Backoff: Backoff{Base: time.Millisecond, Max: 4 * time.Millisecond}, PollInterval: 20 * time.Millisecond})
	t.Cleanup(m.Close)
	return &fixture{t: t, clk: clk, reg: reg, s: s, m: m, obs: obs}
}

// put writes item pk with value v (an INSERT or MODIFY record).
func (f *fixture) put(pk string, v int) stream.Record {
	f.t.Helper()
	it := attr.Item{"pk": attr.Str(pk), "v": attr.Num(strconv.Itoa(v))}
	r, ok := f.s.Build(nil, it, false)
	if !ok {
		f.t.Fatal("no record")
	}
	return f.s.Append([]stream.Record{r}, f.clk.Now())[0]
}

// recorder is an Observer and Journal that keeps what it is told.
type recorder struct {
	mu        sync.Mutex
	handled   []string // sequence numbers, delivered
	filtered  []string
	discarded []string
	journaled []string
}

func (r *recorder) Handled(_, _, _ string, recs []stream.Record, filtered bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range recs {
		if filtered {
			r.filtered = append(r.filtered, x.SequenceNumber)
		} else {
			r.handled = append(r.handled, x.SequenceNumber)
		}
	}
}

func (r *recorder) Discarded(_, _, _ string, recs []stream.Record, _ string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, x := range recs {
		r.discarded = append(r.discarded, x.SequenceNumber)
	}
}

func (r *recorder) snapshot() (handled, filtered, discarded []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.handled...), append([]string(nil), r.filtered...), append([]string(nil), r.discarded...)
}

// journalOf adapts a recorder to Journal.
type journalOf struct{ r *recorder }

func (j journalOf) Discarded(_, _, _ string, recs []stream.Record, _, _ string) {
	j.r.mu.Lock()
	defer j.r.mu.Unlock()
	for _, x := range recs {
		j.r.journaled = append(j.r.journaled, x.SequenceNumber)
	}
}

// event is the part of a DynamoDB event the tests read.
type event struct {
	Records []struct {
		EventID   string `json:"eventID"`
		EventName string `json:"eventName"`
		Dynamodb  struct {
			Keys           map[string]map[string]string `json:"Keys"`
			SequenceNumber string                       `json:"SequenceNumber"`
		} `json:"dynamodb"`
	} `json:"Records"`
}

// calls is an in-process handler that records every event and answers
// with respond.
type calls struct {
	mu      sync.Mutex
	events  []event
	respond func(event) ([]byte, error)
}

func (c *calls) handler(_ context.Context, payload []byte) ([]byte, error) {
	var ev event
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.events = append(c.events, ev)
	respond := c.respond
	c.mu.Unlock()
	if respond != nil {
		return respond(ev)
	}
	return []byte("null"), nil
}

func (c *calls) seqs() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out [][]string
	for _, ev := range c.events {
		var b []string
		for _, r := range ev.Records {
			b = append(b, r.Dynamodb.SequenceNumber)
		}
		out = append(out, b)
	}
	return out
}

// eventually polls cond for up to 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
