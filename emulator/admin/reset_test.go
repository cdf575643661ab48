package admin

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/engine"
)

// tableNames lists the engine's tables.
func tableNames(t *testing.T, a *API) []string {
	t.Helper()
	out, err := a.engine.ListTables(context.Background(), &engine.ListTablesInput{})
	if err != nil {
		t.Fatal(err)
	}
	return out.TableNames
}

func TestReset(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createTTLTable(t, a, time.Hour)
	for _, path := range []string{"/_admin/reset", "/_admin/reset?data=false", "/_admin/reset?data=0"} {
		code, body := do(t, a, http.MethodPost, path, "")
		if code != 200 || body != `{"reset":true,"data":false}`+"\n" {
			t.Errorf("POST %s = %d %s", path, code, body)
		}
	}
	if names := tableNames(t, a); len(names) != 1 {
		t.Fatalf("tables after reset without data: %v", names)
	}
	if _, err := a.clock.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	code, body := do(t, a, http.MethodPost, "/_admin/reset?data=true", "{}")
	if code != 200 || body != `{"reset":true,"data":true}`+"\n" {
		t.Fatalf("POST reset?data=true = %d %s", code, body)
	}
	if names := tableNames(t, a); len(names) != 0 {
		t.Fatalf("tables after reset with data: %v", names)
	}
	if now := a.clock.Now(); !now.Equal(testNow().Add(time.Hour)) {
		t.Errorf("reset moved the clock to %v", now)
	}
	// The table can be created again.
	createTTLTable(t, a)
}

func TestResetErrors(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createTTLTable(t, a)
	wantError(t, a, http.MethodPost, "/_admin/reset?data=yes", "", 400, `invalid query parameter "data"="yes": want true or false`)
	wantError(t, a, http.MethodPost, "/_admin/reset?data=true&data=false", "", 400, `invalid query parameter "data"="true": want true or false`)
	wantError(t, a, http.MethodPost, "/_admin/reset?data=true", `{"data":true}`, 400, `unknown field "data"`)
	if names := tableNames(t, a); len(names) != 1 {
		t.Fatalf("a rejected reset dropped tables: %v", names)
	}
}
