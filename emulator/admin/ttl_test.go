package admin

import (
	"net/http"
	"testing"
	"time"
)

func TestSweepTTLEndpoint(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createTTLTable(t, a, -2*time.Hour, -time.Hour, time.Hour)
	for _, c := range []struct{ body, want string }{
		{"", `{"deleted":2}` + "\n"},
		{"{}", `{"deleted":0}` + "\n"},
	} {
		code, body := do(t, a, http.MethodPost, "/_admin/ttl/sweep", c.body)
		if code != 200 || body != c.want {
			t.Errorf("POST ttl/sweep %q = %d %s, want 200 %s", c.body, code, body, c.want)
		}
	}
	if n := itemCount(t, a); n != 1 {
		t.Errorf("%d items left, want 1", n)
	}
	wantError(t, a, http.MethodPost, "/_admin/ttl/sweep", `{"table":"ttltab"}`, 400, `unknown field "table"`)
	wantError(t, a, http.MethodPost, "/_admin/ttl/sweep", `[1]`, 400, `request body must be a JSON object, got a JSON array`)
}

func TestSweepTTLEndpointNoTables(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if code, body := do(t, a, http.MethodPost, "/_admin/ttl/sweep", ""); code != 200 || body != `{"deleted":0}`+"\n" {
		t.Errorf("POST ttl/sweep = %d %s", code, body)
	}
}
