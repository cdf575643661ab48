package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

// rulesOf decodes a ruleList answer.
func rulesOf(t *testing.T, body string) []faults.RuleStatus {
	t.Helper()
	var l ruleList
	if err := json.Unmarshal([]byte(body), &l); err != nil || l.Rules == nil {
		t.Fatalf("not a rule list: %s (%v)", body, err)
	}
	return l.Rules
}

// wantFieldError fails unless the answer is a 400 naming field.
func wantFieldError(t *testing.T, a *API, method, path, body, field string) {
	t.Helper()
	code, got := do(t, a, method, path, body)
	var e fieldErrorBody
	if err := json.Unmarshal([]byte(got), &e); code != http.StatusBadRequest || err != nil || e.Field != field || e.Error == "" {
		t.Errorf("%s %s %s: got %d %s, want 400 naming field %q", method, path, body, code, got, field)
	}
}

const throttleRule = `{"target":"api","match":{"operation":["PutItem"]},"action":{"type":"error","code":"ThrottlingException"}}`

func TestFaultRuleEndpoints(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	if code, body := do(t, a, http.MethodGet, "/_admin/faults", ""); code != 200 || len(rulesOf(t, body)) != 0 {
		t.Fatalf("empty list: %d %s", code, body)
	}
	code, body := do(t, a, http.MethodPost, "/_admin/faults", throttleRule)
	if st := rulesOf(t, body); code != 201 || len(st) != 1 || st[0].ID != "rule-1" || !st[0].IsEnabled() {
		t.Fatalf("POST one: %d %s", code, body)
	}
	code, body = do(t, a, http.MethodPost, "/_admin/faults", `[{"id":"a","target":"stream","action":{"type":"drop"}},`+
		`{"id":"b","target":"api","action":{"type":"latency","latency":"1ms"},"when":{"times":2}}]`)
	if st := rulesOf(t, body); code != 201 || len(st) != 2 || st[1].Stats.Remaining == nil || *st[1].Stats.Remaining != 2 {
		t.Fatalf("POST array: %d %s", code, body)
	}
	// Active at once: the injector decides with it.
	if d := a.faults.DecideAPI(faults.APIEvent{Operation: "PutItem"}); d.Error == nil {
		t.Fatal("added rule not active")
	}
	_, body = do(t, a, http.MethodGet, "/_admin/faults", "")
	if st := rulesOf(t, body); len(st) != 3 || st[0].Stats.Fired != 1 || st[0].Stats.Matched != 1 {
		t.Fatalf("list with counters: %s", body)
	}
	wantError(t, a, http.MethodPost, "/_admin/faults", `{"id":"a","target":"stream","action":{"type":"drop"}}`,
		409, `faults: duplicate rule id: "a"`)
	wantFieldError(t, a, http.MethodPost, "/_admin/faults", `{"target":"api","action":{"type":"explode"}}`, "action.type")
	wantFieldError(t, a, http.MethodPost, "/_admin/faults", `{"target":"api","bogus":1,"action":{"type":"error"}}`, "bogus")
	wantFieldError(t, a, http.MethodPost, "/_admin/faults", `[{"target":"stream","action":{"type":"drop"}},{"target":"api","action":{"type":"drop"}}]`, "[1].action.type")
	wantFieldError(t, a, http.MethodPost, "/_admin/faults", `{`, "")
	wantFieldError(t, a, http.MethodPut, "/_admin/faults", `{"target":"api","when":{"times":-1},"action":{"type":"emptyRecords"}}`, "when.times")

	code, body = do(t, a, http.MethodGet, "/_admin/faults/a", "")
	var one faults.RuleStatus
	if err := json.Unmarshal([]byte(body), &one); code != 200 || err != nil || one.ID != "a" {
		t.Fatalf("GET a: %d %s", code, body)
	}
	code, body = do(t, a, http.MethodPatch, "/_admin/faults/a", `{"enabled":false,"times":3}`)
	if err := json.Unmarshal([]byte(body), &one); code != 200 || err != nil || one.IsEnabled() || one.When.Times != 3 {
		t.Fatalf("PATCH a: %d %s", code, body)
	}
	wantFieldError(t, a, http.MethodPatch, "/_admin/faults/a", `{"enabled":"no"}`, "enabled")
	wantFieldError(t, a, http.MethodPatch, "/_admin/faults/a", `{"target":"api"}`, "target")
	wantError(t, a, http.MethodPatch, "/_admin/faults/zz", `{"enabled":true}`, 404, `faults: no rule with this id: "zz"`)
	wantError(t, a, http.MethodGet, "/_admin/faults/zz", "", 404, `faults: no rule with this id: "zz"`)
	if code, body := do(t, a, http.MethodDelete, "/_admin/faults/a", ""); code != 200 || body != `{"deleted":"a"}`+"\n" {
		t.Fatalf("DELETE a: %d %s", code, body)
	}
	wantError(t, a, http.MethodDelete, "/_admin/faults/a", "", 404, `faults: no rule with this id: "a"`)

	code, body = do(t, a, http.MethodPut, "/_admin/faults", `{"id":"only","target":"stream","action":{"type":"duplicate"}}`)
	if st := rulesOf(t, body); code != 200 || len(st) != 1 || st[0].ID != "only" {
		t.Fatalf("PUT: %d %s", code, body)
	}
	if code, body := do(t, a, http.MethodPut, "/_admin/faults", `[]`); code != 200 || len(rulesOf(t, body)) != 0 {
		t.Fatalf("PUT []: %d %s", code, body)
	}
	wantError(t, a, http.MethodPatch, "/_admin/faults", "", 405, "method not allowed")
}

func TestJournalEndpoints(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	do(t, a, http.MethodPost, "/_admin/faults", `[{"id":"x","target":"api","action":{"type":"error","code":"InternalServerError"}}]`)
	for _, table := range []string{"t1", "t2", "t1"} {
		a.faults.DecideAPI(faults.APIEvent{Operation: "GetItem", Table: table, RequestID: "R-" + table})
	}
	page := func(query string) faults.JournalPage {
		t.Helper()
		code, body := do(t, a, http.MethodGet, "/_admin/journal"+query, "")
		var p faults.JournalPage
		if err := json.Unmarshal([]byte(body), &p); code != 200 || err != nil {
			t.Fatalf("GET journal%s: %d %s", query, code, body)
		}
		return p
	}
	if p := page(""); len(p.Entries) != 3 || p.More || p.Next != 3 {
		t.Fatalf("all: %+v", p)
	}
	p := page("?limit=2")
	if len(p.Entries) != 2 || !p.More || p.Next != 2 {
		t.Fatalf("first page: %+v", p)
	}
	if p2 := page("?limit=2&after=2"); len(p2.Entries) != 1 || p2.Entries[0].Seq != 3 || p2.More {
		t.Fatalf("second page: %+v", p2)
	}
	if p := page("?table=t1&rule=x"); len(p.Entries) != 2 || p.Entries[1].RequestID != "R-t1" {
		t.Fatalf("filtered: %+v", p)
	}
	if p := page("?rule=other"); len(p.Entries) != 0 {
		t.Fatalf("other rule: %+v", p)
	}
	wantFieldError(t, a, http.MethodGet, "/_admin/journal?limit=0", "", "limit")
	wantFieldError(t, a, http.MethodGet, "/_admin/journal?limit=1001", "", "limit")
	wantFieldError(t, a, http.MethodGet, "/_admin/journal?after=-1", "", "after")
	wantFieldError(t, a, http.MethodGet, "/_admin/journal?ruleId=x", "", "ruleId")
	wantFieldError(t, a, http.MethodGet, "/_admin/journal?rule=a&rule=b", "", "rule")
	if code, body := do(t, a, http.MethodDelete, "/_admin/journal", ""); code != 200 || body != `{"cleared":true}`+"\n" {
		t.Fatalf("DELETE journal: %d %s", code, body)
	}
	if p := page("?after=0"); len(p.Entries) != 0 || p.Next != 3 {
		t.Fatalf("after clear: %+v", p)
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	c := clock.New()
	a := New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c, Token: "s3cret"})
	send := func(method, path, auth string) int {
		r := localRequest(method, path, strings.NewReader(""))
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		a.ServeHTTP(w, r)
		if w.Code == http.StatusUnauthorized && !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("401 without WWW-Authenticate")
		}
		return w.Code
	}
	cases := []struct {
		method, path, auth string
		want               int
	}{
		{http.MethodGet, "/_admin/health", "", 200},
		{http.MethodGet, "/_admin/faults", "", 401},
		{http.MethodGet, "/_admin/faults", "Bearer wrong", 401},
		{http.MethodGet, "/_admin/faults", "Basic czNjcmV0", 401},
		{http.MethodGet, "/_admin/faults", "Bearer s3cret", 200},
		{http.MethodPost, "/_admin/reset", "", 401},
		{http.MethodPost, "/_admin/reset", "Bearer s3cret", 200},
		{http.MethodGet, "/_admin/nope", "", 401},
	}
	for _, c := range cases {
		if got := send(c.method, c.path, c.auth); got != c.want {
			t.Errorf("%s %s (%q) = %d, want %d", c.method, c.path, c.auth, got, c.want)
		}
	}
}
