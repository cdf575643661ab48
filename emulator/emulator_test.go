package emulator

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandlerRoutesAdminAndWire(t *testing.T) {
	e, err := New(Options{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{http.MethodGet, "/_admin/health", 200, `{"status":"ok"}` + "\n"},
		{http.MethodGet, "/_admin", 404, `{"error":"not found"}` + "\n"},
		{http.MethodGet, "/", 200, "healthy: dynamodb.eu-west-1.amazonaws.com "},
		{http.MethodGet, "/_administrator", 404, "<UnknownOperationException/>\n"},
	}
	for _, c := range cases {
		w := httptest.NewRecorder()
		r := httptest.NewRequest(c.method, c.path, nil)
		r.Host = "127.0.0.1:8000"
		e.Handler().ServeHTTP(w, r)
		if w.Code != c.status || w.Body.String() != c.body {
			t.Errorf("%s %s: got %d %q, want %d %q", c.method, c.path, w.Code, w.Body, c.status, c.body)
		}
	}
}

func TestAccessLogAtDebug(t *testing.T) {
	var logs bytes.Buffer
	e, err := New(Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", "DynamoDB_20120810.NoSuchOp")
	w := httptest.NewRecorder()
	e.Handler().ServeHTTP(w, r)
	line := logs.String()
	for _, want := range []string{"level=DEBUG", "msg=request", "op=NoSuchOp", "status=400",
		"request_id=" + w.Header().Get("X-Amzn-Requestid"), "duration="} {
		if !strings.Contains(line, want) {
			t.Errorf("access log %q lacks %q", line, want)
		}
	}
}

func TestTwoEmulatorsAreIndependent(t *testing.T) {
	a, _ := New(Options{})
	b, _ := New(Options{})
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
	w := httptest.NewRecorder()
	b.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_admin/health", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("b after a.Close: %d", w.Code)
	}
	_ = b.Close()
}
