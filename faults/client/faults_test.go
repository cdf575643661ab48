package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// dropModify is a stream rule dropping the MODIFY records of the items
// whose pk starts with prefix.
func dropModify(id, table, prefix string, times int) faults.Rule {
	return faults.Rule{
		ID:     id,
		Target: faults.TargetStream,
		Match: faults.Match{Table: table, EventName: []string{"MODIFY"},
			Key: map[string]faults.KeyPredicate{"pk": {Prefix: &prefix}}},
		Action: faults.Action{Type: faults.ActionDrop},
		When:   faults.When{Times: times},
	}
}

func TestRuleLifecycle(t *testing.T) {
	t.Parallel()
	_, c := startEmulator(t)
	ctx := t.Context()
	if rules, err := c.ListRules(ctx); err != nil || len(rules) != 0 {
		t.Fatalf("ListRules on a new server = %+v, %v", rules, err)
	}
	added, err := c.AddRules(ctx, dropModify("lose", "orders", "ORDER#", 2),
		faults.Rule{Target: faults.TargetAPI, Action: faults.Action{Type: faults.ActionError, Code: "ThrottlingException"},
			Match: faults.Match{Operation: []string{"PutItem"}}})
	if err != nil || len(added) != 2 || added[0].ID != "lose" || added[1].ID == "" {
		t.Fatalf("AddRules = %+v, %v", added, err)
	}
	generated := added[1].ID
	_, err = c.AddRules(ctx, dropModify("lose", "orders", "X", 1))
	if !client.IsConflict(err) {
		t.Fatalf("duplicate id: %v", err)
	}
	_, err = c.AddRules(ctx, faults.Rule{Target: faults.TargetStream, Action: faults.Action{Type: "explode"}})
	var e *client.Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Field != "action.type" ||
		!strings.Contains(e.Error(), "HTTP 400: action.type: must be one of drop, delay") {
		t.Fatalf("bad rule: %v (%+v)", err, e)
	}
	st, err := c.GetRule(ctx, "lose")
	if err != nil || st.Stats.Remaining == nil || *st.Stats.Remaining != 2 || st.Stats.Fired != 0 {
		t.Fatalf("GetRule = %+v, %v", st, err)
	}
	off := false
	st, err = c.PatchRule(ctx, "lose", faults.RulePatch{Enabled: &off})
	if err != nil || st.IsEnabled() {
		t.Fatalf("PatchRule = %+v, %v", st, err)
	}
	if err := c.DeleteRule(ctx, generated); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetRule(ctx, generated); !client.IsNotFound(err) {
		t.Fatalf("GetRule after DeleteRule: %v", err)
	}
	if err := c.DeleteRule(ctx, generated); !client.IsNotFound(err) {
		t.Fatalf("DeleteRule twice: %v", err)
	}
	replaced, err := c.ReplaceRules(ctx, dropModify("only", "*", "", 0))
	if err != nil || len(replaced) != 1 || replaced[0].ID != "only" {
		t.Fatalf("ReplaceRules = %+v, %v", replaced, err)
	}
	if _, err := c.ReplaceRules(ctx); err != nil {
		t.Fatal(err)
	}
	if rules, _ := c.ListRules(ctx); len(rules) != 0 {
		t.Fatalf("after ReplaceRules(): %+v", rules)
	}
}

func TestFiringsAndJournal(t *testing.T) {
	t.Parallel()
	s, c := startEmulator(t)
	ctx := t.Context()
	s.createStreamTable(t, "orders")
	rule := client.AddRule(t, c, dropModify("", "orders", "ORDER#7", 2))
	if !strings.HasPrefix(rule.ID, "rule-") {
		t.Fatalf("generated id %q", rule.ID)
	}
	for v := range 4 {
		s.put(t, "orders", "ORDER#7", string(rune('1'+v)))
		s.put(t, "orders", "ORDER#8", string(rune('1'+v)))
	}
	st := client.WaitFired(t, c, rule.ID, 2, 5*time.Second)
	if st.Stats.Fired != 2 || st.Stats.Matched != 3 || !st.Stats.Exhausted {
		t.Fatalf("counters %+v", st.Stats)
	}
	entries := client.Journal(t, c, rule.ID)
	if len(entries) != 2 {
		t.Fatalf("journal %+v", entries)
	}
	for _, e := range entries {
		if e.Action != faults.ActionDrop || e.Table != "orders" || e.EventName != "MODIFY" ||
			e.Keys["pk"] != faults.KeyS("ORDER#7") || e.SequenceNumber == "" || e.ShardID == "" {
			t.Errorf("entry %+v", e)
		}
		if d := client.DescribeEntry(e); !strings.Contains(d, "rule "+rule.ID+" drop on orders pk=S:ORDER#7 MODIFY") {
			t.Errorf("DescribeEntry = %q", d)
		}
	}
	page, err := c.Journal(ctx, faults.JournalQuery{Limit: 1})
	if err != nil || len(page.Entries) != 1 || !page.More || page.Next != entries[0].Seq {
		t.Fatalf("first page %+v, %v", page, err)
	}
	page, err = c.Journal(ctx, faults.JournalQuery{After: page.Next, Limit: 1})
	if err != nil || len(page.Entries) != 1 || page.More || page.Entries[0].Seq != entries[1].Seq {
		t.Fatalf("second page %+v, %v", page, err)
	}
	if seq, err := c.JournalSeq(ctx); err != nil || seq != entries[1].Seq {
		t.Fatalf("JournalSeq = %d, %v", seq, err)
	}
	if all, err := c.JournalAll(ctx, faults.JournalQuery{Table: "other"}); err != nil || len(all) != 0 {
		t.Fatalf("JournalAll(other) = %+v, %v", all, err)
	}
	_, err = c.WaitFired(ctx, rule.ID, 3, 50*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "fired 2 times (matched 3), want 3") {
		t.Fatalf("WaitFired past the budget: %v", err)
	}
	if _, err := c.WaitFired(ctx, "nope", 1, time.Second); !client.IsNotFound(err) {
		t.Fatalf("WaitFired of an unknown rule: %v", err)
	}
	if err := c.ClearJournal(ctx); err != nil {
		t.Fatal(err)
	}
	if got := client.Journal(t, c, rule.ID); len(got) != 0 {
		t.Fatalf("journal after ClearJournal: %+v", got)
	}
}

func TestAddRuleCleanup(t *testing.T) {
	t.Parallel()
	_, c := startEmulator(t)
	t.Run("inner", func(t *testing.T) {
		client.AddRule(t, c, dropModify("scoped", "", "", 0))
		client.AddRule(t, c, dropModify("gone-early", "", "", 0))
		if err := c.DeleteRule(t.Context(), "gone-early"); err != nil { // cleanup must tolerate it
			t.Fatal(err)
		}
	})
	if rules, err := c.ListRules(t.Context()); err != nil || len(rules) != 0 {
		t.Fatalf("rules after the subtest: %+v, %v", rules, err)
	}
}

// recorder is a testing.TB that records failures instead of failing.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, format)
}

func TestExpectNoFirings(t *testing.T) {
	t.Parallel()
	s, c := startEmulator(t)
	s.createStreamTable(t, "quiet")
	s.createStreamTable(t, "noisy")
	client.AddRule(t, c, dropModify("d", "noisy", "", 0))
	s.put(t, "noisy", "a", "1")
	s.put(t, "noisy", "a", "2") // fires before the guards
	var quiet, all *recorder
	t.Run("guarded", func(t *testing.T) {
		quiet, all = &recorder{TB: t}, &recorder{TB: t}
		client.ExpectNoFirings(quiet, c, "quiet")
		client.ExpectNoFirings(all, c)
		s.put(t, "quiet", "a", "1")
		s.put(t, "quiet", "a", "2")
		s.put(t, "noisy", "a", "3") // fires during the guard
	})
	if len(quiet.errors) != 0 {
		t.Errorf("guard of table quiet failed: %v", quiet.errors)
	}
	if len(all.errors) != 1 || !strings.Contains(all.errors[0], "expected no fault firings") {
		t.Errorf("guard of every table: %v", all.errors)
	}
}

func TestShardControls(t *testing.T) {
	t.Parallel()
	s, c := startEmulator(t)
	ctx := t.Context()
	if err := c.SetShardCount(ctx, "wide", 4); err != nil {
		t.Fatal(err)
	}
	s.createStreamTable(t, "wide")
	streams, err := c.Stream(ctx, "wide")
	if err != nil || len(streams[0].OpenShards()) != 4 {
		t.Fatalf("4 shards: %+v, %v", streams, err)
	}
	shard := streams[0].Shards[0].ShardID
	pauseSeq, err := c.Pause(ctx, "wide", shard)
	if err != nil {
		t.Fatal(err)
	}
	if streams, _ = c.Stream(ctx, "wide"); !streams[0].Shards[0].Paused {
		t.Fatalf("shard not paused: %+v", streams[0].Shards[0])
	}
	resumeSeq, err := c.Resume(ctx, "wide", shard)
	if err != nil {
		t.Fatal(err)
	}
	if streams, _ = c.Stream(ctx, "wide"); streams[0].Shards[0].Paused {
		t.Fatalf("shard still paused: %+v", streams[0].Shards[0])
	}
	entries, err := c.JournalAll(ctx, faults.JournalQuery{Table: "wide"})
	if err != nil || len(entries) != 2 || entries[0].Action != faults.ShardPause || entries[1].Action != faults.ShardResume {
		t.Fatalf("journal of shard actions %+v, %v", entries, err)
	}
	if entries[0].Seq != pauseSeq || entries[1].Seq != resumeSeq {
		t.Errorf("Pause and Resume returned journal seqs %d, %d; the journal has %d, %d", pauseSeq, resumeSeq, entries[0].Seq, entries[1].Seq)
	}
	if key, err := c.ShardForKey(ctx, "wide", map[string]string{"pk": "a"}); err != nil || !slices.Contains(streams[0].OpenShards(), key) {
		t.Errorf("ShardForKey = %q, %v; want one of %v", key, err, streams[0].OpenShards())
	}
	if _, err := c.Pause(ctx, "wide", "shardId-nope"); !client.IsNotFound(err) {
		t.Fatalf("Pause of an unknown shard: %v", err)
	}
	if err := c.SetShardCount(ctx, "wide", 0); !client.IsStatus(err, http.StatusBadRequest) {
		t.Fatalf("SetShardCount 0: %v", err)
	}
	s.createStreamTable(t, "trim")
	s.put(t, "trim", "a", "1")
	s.put(t, "trim", "a", "2")
	streams, _ = c.Stream(ctx, "trim")
	if _, err := c.Rollover(ctx, "trim", streams[0].Shards[0].ShardID); err != nil {
		t.Fatal(err)
	}
	streams, _ = c.Stream(ctx, "trim")
	last := streams[0].Shards[0].EndingSequenceNumber
	if _, err := c.Trim(ctx, "trim", client.TrimOptions{Before: last}); err != nil {
		t.Fatal(err)
	}
	if streams, _ = c.Stream(ctx, "trim"); streams[0].Shards[0].Records != 1 {
		t.Fatalf("records after Trim before: %+v", streams[0].Shards[0])
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	emu, err := emulator.New(emulator.Options{AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	ctx := t.Context()
	anon := client.New(srv.URL, client.WithHTTPClient(srv.Client()))
	if err := anon.Health(ctx); err != nil {
		t.Fatalf("Health needs no token: %v", err)
	}
	if _, err := anon.ListRules(ctx); !client.IsStatus(err, http.StatusUnauthorized) {
		t.Fatalf("ListRules without a token: %v", err)
	}
	wrong := client.New(srv.URL, client.WithHTTPClient(srv.Client()), client.WithToken("guess"))
	if _, err := wrong.Clock(ctx); !client.IsStatus(err, http.StatusUnauthorized) {
		t.Fatalf("Clock with a wrong token: %v", err)
	}
	good := client.New(srv.URL, client.WithHTTPClient(srv.Client()), client.WithToken("s3cret"))
	if _, err := good.ListRules(ctx); err != nil {
		t.Fatal(err)
	}
}
