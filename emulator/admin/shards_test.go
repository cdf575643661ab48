package admin

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/emulator/stream"
	"github.com/dynafault/dynafault/faults"
)

// delayAll is a stream hook that delays every record by an hour.
type delayAll struct{}

func (delayAll) Decide(*stream.Stream, stream.Record) stream.Decision {
	return stream.Decision{Action: stream.FaultDelay, Delay: time.Hour}
}

func (delayAll) Note(*stream.Stream, stream.FollowUp) {}

// shardOf returns the first shard of the table's stream as the admin API
// describes it.
func shardOf(t *testing.T, a *API, table string) engine.ShardStatus {
	t.Helper()
	return streamsOf(t, a, "/_admin/streams/"+table).Streams[0].Shards[0]
}

func TestPauseResumeEndpoints(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createStreamTable(t, a, "ps1")
	shard := shardOf(t, a, "ps1").ShardId
	base := "/_admin/streams/ps1/shards/" + shard
	code, body := do(t, a, http.MethodPost, base+"/pause", "")
	var st shardState
	if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil || !st.Paused || st.Shard != shard || st.Journal == 0 {
		t.Fatalf("pause: %d %s", code, body)
	}
	if sh := shardOf(t, a, "ps1"); !sh.Paused {
		t.Fatal("status does not show the pause")
	}
	code, body = do(t, a, http.MethodPost, base+"/resume", "")
	if err := json.Unmarshal([]byte(body), &st); code != 200 || err != nil || st.Paused {
		t.Fatalf("resume: %d %s", code, body)
	}
	p := a.faults.Journal(faults.JournalQuery{Table: "ps1"})
	if len(p.Entries) != 2 || p.Entries[0].Action != faults.ShardPause || p.Entries[1].Action != faults.ShardResume ||
		p.Entries[0].ShardID != shard || p.Entries[0].Target != faults.TargetShard {
		t.Fatalf("journal %+v", p.Entries)
	}
	wantError(t, a, http.MethodPost, "/_admin/streams/nope/shards/"+shard+"/pause", "", 404, "Table nope has no stream")
	wantError(t, a, http.MethodPost, "/_admin/streams/ps1/shards/shardId-x/resume", "", 404, "Shard shardId-x not found")
	wantError(t, a, http.MethodPost, base+"/pause", `{"x":1}`, 400, `unknown field "x"`)
	wantError(t, a, http.MethodGet, base+"/pause", "", 405, "method not allowed")
}

func TestShardCountEndpoint(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	if code, body := do(t, a, http.MethodPost, "/_admin/streams/sc1/shards", `{"count":4}`); code != 200 || body != `{"count":4}`+"\n" {
		t.Fatalf("count: %d %s", code, body)
	}
	createStreamTable(t, a, "sc1") // its stream starts with four shards
	if n := len(streamsOf(t, a, "/_admin/streams/sc1").Streams[0].Shards); n != 4 {
		t.Fatalf("%d shards, want 4", n)
	}
	for _, body := range []string{`{"count":0}`, `{"count":1001}`, `{}`} {
		wantFieldError(t, a, http.MethodPost, "/_admin/streams/sc1/shards", body, "count")
	}
	wantError(t, a, http.MethodPost, "/_admin/streams/sc1/shards", `{"count":"2"}`, 400, `field "count": want a number, got a JSON string`)
	wantError(t, a, http.MethodPost, "/_admin/streams/sc1/shards", `{"n":2}`, 400, `unknown field "n"`)
}

func TestResetReleasesHeldRecordsAndClearsFaults(t *testing.T) {
	t.Parallel()
	c := clock.NewFrozen(testNow())
	a := New(Options{Engine: engine.New(engine.Options{Clock: c, StreamHook: delayAll{}}), Clock: c})
	createStreamTable(t, a, "rs1") // its one record is held for an hour
	sh := shardOf(t, a, "rs1")
	if sh.Held != 1 {
		t.Fatalf("held %d, want 1", sh.Held)
	}
	do(t, a, http.MethodPost, "/_admin/streams/rs1/shards/"+sh.ShardId+"/pause", "")
	do(t, a, http.MethodPost, "/_admin/faults", throttleRule)
	if code, body := do(t, a, http.MethodPost, "/_admin/reset", ""); code != 200 {
		t.Fatalf("reset: %d %s", code, body)
	}
	if sh := shardOf(t, a, "rs1"); sh.Held != 0 || sh.Paused || sh.Records != 1 {
		t.Fatalf("after reset: %+v", sh)
	}
	if len(a.faults.List()) != 0 || len(a.faults.Journal(faults.JournalQuery{}).Entries) != 0 {
		t.Fatal("rules or journal survived the reset")
	}
	// With data=true the transaction client tokens are forgotten too: the
	// same token with other parameters is accepted again.
	tx := func(v string) error {
		var in engine.TransactWriteItemsInput
		if err := json.Unmarshal([]byte(`{"ClientRequestToken":"token-1","TransactItems":[{"Put":{"TableName":"rs1",`+
			`"Item":{"pk":{"S":"a"},"v":{"S":"`+v+`"}}}}]}`), &in); err != nil {
			t.Fatal(err)
		}
		_, err := a.engine.TransactWriteItems(context.Background(), &in)
		return err
	}
	if err := tx("1"); err != nil {
		t.Fatal(err)
	}
	do(t, a, http.MethodPost, "/_admin/reset?data=true", "")
	createStreamTable(t, a, "rs1")
	if err := tx("2"); err != nil {
		t.Fatalf("token remembered across reset?data=true: %v", err)
	}
}
