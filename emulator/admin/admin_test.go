package admin

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
)

func newAPI(t *testing.T) *API {
	t.Helper()
	c := clock.New()
	return New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c})
}

func TestRoutes(t *testing.T) {
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
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		a.ServeHTTP(w, httptest.NewRequest(c.method, c.path, nil))
		if w.Code != c.status || w.Body.String() != c.body {
			t.Errorf("%s %s: got %d %q, want %d %q", c.method, c.path, w.Code, w.Body, c.status, c.body)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: Content-Type %q", c.method, c.path, ct)
		}
	}
}
