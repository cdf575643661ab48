package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// createStreamTableCLI creates table name (key pk S) with a stream and
// writes one item per key.
func createStreamTableCLI(t *testing.T, url, name string, keys ...string) {
	t.Helper()
	if code := wireCall(t, url, "CreateTable", `{"TableName":"`+name+`","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",`+
		`"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`); code != 200 {
		t.Fatalf("CreateTable %s: HTTP %d", name, code)
	}
	for _, k := range keys {
		if code := wireCall(t, url, "PutItem", `{"TableName":"`+name+`","Item":{"pk":{"S":"`+k+`"}}}`); code != 200 {
			t.Fatalf("PutItem %s: HTTP %d", k, code)
		}
	}
}

// streamOf reads the table's enabled stream through the admin API.
func streamOf(t *testing.T, url, table string) client.Stream {
	t.Helper()
	ss, err := client.New(url).Stream(t.Context(), table)
	if err != nil || len(ss) == 0 {
		t.Fatalf("stream of %s: %v", table, err)
	}
	return ss[len(ss)-1]
}

func TestStreamsListAndShow(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createStreamTableCLI(t, url, "orders", "ORDER#1", "ORDER#2")
	createStreamTableCLI(t, url, "users")

	out := mustRun(t, env, "streams", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TABLE") {
		t.Fatalf("streams list:\n%s", out)
	}
	if f := strings.Fields(lines[1]); f[0] != "orders" || f[1] != "ENABLED" || f[2] != "KEYS_ONLY" || f[4] != "1" || f[5] != "1" || f[6] != "2" {
		t.Errorf("orders line %q: want 1 shard, 1 open, 2 records", lines[1])
	}
	var listed []client.Stream
	if err := json.Unmarshal([]byte(mustRun(t, env, "streams", "list", "--json")), &listed); err != nil || len(listed) != 2 {
		t.Errorf("streams list --json: %v %+v", err, listed)
	}

	st := streamOf(t, url, "orders")
	out = mustRun(t, env, "streams", "show", "orders")
	if !strings.HasPrefix(out, st.StreamArn+"  ENABLED  KEYS_ONLY\n") || !strings.Contains(out, st.Shards[0].ShardID) {
		t.Errorf("streams show orders:\n%s", out)
	}
	if !regexp.MustCompile(`(?m)^` + st.Shards[0].ShardID + ` +- +true +2 +0 +0 +false `).MatchString(out) {
		t.Errorf("streams show orders: no line for the shard with 2 records:\n%s", out)
	}
	_, _, err := runCLI(t, env, "streams", "show", "nope")
	if err == nil || !strings.Contains(err.Error(), "HTTP 404: table nope has no stream") {
		t.Errorf("streams show nope: %v", err)
	}
	if _, _, err := runCLI(t, env, "streams", "show"); err == nil || !strings.Contains(err.Error(), "usage: dynafault streams show TABLE") {
		t.Errorf("streams show without a table: %v", err)
	}
}

func TestStreamsShardActions(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createStreamTableCLI(t, url, "orders", "ORDER#7")
	shard := streamOf(t, url, "orders").Shards[0].ShardID

	// By key, then by id; each prints the journal seq of its entry.
	if out := mustRun(t, env, "streams", "pause", "orders", "--key", "pk=ORDER#7"); out != "pause "+shard+" of orders (journal seq 1)\n" {
		t.Errorf("streams pause --key = %q", out)
	}
	if !streamOf(t, url, "orders").Shards[0].Paused {
		t.Error("shard not paused")
	}
	if out := mustRun(t, env, "streams", "resume", "orders", shard); out != "resume "+shard+" of orders (journal seq 2)\n" {
		t.Errorf("streams resume = %q", out)
	}
	out := mustRun(t, env, "streams", "rollover", "orders", shard)
	st := streamOf(t, url, "orders")
	child := st.OpenShards()[0]
	if out != "rollover "+shard+" of orders -> "+child+" (journal seq 3)\n" || child == shard {
		t.Errorf("streams rollover = %q (open shards %v)", out, st.OpenShards())
	}
	var res shardResult
	if err := json.Unmarshal([]byte(mustRun(t, env, "streams", "split", "orders", "--key", "pk=ORDER#7", "--json")), &res); err != nil ||
		res.Action != "split" || res.Shard != child || len(res.Children) != 2 || res.JournalSeq != 4 {
		t.Errorf("streams split --key --json = %+v, %v", res, err)
	}
	if n := len(streamOf(t, url, "orders").OpenShards()); n != 2 {
		t.Errorf("%d open shards after the split, want 2", n)
	}
	if out := mustRun(t, env, "streams", "trim", "orders", "--older-than", "1h"); out != "trim records older than 1h0m0s of orders (journal seq 5)\n" {
		t.Errorf("streams trim --older-than = %q", out)
	}
	// The records trimmed were never read: a loss entry names each (seq 6)
	// before the trim's own entry.
	if out := mustRun(t, env, "streams", "trim", "orders"); out != "trim every record of orders (journal seq 7)\n" {
		t.Errorf("streams trim = %q", out)
	}
	if n := streamOf(t, url, "orders").Shards[0].Records; n != 0 {
		t.Errorf("%d records after trimming every record", n)
	}
	if out := mustRun(t, env, "streams", "expire", "orders"); out != "expire every iterator issued so far of orders (journal seq 8)\n" {
		t.Errorf("streams expire = %q", out)
	}
	entries, err := client.New(url).JournalAll(t.Context(), faults.JournalQuery{Kind: faults.KindShard})
	want := []string{faults.ShardPause, faults.ShardResume, faults.ShardRollover, faults.ShardSplit, faults.ShardTrim, faults.ShardTrim, faults.ShardExpireIterators}
	if err != nil || len(entries) != len(want) {
		t.Fatalf("journal %+v, %v", entries, err)
	}
	for i, e := range entries {
		if e.Action != want[i] || e.Table != "orders" {
			t.Errorf("entry %d: %+v, want %s", i, e, want[i])
		}
	}
}

func TestStreamsCommandErrors(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createStreamTableCLI(t, url, "orders")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"streams", "pause", "orders"}, "usage: dynafault streams pause TABLE (SHARD | --key NAME=VALUE)"},
		{[]string{"streams", "pause", "orders", "s1", "--key", "pk=a"}, "usage: dynafault streams pause"},
		{[]string{"streams", "pause", "orders", "--key", "pk"}, `invalid value "pk" for flag -key: want NAME=VALUE`},
		{[]string{"streams", "pause", "orders", "--key", "color=red"}, "HTTP 400: Attribute color is not a key attribute of table orders (key: pk)"},
		{[]string{"streams", "rollover", "orders", "shardId-nope"}, "HTTP 404: Shard shardId-nope not found"},
		{[]string{"streams", "split", "nope", "--key", "pk=a"}, "HTTP 404: Requested resource not found: Table: nope not found"},
		{[]string{"streams", "trim", "orders", "--older-than", "1h", "--before", "4000"}, "give --older-than or --before, not both"},
		{[]string{"streams", "trim", "orders", "--older-than", "soon"}, `invalid --older-than "soon"`},
		{[]string{"streams", "trim", "orders", "--before", "x"}, "HTTP 400: Invalid SequenceNumber: x"},
		{[]string{"streams", "expire"}, "usage: dynafault streams expire TABLE"},
		{[]string{"streams", "list", "--endpoint", "127.0.0.1:8000"}, `invalid --endpoint "127.0.0.1:8000": want a URL such as http://127.0.0.1:8000; add the scheme: http://127.0.0.1:8000`},
		{[]string{"streams", "wobble"}, `streams: unknown subcommand "wobble"`},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, env, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dynafault %s: error %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
	_, _, err := runCLI(t, map[string]string{"DYNAFAULT_ENDPOINT": "localhost:8000"}, "streams", "list")
	if err == nil || !strings.Contains(err.Error(), `invalid DYNAFAULT_ENDPOINT "localhost:8000": want a URL such as http://127.0.0.1:8000; add the scheme: http://localhost:8000`) {
		t.Errorf("endpoint without a scheme from the environment: %v", err)
	}
}

func TestStreamsShards(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	out := mustRun(t, env, "streams", "shards", "orders", "3")
	if !strings.HasPrefix(out, "orders: 3 open shards for its streams created from now on") {
		t.Errorf("streams shards orders 3 printed %q", out)
	}
	createStreamTableCLI(t, url, "orders", "ORDER#1")
	createStreamTableCLI(t, url, "users")
	if st := streamOf(t, url, "orders"); len(st.OpenShards()) != 3 {
		t.Errorf("orders' stream has %d open shards, want 3", len(st.OpenShards()))
	}
	if st := streamOf(t, url, "users"); len(st.OpenShards()) != 1 {
		t.Errorf("users' stream has %d open shards, want the default 1", len(st.OpenShards()))
	}
	// users has had no record: its current stream is repartitioned.
	if out := mustRun(t, env, "streams", "shards", "users", "2", "--json"); !strings.Contains(out, `"count": 2`) {
		t.Errorf("streams shards users 2 --json printed %q", out)
	}
	if st := streamOf(t, url, "users"); len(st.OpenShards()) != 2 {
		t.Errorf("users' stream has %d open shards after streams shards users 2, want 2", len(st.OpenShards()))
	}
	for _, args := range [][]string{{"streams", "shards", "orders"}, {"streams", "shards", "orders", "0"}, {"streams", "shards", "orders", "many"}} {
		if _, _, err := runCLI(t, env, args...); err == nil || !strings.Contains(err.Error(), "usage: dynafault streams shards TABLE N") &&
			!strings.Contains(err.Error(), "want 1 to 1000") {
			t.Errorf("dynafault %s: %v", strings.Join(args, " "), err)
		}
	}
}
