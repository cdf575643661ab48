package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// The admin subcommands ("faults", "clock") talk to a running server
// through its admin API.

// adminTimeout bounds each admin request of the CLI.
const adminTimeout = 30 * time.Second

// adminFlags are the connection flags every admin subcommand takes.
type adminFlags struct {
	endpoint, token string
	jsonOut         bool
	getenv          func(string) string
}

// newAdminFlagSet returns a flag set for "dynafault PATH" (see newFlagSet)
// with the connection flags (env fallbacks DYNAFAULT_ENDPOINT,
// DYNAFAULT_ADMIN_TOKEN) and, when withJSON, the --json output flag.
func newAdminFlagSet(path string, getenv func(string) string, stderr io.Writer, withJSON bool) (*flag.FlagSet, *adminFlags) {
	a := &adminFlags{getenv: getenv}
	fs := newFlagSet(path, stderr)
	fs.StringVar(&a.endpoint, "endpoint", envOr(getenv, "DYNAFAULT_ENDPOINT", defaultEndpoint), "URL of the dynafault server (env DYNAFAULT_ENDPOINT)")
	fs.StringVar(&a.token, "admin-token", getenv("DYNAFAULT_ADMIN_TOKEN"), "bearer token of the admin API (env DYNAFAULT_ADMIN_TOKEN)")
	if withJSON {
		fs.BoolVar(&a.jsonOut, "json", false, "print JSON instead of a table")
	}
	return fs, a
}

// client returns an admin API client for the flags.
func (a *adminFlags) client() *client.Client {
	return client.New(a.endpoint, client.WithToken(a.token),
		client.WithHTTPClient(&http.Client{Timeout: adminTimeout}))
}

// parse parses args with fs (see parseInterspersed), checks the endpoint
// and returns the positional arguments.
func (a *adminFlags) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, err
	}
	a.endpoint, err = checkEndpoint(sourceOf(fs, "endpoint", "DYNAFAULT_ENDPOINT", a.getenv), a.endpoint)
	return pos, err
}

// parseInterspersed parses args with fs, allowing flags after positional
// arguments ("rm rule-1 --endpoint URL"); it returns the positional ones.
// "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// faultsSubcommands are the subcommands of "dynafault faults", one per
// line.
func faultsSubcommands() []subcommand {
	return []subcommand{
		{"list", "list the fault rules with their counters", faultsList},
		{"add", "add rules from --json, --file or flags", faultsAdd},
		{"rm", "remove rules by id (--all: every rule)", faultsRemove},
		{"journal", "print the journal of firings, follow-ups, shard actions and losses (--rule, --table, --kind, --reason, --consumer)", faultsJournal},
		{"reset", "remove every rule, clear the journal, resume paused shards (--data: drop tables too)", faultsReset},
		{"enable", "enable rules by id: they match and fire again, counters kept", faultsEnable(true)},
		{"disable", "disable rules by id: they stay listed but neither match nor fire", faultsEnable(false)},
		{"clear-journal", "drop every journal entry, keeping the rules (seq keeps counting)", faultsClearJournal},
	}
}

// faultsEnable returns "dynafault faults enable|disable ID...".
func faultsEnable(on bool) runFunc {
	name := "faults disable"
	if on {
		name = "faults enable"
	}
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		fs, a := newAdminFlagSet(name, getenv, stderr, true)
		ids, err := a.parse(fs, args)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return usageError(name)
		}
		c := a.client()
		rules := make([]faults.RuleStatus, 0, len(ids))
		for _, id := range ids {
			st, err := c.PatchRule(ctx, id, faults.RulePatch{Enabled: &on})
			if err != nil {
				return err
			}
			rules = append(rules, st)
		}
		if a.jsonOut {
			return printJSON(stdout, rules)
		}
		return printRules(stdout, rules, true)
	}
}

// faultsClearJournal runs "dynafault faults clear-journal".
func faultsClearJournal(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("faults clear-journal", getenv, stderr, false)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	c := a.client()
	if err := c.ClearJournal(ctx); err != nil {
		return err
	}
	last, err := c.JournalSeq(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "journal cleared; rules kept; the next entry is seq %d\n", last+1)
	return err
}

// noArgs fails when positional arguments were given.
func noArgs(pos []string) error {
	if len(pos) > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(pos, " "))
	}
	return nil
}

// faultsList runs "dynafault faults list".
func faultsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("faults list", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	rules, err := a.client().ListRules(ctx)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, rules)
	}
	return printRules(stdout, rules, true)
}

// faultsRemove runs "dynafault faults rm ID... | --all".
func faultsRemove(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("faults rm", getenv, stderr, false)
	all := fs.Bool("all", false, "remove every rule (the journal is kept)")
	ids, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	c := a.client()
	switch {
	case *all && len(ids) > 0:
		return errors.New("give rule ids or --all, not both")
	case *all:
		if _, err := c.ReplaceRules(ctx); err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, "removed every rule")
		return err
	case len(ids) == 0:
		return errors.New("which rules? give their ids, or --all")
	}
	for _, id := range ids {
		if err := c.DeleteRule(ctx, id); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "removed", id)
	}
	return nil
}

// faultsReset runs "dynafault faults reset [--data]".
func faultsReset(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("faults reset", getenv, stderr, false)
	data := fs.Bool("data", false, "also drop every table and stream")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	if err := a.client().Reset(ctx, *data); err != nil {
		return err
	}
	msg := "reset: rules removed, journal cleared, shards resumed"
	if *data {
		msg += ", tables dropped"
	}
	_, err = fmt.Fprintln(stdout, msg)
	return err
}

// printJSON writes v as indented JSON.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
