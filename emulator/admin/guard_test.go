package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

// send serves one request with the headers given ("Host" sets the Host)
// and returns the recorder.
func send(a *API, method, path, body string, headers map[string]string) *httptest.ResponseRecorder {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
	}
	for k, v := range headers {
		if k == "Host" {
			r.Host = v
			continue
		}
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, r)
	return w
}

// TestCrossSiteWritesChangeNothing: what a web page can send without a
// preflight (a text/plain or form POST, from another origin, or through a
// rebound DNS name) is refused, and the tables and rules stay.
func TestCrossSiteWritesChangeNothing(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createTTLTable(t, a, time.Hour)
	rule := `{"id":"r","target":"api","action":{"type":"error","code":"ThrottlingException"}}`
	cases := []struct {
		name, path, body string
		headers          map[string]string
		status           int
	}{
		{"text/plain from another origin", "/_admin/reset?data=true", "x",
			map[string]string{"Host": "127.0.0.1:8000", "Origin": "https://evil.example", "Content-Type": "text/plain"}, 403},
		{"bodyless from another origin", "/_admin/reset?data=true", "",
			map[string]string{"Host": "127.0.0.1:8000", "Origin": "https://evil.example"}, 403},
		{"null origin", "/_admin/reset?data=true", "",
			map[string]string{"Host": "127.0.0.1:8000", "Origin": "null"}, 403},
		{"text/plain without an origin", "/_admin/faults", rule,
			map[string]string{"Host": "localhost:8000", "Content-Type": "text/plain;charset=UTF-8"}, 415},
		{"form from the same origin", "/_admin/faults", "a=b",
			map[string]string{"Host": "localhost:8000", "Origin": "http://localhost:8000", "Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"rebound DNS name", "/_admin/reset?data=true", "",
			map[string]string{"Host": "attacker.example:8000", "Origin": "http://attacker.example:8000"}, 403},
		{"rebound DNS name with JSON", "/_admin/faults", rule,
			map[string]string{"Host": "attacker.example:8000", "Content-Type": "application/json"}, 403},
	}
	for _, c := range cases {
		w := send(a, http.MethodPost, c.path, c.body, c.headers)
		if w.Code != c.status || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s: %d %s, want %d", c.name, w.Code, w.Body, c.status)
		}
	}
	if names := tableNames(t, a); len(names) != 1 {
		t.Errorf("tables after refused resets: %v", names)
	}
	if rules := a.faults.List(); len(rules) != 0 {
		t.Errorf("rules after refused adds: %v", rules)
	}
}

// TestPreflightsAreNeverAnswered: an OPTIONS preflight gets no CORS
// header, so a browser never sends the JSON write it asks about.
func TestPreflightsAreNeverAnswered(t *testing.T) {
	t.Parallel()
	a := newAPI(t)
	w := send(a, http.MethodOptions, "/_admin/faults", "", map[string]string{"Host": "localhost:8000",
		"Origin": "http://localhost:8000", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
	if w.Code < 400 {
		t.Errorf("preflight answered %d", w.Code)
	}
	for k := range w.Header() {
		if strings.HasPrefix(k, "Access-Control-") {
			t.Errorf("preflight answer carries %s", k)
		}
	}
}

// TestLocalClientsPass: clients that are not browsers, same-origin pages
// and the allowed hosts and origins are served.
func TestLocalClientsPass(t *testing.T) {
	t.Parallel()
	c := clock.New()
	a := New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c, ListenAddrs: []string{"devbox:8000", "0.0.0.0:8001"},
		AllowedHosts: []string{"Dynafault"}, AllowedOrigins: []string{"http://localhost:3000/"}})
	for _, h := range []map[string]string{
		{"Host": "127.0.0.1:8000"},
		{"Host": "[::1]:8000"},
		{"Host": "10.0.0.7:8000"},
		{"Host": "localhost"},
		{"Host": "LOCALHOST:8000"},
		{"Host": "api.localhost:8000"},
		{"Host": "devbox:8000"},    // the listen address's name
		{"Host": "dynafault:8000"}, // an allowed host
		{"Host": ""},
		{"Host": "localhost:8000", "Origin": "http://localhost:8000"}, // same origin
		{"Host": "localhost:8000", "Origin": "http://localhost:3000"}, // an allowed origin
	} {
		if w := send(a, http.MethodPost, "/_admin/ttl/sweep", "", h); w.Code != http.StatusOK {
			t.Errorf("%v: %d %s", h, w.Code, w.Body)
		}
	}
	json := map[string]string{"Host": "localhost:8000", "Content-Type": "application/json; charset=utf-8"}
	if w := send(a, http.MethodPost, "/_admin/clock", `{"mode":"frozen"}`, json); w.Code != http.StatusOK {
		t.Errorf("JSON write: %d %s", w.Code, w.Body)
	}
	// Health answers any client, so that probes of containers work.
	if w := send(a, http.MethodGet, "/_admin/health", "", map[string]string{"Host": "anything.example", "Origin": "https://x.example"}); w.Code != 200 {
		t.Errorf("health through a foreign name: %d", w.Code)
	}
	if w := send(a, http.MethodGet, "/_admin/journal", "", map[string]string{"Host": "dynafault.example:8000"}); w.Code != 403 {
		t.Errorf("read through a foreign name: %d", w.Code)
	}
}

func TestAnyOriginAllowed(t *testing.T) {
	t.Parallel()
	c := clock.New()
	a := New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c, AllowedOrigins: []string{"*"},
		Faults: faults.New(faults.Options{Now: c.Now})})
	if w := send(a, http.MethodPost, "/_admin/ttl/sweep", "", map[string]string{"Host": "127.0.0.1:8000", "Origin": "https://dash.example"}); w.Code != 200 {
		t.Errorf("any origin: %d %s", w.Code, w.Body)
	}
}
