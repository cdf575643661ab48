package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

// createStreamTable creates table name (key "pk") with a KEYS_ONLY stream
// and one item written to it.
func createStreamTable(t *testing.T, a *API, name string) {
	t.Helper()
	ctx := context.Background()
	s := func(v string) *string { return &v }
	on := true
	_, err := a.engine.CreateTable(ctx, &engine.CreateTableInput{
		TableName:            s(name),
		BillingMode:          s("PAY_PER_REQUEST"),
		KeySchema:            []engine.KeySchemaElement{{AttributeName: s("pk"), KeyType: s("HASH")}},
		AttributeDefinitions: []engine.AttributeDefinition{{AttributeName: s("pk"), AttributeType: s("S")}},
		StreamSpecification:  &engine.StreamSpecification{StreamEnabled: &on, StreamViewType: s("KEYS_ONLY")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.engine.PutItem(ctx, &engine.PutItemInput{TableName: s(name), Item: attr.Item{"pk": attr.Str("a")}}); err != nil {
		t.Fatal(err)
	}
}

// streamsOf answers GET path as a streamsList.
func streamsOf(t *testing.T, a *API, path string) streamsList {
	t.Helper()
	code, body := do(t, a, http.MethodGet, path, "")
	var out streamsList
	if err := json.Unmarshal([]byte(body), &out); code != 200 || err != nil {
		t.Fatalf("GET %s = %d %s (%v)", path, code, body, err)
	}
	return out
}

// openShards returns the IDs of the open shards of the table's stream.
func openShards(t *testing.T, a *API, table string) []string {
	t.Helper()
	var open []string
	for _, sh := range streamsOf(t, a, "/_admin/streams/"+table).Streams[0].Shards {
		if sh.Open {
			open = append(open, sh.ShardId)
		}
	}
	return open
}

func TestStreamsEndpoints(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createStreamTable(t, a, "st1")
	createStreamTable(t, a, "st2")
	if all := streamsOf(t, a, "/_admin/streams"); len(all.Streams) != 2 {
		t.Fatalf("GET streams: %d streams, want 2", len(all.Streams))
	}
	one := streamsOf(t, a, "/_admin/streams/st1").Streams
	if len(one) != 1 || one[0].TableName != "st1" || len(one[0].Shards) != 1 || one[0].Shards[0].Records != 1 {
		t.Fatalf("GET streams/st1 = %+v", one)
	}
	shard := one[0].Shards[0].ShardId

	code, body := do(t, a, http.MethodPost, "/_admin/streams/st1/shards/"+shard+"/rollover", "")
	var ch shardChildren
	if err := json.Unmarshal([]byte(body), &ch); code != 200 || err != nil || ch.Closed != shard || len(ch.Children) != 1 {
		t.Fatalf("rollover = %d %s", code, body)
	}
	if open := openShards(t, a, "st1"); len(open) != 1 || open[0] != ch.Children[0] {
		t.Fatalf("open shards after rollover %v, want %v", open, ch.Children)
	}
	wantError(t, a, http.MethodPost, "/_admin/streams/st1/shards/"+shard+"/rollover", "", 400, "Shard "+shard+" is closed")

	code, body = do(t, a, http.MethodPost, "/_admin/streams/st1/shards/"+ch.Children[0]+"/split", "{}")
	var kids shardChildren
	if err := json.Unmarshal([]byte(body), &kids); code != 200 || err != nil || len(kids.Children) != 2 {
		t.Fatalf("split = %d %s", code, body)
	}
	if open := openShards(t, a, "st1"); len(open) != 2 {
		t.Fatalf("open shards after split %v, want 2", open)
	}

	if code, body := do(t, a, http.MethodPost, "/_admin/streams/st2/trim", `{"olderThan":"1h"}`); code != 200 || body != `{"journalSeq":3,"trimmed":true}`+"\n" {
		t.Fatalf("trim olderThan 1h = %d %s", code, body)
	}
	if n := streamsOf(t, a, "/_admin/streams/st2").Streams[0].Shards[0].Records; n != 1 {
		t.Fatalf("%d records after trimming those older than 1h, want 1", n)
	}
	if code, body := do(t, a, http.MethodPost, "/_admin/streams/st2/trim", ""); code != 200 {
		t.Fatalf("trim = %d %s", code, body)
	}
	if n := streamsOf(t, a, "/_admin/streams/st2").Streams[0].Shards[0].Records; n != 0 {
		t.Fatalf("%d records after trimming all, want 0", n)
	}
	if code, body := do(t, a, http.MethodPost, "/_admin/streams/st2/iterators/expire", ""); code != 200 || body != `{"expired":true,"journalSeq":5}`+"\n" {
		t.Fatalf("expire iterators = %d %s", code, body)
	}
	// Each action is a shard entry of the journal, named in its answer.
	if ch.Journal != 1 || kids.Journal != 2 {
		t.Errorf("journalSeq of rollover %d, split %d; want 1, 2", ch.Journal, kids.Journal)
	}
	var page struct{ Entries []faults.Entry }
	_, body = do(t, a, http.MethodGet, "/_admin/journal?kind=shard", "")
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatal(err)
	}
	want := []struct{ action, table, shard, detail string }{
		{faults.ShardRollover, "st1", shard, "child " + ch.Children[0]},
		{faults.ShardSplit, "st1", ch.Children[0], "children " + kids.Children[0] + ", " + kids.Children[1]},
		{faults.ShardTrim, "st2", "", "records older than 1h0m0s"},
		{faults.ShardTrim, "st2", "", "every record"},
		{faults.ShardExpireIterators, "st2", "", "every iterator issued so far"},
	}
	if len(page.Entries) != len(want) {
		t.Fatalf("journal %+v, want %d shard entries", page.Entries, len(want))
	}
	for i, w := range want {
		e := page.Entries[i]
		if e.Seq != uint64(i+1) || e.Kind != faults.KindShard || e.Action != w.action || e.Table != w.table || e.ShardID != w.shard || e.Detail != w.detail {
			t.Errorf("entry %d = %+v, want %+v", i, e, w)
		}
	}
}

func TestShardForKey(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createStreamTable(t, a, "st1")
	if code, body := do(t, a, http.MethodPost, "/_admin/streams/st1/shards", `{"count":4}`); code != 200 {
		t.Fatalf("shard count: %d %s", code, body)
	}
	st := streamsOf(t, a, "/_admin/streams/st1").Streams[0]
	code, body := do(t, a, http.MethodGet, "/_admin/streams/st1/shard?pk=ORDER%237", "")
	var got shardOfKey
	if err := json.Unmarshal([]byte(body), &got); code != 200 || err != nil || got.Table != "st1" || got.StreamArn != st.StreamArn {
		t.Fatalf("GET shard = %d %s", code, body)
	}
	_, want, err := a.engine.StreamShardForKey("st1", map[string]string{"pk": "ORDER#7"})
	if err != nil || got.ShardID != want {
		t.Errorf("shard %s, engine says %s (%v)", got.ShardID, want, err)
	}
	wantError(t, a, http.MethodGet, "/_admin/streams/st1/shard", "", 400, "The partition key pk of table st1 is required")
	wantError(t, a, http.MethodGet, "/_admin/streams/st1/shard?pk=a&pk=b", "", 400, `key attribute "pk" given 2 times`)
	wantError(t, a, http.MethodGet, "/_admin/streams/st1/shard?pk=a&x=1", "", 400, "Attribute x is not a key attribute of table st1 (key: pk)")
	wantError(t, a, http.MethodGet, "/_admin/streams/nope/shard?pk=a", "", 404, "Requested resource not found: Table: nope not found")
}

func TestStreamsEndpointErrors(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createStreamTable(t, a, "st1")
	shard := streamsOf(t, a, "/_admin/streams/st1").Streams[0].Shards[0].ShardId
	cases := []struct {
		method, path, body string
		status             int
		msg                string
	}{
		{http.MethodGet, "/_admin/streams/nope", "", 404, "table nope has no stream"},
		{http.MethodPost, "/_admin/streams/nope/shards/x/rollover", "", 404, "Table nope has no enabled stream"},
		{http.MethodPost, "/_admin/streams/st1/shards/shardId-x/rollover", "", 404, "Shard shardId-x not found"},
		{http.MethodPost, "/_admin/streams/st1/shards/shardId-x/split", "", 404, "Shard shardId-x not found"},
		{http.MethodPost, "/_admin/streams/st1/shards/" + shard + "/split", `{"parts":3}`, 400, `unknown field "parts"`},
		{http.MethodPost, "/_admin/streams/nope/trim", "", 404, "Table nope has no stream"},
		{http.MethodPost, "/_admin/streams/st1/trim", `{"olderThan":"-1h"}`, 400, `invalid "olderThan" "-1h": want a Go duration >= 0 such as "1h"`},
		{http.MethodPost, "/_admin/streams/st1/trim", `{"until":"1"}`, 400, `unknown field "until"`},
		{http.MethodPost, "/_admin/streams/st1/trim", `{"before":"1"}`, 400, "Invalid SequenceNumber: 1"},
		{http.MethodPost, "/_admin/streams/nope/iterators/expire", "", 404, "Table nope has no stream"},
		{http.MethodDelete, "/_admin/streams/st1", "", 405, "method not allowed"},
	}
	for _, c := range cases {
		wantError(t, a, c.method, c.path, c.body, c.status, c.msg)
	}
}

func TestClockAdvanceAndResetReachStreams(t *testing.T) {
	t.Parallel()
	c := clock.NewFrozen(testNow())
	a := New(Options{Engine: engine.New(engine.Options{Clock: c, StreamRollover: 4 * time.Hour}), Clock: c})
	createStreamTable(t, a, "st1")
	before := openShards(t, a, "st1")
	// Shards roll over every 4 hours.
	if code, body := do(t, a, http.MethodPost, "/_admin/clock", `{"advance":"5h"}`); code != 200 {
		t.Fatalf("advance: %d %s", code, body)
	}
	if after := openShards(t, a, "st1"); len(after) != 1 || after[0] == before[0] {
		t.Fatalf("open shards after 5h: %v, before %v: no rollover", after, before)
	}
	if code, body := do(t, a, http.MethodPost, "/_admin/reset?data=true", ""); code != 200 {
		t.Fatalf("reset: %d %s", code, body)
	}
	if all := streamsOf(t, a, "/_admin/streams"); len(all.Streams) != 0 {
		t.Fatalf("streams after reset with data: %+v", all.Streams)
	}
}
