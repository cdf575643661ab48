package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// lifecycleSubcommands are the subcommands of "dynafault lifecycle", one
// per line; "show" is the default.
func lifecycleSubcommands() []subcommand {
	return []subcommand{
		{"show", "print how long tables and indexes stay in each transient state (the default)", lifecycleShow},
		{"set", "set some of the durations (--create, --update, --delete, --index); the others keep theirs", lifecycleSet},
	}
}

// lifecycleShow runs "dynafault lifecycle [show]".
func lifecycleShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("lifecycle show", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	l, err := a.client().Lifecycle(ctx)
	if err != nil {
		return err
	}
	return printLifecycle(stdout, a.jsonOut, l)
}

// lifecycleSetFlags are the durations "dynafault lifecycle set" takes, by
// flag name, with what each governs.
var lifecycleSetFlags = []struct{ name, usage string }{ //nolint:gochecknoglobals // constant
	{"create", "how long a new table stays CREATING, e.g. 2s or PT2S (0: ACTIVE at once)"},
	{"update", "how long a table changed by UpdateTable stays UPDATING"},
	{"delete", "how long a deleted table is described as DELETING"},
	{"index", "how long a GSI added or removed stays CREATING or DELETING"},
}

// lifecycleSet runs "dynafault lifecycle set --create D ...".
func lifecycleSet(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("lifecycle set", getenv, stderr, true)
	vals := map[string]*string{}
	for _, f := range lifecycleSetFlags {
		vals[f.name] = fs.String(f.name, "", f.usage)
	}
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	set := map[string]time.Duration{}
	var bad error
	fs.Visit(func(f *flag.Flag) {
		v, ok := vals[f.Name]
		if !ok || bad != nil {
			return
		}
		d, err := faults.ParseDuration(*v)
		if err != nil || d < 0 {
			bad = fmt.Errorf("invalid --%s %q: want a duration such as 2s or PT2S (0: at once)", f.Name, *v)
			return
		}
		set[f.Name] = d.Std()
	})
	if bad != nil {
		return bad
	}
	if len(set) == 0 {
		return fmt.Errorf("nothing to set: give --create, --update, --delete or --index (usage: dynafault %s)", helps()["lifecycle set"].usage)
	}
	c := a.client()
	l, err := c.Lifecycle(ctx)
	if err != nil {
		return err
	}
	for name, d := range set {
		*lifecycleField(&l, name) = d
	}
	if l, err = c.SetLifecycle(ctx, l); err != nil {
		return err
	}
	return printLifecycle(stdout, a.jsonOut, l)
}

// lifecycleField is the duration of l named by a lifecycle flag.
func lifecycleField(l *client.Lifecycle, name string) *time.Duration {
	switch name {
	case "create":
		return &l.Create
	case "update":
		return &l.Update
	case "delete":
		return &l.Delete
	default:
		return &l.Index
	}
}

// printLifecycle writes l as lines, or as the admin API's JSON.
func printLifecycle(w io.Writer, jsonOut bool, l client.Lifecycle) error {
	if jsonOut {
		return printJSON(w, map[string]string{"create": l.Create.String(), "update": l.Update.String(),
			"delete": l.Delete.String(), "index": l.Index.String()})
	}
	_, err := fmt.Fprintf(w, "create  %s\nupdate  %s\ndelete  %s\nindex   %s\n", l.Create, l.Update, l.Delete, l.Index)
	return err
}
