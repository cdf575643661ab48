package admin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
)

// testNow is the frozen clock time of the admin tests.
func testNow() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// newAPI returns an API over a fresh engine on a real-time clock.
func newAPI(t *testing.T) *API {
	t.Helper()
	c := clock.New()
	return New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c})
}

// newFrozenAPI returns an API over a fresh engine on a clock frozen at
// testNow.
func newFrozenAPI(t *testing.T) *API {
	t.Helper()
	c := clock.NewFrozen(testNow())
	return New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c})
}

// localRequest is a request as a local client sends it: Host localhost,
// and a JSON Content-Type when it has a body.
func localRequest(method, path string, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, path, body)
	r.Host = "localhost:8000"
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	return r
}

// do sends method path with body (none when "") and returns the status and
// the body.
func do(t *testing.T, a *API, method, path, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, localRequest(method, path, r))
	if ct := w.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return w.Code, w.Body.String()
}

// wantError fails unless the answer is status with {"error":msg}.
func wantError(t *testing.T, a *API, method, path, body string, status int, msg string) {
	t.Helper()
	code, got := do(t, a, method, path, body)
	want := mustJSON(t, errorBody{Error: msg})
	if code != status || got != want {
		t.Errorf("%s %s %s:\n got %d %s want %d %s", method, path, body, code, got, status, want)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{http.MethodGet, "/_admin/health", 200, `{"status":"ok"}` + "\n"},
		{http.MethodPost, "/_admin/health", 405, `{"error":"method not allowed"}` + "\n"},
		{http.MethodGet, "/_admin/nope", 404, `{"error":"not found"}` + "\n"},
		{http.MethodGet, "/_admin", 404, `{"error":"not found"}` + "\n"},
		{http.MethodDelete, "/_admin/clock", 405, `{"error":"method not allowed"}` + "\n"},
		{http.MethodGet, "/_admin/ttl/sweep", 405, `{"error":"method not allowed"}` + "\n"},
		{http.MethodGet, "/_admin/reset", 405, `{"error":"method not allowed"}` + "\n"},
	}
	for _, c := range cases {
		code, body := do(t, a, c.method, c.path, "")
		if code != c.status || body != c.body {
			t.Errorf("%s %s: got %d %q, want %d %q", c.method, c.path, code, body, c.status, c.body)
		}
	}
}

// createTTLTable creates table "ttltab" (key "pk") with TTL on "exp" and
// stores items whose "exp" lies at the given offsets from testNow.
func createTTLTable(t *testing.T, a *API, offsets ...time.Duration) {
	t.Helper()
	ctx := context.Background()
	name := "ttltab"
	s := func(v string) *string { return &v }
	_, err := a.engine.CreateTable(ctx, &engine.CreateTableInput{
		TableName:            s(name),
		BillingMode:          s("PAY_PER_REQUEST"),
		KeySchema:            []engine.KeySchemaElement{{AttributeName: s("pk"), KeyType: s("HASH")}},
		AttributeDefinitions: []engine.AttributeDefinition{{AttributeName: s("pk"), AttributeType: s("S")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	enabled := true
	_, err = a.engine.UpdateTimeToLive(ctx, &engine.UpdateTimeToLiveInput{TableName: s(name),
		TimeToLiveSpecification: &engine.TimeToLiveSpecification{AttributeName: s("exp"), Enabled: &enabled}})
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range offsets {
		exp := testNow().Add(d).Unix()
		item := attr.Item{"pk": attr.Str(string(rune('a' + i))), "exp": attr.Num(strconv.FormatInt(exp, 10))}
		if _, err := a.engine.PutItem(ctx, &engine.PutItemInput{TableName: s(name), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
}

// itemCount returns the number of items in table "ttltab".
func itemCount(t *testing.T, a *API) int64 {
	t.Helper()
	name := "ttltab"
	out, err := a.engine.DescribeTable(context.Background(), &engine.DescribeTableInput{TableName: &name})
	if err != nil {
		t.Fatal(err)
	}
	return out.Table.ItemCount
}

// newWallAPI returns an API over a fresh engine on a real-mode clock that
// reads wall time from wall.
func newWallAPI(t *testing.T, wall func() time.Time) *API {
	t.Helper()
	c := clock.NewWithWall(wall)
	return New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c})
}
