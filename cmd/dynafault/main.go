// Command dynafault runs a local, in-memory DynamoDB + DynamoDB Streams
// server that AWS SDKs use unchanged, and drives a running one from a shell.
//
// Usage:
//
//	dynafault [serve] [flags]          run the server
//	dynafault COMMAND [ARGS] [flags]   faults, streams, clock, ...
//	dynafault help [COMMAND]           list the commands, or one command's help
//
// Every flag of serve has an environment fallback (DYNAFAULT_*); flags
// win. The commands are listed in commands (one line each); their usage
// lines and examples are in helps (help.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	ctx, stop := signalContext(context.Background(), sigs, os.Stderr, os.Exit)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	signal.Stop(sigs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "dynafault:", err)
		os.Exit(1)
	}
}

// runFunc runs one command (or subcommand) with the arguments after its
// name.
type runFunc func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// command is one command of dynafault: either run, or a group of
// subcommands (subs) of which def, when set, runs when none is named.
type command struct {
	name, summary string
	run           runFunc
	subs          []subcommand
	def           string
}

// commands lists every command, one per line, in the order "dynafault
// help" shows them. "serve" is also what runs when the first argument is a
// flag (or there is none).
func commands() []command {
	return []command{
		{name: "serve", summary: "run the server (the default command)", run: serveCmd},
		{name: "faults", summary: "fault rules and the journal of a running server", subs: faultsSubcommands()},
		{name: "journal", summary: "the journal of a running server: firings, shard actions, losses, clock moves (the same as faults journal)", run: journalCmd},
		{name: "streams", summary: "streams and shards of a running server: inspect, pause, resume, roll over, split, trim, expire, shard count", subs: streamsSubcommands()},
		{name: "clock", summary: "the virtual clock of a running server", subs: clockSubcommands(), def: "show"},
		{name: "snapshot", summary: "save the tables of a running server to a file, or load them from one", subs: snapshotSubcommands()},
		{name: "mappings", summary: "event source mappings of a running server: list, show, failures", subs: mappingsSubcommands()},
		{name: "functions", summary: "functions that mappings deliver to: list, add, rm", subs: functionsSubcommands()},
		{name: "consumers", summary: "what each stream consumer missed, and why: list, show, missed, name, forget", subs: consumersSubcommands()},
		{name: "capacity", summary: "capacity enforcement of a running server: switch it, buckets, hot partition keys", subs: capacitySubcommands(), def: "show"},
		{name: "ttl", summary: "delete the expired items of every table with TTL enabled now: sweep", subs: ttlSubcommands()},
		{name: "lifecycle", summary: "how long tables and indexes stay CREATING, UPDATING or DELETING: show, set", subs: lifecycleSubcommands(), def: "show"},
		{name: "changes", summary: "the change ledger of a table: every committed change with its fate in the stream", run: changesCmd},
		{name: "metrics", summary: "print the Prometheus metrics of a running server (all, or by name prefix)", run: metricsCmd},
		{name: "load", summary: "load generator against any DynamoDB endpoint", run: loadCmd},
		{name: "certify", summary: "grade a DynamoDB Streams consumer with a battery of stream failures: a report card", run: certifyCmd},
		{name: "healthcheck", summary: "exit 0 when a server answers (the container image's HEALTHCHECK)", run: healthcheckCmd},
		{name: "version", summary: "print the version", run: versionCmd},
		{name: "help", summary: "list the commands, or show the help of one", run: helpCmd},
	}
}

// serveCmd runs serve; an invalid value from a DYNAFAULT_* variable is
// reported under the variable's name.
func serveCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return envNamed(serve(ctx, args, getenv, stdout, stderr), args, getenv)
}

// lookupCommand returns the command called name.
func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run dispatches to a command: the first argument when it is not a flag,
// "serve" otherwise. -h or --help as the only argument lists the commands;
// after a command it prints that command's help. Help is not an error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if wantsVersion(args) {
		return printVersion(stdout)
	}
	if len(args) == 1 && isHelp(args[0]) {
		return helpCmd(ctx, nil, getenv, stdout, stderr)
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	cmd, ok := lookupCommand(name)
	if !ok {
		return fmt.Errorf("unknown command %q (commands: %s; run \"dynafault help\")", name, strings.Join(commandNames(), ", "))
	}
	err := cmd.exec(ctx, args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

// exec runs c with args.
func (c command) exec(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if c.subs == nil {
		return c.run(ctx, args, getenv, stdout, stderr)
	}
	if c.def != "" && (len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelp(args[0]))) {
		args = append([]string{c.def}, args...)
	}
	return dispatch(ctx, c.name, c.subs, args, getenv, stdout, stderr)
}

// commandNames lists the names of the commands.
func commandNames() []string {
	cs := commands()
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.name
	}
	return names
}
