// Package engine implements the DynamoDB and DynamoDB Streams operations:
// request validation, semantics and errors. It never imports net/http: the
// wire package decodes requests into this package's input types, calls the
// operation methods and encodes their outputs or *Error values.
//
// Every operation has the shape
//
//	func (e *Engine) Op(ctx context.Context, in *OpInput) (*OpOutput, error)
//
// and returns errors as *Error (see AsError).
package engine

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/store"
	"github.com/dynafault/dynafault/emulator/stream"
)

// Options configure an Engine.
type Options struct {
	Region    string       // default "us-east-1"
	AccountID string       // default "000000000000"
	Clock     *clock.Clock // default clock.New()
	Logger    *slog.Logger // default: discard
	// Lifecycle is how long tables and GSIs stay CREATING, UPDATING or
	// DELETING (clock time); zero durations settle at once. SetLifecycle
	// changes it later.
	Lifecycle Lifecycle
	// IndexTransition, when set, overrides Lifecycle.Index.
	IndexTransition time.Duration
	// StreamShards is the number of partitions (open shards) of a new
	// stream, unless set per table (SetStreamShards). Default 1.
	StreamShards int
	// StreamRetention is how long stream records stay readable and a
	// disabled stream stays listed, in clock time. Default 24h.
	StreamRetention time.Duration
	// StreamRollover is the clock age at which an open shard is closed and
	// replaced by a child. 0 (or negative): never, as with
	// --stream-rollover 0; cmd/dynafault defaults to 4h, about DynamoDB's
	// cadence.
	StreamRollover time.Duration
	// IteratorTTL is how long a shard iterator stays usable. Default 15m.
	IteratorTTL time.Duration
	// StreamHook, when set, is the fault layer at the point where stream
	// records are appended (see stream.Hook); the engine only passes it on.
	StreamHook stream.Hook
	// StreamFreed, when set, is told after each stream trim an estimate of
	// the bytes the trimmed records held (see stream.Options.Freed).
	StreamFreed func(bytes int64)
	// StreamLosses, when set, journals the events by which stream records
	// leave a consumer's reach (see stream.LossRecorder).
	StreamLosses stream.LossRecorder
	// LedgerSize is how many changes the change ledger keeps per table with
	// a stream. 0: stream.DefaultLedgerSize; negative: no ledger.
	LedgerSize int
}

// Engine executes operations against an in-memory catalog. Safe for
// concurrent use.
type Engine struct {
	region, account string
	clock           *clock.Clock
	log             *slog.Logger
	catalog         *store.Catalog
	lifecycle       atomic.Pointer[Lifecycle]
	deleting        deletingTables // tables described as DELETING
	idem            idempotency    // ClientRequestTokens of TransactWriteItems
	// streams is the DynamoDB Streams registry and append path.
	streams *streamHub
	// afterLookup, set only by tests, runs when lookup or lookupNamed has
	// found a table, before the operation takes the table's lock.
	afterLookup func(*store.Table)
}

// New returns an Engine with an empty catalog.
func New(opts Options) *Engine {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.AccountID == "" {
		opts.AccountID = "000000000000"
	}
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	streams := newStreamHub(opts)
	if opts.IndexTransition != 0 {
		opts.Lifecycle.Index = opts.IndexTransition
	}
	e := &Engine{
		region:  opts.Region,
		account: opts.AccountID,
		clock:   opts.Clock,
		log:     opts.Logger,
		catalog: store.NewCatalogWithOptions(store.CatalogOptions{OnCommit: streams.onCommit}),
		streams: streams,
	}
	if err := e.SetLifecycle(opts.Lifecycle); err != nil {
		e.lifecycle.Store(&Lifecycle{})
	}
	return e
}

// indexTransition is how long a GSI stays CREATING or DELETING.
func (e *Engine) indexTransition() time.Duration { return e.lifecycle.Load().Index }

// Clock returns the engine's clock.
func (e *Engine) Clock() *clock.Clock { return e.clock }

// Region returns the region the engine answers for ("us-east-1" by default).
func (e *Engine) Region() string { return e.region }

// RequestInfo is what the wire layer knows about a request that some
// operations need (DescribeEndpoints answers with the Host).
type RequestInfo struct {
	Host        string // the request's Host header
	RequestID   string // the x-amzn-RequestId sent back
	AccessKeyID string // from the SigV4 Authorization header, "" if none
}

type requestInfoKey struct{}

// WithRequestInfo returns ctx carrying ri.
func WithRequestInfo(ctx context.Context, ri RequestInfo) context.Context {
	return context.WithValue(ctx, requestInfoKey{}, ri)
}

// RequestInfoFrom returns the RequestInfo stored in ctx (zero if none).
func RequestInfoFrom(ctx context.Context) RequestInfo {
	ri, _ := ctx.Value(requestInfoKey{}).(RequestInfo)
	return ri
}

// tableARN returns the ARN of the named table.
func (e *Engine) tableARN(name string) string {
	return "arn:aws:dynamodb:" + e.region + ":" + e.account + ":table/" + name
}

// tableNameOf accepts a table name or a table ARN (as DynamoDB does wherever
// a TableName is taken) and returns the bare table name.
func tableNameOf(nameOrARN string) string {
	if !strings.HasPrefix(nameOrARN, "arn:") {
		return nameOrARN
	}
	if i := strings.Index(nameOrARN, ":table/"); i >= 0 {
		name := nameOrARN[i+len(":table/"):]
		if j := strings.IndexByte(name, '/'); j >= 0 { // .../table/x/stream/...
			name = name[:j]
		}
		return name
	}
	return nameOrARN
}

// errTableNotFound is DynamoDB's answer for data-plane operations on a
// missing table.
func errTableNotFound() *Error {
	return NewError(ResourceNotFound, "Requested resource not found")
}

// lookup returns the table named by nameOrARN or ResourceNotFound.
func (e *Engine) lookup(nameOrARN string) (*store.Table, error) {
	t := e.catalog.Table(tableNameOf(nameOrARN))
	if t == nil || e.creating(t) {
		return nil, errTableNotFound()
	}
	e.looked(t)
	return t, nil
}

// looked calls the afterLookup test hook, if set.
func (e *Engine) looked(t *store.Table) {
	if e.afterLookup != nil {
		e.afterLookup(t)
	}
}
