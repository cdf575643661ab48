package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dynafault/dynafault/cmd/dynafault/internal/load"
)

// loadFlags are the load command's flags beyond load.Config.
type loadFlags struct {
	cfg  load.Config
	json bool
}

// parseLoadFlags parses the load command's flags; DYNAFAULT_ENDPOINT is the
// fallback of --endpoint.
func parseLoadFlags(args []string, getenv func(string) string, stderr io.Writer) (loadFlags, error) {
	var f loadFlags
	endpoint := envOr(getenv, "DYNAFAULT_ENDPOINT", defaultEndpoint)
	fs := newFlagSet("load", stderr)
	fs.StringVar(&f.cfg.Endpoint, "endpoint", endpoint, "DynamoDB endpoint URL: dynafault, DynamoDB Local or any other (env DYNAFAULT_ENDPOINT)")
	fs.StringVar(&f.cfg.Region, "region", "us-east-1", "region to sign requests for")
	fs.StringVar(&f.cfg.Workload, "workload", load.Put, strings.Join(load.Workloads(), "|")+" (mapping: through an event source mapping to a no-op function; dynafault only)")
	fs.IntVar(&f.cfg.Concurrency, "concurrency", 16, "concurrent workers (writers for stream)")
	fs.DurationVar(&f.cfg.Duration, "duration", 10*time.Second, "how long the workers run")
	fs.Float64Var(&f.cfg.Rate, "rate", 0, "pace the workers to this many calls per second in all (0: each calls again as soon as it is answered)")
	fs.StringVar(&f.cfg.Table, "table", "", "use this existing table (key pk S + sk S) instead of creating one; never deleted")
	fs.IntVar(&f.cfg.Items, "items", 1000, "items preloaded for get and mixed")
	fs.BoolVar(&f.cfg.Keep, "keep", false, "keep the created table")
	fs.DurationVar(&f.cfg.StreamPoll, "stream-poll", 10*time.Millisecond, "stream readers' wait after an empty GetRecords")
	fs.Uint64Var(&f.cfg.Seed, "seed", 1, "seed of the random keys")
	fs.IntVar(&f.cfg.SlowClients, "slow-clients", 2000, "soak: connections held by slow clients while the normal workers run mixed")
	fs.IntVar(&f.cfg.SlowBody, "slow-body", 16_000_000, "soak: Content-Length each slow client declares")
	fs.DurationVar(&f.cfg.SlowEvery, "slow-every", time.Second, "soak: a slow client's wait between two bytes of its body")
	fs.IntVar(&f.cfg.ServerPID, "server-pid", 0, "soak: the server process whose peak RSS to report (from /proc/<pid>/status)")
	fs.StringVar(&f.cfg.HandlerAddr, "handler-addr", "127.0.0.1:0", "where the mapping workload serves its no-op function (the server must reach it)")
	fs.IntVar(&f.cfg.MappingShards, "mapping-shards", 4, "mapping: shards of the new table's stream, and invocations its function takes at once")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	var err error
	f.cfg.Endpoint, err = checkEndpoint(sourceOf(fs, "endpoint", "DYNAFAULT_ENDPOINT", getenv), f.cfg.Endpoint)
	return f, err
}

// loadCmd runs "dynafault load": a load run against an endpoint, printing a
// table (or JSON) of throughput, errors and latency percentiles.
func loadCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f, err := parseLoadFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	if getenv("GOGC") == "" {
		// The load process shares the machine with the server it measures
		// and holds little memory: collecting a quarter as often leaves the
		// server the CPU the SDK clients' garbage would take.
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	res, err := load.Run(ctx, f.cfg)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	if f.json {
		return res.WriteJSON(stdout)
	}
	return res.WriteTable(stdout)
}
