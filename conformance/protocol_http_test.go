package conformance

import (
	"bytes"
	"hash/crc32"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// HTTP details outside the operations: the health check, content types,
// request bodies that are no JSON object, paths and CORS. Sources:
// dynalite test/connection.js (recorded against DynamoDB: health line,
// content types, 404 body, CORS echo and max age), scylladb
// test_health.py and test_cors.py (run against DynamoDB: other paths,
// which headers come with and without Origin), and a 2020 capture of
// DynamoDB's preflight answer (AllanZhengYP/cors-test output.md:
// Access-Control-Expose-Headers). See conformance/README.md, "Validation order and value layers".

// rawHTTP sends an unsigned request with the given method, path, headers
// and body.
func rawHTTP(t testing.TB, method, path string, headers map[string]string, body string) rawResponse {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx(t), method, endpoint+path, strings.NewReader(body))
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return doRaw(t, req)
}

// signedRawCall is rawCall with another content type and path.
func signedRawCall(t testing.TB, path, contentType, target, body string) rawResponse {
	t.Helper()
	b := []byte(body)
	req := newRawRequest(t, target, b)
	req.URL.Path = path
	req.Header.Set("Content-Type", contentType)
	signRaw(t, req, b)
	return doRaw(t, req)
}

func TestProtocolHealthCheck(t *testing.T) {
	t.Parallel()
	r := rawHTTP(t, http.MethodGet, "/", nil, "")
	body := string(r.Body)
	if r.Status != http.StatusOK || !strings.HasPrefix(body, "healthy: dynamodb.") || !strings.HasSuffix(body, ".amazonaws.com ") {
		t.Fatalf("GET /: %d %q, want 200 \"healthy: dynamodb.<region>.amazonaws.com \"", r.Status, body)
	}
	if got, want := r.Header.Get("X-Amz-Crc32"), strconv.FormatUint(uint64(crc32.ChecksumIEEE(r.Body)), 10); got != want {
		t.Errorf("x-amz-crc32 = %q, want %q", got, want)
	}
	if r.Header.Get("X-Amzn-Requestid") == "" || r.Header.Get("Content-Length") != strconv.Itoa(len(r.Body)) {
		t.Errorf("headers %v", r.Header)
	}
	// Only the root answers; other paths get the 404 of requests DynamoDB
	// does not recognise (a HEAD, PUT or DELETE gets it too).
	for _, path := range []string{"/abc", "/-", "/index.htm", "/health"} {
		r := rawHTTP(t, http.MethodGet, path, nil, "")
		if r.Status < 400 || r.Status > 404 {
			t.Errorf("GET %s: %d %q, want a 4xx", path, r.Status, r.Body)
		}
	}
	for _, method := range []string{http.MethodPut, http.MethodDelete} {
		r := rawHTTP(t, method, "/", nil, "")
		if r.Status != http.StatusNotFound || string(r.Body) != "<UnknownOperationException/>\n" {
			t.Errorf("%s /: %d %q", method, r.Status, r.Body)
		}
	}
}

func TestProtocolContentTypeOfErrors(t *testing.T) {
	t.Parallel()
	missing := uniqueName("missing")
	for _, c := range []struct{ sent, want string }{
		{"application/json", "application/json"},
		{"application/json; charset=utf-8", "application/json"},
		{"  application/json  ;   asfd", "application/json"},
		{"application/json;blahblah", "application/json"},
		{"application/x-amz-json-1.0", contentJSON10},
		{"application/x-amz-json-1.0;blahblah", contentJSON10},
	} {
		t.Run(c.sent, func(t *testing.T) {
			for _, call := range []struct {
				target, body, typ string
			}{
				{targetDynamoDB + "ListTables", "hi", nsService + "SerializationException"},
				{targetDynamoDB + "ListTable", "{}", nsService + "UnknownOperationException"},
				{targetDynamoDB + "ListTables", `{"Limit":0}`, nsValidate + "ValidationException"},
				{targetDynamoDB + "DescribeTable", `{"TableName":"` + missing + `"}`, nsDynamoDB + "ResourceNotFoundException"},
			} {
				r := signedRawCall(t, "/", c.sent, call.target, call.body)
				wantRawError(t, r, call.typ, "")
				if got := r.Header.Get("Content-Type"); got != c.want {
					t.Errorf("%s %s: Content-Type %q, want %q", call.target, call.body, got, c.want)
				}
			}
			r := signedRawCall(t, "/", c.sent, targetDynamoDB+"ListTables", `{"Limit":1}`)
			wantRawOK(t, r)
			if got := r.Header.Get("Content-Type"); got != c.want {
				t.Errorf("success: Content-Type %q, want %q", got, c.want)
			}
		})
	}
	// A media type that is neither is not an API call.
	for _, ct := range []string{"application/jsonasdf", "application/x-amz-json-1.1", "text/plain"} {
		r := signedRawCall(t, "/", ct, targetDynamoDB+"ListTables", "{}")
		if r.Status != http.StatusNotFound || string(r.Body) != "<UnknownOperationException/>\n" {
			t.Errorf("%s: %d %q, want 404 <UnknownOperationException/>", ct, r.Status, r.Body)
		}
	}
}

func TestProtocolBodyNotAnObject(t *testing.T) {
	t.Parallel()
	// A JSON null names no request, as an empty body does: a bare
	// SerializationException. Other JSON values are of the wrong type.
	for _, body := range []string{"null", "", "[]", "[1]", `"x"`, "7", "true"} {
		for _, op := range []string{"ListTables", "PutItem"} {
			r := ddbCall(t, op, body)
			wantRawError(t, r, nsService+"SerializationException", "")
			if body == "null" || body == "" {
				if got := string(bytes.TrimSpace(r.Body)); got != `{"__type":"com.amazon.coral.service#SerializationException"}` {
					t.Errorf("%s %q: body %s, want the bare SerializationException", op, body, got)
				}
			}
		}
	}
}

func TestProtocolOtherPaths(t *testing.T) {
	t.Parallel()
	// DynamoDB serves API calls whatever the path (dynalite index.js: "DynamoDB
	// doesn't seem to care about the HTTP path"); the SDKs post to the path of
	// the endpoint URL.
	table := hashTable(t)
	for _, path := range []string{"/prefix", "/a/b/", "/DynamoDB"} {
		r := signedRawCall(t, path, contentJSON10, targetDynamoDB+"DescribeTable", `{"TableName":"`+table+`"}`)
		if m := wantRawOK(t, r); m["Table"] == nil {
			t.Errorf("POST %s: %s", path, r.Body)
		}
		r = signedRawCall(t, path, contentJSON10, targetDynamoDB+"ListTable", `{}`)
		wantRawError(t, r, nsService+"UnknownOperationException", "")
	}
}

// corsAllowOrigin is what a CORS answer may name for origin: DynamoDB
// answers "*"; dynafault names the origin unless --cors is "*".
func corsAllowOrigin(got, origin string) bool { return got == "*" || got == origin }

func TestProtocolCORS(t *testing.T) {
	t.Parallel()
	const (
		origin = "http://localhost:3000"
		expose = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date"
	)
	r := rawHTTP(t, http.MethodOptions, "/", map[string]string{
		"Origin":                         origin,
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-date,authorization",
	}, "")
	h := r.Header
	if r.Status != http.StatusOK || len(r.Body) != 0 || !corsAllowOrigin(h.Get("Access-Control-Allow-Origin"), origin) ||
		h.Get("Access-Control-Allow-Methods") != "POST" ||
		h.Get("Access-Control-Allow-Headers") != "content-type,x-amz-target,x-amz-date,authorization" ||
		h.Get("Access-Control-Max-Age") != "172800" || h.Get("Access-Control-Expose-Headers") != expose ||
		h.Get("X-Amzn-Requestid") == "" {
		t.Errorf("preflight: %d %q %v", r.Status, r.Body, h)
	}
	// A call and the health check from the page carry the origin and the
	// exposed headers, and nothing only a preflight answers.
	body := []byte(`{"Limit":1}`)
	req := newRawRequest(t, targetDynamoDB+"ListTables", body)
	req.Header.Set("Origin", origin)
	signRaw(t, req, body)
	for _, r := range []rawResponse{doRaw(t, req), rawHTTP(t, http.MethodGet, "/", map[string]string{"Origin": origin}, "")} {
		h := r.Header
		if r.Status != http.StatusOK || !corsAllowOrigin(h.Get("Access-Control-Allow-Origin"), origin) ||
			h.Get("Access-Control-Expose-Headers") != expose || h.Get("Access-Control-Max-Age") != "" ||
			h.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("call with Origin: %d %v", r.Status, h)
		}
	}
	// Without an Origin nothing about CORS is said, and an OPTIONS request
	// is DynamoDB's 404.
	r = rawHTTP(t, http.MethodOptions, "/", nil, "")
	if r.Status != http.StatusNotFound || string(r.Body) != "<UnknownOperationException/>\n" {
		t.Errorf("OPTIONS without Origin: %d %q", r.Status, r.Body)
	}
	for _, r := range []rawResponse{r, ddbCall(t, "ListTables", body), rawHTTP(t, http.MethodGet, "/", nil, "")} {
		for k := range r.Header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Errorf("no Origin, yet %s: %v", k, r.Header)
			}
		}
	}
}
