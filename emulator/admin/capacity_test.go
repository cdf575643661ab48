package admin

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

func TestCapacityEndpoints(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createTTLTable(t, a) // an on-demand table "ttltab"
	code, body := do(t, a, http.MethodGet, "/_admin/capacity", "")
	if code != 200 || body != `{"enabled":false,"tables":[{"table":"ttltab","enforced":false,"config":{},"throttledRequests":0}]}`+"\n" {
		t.Fatalf("GET /_admin/capacity: %d %s", code, body)
	}
	code, body = do(t, a, http.MethodPut, "/_admin/capacity", `{"enabled":true}`)
	if code != 200 || !strings.Contains(body, `"enabled":true`) || !strings.Contains(body, `"mode":"PAY_PER_REQUEST"`) ||
		!strings.Contains(body, `"partitions":4`) {
		t.Fatalf("PUT /_admin/capacity: %d %s", code, body)
	}
	s := func(v string) *string { return &v }
	for range 3 {
		if _, err := a.engine.PutItem(context.Background(), &engine.PutItemInput{TableName: s("ttltab"), Item: attr.Item{"pk": attr.Str("hot")}}); err != nil {
			t.Fatal(err)
		}
	}
	code, body = do(t, a, http.MethodGet, "/_admin/capacity/ttltab/keys?hot=1", "")
	if code != 200 || !strings.HasPrefix(body, `{"table":"ttltab","hotKeys":[{"key":"hot","type":"S","partition":`) ||
		!strings.Contains(body, `"writeUnitsPerSecond":3,"readUnits":0,"writeUnits":3,"throttled":0}]}`) {
		t.Fatalf("GET keys: %d %s", code, body)
	}
	code, body = do(t, a, http.MethodPut, "/_admin/capacity/ttltab", `{"enabled":false}`)
	if code != 200 || body != `{"table":"ttltab","enforced":false,"config":{"enabled":false},"throttledRequests":0}`+"\n" {
		t.Fatalf("PUT off: %d %s", code, body)
	}
	code, body = do(t, a, http.MethodDelete, "/_admin/capacity/ttltab", "")
	// Back to the emulator-wide setting (on), with fresh buckets: the
	// switch off forgot the table's state.
	if code != 200 || !strings.Contains(body, `"enforced":true,"config":{}`) || strings.Contains(body, "hotKeys") {
		t.Fatalf("DELETE: %d %s", code, body)
	}
	wantError(t, a, http.MethodPut, "/_admin/capacity", `{}`, 400, `"enabled" is required (true or false)`)
	wantError(t, a, http.MethodPut, "/_admin/capacity", `{"enabled":"yes"}`, 400, `field "enabled": want a boolean, got a JSON string`)
	wantError(t, a, http.MethodPut, "/_admin/capacity/ttltab", `{"burstSeconds":301}`, 400, "invalid burstSeconds 301: want 1 to 300 (0 or left out: 300)")
	wantError(t, a, http.MethodPut, "/_admin/capacity/ttltab", `{"burst":1}`, 400, `unknown field "burst"`)
	wantError(t, a, http.MethodGet, "/_admin/capacity/missing", "", 404, "Requested resource not found: Table: missing not found")
	wantError(t, a, http.MethodPut, "/_admin/capacity/missing", `{"enabled":true}`, 404, "Requested resource not found: Table: missing not found")
	wantError(t, a, http.MethodGet, "/_admin/capacity?hot=x", "", 400, `invalid hot "x": want a count of hot keys (0 for none, "all" for every tracked key)`)
}
