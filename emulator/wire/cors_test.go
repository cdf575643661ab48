package wire

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// preflight sends an OPTIONS preflight from origin. An answered preflight
// carries a request id and no body, Content-Type or x-amz-crc32, as
// DynamoDB's does.
func preflight(t *testing.T, h *Handler, origin string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Headers", "content-type, x-amz-target")
	r.Header.Set("Access-Control-Request-Method", "POST")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		checkCommonHeaders(t, w) // a refusal is an ordinary response
		return w
	}
	hdr := w.Header()
	if !requestIDRE.MatchString(hdr.Get("X-Amzn-Requestid")) || w.Body.Len() != 0 || hdr.Get("Content-Length") != "0" ||
		hdr.Get("Content-Type") != "" || hdr.Get("X-Amz-Crc32") != "" || hdr.Get("Server") != "Server" {
		t.Errorf("preflight answer headers %v, body %q", hdr, w.Body)
	}
	return w
}

// TestCORSFollowsTheAllowList: preflights and calls from allowed origins
// get CORS answers naming the origin (or * for any); other origins get no
// CORS header, a refused preflight and a refused call.
func TestCORSFollowsTheAllowList(t *testing.T) {
	cases := []struct {
		name      string
		allow     []string // nil: the default
		origin    string
		allowed   bool
		allowName string // Access-Control-Allow-Origin when allowed
	}{
		{"default: a local dev server", nil, "http://localhost:5173", true, "http://localhost:5173"},
		{"default: 127.0.0.1 over https", nil, "https://127.0.0.1:8443", true, "https://127.0.0.1:8443"},
		{"default: IPv6 loopback", nil, "http://[::1]:3000", true, "http://[::1]:3000"},
		{"default: a .localhost name", nil, "http://app.localhost:3000", true, "http://app.localhost:3000"},
		{"default: a web page", nil, "https://evil.example", false, ""},
		{"default: a rebound name", nil, "http://localhost.evil.example:8000", false, ""},
		{"default: a file page", nil, "null", false, ""},
		{"default: a name that looks like an address", nil, "http://127.1.2.com", false, ""},
		{"default: another scheme", nil, "ftp://localhost", false, ""},
		{"any", []string{"*"}, "https://app.example", true, "*"},
		{"exact", []string{"https://app.example", "http://localhost:3000"}, "https://APP.example/", true, "https://APP.example/"},
		{"exact: another", []string{"https://app.example"}, "http://localhost:3000", false, ""},
		{"none", []string{}, "http://localhost:3000", false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, _ := newTestHandler(t)
			addTestOps(h, nil)
			if c.allow != nil {
				h.SetCORS(c.allow)
			}
			w := preflight(t, h, c.origin)
			hdr := w.Header()
			if got := hdr.Get("Access-Control-Allow-Origin"); got != c.allowName {
				t.Errorf("preflight: Access-Control-Allow-Origin %q, want %q", got, c.allowName)
			}
			if c.allowed && (w.Code != 200 || hdr.Get("Access-Control-Allow-Headers") != "content-type, x-amz-target" ||
				hdr.Get("Access-Control-Allow-Methods") != "POST" || hdr.Get("Access-Control-Max-Age") != "172800" ||
				hdr.Get("Access-Control-Expose-Headers") != corsExposeHeaders) {
				t.Errorf("preflight: %d %v", w.Code, hdr)
			}
			if !c.allowed && (w.Code != http.StatusForbidden || hdr.Get("Access-Control-Allow-Methods") != "") {
				t.Errorf("refused preflight: %d %v", w.Code, hdr)
			}
			call := withHeader(signedRequest("DynamoDB_20120810.Echo", `{"S":"x"}`), "Origin", c.origin)
			w = serve(t, h, call)
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != c.allowName {
				t.Errorf("call: Access-Control-Allow-Origin %q, want %q", got, c.allowName)
			}
			if c.allowed && (w.Code != 200 || w.Header().Get("Access-Control-Expose-Headers") != corsExposeHeaders ||
				w.Header().Get("Access-Control-Max-Age") != "" || w.Header().Get("Access-Control-Allow-Methods") != "") {
				t.Errorf("call: %d %v %s", w.Code, w.Header(), w.Body)
			}
			if !c.allowed {
				wantError(t, w, http.StatusBadRequest, "com.amazon.coral.service#AccessDeniedException",
					`Origin "`+c.origin+`" is not allowed to call this endpoint (dynafault --cors)`)
			}
		})
	}
}

// TestNoOriginNoCORS: SDK clients send no Origin and get no CORS header,
// on a call, the health check or an OPTIONS request (which is then
// DynamoDB's 404).
func TestNoOriginNoCORS(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	h.SetCORS([]string{CORSAny})
	for _, r := range []*http.Request{
		signedRequest("DynamoDB_20120810.Echo", `{}`),
		httptest.NewRequest(http.MethodGet, "/", nil),
		httptest.NewRequest(http.MethodOptions, "/", nil),
	} {
		w := serve(t, h, r)
		for k := range w.Header() {
			if strings.HasPrefix(k, "Access-Control-") || k == "Vary" {
				t.Errorf("%s %s: %s: %v", r.Method, r.URL, k, w.Header())
			}
		}
	}
}

// TestCORSOnHealthCheck: the health check answers a page of an allowed
// origin with the same CORS headers as a call (DynamoDB answers GET, POST
// and OPTIONS alike; scylladb test_cors.py).
func TestCORSOnHealthCheck(t *testing.T) {
	h, _ := newTestHandler(t)
	h.SetCORS([]string{CORSAny})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("Origin", "http://example.com/")
	w := serve(t, h, r)
	hdr := w.Header()
	if w.Code != 200 || hdr.Get("Access-Control-Allow-Origin") != "*" || hdr.Get("Access-Control-Expose-Headers") != corsExposeHeaders ||
		hdr.Get("Access-Control-Max-Age") != "" {
		t.Errorf("%d %v", w.Code, hdr)
	}
}
