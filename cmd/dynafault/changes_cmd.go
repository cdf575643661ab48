package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/dynafault/dynafault/faults/client"
)

// changesCmd runs "dynafault changes [TABLE]": the tables with a change
// ledger, or one table's ledger (every committed change with its fate in
// the stream).
func changesCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("changes", getenv, stderr, true)
	after := fs.Uint64("after", 0, "only the changes after this ledger seq (the \"next\" of an earlier call)")
	limit := fs.Int("limit", 0, "print one page of at most this many changes, 1 to 1000 (default: every change)")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	c := a.client()
	switch len(pos) {
	case 0:
		if *after != 0 || *limit != 0 {
			return fmt.Errorf("--after and --limit need a table (usage: dynafault %s)", helps()["changes"].usage)
		}
		tables, err := c.LedgerTables(ctx)
		if err != nil {
			return err
		}
		if a.jsonOut {
			return printJSON(stdout, map[string][]string{"tables": tables})
		}
		for _, t := range tables {
			fmt.Fprintln(stdout, t)
		}
		return nil
	case 1:
	default:
		return usageError("changes")
	}
	page, err := readChanges(ctx, c, pos[0], *after, *limit)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, page)
	}
	return printChanges(stdout, page.Changes)
}

// readChanges reads one page of the table's ledger when limit is set,
// else every page from after, as one page whose Next is the cursor to poll
// from.
func readChanges(ctx context.Context, c *client.Client, table string, after uint64, limit int) (client.ChangesPage, error) {
	if limit > 0 {
		return c.Changes(ctx, table, after, limit)
	}
	all := client.ChangesPage{TableName: table, Changes: []client.Change{}}
	for {
		p, err := c.Changes(ctx, table, after, 1000)
		if err != nil {
			return client.ChangesPage{}, err
		}
		all.Changes = append(all.Changes, p.Changes...)
		all.Next, all.Evicted = p.Next, p.Evicted
		if !p.More || p.Next <= after {
			return all, nil
		}
		after = p.Next
	}
}

// printChanges writes one line per change of a ledger.
func printChanges(w io.Writer, changes []client.Change) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tTIME\tEVENT\tKEYS\tFATE\tSHARD\tSEQUENCE")
	for _, ch := range changes {
		seq := ch.SequenceNumber
		if ch.OriginalSequenceNumber != "" {
			seq = ch.OriginalSequenceNumber + "->" + seq
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", ch.Seq, ch.ApproximateCreationDateTime.UTC().Format(time.RFC3339Nano),
			ch.EventName, dash(ch.Keys.String()), ch.Fate, dash(ch.ShardID), dash(seq))
	}
	return tw.Flush()
}
