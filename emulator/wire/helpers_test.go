package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"hash/crc32"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/engine"
)

const testAuth = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/dynamodb/aws4_request, " +
	"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"

// newTestHandler returns a Handler over a fresh engine, logging into logs.
func newTestHandler(t testing.TB) (*Handler, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	h := NewHandler(engine.New(engine.Options{}), slog.New(slog.NewTextHandler(&logs, nil)))
	return h, &logs
}

// signedRequest builds a POST / with the headers an SDK sends.
func signedRequest(target, body string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", contentTypeAmzJSON)
	r.Header.Set("X-Amz-Target", target)
	r.Header.Set("X-Amz-Date", "20260101T000000Z")
	r.Header.Set("Authorization", testAuth)
	return r
}

// serve runs r through h and checks the headers every response must carry.
func serve(t testing.TB, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	checkCommonHeaders(t, w)
	return w
}

var requestIDRE = regexp.MustCompile(`^[0-9A-Z]{52}$`)

func checkCommonHeaders(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.Bytes()
	if id := w.Header().Get("X-Amzn-Requestid"); !requestIDRE.MatchString(id) {
		t.Errorf("x-amzn-RequestId = %q, want 52 upper-case alphanumerics", id)
	}
	if got, want := w.Header().Get("X-Amz-Crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10); got != want {
		t.Errorf("x-amz-crc32 = %q, want %q", got, want)
	}
	if got, want := w.Header().Get("Content-Length"), strconv.Itoa(len(body)); got != want {
		t.Errorf("Content-Length = %q, want %q", got, want)
	}
	if ct := w.Header().Get("Content-Type"); ct != contentTypeAmzJSON && ct != contentTypeJSON {
		t.Errorf("Content-Type = %q", ct)
	}
}

// wantError checks an error response's status, __type and message.
func wantError(t testing.TB, w *httptest.ResponseRecorder, status int, typ, msg string) {
	t.Helper()
	if w.Code != status {
		t.Errorf("status = %d, want %d (body %s)", w.Code, status, w.Body)
	}
	var b map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("body %q is not JSON: %v", w.Body, err)
	}
	if b["__type"] != typ {
		t.Errorf("__type = %v, want %s", b["__type"], typ)
	}
	got, _ := b["message"].(string)
	if m, ok := b["Message"].(string); ok {
		got = m
	}
	if got != msg {
		t.Errorf("message = %q, want %q", got, msg)
	}
}

// testInput exercises every JSON member type the decoder maps.
type testInput struct {
	S      *string             `json:"S"`
	Flag   *bool               `json:"Flag"`
	Limit  *int32              `json:"Limit"`
	Big    *int64              `json:"Big"`
	Blob   []byte              `json:"Blob"`
	List   []string            `json:"List"`
	Map    map[string]string   `json:"Map"`
	Nested *struct{ A string } `json:"Nested"`
}

type testOutput struct {
	Echo        string `json:"Echo,omitempty"`
	AccessKeyID string `json:"AccessKeyID,omitempty"`
	Host        string `json:"Host,omitempty"`
	RequestID   string `json:"RequestID,omitempty"`
	HTML        string `json:"HTML,omitempty"`
}

// addTestOps registers operations that echo, fail or panic.
func addTestOps(h *Handler, fail func() error) {
	h.dynamo["Echo"] = op(func(ctx context.Context, in *testInput) (*testOutput, error) {
		ri := engine.RequestInfoFrom(ctx)
		out := &testOutput{AccessKeyID: ri.AccessKeyID, Host: ri.Host, RequestID: ri.RequestID, HTML: "<&>"}
		if in.S != nil {
			out.Echo = *in.S
		}
		return out, nil
	})
	h.dynamo["Fail"] = op(func(context.Context, *testInput) (*testOutput, error) { return nil, fail() })
	h.dynamo["Panic"] = op(func(context.Context, *testInput) (*testOutput, error) { panic("secret go detail") })
	h.dynamo["Nil"] = op(func(context.Context, *testInput) (*testOutput, error) { return nil, nil })
	h.dynamo["Tag"] = opNoBody(func(context.Context, *testInput) (*struct{}, error) { return &struct{}{}, nil })
	h.streams["StreamEcho"] = h.dynamo["Echo"]
}

func readAll(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
