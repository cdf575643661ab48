package client

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// seen is one request the fake server received.
type seen struct {
	method, path, query, body, auth, contentType string
}

// fake is an admin API stand-in that records requests and answers with a
// fixed status and body.
type fake struct {
	status int
	answer string
	got    []seen
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.got = append(f.got, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, string(b),
		r.Header.Get("Authorization"), r.Header.Get("Content-Type")})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.answer)
}

// newFake starts a fake answering status and answer, and a client of it.
func newFake(t *testing.T, status int, answer string, opts ...Option) (*fake, *Client) {
	t.Helper()
	f := &fake{status: status, answer: answer}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, New(srv.URL+"/", append([]Option{WithHTTPClient(srv.Client())}, opts...)...)
}

// TestRequests checks the method, path, query and body each method sends.
func TestRequests(t *testing.T) {
	t.Parallel()
	rule := faults.Rule{ID: "r1", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDrop}}
	on := true
	cases := []struct {
		name                string
		call                func(context.Context, *Client) error
		method, path, query string
		body                string // "" = no body
	}{
		{"AddRules", func(ctx context.Context, c *Client) error { _, err := c.AddRules(ctx, rule); return err },
			"POST", "/_admin/faults", "", `{"id":"r1","target":"stream","match":{},"action":{"type":"drop"},"when":{}}`},
		{"AddRules two", func(ctx context.Context, c *Client) error { _, err := c.AddRules(ctx, rule, rule); return err },
			"POST", "/_admin/faults", "", `[{"id":"r1","target":"stream","match":{},"action":{"type":"drop"},"when":{}},{"id":"r1","target":"stream","match":{},"action":{"type":"drop"},"when":{}}]`},
		{"ReplaceRules none", func(ctx context.Context, c *Client) error { _, err := c.ReplaceRules(ctx); return err },
			"PUT", "/_admin/faults", "", `[]`},
		{"ListRules", func(ctx context.Context, c *Client) error { _, err := c.ListRules(ctx); return err },
			"GET", "/_admin/faults", "", ""},
		{"GetRule", func(ctx context.Context, c *Client) error { _, err := c.GetRule(ctx, "a:b"); return err },
			"GET", "/_admin/faults/a:b", "", ""},
		{"PatchRule", func(ctx context.Context, c *Client) error {
			_, err := c.PatchRule(ctx, "r1", faults.RulePatch{Enabled: &on})
			return err
		}, "PATCH", "/_admin/faults/r1", "", `{"enabled":true}`},
		{"DeleteRule", func(ctx context.Context, c *Client) error { return c.DeleteRule(ctx, "r1") },
			"DELETE", "/_admin/faults/r1", "", ""},
		{"Journal", func(ctx context.Context, c *Client) error {
			_, err := c.Journal(ctx, faults.JournalQuery{RuleID: "r1", Table: "orders-*", After: 7, Limit: 50})
			return err
		}, "GET", "/_admin/journal", "after=7&limit=50&rule=r1&table=orders-%2A", ""},
		{"ClearJournal", func(ctx context.Context, c *Client) error { return c.ClearJournal(ctx) },
			"DELETE", "/_admin/journal", "", ""},
		{"Streams", func(ctx context.Context, c *Client) error { _, err := c.Streams(ctx); return err },
			"GET", "/_admin/streams", "", ""},
		{"Stream", func(ctx context.Context, c *Client) error { _, err := c.Stream(ctx, "my table"); return err },
			"GET", "/_admin/streams/my%20table", "", ""},
		{"Rollover", func(ctx context.Context, c *Client) error { _, err := c.Rollover(ctx, "t", "s1"); return err },
			"POST", "/_admin/streams/t/shards/s1/rollover", "", ""},
		{"Split", func(ctx context.Context, c *Client) error { _, err := c.Split(ctx, "t", "s1"); return err },
			"POST", "/_admin/streams/t/shards/s1/split", "", ""},
		{"Pause", func(ctx context.Context, c *Client) error { _, err := c.Pause(ctx, "t", "s1"); return err },
			"POST", "/_admin/streams/t/shards/s1/pause", "", ""},
		{"Resume", func(ctx context.Context, c *Client) error { _, err := c.Resume(ctx, "t", "s1"); return err },
			"POST", "/_admin/streams/t/shards/s1/resume", "", ""},
		{"ShardForKey", func(ctx context.Context, c *Client) error {
			_, err := c.ShardForKey(ctx, "t", map[string]string{"pk": "ORDER#7"})
			return err
		}, "GET", "/_admin/streams/t/shard", "pk=ORDER%237", ""},
		{"SetShardCount", func(ctx context.Context, c *Client) error { return c.SetShardCount(ctx, "t", 4) },
			"POST", "/_admin/streams/t/shards", "", `{"count":4}`},
		{"Trim all", func(ctx context.Context, c *Client) error { _, err := c.Trim(ctx, "t", TrimOptions{}); return err },
			"POST", "/_admin/streams/t/trim", "", `{}`},
		{"Trim older", func(ctx context.Context, c *Client) error {
			_, err := c.Trim(ctx, "t", TrimOptions{OlderThan: time.Hour})
			return err
		}, "POST", "/_admin/streams/t/trim", "", `{"olderThan":"1h0m0s"}`},
		{"Trim before", func(ctx context.Context, c *Client) error {
			_, err := c.Trim(ctx, "t", TrimOptions{Before: "000100"})
			return err
		}, "POST", "/_admin/streams/t/trim", "", `{"before":"000100"}`},
		{"ExpireIterators", func(ctx context.Context, c *Client) error { _, err := c.ExpireIterators(ctx, "t"); return err },
			"POST", "/_admin/streams/t/iterators/expire", "", ""},
		{"Clock", func(ctx context.Context, c *Client) error { _, err := c.Clock(ctx); return err },
			"GET", "/_admin/clock", "", ""},
		{"AdvanceClock", func(ctx context.Context, c *Client) error {
			_, err := c.AdvanceClock(ctx, 25*time.Hour)
			return err
		}, "POST", "/_admin/clock", "", `{"advance":"25h0m0s"}`},
		{"SetClock", func(ctx context.Context, c *Client) error {
			_, err := c.SetClock(ctx, time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
			return err
		}, "POST", "/_admin/clock", "", `{"set":"2030-01-02T03:04:05Z"}`},
		{"SetClockMode", func(ctx context.Context, c *Client) error {
			_, err := c.SetClockMode(ctx, ClockFrozen)
			return err
		}, "POST", "/_admin/clock", "", `{"mode":"frozen"}`},
		{"SetClockOffset", func(ctx context.Context, c *Client) error {
			_, err := c.SetClockOffset(ctx, 0)
			return err
		}, "POST", "/_admin/clock", "", `{"offset":"0s"}`},
		{"SweepTTL", func(ctx context.Context, c *Client) error { _, err := c.SweepTTL(ctx); return err },
			"POST", "/_admin/ttl/sweep", "", ""},
		{"Metrics", func(ctx context.Context, c *Client) error { return c.Metrics(ctx, io.Discard) },
			"GET", "/_admin/metrics", "", ""},
		{"LedgerTables", func(ctx context.Context, c *Client) error { _, err := c.LedgerTables(ctx); return err },
			"GET", "/_admin/changes", "", ""},
		{"Reset", func(ctx context.Context, c *Client) error { return c.Reset(ctx, false) },
			"POST", "/_admin/reset", "", ""},
		{"Reset data", func(ctx context.Context, c *Client) error { return c.Reset(ctx, true) },
			"POST", "/_admin/reset", "data=true", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, c := newFake(t, http.StatusOK, "", WithToken("s3cret"))
			if err := tc.call(t.Context(), c); err != nil {
				t.Fatal(err)
			}
			if len(f.got) != 1 {
				t.Fatalf("%d requests, want 1", len(f.got))
			}
			g := f.got[0]
			if g.method != tc.method || g.path != tc.path || g.query != tc.query || g.body != tc.body {
				t.Errorf("sent %s %s?%s %s, want %s %s?%s %s", g.method, g.path, g.query, g.body,
					tc.method, tc.path, tc.query, tc.body)
			}
			if g.auth != "Bearer s3cret" {
				t.Errorf("Authorization %q", g.auth)
			}
			if (tc.body != "") != (g.contentType == "application/json") {
				t.Errorf("Content-Type %q with body %q", g.contentType, g.body)
			}
		})
	}
}

func TestNoTokenNoAuthorization(t *testing.T) {
	t.Parallel()
	f, c := newFake(t, http.StatusOK, `{"status":"ok"}`)
	if err := c.Health(t.Context()); err != nil {
		t.Fatal(err)
	}
	if f.got[0].auth != "" {
		t.Errorf("Authorization %q without a token", f.got[0].auth)
	}
}

func TestBaseURLForms(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"http://h:1", "http://h:1/", "http://h:1/_admin", "http://h:1/_admin/"} {
		if got := New(in).BaseURL(); got != "http://h:1" {
			t.Errorf("New(%q).BaseURL() = %q", in, got)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status             int
		answer             string
		wantMsg, wantField string
		wantText           string
	}{
		{400, `{"error":"must be one of drop, delay","field":"action.type"}` + "\n", "must be one of drop, delay", "action.type",
			"POST /_admin/faults: HTTP 400: action.type: must be one of drop, delay"},
		{400, `{"error":"action.type: must be one","field":"action.type"}`, "action.type: must be one", "action.type",
			"POST /_admin/faults: HTTP 400: action.type: must be one"},
		{409, `{"error":"duplicate rule id \"a\""}`, `duplicate rule id "a"`, "",
			`POST /_admin/faults: HTTP 409: duplicate rule id "a"`},
		{401, ``, "Unauthorized", "", "POST /_admin/faults: HTTP 401: Unauthorized"},
		{502, "bad gateway\n", "bad gateway", "", "POST /_admin/faults: HTTP 502: bad gateway"},
	}
	for _, tc := range cases {
		_, c := newFake(t, tc.status, tc.answer)
		_, err := c.AddRules(t.Context(), faults.Rule{})
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%d: error %v is not an *Error", tc.status, err)
		}
		if e.Status != tc.status || e.Message != tc.wantMsg || e.Field != tc.wantField || e.Error() != tc.wantText {
			t.Errorf("%d: got %+v %q", tc.status, *e, e.Error())
		}
	}
	_, c := newFake(t, 404, `{"error":"no rule x"}`)
	if err := c.DeleteRule(t.Context(), "x"); !IsNotFound(err) || IsConflict(err) {
		t.Errorf("IsNotFound(%v) false", err)
	}
	if IsNotFound(errors.New("x")) || IsNotFound(nil) {
		t.Error("IsNotFound of a plain error")
	}
}

func TestTransportAndDecodeErrors(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, 200, `{"status":`)
	if err := c.Health(t.Context()); err == nil || !strings.Contains(err.Error(), "decoding the answer") {
		t.Errorf("truncated JSON: %v", err)
	}
	_, c = newFake(t, 200, `{"status":"starting"}`)
	if err := c.Health(t.Context()); err == nil {
		t.Error("status starting accepted")
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	if err := New(srv.URL).Health(t.Context()); err == nil || !strings.Contains(err.Error(), "GET /_admin/health") {
		t.Errorf("closed server: %v", err)
	}
}

func TestRuleListForms(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{
		`[{"id":"a","target":"stream","match":{},"action":{"type":"drop"},"when":{},"stats":{"matched":2,"fired":1,"exhausted":false}}]`,
		`{"rules":[{"id":"a","target":"stream","match":{},"action":{"type":"drop"},"when":{},"stats":{"matched":2,"fired":1,"exhausted":false}}]}`,
		`{"id":"a","target":"stream","match":{},"action":{"type":"drop"},"when":{},"stats":{"matched":2,"fired":1,"exhausted":false}}`,
	} {
		_, c := newFake(t, 200, answer)
		got, err := c.ListRules(t.Context())
		if err != nil || len(got) != 1 || got[0].ID != "a" || got[0].Stats.Fired != 1 || got[0].Stats.Matched != 2 {
			t.Errorf("%s: %+v %v", answer, got, err)
		}
	}
	_, c := newFake(t, 200, `{"rules":[]}`)
	if got, err := c.ListRules(t.Context()); err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty list: %#v %v", got, err)
	}
}

func TestClockStateJSON(t *testing.T) {
	t.Parallel()
	var s ClockState
	if err := json.Unmarshal([]byte(`{"now":"2030-01-02T03:04:05.5Z","mode":"frozen","offset":"25h0m0s"}`), &s); err != nil {
		t.Fatal(err)
	}
	want := ClockState{Now: time.Date(2030, 1, 2, 3, 4, 5, 5e8, time.UTC), Mode: ClockFrozen, Offset: 25 * time.Hour}
	if !s.Now.Equal(want.Now) || s.Mode != want.Mode || s.Offset != want.Offset {
		t.Errorf("got %+v, want %+v", s, want)
	}
	b, _ := json.Marshal(s)
	if string(b) != `{"now":"2030-01-02T03:04:05.5Z","mode":"frozen","offset":"25h0m0s"}` {
		t.Errorf("marshal: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"now":"2030-01-02T03:04:05.5Z","mode":"real","offset":"0s","journalSeq":7}`), &s); err != nil || s.JournalSeq != 7 {
		t.Errorf("journalSeq: %+v, %v", s, err)
	}
	if b, _ := json.Marshal(s); string(b) != `{"now":"2030-01-02T03:04:05.5Z","mode":"real","offset":"0s","journalSeq":7}` {
		t.Errorf("marshal with journalSeq: %s", b)
	}
	if err := json.Unmarshal([]byte(`{"offset":"soon"}`), &s); err == nil {
		t.Error("bad offset accepted")
	}
}
