// Command dynafault runs a local, in-memory DynamoDB + DynamoDB Streams
// server that AWS SDKs use unchanged.
//
// Usage:
//
//	dynafault [serve] [flags]
//	dynafault load [flags]   (load generator against any DynamoDB endpoint)
//
// Every flag has an environment fallback (DYNAFAULT_*); flags win. Run
// "dynafault -h" for the list.
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

// command is one subcommand of dynafault.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// commands is the subcommand table; "serve" is also the default.
func commands() map[string]command {
	return map[string]command{
		"serve":  serve,
		"load":   loadCmd,
		"faults": faultsCmd,
		"clock":  clockCmd,
	}
}

// run dispatches to a subcommand: the first argument when it is not a flag,
// "serve" otherwise. -h or --help prints usage and returns nil.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if wantsVersion(args) {
		return printVersion(stdout)
	}
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	cmd, ok := commands()[name]
	if !ok {
		return fmt.Errorf("unknown command %q (commands: serve, load, faults, clock)", name)
	}
	err := cmd(ctx, args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
