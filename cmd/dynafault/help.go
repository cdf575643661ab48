package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// help is what a command's -h prints besides its summary and flags.
type help struct {
	usage    string   // after "dynafault ", e.g. "clock advance DURATION [flags]"
	examples []string // command lines, each with an optional "# comment"
}

// helps holds the usage line and examples of every command and
// subcommand, by its path ("faults add"). A new command adds one entry.
func helps() map[string]help {
	return map[string]help{
		"serve": {"[serve] [flags]", []string{
			"dynafault                                    # serves on http://127.0.0.1:8000",
			"dynafault --addr 0.0.0.0:8000 --admin-token s3cret",
			"dynafault --faults rules.json --seed 42      # fault rules from the start, replayable",
			"dynafault --data-dir ./data                  # keep the tables between runs",
			"dynafault --seed-data fixture.json           # start from a snapshot or fixture file",
			"DYNAFAULT_LOG_LEVEL=debug dynafault          # log every request",
		}},
		"faults": {"faults SUBCOMMAND [flags]", []string{
			"dynafault faults add --id lose-order-7 --table orders --event MODIFY --key-equals pk=ORDER#7 --action drop --times 2",
			"dynafault faults list",
			"dynafault faults journal --rule lose-order-7",
		}},
		"faults list": {"faults list [flags]", []string{
			"dynafault faults list                        # rules with matched / fired / remaining",
			"dynafault faults list --json",
		}},
		"faults add": {"faults add (--json RULE | --file FILE | RULE FLAGS) [flags]", []string{
			"dynafault faults add --id lose-one --table orders --event MODIFY --key-prefix pk=ORDER# --action drop --skip 3 --times 1",
			"dynafault faults add --action error --code ThrottlingException --operation PutItem --probability 0.05",
			"dynafault faults add --action delay --for 10m --table orders --key-equals pk=ORDER#7",
			`dynafault faults add --json '{"target":"api","match":{"operation":["PutItem"]},"action":{"type":"error","code":"ThrottlingException"},"when":{"times":2}}'`,
			"dynafault faults add --file rules.json        # one rule or an array",
		}},
		"faults rm": {"faults rm (ID... | --all) [flags]", []string{
			"dynafault faults rm lose-one",
			"dynafault faults rm --all                    # the journal is kept",
		}},
		"faults journal": {"faults journal [flags]", []string{
			"dynafault faults journal",
			"dynafault faults journal --rule lose-one --json",
			"dynafault faults journal --table 'orders-*' --after 40 --limit 10",
			"dynafault faults journal --kind loss --reason trimmed --consumer AKIDKCL1",
		}},
		"journal": {"journal [flags]", []string{
			"dynafault journal --kind loss                # every record that left a consumer's reach",
			"dynafault journal --kind loss --reason trimmed --consumer AKIDKCL1",
			"dynafault journal --kind loss --reason split --table orders --json",
			"dynafault journal --kind firing --rule lose-one --after 40 --limit 10",
		}},
		"faults reset": {"faults reset [flags]", []string{
			"dynafault faults reset                       # rules, journal, paused shards",
			"dynafault faults reset --data                # and every table",
		}},
		"streams": {"streams SUBCOMMAND [flags]", []string{
			"dynafault streams list",
			"dynafault streams show orders",
			"dynafault streams pause orders --key pk=ORDER#7",
			"dynafault streams rollover orders shardId-00000001795256149419-00000000",
		}},
		"streams list": {"streams list [flags]", []string{
			"dynafault streams list",
			"dynafault streams list --json",
		}},
		"streams show": {"streams show TABLE [flags]", []string{
			"dynafault streams show orders                # its shards: lineage, records, held, paused",
			"dynafault streams show orders --json",
		}},
		"streams pause": {"streams pause TABLE (SHARD | --key NAME=VALUE) [flags]", []string{
			"dynafault streams pause orders shardId-00000001795256149419-00000000",
			"dynafault streams pause orders --key pk=ORDER#7     # the shard that receives ORDER#7's records",
		}},
		"streams resume": {"streams resume TABLE (SHARD | --key NAME=VALUE) [flags]", []string{
			"dynafault streams resume orders shardId-00000001795256149419-00000000",
			"dynafault streams resume orders --key pk=ORDER#7",
		}},
		"streams rollover": {"streams rollover TABLE (SHARD | --key NAME=VALUE) [flags]", []string{
			"dynafault streams rollover orders shardId-00000001795256149419-00000000",
			"dynafault streams rollover orders --key pk=ORDER#7",
		}},
		"streams split": {"streams split TABLE (SHARD | --key NAME=VALUE) [flags]", []string{
			"dynafault streams split orders shardId-00000001795256149419-00000000",
			"dynafault streams split orders --key pk=ORDER#7",
		}},
		"streams trim": {"streams trim TABLE [--older-than DURATION | --before SEQUENCE] [flags]", []string{
			"dynafault streams trim orders                # every record, as retention would",
			"dynafault streams trim orders --older-than 1h",
			"dynafault streams trim orders --before 400000000000000000042",
		}},
		"streams expire": {"streams expire TABLE [flags]", []string{
			"dynafault streams expire orders              # every iterator issued so far fails with ExpiredIteratorException",
		}},
		"clock": {"clock [SUBCOMMAND] [flags]", []string{
			"dynafault clock                              # show: now, mode, offset",
			"dynafault clock advance 25h",
			"dynafault clock real                         # back to wall time",
		}},
		"clock show": {"clock [show] [flags]", []string{
			"dynafault clock",
			"dynafault clock show --json",
		}},
		"clock advance": {"clock advance DURATION [flags]", []string{
			"dynafault clock advance 25h                  # past the 24 h stream retention",
			"dynafault clock advance PT15M                # ISO 8601 works too",
		}},
		"clock set": {"clock set TIME [flags]", []string{
			"dynafault clock set 2030-01-01T00:00:00Z     # may go back",
		}},
		"clock freeze": {"clock freeze [flags]", []string{
			"dynafault clock freeze                       # time moves only by advance and set",
		}},
		"clock unfreeze": {"clock unfreeze [flags]", []string{
			"dynafault clock unfreeze                     # runs again from where it stands, keeping its offset",
		}},
		"clock real": {"clock real [flags]", []string{
			"dynafault clock real                         # wall time again: running, offset 0",
		}},
		"snapshot": {"snapshot SUBCOMMAND [flags]", []string{
			"dynafault snapshot save tables.json",
			"dynafault snapshot load tables.json",
		}},
		"snapshot save": {"snapshot save FILE [flags]", []string{
			"dynafault snapshot save tables.json          # written to a temporary file, then renamed",
			"dynafault snapshot save - > tables.json      # to stdout",
		}},
		"snapshot load": {"snapshot load FILE [flags]", []string{
			"dynafault snapshot load tables.json          # replaces every table",
			"dynafault snapshot load - < tables.json      # from stdin",
		}},
		"mappings": {"mappings SUBCOMMAND [flags]", []string{
			"dynafault mappings list",
			"dynafault mappings show 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10",
			"dynafault mappings failures 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10",
		}},
		"mappings list": {"mappings list [flags]", []string{
			"dynafault mappings list                      # state, function, table, invocations, errors, iterator age",
			"dynafault mappings list --json",
		}},
		"mappings show": {"mappings show UUID [flags]", []string{
			"dynafault mappings show 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10   # per shard: checkpoint, batch in flight, attempts",
			"dynafault mappings show 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10 --json",
		}},
		"mappings failures": {"mappings failures UUID [flags]", []string{
			"dynafault mappings failures 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10       # the discarded batches",
			"dynafault mappings failures 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10 --json # Lambda's failure records",
		}},
		"consumers": {"consumers SUBCOMMAND [flags]", []string{
			"dynafault consumers list",
			"dynafault consumers missed AKIDKCL1 --reason trimmed,skipped",
			"dynafault consumers name AKIDKCL1 kcl-worker-1",
		}},
		"consumers list": {"consumers list [flags]", []string{
			"dynafault consumers list                     # readers (access key ids) and mappings: lag, lost, missed by reason",
			"dynafault consumers list --json",
		}},
		"consumers show": {"consumers show ID [flags]", []string{
			"dynafault consumers show kcl-worker-1        # per shard: position, lag, missed; duplicates, order violations",
			"dynafault consumers show 6f1c7a52-4a2e-4f3c-9d51-0b8e2d7c9a10 --json",
		}},
		"consumers missed": {"consumers missed ID [flags]", []string{
			"dynafault consumers missed kcl-worker-1      # every change it did not receive, with the reason",
			"dynafault consumers missed kcl-worker-1 --reason trimmed --table orders",
			"dynafault consumers missed AKIDKCL1 --limit 100 --json",
		}},
		"consumers name": {"consumers name ID NAME [flags]", []string{
			"dynafault consumers name AKIDKCL1 kcl-worker-1",
			`dynafault consumers name AKIDKCL1 ""         # remove the name`,
		}},
		"consumers forget": {"consumers forget ID [flags]", []string{
			"dynafault consumers forget kcl-worker-1      # its next request starts a new report",
		}},
		"functions": {"functions SUBCOMMAND [flags]", []string{
			"dynafault functions add orders http://127.0.0.1:9000 --timeout 30s",
			"dynafault functions list",
			"dynafault functions rm orders",
		}},
		"functions list": {"functions list [flags]", []string{
			"dynafault functions list",
			"dynafault functions list --json",
		}},
		"functions add": {"functions add NAME URL [flags]", []string{
			"dynafault functions add orders http://127.0.0.1:9000                 # a Runtime Interface Emulator",
			"dynafault functions add orders http://127.0.0.1:9000 --timeout 30s",
			"dynafault functions add billing http://lambda.local/2015-03-31/functions/billing/invocations --concurrency 4",
		}},
		"functions rm": {"functions rm NAME [flags]", []string{
			"dynafault functions rm orders                # its mappings stay and retry until it is back",
		}},
		"capacity": {"capacity [SUBCOMMAND] [flags]", []string{
			"dynafault capacity on                        # enforce capacity on every table",
			"dynafault capacity on orders --burst 10      # one table, 10 s of burst capacity",
			"dynafault capacity keys orders               # its hottest partition keys",
		}},
		"capacity show": {"capacity [show] [TABLE] [flags]", []string{
			"dynafault capacity                           # every table: enforced, mode, buckets, throttled",
			"dynafault capacity show orders --json        # one table's buckets and hot keys",
		}},
		"capacity on": {"capacity on [TABLE] [--burst SECONDS] [flags]", []string{
			"dynafault capacity on",
			"dynafault capacity on orders --burst 1       # no burst: the steady rate only",
		}},
		"capacity off": {"capacity off [TABLE] [flags]", []string{
			"dynafault capacity off",
			"dynafault capacity off orders                # this table only, whatever the emulator-wide setting",
		}},
		"capacity clear": {"capacity clear TABLE [flags]", []string{
			"dynafault capacity clear orders              # follow the emulator-wide setting again",
		}},
		"capacity keys": {"capacity keys TABLE [--limit N] [flags]", []string{
			"dynafault capacity keys orders --limit 3",
		}},
		// The commands of the admin routes that had none: rules switched
		// on and off, the journal cleared alone, the shard count, the TTL
		// sweep, the table lifecycle, the change ledger and the metrics.
		"faults enable": {"faults enable ID... [flags]", []string{
			"dynafault faults enable lose-one             # matches and fires again; its counters are kept",
			"dynafault faults enable lose-one throttle-puts --json",
		}},
		"faults disable": {"faults disable ID... [flags]", []string{
			"dynafault faults disable lose-one            # stays listed (ENABLED false), neither matches nor fires",
		}},
		"faults clear-journal": {"faults clear-journal [flags]", []string{
			"dynafault faults clear-journal               # rules and counters stay; seq keeps counting, so cursors stay valid",
		}},
		"streams shards": {"streams shards TABLE N [flags]", []string{
			"dynafault streams shards orders 4            # before creating the table: its stream starts with 4 open shards",
			"dynafault streams shards events 1 --json",
		}},
		"ttl": {"ttl SUBCOMMAND [flags]", []string{
			"dynafault ttl sweep",
		}},
		"ttl sweep": {"ttl sweep [flags]", []string{
			"dynafault ttl sweep                          # every table with TTL enabled, at the virtual clock's time",
			"dynafault ttl sweep --json",
		}},
		"lifecycle": {"lifecycle [SUBCOMMAND] [flags]", []string{
			"dynafault lifecycle                          # show: create, update, delete, index",
			"dynafault lifecycle set --create 2s --index 30s",
		}},
		"lifecycle show": {"lifecycle [show] [flags]", []string{
			"dynafault lifecycle",
			"dynafault lifecycle show --json",
		}},
		"lifecycle set": {"lifecycle set [--create D] [--update D] [--delete D] [--index D] [flags]", []string{
			"dynafault lifecycle set --create 2s          # new tables stay CREATING 2 s of clock time",
			"dynafault lifecycle set --index PT1M --delete 0s",
		}},
		"changes": {"changes [TABLE] [--after SEQ] [--limit N] [flags]", []string{
			"dynafault changes                            # the tables that have a change ledger",
			"dynafault changes orders                     # every committed change: event, keys, fate, shard, sequence number",
			"dynafault changes orders --after 40 --limit 10 --json",
		}},
		"metrics": {"metrics [PREFIX...] [flags]", []string{
			"dynafault metrics                            # the Prometheus text format, as GET /_admin/metrics",
			"dynafault metrics dynafault_fault dynafault_consumer_   # only the families whose name starts so",
		}},
		"load": {"load [flags]", []string{
			"dynafault load --workload put --concurrency 16 --duration 10s",
			"dynafault load --endpoint http://127.0.0.1:8001 --workload stream --json",
			"dynafault load --workload mapping --concurrency 6 --rate 10000   # write-to-invoke latency at 10,000 writes/s",
		}},
		"certify": {"certify (--consumer-cmd 'COMMAND' | --consumer-key ID --table NAME --endpoint URL | --function NAME[=URL]) [flags]", []string{
			"dynafault certify --consumer-cmd 'node consumer.mjs' --junit report.xml",
			"dynafault certify --consumer-cmd './consumer' --run 'rollover|split' --json report.json",
			"dynafault certify --function orders=http://127.0.0.1:9000 --maximum-retry-attempts 2 --bisect-batch-on-function-error",
			"dynafault certify --endpoint http://127.0.0.1:8000 --function orders --function-response-types ReportBatchItemFailures",
			"dynafault certify --scenarios my-scenarios/ --consumer-cmd 'python3 consumer.py'   # add or replace scenarios",
			"dynafault certify --list",
		}},
		"healthcheck": {"healthcheck [flags]", []string{
			"dynafault healthcheck                        # exit 0 when http://127.0.0.1:8000 answers",
			"dynafault healthcheck --endpoint http://127.0.0.1:9000 --timeout 1s",
		}},
		"version": {"version", []string{
			"dynafault version",
			"dynafault --version",
		}},
		"help": {"help [COMMAND [SUBCOMMAND]]", []string{
			"dynafault help",
			"dynafault help faults add",
		}},
	}
}

// summaryOf is the one-line summary of the command at path ("faults add").
func summaryOf(path string) string {
	name, sub, _ := strings.Cut(path, " ")
	c, ok := lookupCommand(name)
	if !ok || sub == "" {
		return c.summary
	}
	for _, s := range c.subs {
		if s.name == sub {
			return s.summary
		}
	}
	return ""
}

// newFlagSet returns the flag set of the command at path, whose -h prints
// the usage line, summary, examples and flags to stderr.
func newFlagSet(path string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dynafault "+path, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printHelp(fs.Output(), path, fs) }
	return fs
}

// printHelp writes the help of the command at path; fs, when not nil,
// supplies its flags.
func printHelp(w io.Writer, path string, fs *flag.FlagSet) {
	h := helps()[path]
	fmt.Fprintf(w, "Usage: dynafault %s\n\n", h.usage)
	if s := summaryOf(path); s != "" {
		fmt.Fprintf(w, "%s%s.\n", strings.ToUpper(s[:1]), s[1:])
	}
	printExamples(w, h.examples)
	if fs == nil {
		return
	}
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.PrintDefaults()
	}
}

// printExamples writes an "Examples:" block.
func printExamples(w io.Writer, examples []string) {
	if len(examples) == 0 {
		return
	}
	fmt.Fprintf(w, "\nExamples:\n")
	for _, e := range examples {
		fmt.Fprintf(w, "  %s\n", e)
	}
}

// subcommand is one subcommand of a command group ("faults add").
type subcommand struct {
	name, summary string
	run           runFunc
}

// dispatch runs the subcommand of group named by args[0].
func dispatch(ctx context.Context, group string, subs []subcommand, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) || args[0] == "help" {
		printGroupHelp(stderr, group, subs)
		if len(args) == 0 {
			return fmt.Errorf("%s: missing subcommand (%s)", group, strings.Join(subNames(subs), ", "))
		}
		return flag.ErrHelp
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, args[1:], getenv, stdout, stderr)
		}
	}
	return fmt.Errorf("%s: unknown subcommand %q (%s)", group, args[0], strings.Join(subNames(subs), ", "))
}

// subNames lists the names of subs.
func subNames(subs []subcommand) []string {
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	return names
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// printGroupHelp lists the subcommands of group, with its examples.
func printGroupHelp(w io.Writer, group string, subs []subcommand) {
	fmt.Fprintf(w, "Usage: dynafault %s\n\n", helps()[group].usage)
	if s := summaryOf(group); s != "" {
		fmt.Fprintf(w, "%s%s.\n\n", strings.ToUpper(s[:1]), s[1:])
	}
	fmt.Fprintf(w, "Subcommands:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range subs {
		fmt.Fprintf(tw, "  %s\t%s\n", s.name, s.summary)
	}
	_ = tw.Flush()
	printExamples(w, helps()[group].examples)
	fmt.Fprintf(w, "\nRun \"dynafault %s SUBCOMMAND -h\" for its flags and examples.\n", group)
}

// printCommands lists every command with its summary.
func printCommands(w io.Writer) {
	fmt.Fprintf(w, "dynafault: a local DynamoDB and DynamoDB Streams server with deterministic fault injection.\n\n")
	fmt.Fprintf(w, "Usage:\n  dynafault [serve] [flags]        run the server\n  dynafault COMMAND [ARGS] [flags]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands() {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nRun \"dynafault help COMMAND\" (or \"dynafault COMMAND -h\") for its flags and examples.\n"+
		"The commands that act on a running server (faults, streams, clock, ...) use its admin API\n"+
		"(--endpoint, env DYNAFAULT_ENDPOINT, default http://127.0.0.1:8000).\n")
}

// helpCmd runs "dynafault help [COMMAND [SUBCOMMAND]]" (and "dynafault
// -h"): with no argument it lists the commands, then the flags of serve;
// with one it prints that command's help.
func helpCmd(ctx context.Context, args []string, getenv func(string) string, stdout, _ io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		return helpCmd(ctx, []string{"help"}, getenv, stdout, stdout)
	}
	if len(args) == 0 {
		printCommands(stdout)
		fmt.Fprintln(stdout)
		return run(ctx, []string{"serve", "-h"}, getenv, stdout, stdout)
	}
	if len(args) > 2 {
		return fmt.Errorf("help: too many arguments: %s", strings.Join(args, " "))
	}
	if _, ok := lookupCommand(args[0]); !ok {
		return fmt.Errorf("help: unknown command %q (commands: %s)", args[0], strings.Join(commandNames(), ", "))
	}
	if args[0] == "help" {
		printHelp(stdout, "help", nil)
		return nil
	}
	return run(ctx, append(append([]string(nil), args...), "-h"), getenv, stdout, stdout)
}
