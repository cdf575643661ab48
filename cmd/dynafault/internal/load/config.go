package load

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Workload names.
const (
	Put    = "put"
	Get    = "get"
	Mixed  = "mixed"
	Query  = "query"
	Stream = "stream"
	Soak   = "soak"
	// Mapping is the stream workload delivered through an event source
	// mapping to a no-op function (dynafault only).
	Mapping = "mapping"
)

// Workloads lists every workload name.
func Workloads() []string { return []string{Put, Get, Mixed, Query, Stream, Soak, Mapping} }

// queryPartitionSize is how many items the query workload's partition holds.
const queryPartitionSize = 100

// Config describes one load run.
type Config struct {
	Endpoint    string        // base URL, e.g. http://localhost:8000
	Region      string        // default us-east-1
	Workload    string        // one of Workloads()
	Concurrency int           // workers (writers for stream); default 16
	Duration    time.Duration // how long the workers run; default 10s
	// Rate, when set, paces the workers to this many calls per second in
	// all (each worker Rate/Concurrency, on a fixed schedule) instead of
	// each calling again as soon as its last call is answered. A worker
	// behind its schedule calls at once; the achieved rate is the result's
	// ops/s.
	Rate float64
	// Table, when set, is an existing table (key pk S, sort key sk S; with a
	// NEW_IMAGE or NEW_AND_OLD_IMAGES stream for the stream workload) used
	// instead of a new one. It is never deleted.
	Table string
	Items int  // keys preloaded for get and mixed; default 1000
	Keep  bool // keep the created table
	// StreamPoll is how long a stream reader waits after an empty
	// GetRecords; default 10ms.
	StreamPoll time.Duration
	// Seed seeds the workers' random keys (worker i uses Seed+i).
	Seed uint64
	// SlowClients is the soak workload's flood: connections held open by
	// clients that send a request body slowly (or nothing); default 2000.
	SlowClients int
	// SlowBody is the Content-Length each slow client declares; default
	// 16,000,000.
	SlowBody int
	// SlowEvery is how long a slow client waits between two bytes of its
	// body; default 1s.
	SlowEvery time.Duration
	// ServerPID, when set, is the server process whose memory the soak
	// workload reads from /proc/<pid>/status.
	ServerPID int
	// HandlerAddr is where the mapping workload serves its no-op
	// function; default 127.0.0.1:0 (a free loopback port).
	HandlerAddr string
	// MappingShards is how many shards the mapping workload gives the
	// stream of the table it creates (a table taking 10,000 writes/s has
	// at least 10 partitions in DynamoDB, each with its shard), and how
	// many invocations its function takes at once (Lambda invokes one
	// batch per shard at a time); default 4.
	MappingShards int
}

// withDefaults returns c with zero fields defaulted, or an error for a
// value no run can use.
func (c Config) withDefaults() (Config, error) {
	if c.Endpoint == "" {
		return c, errors.New("an endpoint is required")
	}
	if !slices.Contains(Workloads(), c.Workload) {
		return c, fmt.Errorf("unknown workload %q (want one of %v)", c.Workload, Workloads())
	}
	if c.Concurrency < 0 || c.Duration < 0 || c.Items < 0 || c.StreamPoll < 0 || c.Rate < 0 ||
		c.SlowClients < 0 || c.SlowBody < 0 || c.SlowEvery < 0 || c.ServerPID < 0 || c.MappingShards < 0 {
		return c, errors.New("concurrency, duration, rate, items, stream poll and the soak settings must not be negative")
	}
	c.SlowClients = cmpOr(c.SlowClients, 2000)
	c.SlowBody = cmpOr(c.SlowBody, 16_000_000)
	c.SlowEvery = cmpOr(c.SlowEvery, time.Second)
	c.Region = cmpOr(c.Region, "us-east-1")
	c.Concurrency = cmpOr(c.Concurrency, 16)
	c.Duration = cmpOr(c.Duration, 10*time.Second)
	c.Items = cmpOr(c.Items, 1000)
	c.StreamPoll = cmpOr(c.StreamPoll, 10*time.Millisecond)
	c.HandlerAddr = cmpOr(c.HandlerAddr, "127.0.0.1:0")
	c.MappingShards = cmpOr(c.MappingShards, 4)
	return c, nil
}

// cmpOr returns v, or def when v is the zero value.
func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
