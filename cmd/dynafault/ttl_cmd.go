package main

import (
	"context"
	"fmt"
	"io"
)

// ttlSubcommands are the subcommands of "dynafault ttl", one per line.
func ttlSubcommands() []subcommand {
	return []subcommand{
		{"sweep", "delete now the expired items of every table with TTL enabled, as the background sweeper would", ttlSweep},
	}
}

// ttlSweep runs "dynafault ttl sweep".
func ttlSweep(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("ttl sweep", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	n, err := a.client().SweepTTL(ctx)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, map[string]int{"deleted": n})
	}
	_, err = fmt.Fprintf(stdout, "deleted %d expired items\n", n)
	return err
}
