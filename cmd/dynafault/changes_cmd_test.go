package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/faults/client"
)

func TestChangesCommand(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	mustRun(t, env, "faults", "add", "--id", "lose-2", "--table", "orders", "--key-equals", "pk=ORDER#2", "--action", "drop")
	createStreamTableCLI(t, url, "orders", "ORDER#1", "ORDER#2", "ORDER#3")

	if out := mustRun(t, env, "changes"); out != "orders\n" {
		t.Errorf("changes printed %q, want the one table with a ledger", out)
	}
	out := mustRun(t, env, "changes", "orders")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "SEQ") {
		t.Fatalf("changes orders:\n%s", out)
	}
	for i, want := range []string{`^1 +2030-01-01T00:00:00Z +INSERT +pk=ORDER#1 +stored +shardId-\S+ +\d+$`,
		`^2 +\S+ +INSERT +pk=ORDER#2 +dropped +`, `^3 +\S+ +INSERT +pk=ORDER#3 +stored +shardId-`} {
		if !regexp.MustCompile(want).MatchString(lines[i+1]) {
			t.Errorf("line %d %q, want %s", i+1, lines[i+1], want)
		}
	}
	var page client.ChangesPage
	if err := json.Unmarshal([]byte(mustRun(t, env, "changes", "orders", "--after", "1", "--limit", "1", "--json")), &page); err != nil ||
		len(page.Changes) != 1 || page.Changes[0].Seq != 2 || page.Changes[0].Fate != "dropped" || !page.More || page.Next != 2 {
		t.Errorf("changes orders --after 1 --limit 1 --json: %+v %v", page, err)
	}
	if _, _, err := runCLI(t, env, "changes", "nope"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("changes nope: %v", err)
	}
	if _, _, err := runCLI(t, env, "changes", "--after", "3"); err == nil || !strings.Contains(err.Error(), "--after and --limit need a table") {
		t.Errorf("changes --after 3: %v", err)
	}
}
