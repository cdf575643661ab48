package wire

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// onlyReader hides a reader's other methods (and its length) so the request
// looks chunked.
type onlyReader struct{ io.Reader }

// tooLargeType is the __type of the 413 answer.
const tooLargeType = "com.amazon.coral.service#RequestEntityTooLargeException"

func TestBodyOver16MBIs413(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	big := bytes.Repeat([]byte("a"), MaxBodyBytes+1)
	t.Run("content-length", func(t *testing.T) {
		r := signedRequest("DynamoDB_20120810.Echo", "")
		r.Body = io.NopCloser(bytes.NewReader(big))
		r.ContentLength = int64(len(big))
		wantError(t, serve(t, h, r), http.StatusRequestEntityTooLarge, tooLargeType, msgTooLarge)
	})
	t.Run("chunked", func(t *testing.T) {
		r := signedRequest("DynamoDB_20120810.Echo", "")
		r.Body = io.NopCloser(onlyReader{bytes.NewReader(big)})
		r.ContentLength = -1
		wantError(t, serve(t, h, r), http.StatusRequestEntityTooLarge, tooLargeType, msgTooLarge)
	})
	t.Run("exactly 16MB is read", func(t *testing.T) {
		r := signedRequest("DynamoDB_20120810.Echo", "")
		r.Body = io.NopCloser(onlyReader{bytes.NewReader(big[:MaxBodyBytes])})
		r.ContentLength = -1
		w := serve(t, h, r)
		wantError(t, w, 400, "com.amazon.coral.service#SerializationException", "")
	})
}

// TestBody413OverRealConnection checks that an upload over the limit, with
// or without Content-Length, gets its 413 rather than a reset connection.
func TestBody413OverRealConnection(t *testing.T) {
	h, _ := newTestHandler(t)
	srv := httptest.NewServer(h)
	defer srv.Close()
	big := strings.Repeat("a", MaxBodyBytes+1024)
	for name, body := range map[string]io.Reader{"chunked": onlyReader{strings.NewReader(big)}, "content-length": strings.NewReader(big)} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL, body)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", contentTypeAmzJSON)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatalf("request failed instead of answering 413: %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d", resp.StatusCode)
			}
		})
	}
}

func TestHeadersOver16KBAre400(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	r := signedRequest("DynamoDB_20120810.Echo", "{}")
	r.Header.Set("X-Big", strings.Repeat("x", MaxHeaderBytes))
	if w := serve(t, h, r); w.Code != http.StatusBadRequest {
		t.Fatalf("status %d", w.Code)
	}
	r = signedRequest("DynamoDB_20120810.Echo", "{}")
	r.Header.Set("X-Big", strings.Repeat("x", MaxHeaderBytes-1024))
	if w := serve(t, h, r); w.Code != http.StatusOK {
		t.Fatalf("status %d for headers under the limit", w.Code)
	}
}
