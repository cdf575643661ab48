package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"

	"github.com/dynafault/dynafault/faults/client"
)

// capacitySubcommands are the subcommands of "dynafault capacity", one per
// line; "show" is the default.
func capacitySubcommands() []subcommand {
	return []subcommand{
		{"show", "show enforcement and buckets of every table, or of one table with its hot keys (the default)", capacityShow},
		{"on", "enforce capacity on every table, or on one table (--burst SECONDS of unused capacity kept)", capacitySwitch(true)},
		{"off", "stop enforcing capacity on every table, or on one table", capacitySwitch(false)},
		{"clear", "drop one table's own setting: it follows the emulator-wide one again", capacityClear},
		{"keys", "list the hottest partition keys of a table and its GSIs with their rates", capacityKeys},
	}
}

// capacityShow runs "dynafault capacity show [TABLE]".
func capacityShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("capacity show", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		st, err := a.client().Capacity(ctx)
		if err != nil {
			return err
		}
		if a.jsonOut {
			return printJSON(stdout, st)
		}
		return printCapacityTables(stdout, st)
	case 1:
		s, err := a.client().TableCapacity(ctx, pos[0])
		if err != nil {
			return err
		}
		if a.jsonOut {
			return printJSON(stdout, s)
		}
		return printTableCapacity(stdout, s)
	}
	return usageError("capacity show")
}

// capacitySwitch returns "dynafault capacity on|off [TABLE]".
func capacitySwitch(on bool) runFunc {
	name := "capacity off"
	if on {
		name = "capacity on"
	}
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		fs, a := newAdminFlagSet(name, getenv, stderr, true)
		burst := int64(0)
		if on {
			fs.Int64Var(&burst, "burst", 0, "seconds of unused provisioned capacity the table keeps, 1 to 300 (default 300, DynamoDB's)")
		}
		pos, err := a.parse(fs, args)
		if err != nil {
			return err
		}
		switch {
		case len(pos) == 0 && burst == 0:
			st, err := a.client().SetCapacity(ctx, on)
			if err != nil {
				return err
			}
			if a.jsonOut {
				return printJSON(stdout, st)
			}
			return printCapacityTables(stdout, st)
		case len(pos) == 1:
			s, err := a.client().SetTableCapacity(ctx, pos[0], client.CapacityConfig{Enabled: &on, BurstSeconds: burst})
			if err != nil {
				return err
			}
			if a.jsonOut {
				return printJSON(stdout, s)
			}
			return printTableCapacity(stdout, s)
		}
		return usageError(name)
	}
}

// capacityClear runs "dynafault capacity clear TABLE".
func capacityClear(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("capacity clear", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("capacity clear")
	}
	s, err := a.client().ClearTableCapacity(ctx, pos[0])
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, s)
	}
	return printTableCapacity(stdout, s)
}

// capacityKeys runs "dynafault capacity keys TABLE".
func capacityKeys(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("capacity keys", getenv, stderr, true)
	limit := fs.Int("limit", 10, "how many keys to list (-1: every tracked key)")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("capacity keys")
	}
	keys, err := a.client().HotKeys(ctx, pos[0], *limit)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, keys)
	}
	return printHotKeys(stdout, keys)
}

// printCapacityTables prints the emulator-wide setting and a line per
// table.
func printCapacityTables(w io.Writer, st client.CapacityState) error {
	fmt.Fprintf(w, "enforcement for every table: %s\n", onOff(st.Enabled))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tENFORCED\tMODE\tPARTITIONS\tREAD AVAIL/CAP\tWRITE AVAIL/CAP\tTHROTTLED")
	for _, s := range st.Tables {
		if !s.Enforced {
			fmt.Fprintf(tw, "%s\tno\t-\t-\t-\t-\t-\n", s.Table)
			continue
		}
		t := s.Resources[0]
		fmt.Fprintf(tw, "%s\tyes\t%s\t%d\t%s\t%s\t%d\n", s.Table, s.Mode, t.Partitions,
			availability(t.Read), availability(t.Write), s.ThrottledRequests)
	}
	return tw.Flush()
}

// printTableCapacity prints one table: its buckets per resource, then its
// hot keys.
func printTableCapacity(w io.Writer, s client.CapacityStatus) error {
	if !s.Enforced {
		_, err := fmt.Fprintf(w, "%s: capacity not enforced\n", s.Table)
		return err
	}
	burst := ""
	if s.BurstSeconds > 0 {
		burst = fmt.Sprintf(", burst %d s", s.BurstSeconds)
	}
	fmt.Fprintf(w, "%s: %s%s, %d requests throttled\n", s.Table, s.Mode, burst, s.ThrottledRequests)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tPARTITIONS\tREAD/S\tREAD AVAIL/CAP\tREAD USED\tREAD THROTTLES\tWRITE/S\tWRITE AVAIL/CAP\tWRITE USED\tWRITE THROTTLES")
	for _, r := range s.Resources {
		name := "table"
		if r.Index != "" {
			name = "index " + r.Index
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%d\n", name, r.Partitions,
			num(r.Read.UnitsPerSecond), availability(r.Read), num(r.Read.Consumed), r.Read.ThrottleEvents,
			num(r.Write.UnitsPerSecond), availability(r.Write), num(r.Write.Consumed), r.Write.ThrottleEvents)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(s.HotKeys) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return printHotKeys(w, s.HotKeys)
}

// printHotKeys prints hot keys, hottest first.
func printHotKeys(w io.Writer, keys []client.HotKey) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INDEX\tKEY\tPARTITION\tREAD/S\tWRITE/S\tREAD UNITS\tWRITE UNITS\tTHROTTLED")
	for _, k := range keys {
		index := k.Index
		if index == "" {
			index = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\n", index, k.Key, k.Partition, num(k.ReadUnitsPerSecond),
			num(k.WriteUnitsPerSecond), num(k.ReadUnits), num(k.WriteUnits), k.Throttled)
	}
	return tw.Flush()
}

func availability(u client.CapacityUsage) string { return num(u.Available) + "/" + num(u.Capacity) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}
