package load

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Run performs one load run against c.Endpoint: it creates (or reuses) the
// table, preloads what the workload reads, runs the workers for
// c.Duration, and deletes the table it created unless c.Keep. Cancelling
// ctx stops the workers early; the result then covers what ran.
func Run(ctx context.Context, c Config) (Result, error) {
	c, err := c.withDefaults()
	if err != nil {
		return Result{}, err
	}
	cl := newClients(c)
	defer cl.close()
	table, cleanup, err := prepare(ctx, c, cl)
	if err != nil {
		return Result{}, err
	}
	res, runErr := measure(ctx, c, cl, table)
	return res, errors.Join(runErr, cleanup())
}

// prepare creates the table (unless c.Table) and preloads it. cleanup
// deletes a created table unless c.Keep.
func prepare(ctx context.Context, c Config, cl *clients) (table string, cleanup func() error, err error) {
	cleanup = func() error { return nil }
	table = c.Table
	if table == "" {
		table = tableName(c.Workload)
		if err := createTable(ctx, cl.db, table, c.Workload == Stream || c.Workload == Mapping); err != nil {
			return "", cleanup, err
		}
		if !c.Keep {
			cleanup = func() error { return deleteTable(cl.db, table) }
		}
	}
	if err := preload(ctx, cl.db, table, preloadItems(c), c.Concurrency); err != nil {
		return "", cleanup, errors.Join(err, cleanup())
	}
	return table, cleanup, nil
}

// measure runs the workload on the prepared table.
func measure(ctx context.Context, c Config, cl *clients, table string) (Result, error) {
	if c.Workload == Soak {
		return runSoak(ctx, c, cl, table)
	}
	start := time.Now()
	if c.Workload == Mapping {
		res, err := runMapping(ctx, c, cl, table)
		if err != nil {
			return Result{}, fmt.Errorf("mapping workload: %w", err)
		}
		return res, nil
	}
	if c.Workload != Stream {
		t := runWorkers(ctx, c.Concurrency, c.Seed, c.Rate, start.Add(c.Duration), func(int) op { return opFor(c, cl.db, table) })
		return newResult(c, table, time.Since(start), t), nil
	}
	o, err := runStream(ctx, c, cl, table)
	if err != nil {
		return Result{}, fmt.Errorf("stream workload: %w", err)
	}
	res := newResult(c, table, o.writeTime, o.writes)
	res.Stream = &StreamResult{
		Shards: o.shards, Records: o.reads.ok, RecordsPerSec: perSec(o.reads.ok, o.readTime),
		Errors: o.reads.errors, Visible: latencyOf(o.reads.lat), PollMs: ms(c.StreamPoll),
	}
	return res, nil
}
