package emulator

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/faults"
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

func TestRequestsLoggedAtDebug(t *testing.T) {
	var logs bytes.Buffer
	e, err := New(Options{Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	call := func(op, body string) string {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		r.Header.Set("X-Amz-Date", "20260101T000000Z")
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, "+
			"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd")
		w := httptest.NewRecorder()
		e.Handler().ServeHTTP(w, r)
		return w.Header().Get("X-Amzn-Requestid")
	}
	if _, err := e.Faults().Add(faults.Rule{ID: "slow-down", Target: faults.TargetAPI,
		Match: faults.Match{Operation: []string{"DeleteItem"}}, Action: faults.Action{Type: faults.ActionError, Code: "ThrottlingException"}}); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	ids := []string{
		call("NoSuchOp", "{}"),
		call("ListTables", "{}"),
		call("PutItem", `{"TableName":"orders","Item":{"pk":{"S":"a"}}}`),
		call("DeleteItem", `{"TableName":"orders","Key":{"pk":{"S":"a"}}}`),
	}
	want := []struct{ op, table, errType string }{
		{"NoSuchOp", "", "UnknownOperationException"},
		{"ListTables", "", ""},
		{"PutItem", "orders", "ResourceNotFoundException"},
		{"DeleteItem", "orders", "ThrottlingException"},
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "request" {
			lines = append(lines, m)
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("%d request lines, want %d:\n%s", len(lines), len(want), logs.String())
	}
	for i, w := range want {
		l := lines[i]
		status := 400.0
		if w.errType == "" {
			status = 200
		}
		if l["level"] != "DEBUG" || l["request_id"] != ids[i] || l["op"] != w.op || l["table"] != w.table ||
			l["status"] != status || l["error_type"] != w.errType || l["duration"] == nil {
			t.Errorf("line %d = %v, want %+v, status %v", i, l, w, status)
		}
	}

	logs.Reset()
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/_admin/faults", nil)
	req.Host = "127.0.0.1:8000"
	e.Handler().ServeHTTP(w, req)
	if s := logs.String(); !strings.Contains(s, `"msg":"admin request","method":"GET","path":"/_admin/faults","status":200`) {
		t.Errorf("admin request log %q", s)
	}
}

func TestNoRequestLogAtInfo(t *testing.T) {
	var logs bytes.Buffer
	e, err := New(Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if logs.Len() != 0 {
		t.Errorf("New logged at info without rules: %q", logs.String())
	}
	w := httptest.NewRecorder()
	e.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	e.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_admin/health", nil))
	if logs.Len() != 0 {
		t.Errorf("requests logged at info: %q", logs.String())
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
