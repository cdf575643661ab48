package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tableNames lists the tables of the server at url.
func tableNames(t *testing.T, url string) []string {
	t.Helper()
	code, body := wireCallBody(t, url, "ListTables", "{}")
	var out struct{ TableNames []string }
	if code != 200 || json.Unmarshal([]byte(body), &out) != nil {
		t.Fatalf("ListTables: %d %s", code, body)
	}
	return out.TableNames
}

func TestSnapshotCommands(t *testing.T) {
	t.Parallel()
	src := startAdminTarget(t)
	createStreamTableCLI(t, src, "orders", "ORDER#1", "ORDER#2")
	file := filepath.Join(t.TempDir(), "tables.json")
	out := mustRun(t, map[string]string{"DYNAFAULT_ENDPOINT": src}, "snapshot", "save", file)
	if !strings.HasPrefix(out, "saved the tables to "+file+" (") {
		t.Errorf("snapshot save printed %q", out)
	}
	saved, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(saved), `"name":"orders"`) {
		t.Fatalf("saved file: %v\n%s", err, saved)
	}
	if out := mustRun(t, map[string]string{"DYNAFAULT_ENDPOINT": src}, "snapshot", "save", "-"); !strings.HasPrefix(out, `{"format":"dynafault-snapshot"`) {
		t.Errorf("snapshot save - printed %q", out)
	}

	dst := startAdminTarget(t)
	createStreamTableCLI(t, dst, "replaced")
	env := map[string]string{"DYNAFAULT_ENDPOINT": dst}
	if out := mustRun(t, env, "snapshot", "load", file); out != "loaded 1 tables, 2 items from "+file+"\n" {
		t.Errorf("snapshot load printed %q", out)
	}
	if names := tableNames(t, dst); len(names) != 1 || names[0] != "orders" {
		t.Errorf("tables after load: %v", names)
	}
	if out := mustRun(t, env, "snapshot", "load", file, "--json"); !strings.Contains(out, `"items": 2`) {
		t.Errorf("snapshot load --json printed %q", out)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(saved), `"version":1`, `"version":7`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"snapshot", "load", bad}, "POST /_admin/snapshot/load: HTTP 400: snapshot: format version 7 is newer than this dynafault reads (1)"},
		{[]string{"snapshot", "load", filepath.Join(t.TempDir(), "none.json")}, "no such file or directory"},
		{[]string{"snapshot", "load"}, "usage: dynafault snapshot load FILE"},
		{[]string{"snapshot", "save", filepath.Join(t.TempDir(), "no-such-dir", "x.json")}, "no such file or directory"},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, env, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dynafault %s: %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
	if names := tableNames(t, dst); len(names) != 1 || names[0] != "orders" {
		t.Errorf("tables after refused loads: %v", names)
	}
}

func TestServeDataDirAndSeedData(t *testing.T) {
	dir := t.TempDir()
	s := start(t, []string{"--addr", "127.0.0.1:0", "--data-dir", dir}, nil)
	createStreamTableCLI(t, s.url, "orders", "ORDER#1")
	s.stop(t)
	snap := filepath.Join(dir, "snapshot.json")
	if _, err := os.Stat(snap); err != nil {
		t.Fatalf("no snapshot after a clean shutdown: %v", err)
	}
	s = start(t, []string{"--addr", "127.0.0.1:0"}, map[string]string{"DYNAFAULT_DATA_DIR": dir})
	if names := tableNames(t, s.url); len(names) != 1 || names[0] != "orders" {
		t.Fatalf("tables after a restart with the data dir: %v", names)
	}
	s.stop(t)

	// --seed-data starts a server without a data dir from the file.
	s = start(t, []string{"--addr", "127.0.0.1:0", "--seed-data", snap}, nil)
	if names := tableNames(t, s.url); len(names) != 1 || names[0] != "orders" {
		t.Fatalf("tables from --seed-data: %v", names)
	}
	s.stop(t)

	if err := os.WriteFile(snap, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCLI(t, nil, "--addr", "127.0.0.1:0", "--data-dir", dir)
	if err == nil || !strings.Contains(err.Error(), snap+": snapshot: not a dynafault snapshot, or a corrupt one") {
		t.Errorf("start with a corrupt snapshot: %v", err)
	}
	if b, _ := os.ReadFile(snap); string(b) != "{" {
		t.Errorf("the corrupt snapshot was overwritten: %q", b)
	}
}
