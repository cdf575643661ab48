package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLifecycleCommands(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	env := map[string]string{"DYNAFAULT_ENDPOINT": url}
	if out := mustRun(t, env, "lifecycle"); out != "create  0s\nupdate  0s\ndelete  0s\nindex   0s\n" {
		t.Errorf("lifecycle printed %q", out)
	}
	if out := mustRun(t, env, "lifecycle", "set", "--create", "2s", "--index", "PT1M"); out != "create  2s\nupdate  0s\ndelete  0s\nindex   1m0s\n" {
		t.Errorf("lifecycle set --create 2s --index PT1M printed %q", out)
	}
	// Only the durations given change.
	var l map[string]string
	if err := json.Unmarshal([]byte(mustRun(t, env, "lifecycle", "set", "--delete", "1s", "--json")), &l); err != nil ||
		l["create"] != "2s" || l["delete"] != "1s" || l["index"] != "1m0s" || l["update"] != "0s" {
		t.Errorf("lifecycle set --delete 1s --json: %v %v", l, err)
	}
	// A new table stays CREATING for 2 s of clock time.
	if code := wireCall(t, url, "CreateTable", `{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`); code != 200 {
		t.Fatalf("CreateTable: HTTP %d", code)
	}
	if _, body := wireCallBody(t, url, "DescribeTable", `{"TableName":"orders"}`); !strings.Contains(body, `"TableStatus":"CREATING"`) {
		t.Errorf("DescribeTable right after CreateTable: %s", body)
	}
	mustRun(t, env, "clock", "advance", "2s")
	if _, body := wireCallBody(t, url, "DescribeTable", `{"TableName":"orders"}`); !strings.Contains(body, `"TableStatus":"ACTIVE"`) {
		t.Errorf("DescribeTable 2 s later: %s", body)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"lifecycle", "set"}, "nothing to set: give --create, --update, --delete or --index"},
		{[]string{"lifecycle", "set", "--create", "-1s"}, `invalid --create "-1s": want a duration such as 2s`},
		{[]string{"lifecycle", "set", "--update", "soon"}, `invalid --update "soon"`},
		{[]string{"lifecycle", "show", "now"}, "unexpected arguments: now"},
	} {
		if _, _, err := runCLI(t, env, c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dynafault %s: %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}
