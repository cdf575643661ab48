package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/faults"
)

func TestJournalCommandFiltersLossEntriesLikeFaultsJournal(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	createStreamTableCLI(t, url, "orders", "ORDER#1", "ORDER#2", "ORDER#3")
	st := streamOf(t, url, "orders")
	shard := st.Shards[0].ShardID
	it := streamsCallAs(t, url, "AKIDJOURNAL", "GetShardIterator", `{"StreamArn":"`+st.StreamArn+`","ShardId":"`+
		shard+`","ShardIteratorType":"TRIM_HORIZON"}`)["ShardIterator"].(string)
	if recs := streamsCallAs(t, url, "AKIDJOURNAL", "GetRecords", `{"ShardIterator":"`+it+`","Limit":1}`)["Records"].([]any); len(recs) != 1 {
		t.Fatalf("read %d records", len(recs))
	}
	mustRun(t, env, "streams", "split", "orders", shard)
	mustRun(t, env, "clock", "advance", "25h")

	args := []string{"--kind", "loss", "--reason", "split", "--consumer", "AKIDJOURNAL"}
	out := mustRun(t, env, append([]string{"journal"}, args...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "SEQ") {
		t.Fatalf("journal %s:\n%s", strings.Join(args, " "), out)
	}
	for i, key := range []string{"pk=S:ORDER#2", "pk=S:ORDER#3"} {
		if f := strings.Fields(lines[i+1]); len(f) < 10 || f[2] != "loss" || f[4] != "split" || f[5] != "orders" || f[6] != key ||
			f[7] != "INSERT" || f[8] != shard {
			t.Errorf("entry %d: %q, want the split of %s in %s", i, lines[i+1], key, shard)
		}
	}
	if same := mustRun(t, env, append([]string{"faults", "journal"}, args...)...); same != out {
		t.Errorf("faults journal printed otherwise:\n%s\njournal printed:\n%s", same, out)
	}

	var page faults.JournalPage
	raw := mustRun(t, env, "journal", "--kind", "loss", "--reason", "trimmed", "--consumer", "AKIDJOURNAL", "--json")
	if err := json.Unmarshal([]byte(raw), &page); err != nil {
		t.Fatalf("journal --json: %v\n%s", err, raw)
	}
	var keys []string
	for _, e := range page.Entries {
		if e.Kind != faults.KindLoss || e.Reason != "trimmed" || e.Consumer != "AKIDJOURNAL" {
			t.Errorf("entry %+v", e)
		}
		keys = append(keys, e.Keys.String())
	}
	if strings.Join(keys, ",") != "pk=S:ORDER#2,pk=S:ORDER#3" {
		t.Errorf("trimmed entries of keys %v, want ORDER#2 and ORDER#3 (the reader had read ORDER#1)", keys)
	}
	if out := mustRun(t, env, "journal", "--kind", "loss", "--consumer", "AKIDOTHER"); strings.Count(out, "\n") != 1 {
		t.Errorf("entries about a consumer that never read:\n%s", out)
	}
	if _, _, err := runCLI(t, env, "journal", "x"); err == nil || !strings.Contains(err.Error(), "unexpected arguments: x") {
		t.Errorf("journal x: %v", err)
	}
}
