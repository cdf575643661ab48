package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/dynafault/dynafault/faults/client"
)

// mappingsSubcommands are "dynafault mappings list|show|failures".
func mappingsSubcommands() []subcommand {
	return []subcommand{
		{"list", "list the event source mappings with state, function, table and counters", mappingsList},
		{"show", "show one mapping: per shard the checkpoint, batches in flight, counts and iterator age", mappingsShow},
		{"failures", "print the failure records of a mapping's discarded batches", mappingsFailures},
	}
}

func mappingsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("mappings list", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	ms, err := a.client().Mappings(ctx)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, ms)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "UUID\tSTATE\tFUNCTION\tTABLE\tINVOCATIONS\tERRORS\tITERATOR AGE\tFAILURES\tLAST RESULT")
	for _, m := range ms {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%dms\t%d\t%s\n", m.UUID, m.State, m.FunctionName, m.Table,
			m.Stats.Invocations, m.Stats.Errors, m.Stats.IteratorAgeMs, m.Failures, m.LastProcessingResult)
	}
	return tw.Flush()
}

// oneMapping parses "UUID [flags]".
func oneMapping(name string, args []string, getenv func(string) string, stderr io.Writer) (string, *adminFlags, error) {
	fs, a := newAdminFlagSet("mappings "+name, getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return "", nil, err
	}
	if len(pos) != 1 {
		return "", nil, fmt.Errorf("usage: dynafault mappings %s UUID [flags]", name)
	}
	return pos[0], a, nil
}

func mappingsShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	id, a, err := oneMapping("show", args, getenv, stderr)
	if err != nil {
		return err
	}
	m, err := a.client().Mapping(ctx, id)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, m)
	}
	c := m.Config
	fmt.Fprintf(stdout, "uuid        %s\nstate       %s (%s)\nfunction    %s\nstream      %s\nlast result %s\n",
		m.UUID, m.State, m.StateTransitionReason, m.FunctionArn, c.EventSourceArn, m.LastProcessingResult)
	fmt.Fprintf(stdout, "settings    batch %d, window %ds, parallelization %d, retries %d, max age %ds, bisect %v, response types %v\n",
		c.BatchSize, c.MaximumBatchingWindowInSeconds, c.ParallelizationFactor, c.MaximumRetryAttempts,
		c.MaximumRecordAgeInSeconds, c.BisectBatchOnFunctionError, c.FunctionResponseTypes)
	s := m.Stats
	fmt.Fprintf(stdout, "counters    invocations %d, errors %d, throttles %d, iterator age %dms, failures %d\n\n",
		s.Invocations, s.Errors, s.Throttles, s.IteratorAgeMs, m.Failures)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SHARD\tCHECKPOINT\tDELIVERED\tFILTERED\tDISCARDED\tLOST\tITERATOR AGE\tIN FLIGHT")
	for _, sh := range m.Shards {
		inFlight := "-"
		if sh.Finished {
			inFlight = "finished"
		}
		for _, b := range sh.Batches {
			inFlight = fmt.Sprintf("%d record(s) %s..%s, attempt %d", b.Records, b.First, b.Last, b.Attempt)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%dms\t%s\n", sh.ShardID, orDash(sh.Checkpoint), sh.Delivered,
			sh.Filtered, sh.Discarded, sh.Lost, sh.IteratorAgeMs, inFlight)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func mappingsFailures(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	id, a, err := oneMapping("failures", args, getenv, stderr)
	if err != nil {
		return err
	}
	fs, err := a.client().MappingFailures(ctx, id)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, fs)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tCONDITION\tINVOCATIONS\tSHARD\tFIRST\tLAST\tRECORDS")
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\n", f.Timestamp, f.RequestContext.Condition,
			f.RequestContext.ApproximateInvokeCount, f.BatchInfo.ShardID, f.BatchInfo.StartSequenceNumber,
			f.BatchInfo.EndSequenceNumber, f.BatchInfo.BatchSize)
	}
	return tw.Flush()
}

// functionsSubcommands are "dynafault functions list|add|rm".
func functionsSubcommands() []subcommand {
	return []subcommand{
		{"list", "list the registered functions", functionsList},
		{"add", "register a function: add NAME URL [--timeout 3s] [--concurrency 1]", functionsAdd},
		{"rm", "forget a function: rm NAME", functionsRemove},
	}
}

func functionsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("functions list", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	list, err := a.client().Functions(ctx)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, list)
	}
	return printFunctions(stdout, list...)
}

func printFunctions(w io.Writer, list ...client.Function) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTARGET\tTIMEOUT\tCONCURRENCY")
	for _, f := range list {
		target := f.URL
		if f.InProcess {
			target = "(in-process handler)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\n", f.Name, target, f.Timeout, f.Concurrency)
	}
	return tw.Flush()
}

func functionsAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("functions add", getenv, stderr, true)
	timeout := fs.String("timeout", "", "the function's timeout, enforced on every invocation (default 3s)")
	concurrency := fs.Int("concurrency", 0, "invocations that may run at once (default 1; the Runtime Interface Emulator takes one)")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf("usage: dynafault functions add NAME URL [--timeout 3s] [--concurrency 1]")
	}
	d, err := timeoutOf(*timeout)
	if err != nil {
		return err
	}
	f, err := a.client().PutFunction(ctx, pos[0], client.FunctionSpec{URL: pos[1], Timeout: d, Concurrency: *concurrency})
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, f)
	}
	return printFunctions(stdout, f)
}

func functionsRemove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("functions rm", getenv, stderr, false)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: dynafault functions rm NAME")
	}
	if err := a.client().DeleteFunction(ctx, pos[0]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "removed function %s\n", pos[0])
	return err
}
