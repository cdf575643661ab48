package main

import (
	"context"
	"io"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// The fault journal from a shell: "dynafault journal" and its older name
// "dynafault faults journal" run the same code (GET /_admin/journal with
// the rule, table, kind, reason and consumer filters).

// faultsJournal runs "dynafault faults journal".
func faultsJournal(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return printJournalCmd(ctx, "faults journal", args, getenv, stdout, stderr)
}

// journalCmd runs "dynafault journal", the same command as "dynafault
// faults journal" under a shorter name.
func journalCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return printJournalCmd(ctx, "journal", args, getenv, stdout, stderr)
}

// printJournalCmd prints the journal entries the flags select; path is
// the command's path for its help and errors.
func printJournalCmd(ctx context.Context, path string, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet(path, getenv, stderr, true)
	var q faults.JournalQuery
	fs.StringVar(&q.RuleID, "rule", "", "only the entries of this rule id")
	fs.StringVar(&q.Table, "table", "", "only the entries of this table (name or glob)")
	fs.StringVar(&q.Kind, "kind", "", "only the entries of this kind: firing, followUp, shard, loss or clock")
	fs.StringVar(&q.Reason, "reason", "", "only the loss entries with this reason: trimmed, skipped, expired, rollover, split or discarded")
	fs.StringVar(&q.Consumer, "consumer", "", "only the entries about this consumer (access key id, mapping UUID or a name given to it)")
	fs.Uint64Var(&q.After, "after", 0, "only the entries after this seq (the \"next\" of an earlier call)")
	fs.IntVar(&q.Limit, "limit", 0, "print one page of at most this many entries (default: every entry)")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	page, err := readJournal(ctx, a.client(), q)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, page)
	}
	return printJournal(stdout, page.Entries)
}

// readJournal reads one page when q.Limit is set, else every page, as one
// page whose Next is the cursor to poll from.
func readJournal(ctx context.Context, c *client.Client, q faults.JournalQuery) (faults.JournalPage, error) {
	if q.Limit > 0 {
		return c.Journal(ctx, q)
	}
	all := faults.JournalPage{Entries: []faults.Entry{}}
	q.Limit = faults.MaxPageLimit
	for {
		page, err := c.Journal(ctx, q)
		if err != nil {
			return faults.JournalPage{}, err
		}
		all.Entries = append(all.Entries, page.Entries...)
		all.Next, all.Evicted = page.Next, page.Evicted
		if !page.More || page.Next <= q.After {
			return all, nil
		}
		q.After = page.Next
	}
}
