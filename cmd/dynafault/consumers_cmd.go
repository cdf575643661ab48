package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dynafault/dynafault/faults/client"
)

// consumersSubcommands are "dynafault consumers list|show|missed|name|forget".
func consumersSubcommands() []subcommand {
	return []subcommand{
		{"list", "list the consumers of every stream with their missed changes by reason and lag", consumersList},
		{"show", "show one consumer per stream and shard: position, lag, missed changes, duplicates, order", consumersShow},
		{"missed", "print every change a consumer did not receive, with the reason", consumersMissed},
		{"name", "give a consumer (access key id or mapping UUID) a name for the reports", consumersName},
		{"forget", "stop tracking a consumer; its next request starts a new report", consumersForget},
	}
}

func consumersList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("consumers list", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	cs, err := a.client().Consumers(ctx)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, cs)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONSUMER\tNAME\tKIND\tTABLES\tLAG\tLOST\tMISSED")
	for _, c := range cs {
		tables := make([]string, len(c.Streams))
		for i, s := range c.Streams {
			tables[i] = s.TableName
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", c.ID, orDash(c.Name), c.Kind, strings.Join(tables, ","),
			seconds(c.LagSeconds), c.Lost(), reasons(c.Missed))
	}
	return tw.Flush()
}

// seconds renders a lag in seconds as a duration rounded to the second
// ("0s", "25h0m0s").
func seconds(s float64) string {
	return (time.Duration(s) * time.Second).String()
}

// reasons renders missed counts as "trimmed:3 pending:1", "-" for none.
func reasons(m map[string]int) string {
	if len(m) == 0 {
		return "-"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s:%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

// oneConsumer parses "ID [flags]".
func oneConsumer(name string, args []string, getenv func(string) string, stderr io.Writer,
	extra func(fs *flag.FlagSet)) (string, *adminFlags, error) {
	fs, a := newAdminFlagSet("consumers "+name, getenv, stderr, true)
	if extra != nil {
		extra(fs)
	}
	pos, err := a.parse(fs, args)
	if err != nil {
		return "", nil, err
	}
	if len(pos) != 1 {
		return "", nil, fmt.Errorf("usage: dynafault consumers %s ID [flags]", name)
	}
	return pos[0], a, nil
}

func consumersShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	id, a, err := oneConsumer("show", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	c, err := a.client().Consumer(ctx, id)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, c)
	}
	fmt.Fprintf(stdout, "consumer %s (%s)", c.ID, c.Kind)
	if c.Name != "" {
		fmt.Fprintf(stdout, ", name %s", c.Name)
	}
	fmt.Fprintf(stdout, "\nlag %s, missed %s\n", seconds(c.LagSeconds), reasons(c.Missed))
	for _, s := range c.Streams {
		fmt.Fprintf(stdout, "\n%s  since %s  duplicates %d  order violations %d  lag %s\n", s.StreamArn, s.Since,
			s.Duplicates, s.OrderViolations, seconds(s.LagSeconds))
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SHARD\tPARENT\tOPEN\tPOSITION\tLAG\tMISSED")
		for _, sh := range s.Shards {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\t%s\n", sh.ShardID, orDash(sh.ParentShardID), sh.Open,
				orDash(sh.Position), seconds(sh.LagSeconds), reasons(sh.Missed))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func consumersMissed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var q client.MissedQuery
	var reasonList string
	id, a, err := oneConsumer("missed", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&q.Table, "table", "", "only the changes of this table")
		fs.StringVar(&reasonList, "reason", "", "only these reasons, comma-separated: dropped, trimmed, skipped, unread, discarded, pending")
		fs.StringVar(&q.After, "after", "", `only the changes after this cursor (the "next" of an earlier --limit call)`)
		fs.IntVar(&q.Limit, "limit", 0, "print one page of at most this many changes (default: every change)")
	})
	if err != nil {
		return err
	}
	if reasonList != "" {
		q.Reasons = strings.Split(reasonList, ",")
	}
	var missed []client.MissedChange
	next := ""
	if q.Limit > 0 {
		p, err := a.client().Missed(ctx, id, q)
		if err != nil {
			return err
		}
		missed, next = p.Changes, p.Next
	} else if missed, err = a.client().MissedAll(ctx, id, q); err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, client.MissedPage{Consumer: id, Changes: missed, Next: next})
	}
	fmt.Fprint(stdout, client.DescribeMissed(id, missed))
	if next != "" {
		fmt.Fprintf(stdout, "next page: --after '%s'\n", next)
	}
	return nil
}

func consumersName(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("consumers name", getenv, stderr, false)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return fmt.Errorf(`usage: dynafault consumers name ID NAME [flags] (NAME "" removes the name)`)
	}
	if err := a.client().NameConsumer(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "consumer %s named %q\n", pos[0], pos[1])
	return nil
}

func consumersForget(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	id, a, err := oneConsumer("forget", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if err := a.client().ForgetConsumer(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "consumer %s forgotten\n", id)
	return nil
}
