package admin

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricsRoute(t *testing.T) {
	a := newAPI(t)
	if code, body := do(t, a, http.MethodGet, "/_admin/metrics", ""); code != http.StatusNotFound || !strings.Contains(body, "not enabled") {
		t.Fatalf("without metrics: %d %s", code, body)
	}
	a.scrape = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("up 1\n"))
	})
	w := httptest.NewRecorder()
	a.ServeHTTP(w, localRequest(http.MethodGet, "/_admin/metrics", nil))
	if w.Code != http.StatusOK || w.Body.String() != "up 1\n" {
		t.Fatalf("with metrics: %d %s", w.Code, w.Body)
	}
	if code, _ := do(t, a, http.MethodPost, "/_admin/metrics", ""); code != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", code)
	}
}
