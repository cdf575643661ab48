package conformance

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults/client"
)

// Paging and filters of GET /_admin/consumers/{id}/missed: the pages,
// walked with the after cursor, hold every missed change once, in stream,
// shard and sequence order, and the table and reason filters page the same
// way.

// missedPages walks the consumer's missed changes page by page with the
// limit, checks the shape of each page and returns every change as
// "table pk reason" with the number of pages.
func (e *faultEnv) missedPages(id string, q client.MissedQuery) (rows []string, pages int) {
	e.t.Helper()
	seen := map[string]bool{}
	for {
		p, err := e.adm.Missed(ctx(e.t), id, q)
		if err != nil {
			e.t.Fatalf("missed of %s after %q: %v", id, q.After, err)
		}
		pages++
		if len(p.Changes) > q.Limit || (p.Next != "" && len(p.Changes) != q.Limit) {
			e.t.Fatalf("page %d holds %d changes (limit %d) and next %q", pages, len(p.Changes), q.Limit, p.Next)
		}
		for _, c := range p.Changes {
			at := c.TableName + " " + c.SequenceNumber
			if seen[at] {
				e.t.Errorf("page %d repeats %s %s", pages, at, c.Keys)
			}
			seen[at] = true
			rows = append(rows, c.TableName+" "+c.Keys.String()+" "+c.Reason)
		}
		if p.Next == "" {
			return rows, pages
		}
		if p.Next == q.After {
			e.t.Fatalf("page %d does not move the cursor %q", pages, p.Next)
		}
		q.After = p.Next
	}
}

// pagingTable is a table the paging test writes to: before the clock
// moves, n records the reader reads the first of; after, two more.
type pagingTable struct{ name, arn, prefix string }

// missedRows are the rows missedPages returns for t: n-1 trimmed and two
// pending.
func (t pagingTable) missedRows(n int, reasons ...string) []string {
	var rows []string
	want := func(r string) bool { return len(reasons) == 0 || strings.Contains(strings.Join(reasons, ","), r) }
	for i := 1; i < n && want("trimmed"); i++ {
		rows = append(rows, t.name+" pk="+t.prefix+"#"+itoa(i)+" trimmed")
	}
	for i := 0; i < 2 && want("pending"); i++ {
		rows = append(rows, t.name+" pk="+t.prefix+"-new#"+itoa(i)+" pending")
	}
	return rows
}

func TestMissedReportPagesWithoutGapsOrRepeatsAndFiltersByTableAndReason(t *testing.T) {
	const n = 8 // records per table before the clock moves
	e := newFaultEnv(t, emulator.Options{})
	reader := e.as("two-table-reader")
	var tables []pagingTable
	for _, prefix := range []string{"A", "B"} {
		name, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
		tables = append(tables, pagingTable{name: name, arn: arn, prefix: prefix})
		e.putOrders(name, prefix, n)
		shard := aws.ToString(reader.shards(arn, 0)[0].ShardId)
		if out := reader.records(reader.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""), 1); len(out.Records) != 1 {
			t.Fatalf("read %d records of %s", len(out.Records), name)
		}
	}
	e.advance(25 * time.Hour)
	for _, tb := range tables {
		e.putOrders(tb.name, tb.prefix+"-new", 2)
	}
	// The report orders the streams by ARN.
	sort.Slice(tables, func(i, j int) bool { return tables[i].arn < tables[j].arn })

	all := append(tables[0].missedRows(n), tables[1].missedRows(n)...) // 2*(7+2) = 18
	for _, limit := range []int{1, 4, 9, 17, 18, 100} {
		rows, pages := e.missedPages("two-table-reader", client.MissedQuery{Limit: limit})
		wantMissed(t, rows, all...)
		if want := (len(all) + limit - 1) / limit; pages != want {
			t.Errorf("limit %d: %d pages, want %d", limit, pages, want)
		}
	}
	for _, tb := range tables {
		rows, _ := e.missedPages("two-table-reader", client.MissedQuery{Table: tb.name, Limit: 4})
		wantMissed(t, rows, tb.missedRows(n)...)
		rows, _ = e.missedPages("two-table-reader", client.MissedQuery{Table: tb.name, Reasons: []string{client.MissedPending}, Limit: 1})
		wantMissed(t, rows, tb.missedRows(n, "pending")...)
	}
	rows, _ := e.missedPages("two-table-reader", client.MissedQuery{Reasons: []string{client.MissedTrimmed}, Limit: 5})
	wantMissed(t, rows, append(tables[0].missedRows(n, "trimmed"), tables[1].missedRows(n, "trimmed")...)...)
	rows, _ = e.missedPages("two-table-reader", client.MissedQuery{Reasons: []string{client.MissedTrimmed, client.MissedPending}, Limit: 6})
	wantMissed(t, rows, all...)
	rows, _ = e.missedPages("two-table-reader", client.MissedQuery{Reasons: []string{client.MissedDropped}, Limit: 5})
	wantMissed(t, rows)
}

func TestMissedReportOfATableTheConsumerNeverReadIsEmpty(t *testing.T) {
	e := newFaultEnv(t, emulator.Options{})
	read, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	other, _ := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	e.putOrders(read, "R", 2)
	e.putOrders(other, "O", 2)
	e.as("one-table-reader").readStream(arn)
	p, err := e.adm.Missed(ctx(t), "one-table-reader", client.MissedQuery{Table: other})
	if err != nil || len(p.Changes) != 0 || p.Next != "" {
		t.Errorf("missed in a table it never read: %+v %v; want an empty page", p, err)
	}
	if _, err := e.adm.Missed(ctx(t), "nobody", client.MissedQuery{Table: other}); !client.IsNotFound(err) {
		t.Errorf("an unknown consumer with a table filter: %v", err)
	}
}
