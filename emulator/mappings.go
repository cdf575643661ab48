package emulator

import (
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/emulator/stream"
	"github.com/dynafault/dynafault/faults"
)

// MappingOptions configure event source mappings and their functions.
type MappingOptions struct {
	// Functions are registered at start: URL targets (the Runtime
	// Interface Emulator or a Lambda Invoke API endpoint) and in-process
	// handlers (see dynafaulttest.DynamoDBHandler).
	Functions []mapping.Function
	// RetryBackoff is the clock-time wait before each retry of a failed
	// batch (Base doubled per retry, at most Max). Zero: 1s doubling to
	// 1m. With a frozen clock a retry waits until the clock is moved.
	RetryBackoff mapping.Backoff
	// Transition is how long, in clock time, a mapping stays Creating,
	// Enabling, Updating, Disabling or Deleting. Zero: the answer shows
	// the transient state and the next call sees it settled.
	Transition time.Duration
	// PollInterval is the wall-time fallback poll of an idle shard
	// (appends wake pollers at once). Default 250ms.
	PollInterval time.Duration
	// Observer learns what each mapping did with each record.
	Observer mapping.Observer
	// WrapInvoke wraps the function every invocation goes through.
	WrapInvoke func(mapping.InvokeFunc) mapping.InvokeFunc
}

// registryStreams adapts the stream registry to mapping.Streams.
type registryStreams struct {
	reg *stream.Registry
	clk *clock.Clock
}

func (s registryStreams) get(arn string) (*stream.Stream, error) {
	if st := s.reg.Get(arn); st != nil {
		return st, nil
	}
	return nil, stream.ErrStreamNotFound
}

// Describe implements mapping.Streams.
func (s registryStreams) Describe(arn string) (table, viewType string, err error) {
	st, err := s.get(arn)
	if err != nil {
		return "", "", err
	}
	return st.Table(), st.ViewType(), nil
}

// ShardList implements mapping.Streams.
func (s registryStreams) ShardList(arn string) ([]stream.ShardRef, error) {
	st, err := s.get(arn)
	if err != nil {
		return nil, err
	}
	return st.ShardList(s.clk.Now()), nil
}

// ReadAt implements mapping.Streams.
func (s registryStreams) ReadAt(arn, shardID string, pos stream.Position, limit, maxBytes int) (stream.Chunk, error) {
	st, err := s.get(arn)
	if err != nil {
		return stream.Chunk{}, err
	}
	return st.ReadAt(shardID, pos, limit, maxBytes, s.clk.Now())
}

// Appended implements mapping.Streams.
func (s registryStreams) Appended() *stream.Signal { return s.reg.Appended() }

// discardJournal journals the records mappings discard: one loss entry
// per record (reason "discarded", the mapping's UUID as the consumer).
type discardJournal struct{ in *faults.Injector }

// Discarded implements mapping.Journal.
func (j discardJournal) Discarded(uuid, streamARN, table string, recs []stream.Record, _, detail string) {
	evs := make([]faults.LossEvent, len(recs))
	for i, r := range recs {
		evs[i] = faults.LossEvent{StreamEvent: recordEvent(table, streamARN, r), Reason: stream.LossDiscarded,
			Consumer: uuid, Detail: detail}
	}
	j.in.RecordLosses(evs)
}

// oracleObserver tells the consumer oracle of the streams what each
// mapping did with each record (stream.Stream.Handled and Discarded, the
// consumer being the mapping's UUID), then the Observer of the options.
type oracleObserver struct {
	reg  *stream.Registry
	next mapping.Observer
}

// Handled implements mapping.Observer.
func (o oracleObserver) Handled(uuid, streamARN, shardID string, recs []stream.Record, filtered bool) {
	if s := o.reg.Get(streamARN); s != nil {
		s.Handled(uuid, shardID, recs)
	}
	if o.next != nil {
		o.next.Handled(uuid, streamARN, shardID, recs, filtered)
	}
}

// Started implements mapping.Starter: the oracle's scope of the mapping
// starts at its StartingPosition (the trim horizon, or the next record).
func (o oracleObserver) Started(uuid, streamARN, startingPosition string) {
	if s := o.reg.Get(streamARN); s != nil {
		s.Track(uuid, stream.ConsumerMapping, startingPosition, o.reg.Now())
	}
	if st, ok := o.next.(mapping.Starter); ok {
		st.Started(uuid, streamARN, startingPosition)
	}
}

// Discarded implements mapping.Observer.
func (o oracleObserver) Discarded(uuid, streamARN, shardID string, recs []stream.Record, reason string) {
	if s := o.reg.Get(streamARN); s != nil {
		s.Discarded(uuid, shardID, recs)
	}
	if o.next != nil {
		o.next.Discarded(uuid, streamARN, shardID, recs, reason)
	}
}

// newMappings builds the mapping manager and registers the start functions.
func newMappings(opts Options, reg *stream.Registry, inj *faults.Injector) (*mapping.Manager, error) {
	mo := opts.Mappings
	wrap := func(next mapping.InvokeFunc) mapping.InvokeFunc {
		if mo.WrapInvoke != nil {
			next = mo.WrapInvoke(next)
		}
		return deliveryFaults(inj, next)
	}
	m := mapping.New(mapping.Options{
		Region: opts.Region, AccountID: opts.AccountID, Clock: opts.Clock, Logger: opts.Logger,
		Streams: registryStreams{reg: reg, clk: opts.Clock}, Observer: oracleObserver{reg: reg, next: mo.Observer},
		Journal: discardJournal{inj},
		Backoff: mo.RetryBackoff, Transition: mo.Transition, PollInterval: mo.PollInterval, WrapInvoke: wrap,
	})
	for _, f := range mo.Functions {
		if _, err := m.RegisterFunction(f); err != nil {
			return nil, err
		}
	}
	return m, nil
}
