package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// streamsSubcommands are the subcommands of "dynafault streams", one per
// line. The shard actions take the shard by id or by an item key mapping
// to it (--key).
func streamsSubcommands() []subcommand {
	return []subcommand{
		{"list", "list every stream with its shard and record counts", streamsList},
		{"show", "show the shards of a table's streams, in lineage order", streamsShow},
		{"pause", "pause a shard: GetRecords returns empty pages while writes land", shardCmd("pause")},
		{"resume", "resume a paused shard: its backlog is delivered in order", shardCmd("resume")},
		{"rollover", "close an open shard and open a child over its hash range", shardCmd("rollover")},
		{"split", "close an open shard and open two children over the halves of its range", shardCmd("split")},
		{"trim", "trim a table's stream records as retention would (--older-than, --before)", streamsTrim},
		{"expire", "expire every shard iterator issued so far for a table's stream", streamsExpire},
		{"shards", "set how many open shards a table's new streams get (the table need not exist yet)", streamsShards},
	}
}

// streamsShards runs "dynafault streams shards TABLE N".
func streamsShards(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("streams shards", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("streams shards")
	}
	n, err := strconv.Atoi(pos[1])
	if err != nil || n < 1 || n > 1000 {
		return fmt.Errorf("invalid shard count %q: want 1 to 1000", pos[1])
	}
	if err := a.client().SetShardCount(ctx, pos[0], n); err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, map[string]any{"table": pos[0], "count": n})
	}
	_, err = fmt.Fprintf(stdout, "%s: %d open shards for its streams created from now on, and for its current stream while it has had no record\n", pos[0], n)
	return err
}

// streamsList runs "dynafault streams list".
func streamsList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("streams list", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(pos); err != nil {
		return err
	}
	streams, err := a.client().Streams(ctx)
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, streams)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tSTATUS\tVIEW\tLABEL\tSHARDS\tOPEN\tRECORDS\tHELD\tPAUSED")
	for _, s := range streams {
		records, held, paused := 0, 0, 0
		for _, sh := range s.Shards {
			records, held = records+sh.Records, held+sh.Held
			if sh.Paused {
				paused++
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\n", s.TableName, s.StreamStatus, s.StreamViewType,
			s.StreamLabel, len(s.Shards), len(s.OpenShards()), records, held, paused)
	}
	return tw.Flush()
}

// streamsShow runs "dynafault streams show TABLE".
func streamsShow(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("streams show", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("streams show")
	}
	streams, err := a.client().Stream(ctx, pos[0])
	if err != nil {
		return err
	}
	if a.jsonOut {
		return printJSON(stdout, streams)
	}
	for i, s := range streams {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%s  %s  %s\n", s.StreamArn, s.StreamStatus, s.StreamViewType)
		if err := printShards(stdout, s.Shards); err != nil {
			return err
		}
	}
	return nil
}

// printShards writes one line per shard, in the order given (creation
// order, so parents before children).
func printShards(w io.Writer, shards []client.Shard) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SHARD\tPARENT\tOPEN\tRECORDS\tTRIMMED\tHELD\tPAUSED\tNEWEST\tSEQUENCE NUMBERS")
	for _, sh := range shards {
		newest := "-"
		if sh.NewestRecordAge != nil {
			newest = sh.NewestRecordAge.Round(time.Millisecond).String() + " ago"
		}
		parent := sh.ParentShardID
		if parent == "" {
			parent = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%t\t%d\t%d\t%d\t%t\t%s\t%s..%s\n", sh.ShardID, parent, sh.Open, sh.Records,
			sh.Trimmed, sh.Held, sh.Paused, newest, sh.StartingSequenceNumber, sh.EndingSequenceNumber)
	}
	return tw.Flush()
}

// shardCmd returns "dynafault streams ACTION TABLE (SHARD | --key ...)".
func shardCmd(action string) runFunc {
	return func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
		fs, a := newAdminFlagSet("streams "+action, getenv, stderr, true)
		key := map[string]string{}
		fs.Var(keyValues(key), "key", "choose the shard by an item key: NAME=VALUE (repeatable; numbers in decimal, binaries in base64)")
		pos, err := a.parse(fs, args)
		if err != nil {
			return err
		}
		if (len(pos) != 2 || len(key) > 0) && (len(pos) != 1 || len(key) == 0) {
			return usageError("streams " + action)
		}
		c, table := a.client(), pos[0]
		shard, err := shardOf(ctx, c, table, pos[1:], key)
		if err != nil {
			return err
		}
		res, err := runShardAction(ctx, c, action, table, shard)
		if err != nil {
			return err
		}
		if a.jsonOut {
			return printJSON(stdout, res)
		}
		_, err = fmt.Fprintln(stdout, res.summary())
		return err
	}
}

// shardOf is the shard given as an argument, or the one key maps to.
func shardOf(ctx context.Context, c *client.Client, table string, pos []string, key map[string]string) (string, error) {
	if len(pos) == 1 {
		return pos[0], nil
	}
	return c.ShardForKey(ctx, table, key)
}

// shardResult is what a shard action did.
type shardResult struct {
	Action     string   `json:"action"`
	Table      string   `json:"table"`
	Shard      string   `json:"shard"`
	Children   []string `json:"children,omitempty"`
	JournalSeq uint64   `json:"journalSeq"`
}

// summary is the line printed for r.
func (r shardResult) summary() string {
	s := fmt.Sprintf("%s %s of %s", r.Action, r.Shard, r.Table)
	if len(r.Children) > 0 {
		s += " -> " + strings.Join(r.Children, ", ")
	}
	return fmt.Sprintf("%s (journal seq %d)", s, r.JournalSeq)
}

// runShardAction runs one shard action through the admin API.
func runShardAction(ctx context.Context, c *client.Client, action, table, shard string) (shardResult, error) {
	r := shardResult{Action: action, Table: table, Shard: shard}
	var err error
	switch action {
	case faults.ShardPause:
		r.JournalSeq, err = c.Pause(ctx, table, shard)
	case faults.ShardResume:
		r.JournalSeq, err = c.Resume(ctx, table, shard)
	case faults.ShardRollover, faults.ShardSplit:
		var ch client.ShardChildren
		if action == faults.ShardRollover {
			ch, err = c.Rollover(ctx, table, shard)
		} else {
			ch, err = c.Split(ctx, table, shard)
		}
		r.Children, r.JournalSeq = ch.Children, ch.JournalSeq
	default:
		err = fmt.Errorf("unknown shard action %q", action)
	}
	return r, err
}

// streamsTrim runs "dynafault streams trim TABLE [--older-than D | --before SEQ]".
func streamsTrim(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("streams trim", getenv, stderr, true)
	var opt client.TrimOptions
	older := fs.String("older-than", "", "trim only the records at least this old in clock time, e.g. 1h or PT1H")
	fs.StringVar(&opt.Before, "before", "", "trim only the records with a lower sequence number")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("streams trim")
	}
	what := "every record"
	switch {
	case *older != "" && opt.Before != "":
		return errors.New("give --older-than or --before, not both")
	case *older != "":
		d, err := faults.ParseDuration(*older)
		if err != nil || d <= 0 {
			return fmt.Errorf("invalid --older-than %q: want a positive duration such as 1h or PT1H", *older)
		}
		opt.OlderThan, what = d.Std(), "records older than "+d.Std().String()
	case opt.Before != "":
		what = "records before " + opt.Before
	}
	seq, err := a.client().Trim(ctx, pos[0], opt)
	if err != nil {
		return err
	}
	return printStreamAction(stdout, a.jsonOut, "trim", pos[0], what, seq)
}

// streamsExpire runs "dynafault streams expire TABLE".
func streamsExpire(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs, a := newAdminFlagSet("streams expire", getenv, stderr, true)
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("streams expire")
	}
	seq, err := a.client().ExpireIterators(ctx, pos[0])
	if err != nil {
		return err
	}
	return printStreamAction(stdout, a.jsonOut, "expire", pos[0], "every iterator issued so far", seq)
}

// printStreamAction reports an action on a whole stream.
func printStreamAction(w io.Writer, jsonOut bool, action, table, what string, seq uint64) error {
	if jsonOut {
		return printJSON(w, map[string]any{"action": action, "table": table, "detail": what, "journalSeq": seq})
	}
	_, err := fmt.Fprintf(w, "%s %s of %s (journal seq %d)\n", action, what, table, seq)
	return err
}

// usageError is the error for a command given the wrong arguments.
func usageError(path string) error {
	return fmt.Errorf("usage: dynafault %s", helps()[path].usage)
}

// keyValues is a repeatable NAME=VALUE flag filling a map.
type keyValues map[string]string

func (k keyValues) String() string { return "" }

func (k keyValues) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	if _, dup := k[name]; dup {
		return fmt.Errorf("key attribute %s given twice", name)
	}
	k[name] = value
	return nil
}
