package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// clockSubcommands are the subcommands of "dynafault clock", one per
// line; "show" is the default. "real" returns the clock to wall time
// (offset 0); "unfreeze" lets a frozen clock run on from where it stands.
// POST /_admin/reset leaves the clock alone.
func clockSubcommands() []subcommand {
	return []subcommand{
		{"show", "print the virtual time, mode and offset (the default)", clockAction("show", 0, clockShow)},
		{"advance", "move the clock forward: advance 25h (or PT25H)", clockAction("advance", 1, clockAdvance)},
		{"set", "set the clock: set 2030-01-01T00:00:00Z (may go back)", clockAction("set", 1, clockSet)},
		{"freeze", "stop the clock (it moves only by advance and set)", clockAction("freeze", 0, clockMode(client.ClockFrozen))},
		{"unfreeze", "let the clock run again from where it stands, keeping its offset", clockAction("unfreeze", 0, clockMode(client.ClockReal))},
		{"real", "return the clock to wall time: running, offset 0", clockAction("real", 0, clockReal)},
	}
}

// clockChange is one clock subcommand's call, given its argument.
type clockChange func(ctx context.Context, c *client.Client, arg string) (client.ClockState, error)

// clockAction returns the subcommand name that parses the common flags and
// nargs positional arguments, runs change and prints the clock.
func clockAction(name string, nargs int, change clockChange) runFunc {
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		fs, a := newAdminFlagSet("clock "+name, getenv, stderr, true)
		if name == "advance" && len(args) > 0 && isNegativeDuration(args[0]) {
			return fmt.Errorf("advance %s: the clock cannot move backwards; use \"dynafault clock set TIME\" to go back in time", args[0])
		}
		pos, err := a.parse(fs, args)
		if err != nil {
			return err
		}
		if len(pos) != nargs {
			return fmt.Errorf("usage: dynafault %s", helps()["clock "+name].usage)
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
		if err == nil && st.JournalSeq > 0 {
			_, err = fmt.Fprintf(stdout, "journal seq %d\n", st.JournalSeq)
		}
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

// isNegativeDuration reports whether arg looks like a negative duration
// ("-1h", "-PT1H"), which the flag parser would take for a flag.
func isNegativeDuration(arg string) bool {
	return len(arg) > 1 && arg[0] == '-' && (arg[1] >= '0' && arg[1] <= '9' || arg[1] == '.' || arg[1] == 'P')
}

func clockReal(ctx context.Context, c *client.Client, _ string) (client.ClockState, error) {
	return c.SetClockOffset(ctx, 0)
}

// clockMode returns the change to mode m.
func clockMode(m client.ClockMode) clockChange {
	return func(ctx context.Context, c *client.Client, _ string) (client.ClockState, error) {
		return c.SetClockMode(ctx, m)
	}
}
