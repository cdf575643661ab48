package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// clockCmd runs "dynafault clock show|advance|set|freeze|real".
func clockCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (strings.HasPrefix(args[0], "-") && !isHelp(args[0])) {
		args = append([]string{"show"}, args...)
	}
	return dispatch(ctx, "clock", []subcommand{
		{"show", "print the virtual time, mode and offset (the default)", clockAction("show", 0, clockShow)},
		{"advance", "move the clock forward: advance 25h (or PT25H)", clockAction("advance DURATION", 1, clockAdvance)},
		{"set", "set the clock: set 2030-01-01T00:00:00Z (may go back)", clockAction("set TIME", 1, clockSet)},
		{"freeze", "stop the clock (it moves only by advance and set)", clockAction("freeze", 0, clockMode(client.ClockFrozen))},
		{"real", "let the clock run with the wall clock again, keeping its offset", clockAction("real", 0, clockMode(client.ClockReal))},
	}, args, getenv, stdout, stderr)
}

// clockChange is one clock subcommand's call, given its argument.
type clockChange func(ctx context.Context, c *client.Client, arg string) (client.ClockState, error)

// clockAction returns the subcommand that parses the common flags and
// nargs positional arguments, runs change and prints the clock.
func clockAction(usage string, nargs int, change clockChange) command {
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		fs, a := newAdminFlagSet("clock "+usage, getenv, stderr, true)
		pos, err := parseInterspersed(fs, args)
		if err != nil {
			return err
		}
		if len(pos) != nargs {
			return fmt.Errorf("usage: dynafault clock %s [flags]", usage)
		}
		arg := ""
		if nargs == 1 {
			arg = pos[0]
		}
		st, err := change(ctx, a.client(), arg)
		if err != nil {
			return err
		}
		if a.jsonOut {
			return printJSON(stdout, st)
		}
		_, err = fmt.Fprintf(stdout, "now     %s\nmode    %s\noffset  %s\n",
			st.Now.UTC().Format(time.RFC3339Nano), st.Mode, st.Offset)
		return err
	}
}

func clockShow(ctx context.Context, c *client.Client, _ string) (client.ClockState, error) {
	return c.Clock(ctx)
}

func clockAdvance(ctx context.Context, c *client.Client, arg string) (client.ClockState, error) {
	d, err := faults.ParseDuration(arg)
	if err != nil {
		return client.ClockState{}, fmt.Errorf("advance %q: %w", arg, err)
	}
	return c.AdvanceClock(ctx, d.Std())
}

func clockSet(ctx context.Context, c *client.Client, arg string) (client.ClockState, error) {
	t, err := time.Parse(time.RFC3339Nano, arg)
	if err != nil {
		return client.ClockState{}, errors.New(`set: want an RFC 3339 time such as "2030-01-01T00:00:00Z"`)
	}
	return c.SetClock(ctx, t)
}

// clockMode returns the change to mode m.
func clockMode(m client.ClockMode) clockChange {
	return func(ctx context.Context, c *client.Client, _ string) (client.ClockState, error) {
		return c.SetClockMode(ctx, m)
	}
}
