package wire

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// preflight sends an OPTIONS preflight from origin.
func preflight(t *testing.T, h *Handler, origin string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodOptions, "/", nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Headers", "content-type, x-amz-target")
	r.Header.Set("Access-Control-Request-Method", "POST")
	return serve(t, h, r)
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
				hdr.Get("Access-Control-Allow-Methods") != "POST" || hdr.Get("Access-Control-Max-Age") != "172800") {
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
			if c.allowed && w.Code != 200 {
				t.Errorf("call: %d %s", w.Code, w.Body)
			}
			if !c.allowed {
				wantError(t, w, http.StatusBadRequest, "com.amazon.coral.service#AccessDeniedException",
					`Origin "`+c.origin+`" is not allowed to call this endpoint (dynafault --cors)`)
			}
		})
	}
}

// TestNoOriginNoCORS: SDK clients send no Origin and get no CORS header.
func TestNoOriginNoCORS(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	w := serve(t, h, signedRequest("DynamoDB_20120810.Echo", `{}`))
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "" || w.Header().Get("Vary") != "" {
		t.Errorf("%d %v", w.Code, w.Header())
	}
}
