package wire

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/engine"
)

// The CRCs below are those dynalite's tests assert against live DynamoDB,
// so they pin the exact bytes of each body.

func TestNonPostAndBadContentTypeAre404(t *testing.T) {
	h, _ := newTestHandler(t)
	cases := []struct {
		name string
		r    *http.Request
	}{
		{"GET path", httptest.NewRequest(http.MethodGet, "/x", nil)},
		{"PUT", httptest.NewRequest(http.MethodPut, "/", nil)},
		{"DELETE", httptest.NewRequest(http.MethodDelete, "/", nil)},
		{"OPTIONS without origin", httptest.NewRequest(http.MethodOptions, "/", nil)},
		{"body without content type", httptest.NewRequest(http.MethodPost, "/", strings.NewReader("hi"))},
		{"body with other content type", withHeader(httptest.NewRequest(http.MethodPost, "/", strings.NewReader("hi")), "Content-Type", "whatever")},
		{"json 1.1", withHeader(signedRequest("DynamoDB_20120810.Echo", "{}"), "Content-Type", "application/x-amz-json-1.1")},
		{"json with a suffix", withHeader(signedRequest("DynamoDB_20120810.Echo", "{}"), "Content-Type", "application/jsonasdf")},
		{"GET other path", httptest.NewRequest(http.MethodGet, "/health", nil)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := serve(t, h, c.r)
			if w.Code != http.StatusNotFound || w.Body.String() != "<UnknownOperationException/>\n" {
				t.Fatalf("got %d %q", w.Code, w.Body)
			}
			if crc := w.Header().Get("X-Amz-Crc32"); crc != "3552371480" {
				t.Errorf("crc = %s", crc)
			}
		})
	}
}

func withHeader(r *http.Request, k, v string) *http.Request {
	r.Header.Set(k, v)
	return r
}

func TestHealth(t *testing.T) {
	h, _ := newTestHandler(t)
	w := serve(t, h, httptest.NewRequest(http.MethodGet, "/", nil))
	if w.Code != http.StatusOK || w.Body.String() != "healthy: dynamodb.us-east-1.amazonaws.com " {
		t.Fatalf("got %d %q", w.Code, w.Body)
	}
	if crc := w.Header().Get("X-Amz-Crc32"); crc != "3128867991" {
		t.Errorf("crc = %s, want AWS's 3128867991", crc)
	}
}

func TestSerializationExceptionForMalformedJSON(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	for _, ct := range []string{contentTypeAmzJSON, contentTypeJSON, "application/x-amz-json-1.0; charset=utf-8"} {
		for _, target := range []string{"DynamoDB_20120810.Echo", "", "DynamoDB_20120810.Nope"} {
			r := withHeader(signedRequest(target, "hi"), "Content-Type", ct)
			r.Header.Del("Authorization")
			w := serve(t, h, r)
			wantError(t, w, 400, "com.amazon.coral.service#SerializationException", "")
			if w.Body.String() != `{"__type":"com.amazon.coral.service#SerializationException"}` {
				t.Errorf("body = %s", w.Body)
			}
			if crc := w.Header().Get("X-Amz-Crc32"); crc != "3948637019" {
				t.Errorf("crc = %s", crc)
			}
			wantCT := contentTypeAmzJSON
			if ct == contentTypeJSON {
				wantCT = contentTypeJSON
			}
			if got := w.Header().Get("Content-Type"); got != wantCT {
				t.Errorf("Content-Type = %s, want %s", got, wantCT)
			}
		}
	}
}

// TestContentTypeParameters: DynamoDB reads the media type before the first
// ";" (spaces trimmed) and answers in the JSON flavour the client used
// (dynalite test/connection.js, recorded against DynamoDB).
func TestContentTypeParameters(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	for ct, want := range map[string]string{
		"application/json;":                   contentTypeJSON,
		"  application/json  ;   asfd":        contentTypeJSON,
		"application/json;blahblah":           contentTypeJSON,
		"application/json;charset=asfdsaf":    contentTypeJSON,
		"application/x-amz-json-1.0;blahblah": contentTypeAmzJSON,
		"Application/JSON":                    contentTypeJSON,
	} {
		w := serve(t, h, withHeader(signedRequest("DynamoDB_20120810.Echo", "hi"), "Content-Type", ct))
		wantError(t, w, 400, "com.amazon.coral.service#SerializationException", "")
		if got := w.Header().Get("Content-Type"); got != want {
			t.Errorf("%q: Content-Type %q, want %q", ct, got, want)
		}
		w = serve(t, h, withHeader(signedRequest("DynamoDB_20120810.Echo", `{"S":"x"}`), "Content-Type", ct))
		if w.Code != 200 || w.Header().Get("Content-Type") != want {
			t.Errorf("%q: %d %s %v", ct, w.Code, w.Body, w.Header())
		}
	}
}

// TestBodyThatIsNoObject: a JSON null names no request object, like an
// empty body; other JSON values are of the wrong type.
func TestBodyThatIsNoObject(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	for _, body := range []string{"null", " null\n"} {
		w := serve(t, h, signedRequest("DynamoDB_20120810.Echo", body))
		wantError(t, w, 400, "com.amazon.coral.service#SerializationException", "")
	}
	for body, msg := range map[string]string{
		"[]":    "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.testInput",
		`"x"`:   "Unexpected field type",
		"7":     "Unexpected field type",
		"true":  "Unexpected field type",
		"[1,2]": "Unrecognized collection type class com.amazonaws.dynamodb.v20120810.testInput",
	} {
		wantError(t, serve(t, h, signedRequest("DynamoDB_20120810.Echo", body)), 400,
			"com.amazon.coral.service#SerializationException", msg)
	}
}

func TestEmptyBodyIsSerializationAfterAuth(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	w := serve(t, h, signedRequest("DynamoDB_20120810.Echo", ""))
	wantError(t, w, 400, "com.amazon.coral.service#SerializationException", "")
	r := signedRequest("DynamoDB_20120810.Echo", "")
	r.Header.Del("Authorization")
	wantError(t, serve(t, h, r), 400, "com.amazon.coral.service#MissingAuthenticationTokenException",
		"Request is missing Authentication Token")
}

func TestUnknownOperation(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	for _, target := range []string{"", "whatever", "DynamoDB_20120810.ListTable", "DynamoDB_20120810.Echo.x",
		"DynamoDB_20120810.StreamEcho", "DynamoDBStreams_20120810.Echo", "DynamoDB_20111205.Echo", ".", "DynamoDB_20120810."} {
		w := serve(t, h, signedRequest(target, "{}"))
		wantError(t, w, 400, "com.amazon.coral.service#UnknownOperationException", "")
		if crc := w.Header().Get("X-Amz-Crc32"); crc != "1368724161" {
			t.Errorf("%q: crc = %s", target, crc)
		}
	}
	// Unknown target wins over missing auth.
	r := signedRequest("Nope", "{}")
	r.Header.Del("Authorization")
	wantError(t, serve(t, h, r), 400, "com.amazon.coral.service#UnknownOperationException", "")
}

func TestStreamsPrefixDispatchesToItsTable(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	w := serve(t, h, signedRequest("DynamoDBStreams_20120810.StreamEcho", `{"S":"x"}`))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"Echo":"x"`) {
		t.Fatalf("got %d %s", w.Code, w.Body)
	}
}

func TestAuthorization(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	missing := "Request is missing Authentication Token"
	cases := []struct{ auth, typ, msg string }{
		{"", "MissingAuthenticationTokenException", missing},
		{"AWS4", "MissingAuthenticationTokenException", missing},
		{"Bearer x", "MissingAuthenticationTokenException", missing},
		{"AWS4-", "IncompleteSignatureException", "Authorization header requires 'Credential' parameter. " +
			"Authorization header requires 'Signature' parameter. " +
			"Authorization header requires 'SignedHeaders' parameter. " +
			"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-"},
		{"AWS4-HMAC-SHA256 Credential=a/b, Signature=s", "IncompleteSignatureException",
			"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=AWS4-HMAC-SHA256 Credential=a/b, Signature=s"},
	}
	for _, c := range cases {
		r := signedRequest("DynamoDB_20120810.Echo", "{}")
		r.Header.Del("X-Amz-Date")
		r.Header.Set("Authorization", c.auth)
		if c.auth == "" {
			r.Header.Del("Authorization")
		}
		w := serve(t, h, r)
		wantError(t, w, 400, "com.amazon.coral.service#"+c.typ, c.msg)
	}
	// dynalite's AWS-captured CRCs (the request used application/json).
	r := withHeader(signedRequest("DynamoDB_20120810.Echo", "{}"), "Content-Type", contentTypeJSON)
	r.Header.Del("Authorization")
	if crc := serve(t, h, r).Header().Get("X-Amz-Crc32"); crc != "2088342776" {
		t.Errorf("missing token crc = %s", crc)
	}
	r.Header.Set("Authorization", "AWS4-")
	r.Header.Del("X-Amz-Date")
	if crc := serve(t, h, r).Header().Get("X-Amz-Crc32"); crc != "1828866742" {
		t.Errorf("incomplete signature crc = %s", crc)
	}
}

func TestRequestInfoReachesTheEngine(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	r := signedRequest("DynamoDB_20120810.Echo", `{"S":"hi"}`)
	r.Host = "localhost:8000"
	w := serve(t, h, r)
	want := `{"Echo":"hi","AccessKeyID":"AKIDTEST","Host":"localhost:8000","RequestID":"` +
		w.Header().Get("X-Amzn-Requestid") + `","HTML":"<&>"}`
	if w.Code != 200 || w.Body.String() != want {
		t.Fatalf("got %d %s\nwant %s", w.Code, w.Body, want)
	}
}

func TestSuccessBodies(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	if w := serve(t, h, signedRequest("DynamoDB_20120810.Nil", "{}")); w.Code != 200 || w.Body.String() != "{}" {
		t.Errorf("nil output: %d %q", w.Code, w.Body)
	}
	if w := serve(t, h, signedRequest("DynamoDB_20120810.Tag", "{}")); w.Code != 200 || w.Body.Len() != 0 ||
		w.Header().Get("Content-Length") != "0" || w.Header().Get("X-Amz-Crc32") != "0" {
		t.Errorf("empty-body op: %d %q %v", w.Code, w.Body, w.Header())
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	h, _ := newTestHandler(t)
	seen := map[string]bool{}
	for range 1000 {
		id := serve(t, h, httptest.NewRequest(http.MethodGet, "/", nil)).Header().Get("X-Amzn-Requestid")
		if seen[id] {
			t.Fatalf("duplicate request id %s", id)
		}
		seen[id] = true
	}
	h2, _ := newTestHandler(t)
	if id := serve(t, h2, httptest.NewRequest(http.MethodGet, "/", nil)).Header().Get("X-Amzn-Requestid"); seen[id] {
		t.Fatalf("second handler repeated id %s", id)
	}
}

func TestPanicIsInternalServerError(t *testing.T) {
	h, logs := newTestHandler(t)
	addTestOps(h, nil)
	w := serve(t, h, signedRequest("DynamoDB_20120810.Panic", "{}"))
	wantError(t, w, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
	if strings.Contains(w.Body.String(), "secret") {
		t.Errorf("Go panic text leaked: %s", w.Body)
	}
	if !strings.Contains(logs.String(), "secret go detail") || !strings.Contains(logs.String(), "level=ERROR") ||
		!strings.Contains(logs.String(), w.Header().Get("X-Amzn-Requestid")) || !strings.Contains(logs.String(), "goroutine") {
		t.Errorf("log lacks panic, level, request id or stack: %s", logs)
	}
}

func TestPlainGoErrorIsInternalAndLogged(t *testing.T) {
	h, logs := newTestHandler(t)
	addTestOps(h, func() error { return io.ErrUnexpectedEOF })
	w := serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}"))
	wantError(t, w, 500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error")
	if !strings.Contains(logs.String(), "unexpected EOF") {
		t.Errorf("internal error not logged: %s", logs)
	}
}

func TestClientErrorsAreNotLogged(t *testing.T) {
	h, logs := newTestHandler(t)
	addTestOps(h, func() error { return engine.NewError(engine.Validation, "bad") })
	wantError(t, serve(t, h, signedRequest("DynamoDB_20120810.Fail", "{}")), 400,
		"com.amazon.coral.validate#ValidationException", "bad")
	if logs.Len() != 0 {
		t.Errorf("client error logged: %s", logs)
	}
}

func TestConcurrentRequests(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	const workers, each = 8, 50
	ids := make(chan string, workers*each)
	done := make(chan struct{})
	for range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			for range each {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, signedRequest("DynamoDB_20120810.Echo", `{"S":"x"}`))
				if w.Code != http.StatusOK {
					t.Errorf("status %d", w.Code)
				}
				ids <- w.Header().Get("X-Amzn-Requestid")
			}
		}()
	}
	for range workers {
		<-done
	}
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Fatalf("duplicate request id %s", id)
		}
		seen[id] = true
	}
}

func TestServerHeader(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	for _, r := range []*http.Request{
		signedRequest(prefixDynamoDB+".ListTables", `{}`),
		signedRequest(prefixDynamoDB+".Nope", `{}`),
		httptest.NewRequest(http.MethodGet, "/", nil),
	} {
		if got := serve(t, h, r).Header().Get("Server"); got != "Server" {
			t.Errorf("%s %s: Server = %q, want %q", r.Method, r.Header.Get("X-Amz-Target"), got, "Server")
		}
	}
}

func TestQueryStringSignature(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	presigned := "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQUERY%2F20260101%2Fus-east-1%2Fdynamodb%2Faws4_request" +
		"&X-Amz-Date=20260101T000000Z&X-Amz-SignedHeaders=host%3Bx-amz-target&X-Amz-Signature=abcd&X-Amz-Expires=60"
	r := httptest.NewRequest(http.MethodPost, presigned, strings.NewReader(`{}`))
	r.Header.Set("Content-Type", contentTypeAmzJSON)
	r.Header.Set("X-Amz-Target", prefixDynamoDB+".ListTables")
	if w := serve(t, h, r); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "TableNames") {
		t.Fatalf("presigned request: %d %s", w.Code, w.Body)
	}
	r = httptest.NewRequest(http.MethodPost, strings.Replace(presigned, "&X-Amz-Signature=abcd", "", 1), strings.NewReader(`{}`))
	r.Header.Set("Content-Type", contentTypeAmzJSON)
	r.Header.Set("X-Amz-Target", prefixDynamoDB+".ListTables")
	wantError(t, serve(t, h, r), http.StatusBadRequest, "com.amazon.coral.service#IncompleteSignatureException",
		"AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters.")
}
