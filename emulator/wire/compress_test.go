package wire

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const listTables = prefixDynamoDB + ".ListTables"

func TestCompressedRequests(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	body := []byte(`{"Limit": 5}`)
	var zl, raw bytes.Buffer
	zw := zlib.NewWriter(&zl)
	_, _ = zw.Write(body)
	_ = zw.Close()
	fw, _ := flate.NewWriter(&raw, flate.BestSpeed)
	_, _ = fw.Write(body)
	_ = fw.Close()
	for _, c := range []struct {
		encoding string
		body     []byte
	}{
		{"gzip", gzipped(t, body)},
		{"x-gzip", gzipped(t, body)},
		{"deflate", zl.Bytes()},
		{"deflate", raw.Bytes()},
		{"identity", body},
		{"gzip, gzip", gzipped(t, gzipped(t, body))},
	} {
		r := signedRequest(listTables, string(c.body))
		r.Header.Set("Content-Encoding", c.encoding)
		w := serve(t, h, r)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"TableNames"`) {
			t.Errorf("Content-Encoding %s: %d %s", c.encoding, w.Code, w.Body)
		}
	}
}

func TestCompressedRequestErrors(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	r := signedRequest(listTables, "not gzip at all")
	r.Header.Set("Content-Encoding", "gzip")
	wantError(t, serve(t, h, r), http.StatusBadRequest, "com.amazon.coral.service#SerializationException",
		"The request body could not be decoded as gzip")

	truncated := gzipped(t, []byte(`{"Limit": 5}`))
	r = signedRequest(listTables, string(truncated[:len(truncated)-6]))
	r.Header.Set("Content-Encoding", "gzip")
	wantError(t, serve(t, h, r), http.StatusBadRequest, "com.amazon.coral.service#SerializationException",
		"The request body could not be decoded as gzip")

	r = signedRequest(listTables, `{}`)
	r.Header.Set("Content-Encoding", "br")
	wantError(t, serve(t, h, r), http.StatusBadRequest, "com.amazon.coral.service#SerializationException",
		"The Content-Encoding br is not supported; use gzip or deflate")
}

// A small compressed body that inflates past 16 MB is refused while it is
// inflated: HTTP 413 as for a large plain body, without inflating it all.
func TestCompressedRequestBomb(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MB of zeros, about 64 KB compressed
		_, _ = w.Write(zeros)
	}
	_ = w.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes compressed", buf.Len())
	}
	r := signedRequest(listTables, buf.String())
	r.Header.Set("Content-Encoding", "gzip")
	if got := serve(t, h, r); got.Code != http.StatusRequestEntityTooLarge || !strings.Contains(got.Body.String(), "RequestEntityTooLargeException") {
		t.Fatalf("bomb: %d %q", got.Code, got.Body)
	}
	// Exactly at the limit inflates (and then fails as JSON, not as size).
	at := gzipped(t, bytes.Repeat([]byte{' '}, MaxBodyBytes))
	r = signedRequest(listTables, string(at))
	r.Header.Set("Content-Encoding", "gzip")
	if got := serve(t, h, r); got.Code == http.StatusRequestEntityTooLarge {
		t.Fatalf("a body of exactly %d bytes inflated: 413", MaxBodyBytes)
	}
}

func TestCompressedResponses(t *testing.T) {
	t.Parallel()
	h, _ := newTestHandler(t)
	for _, c := range []struct {
		accept string
		gzip   bool
	}{
		{"gzip", true}, {"gzip, deflate, br", true}, {"br;q=1.0, gzip;q=0.5", true}, {"*", true},
		{"identity", false}, {"gzip;q=0", false}, {"", false},
	} {
		r := signedRequest(listTables, `{}`)
		if c.accept != "" {
			r.Header.Set("Accept-Encoding", c.accept)
		}
		w := serve(t, h, r) // the CRC32 covers the bytes as sent
		if got := w.Header().Get("Content-Encoding") == "gzip"; got != c.gzip {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q", c.accept, w.Header().Get("Content-Encoding"))
			continue
		}
		body := w.Body.Bytes()
		if c.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		var out map[string]any
		if err := json.Unmarshal(body, &out); err != nil || out["TableNames"] == nil {
			t.Errorf("Accept-Encoding %q: body %q", c.accept, body)
		}
	}
	// Errors are compressed too.
	r := signedRequest(prefixDynamoDB+".DescribeTable", `{"TableName":"nope"}`)
	r.Header.Set("Accept-Encoding", "gzip")
	w := serve(t, h, r)
	if w.Code != http.StatusBadRequest || w.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("error response: %d %v", w.Code, w.Header())
	}
}

// FuzzInflate sends arbitrary bodies with each supported Content-Encoding:
// the handler answers with a well-formed response, never a panic or a 5xx,
// and never holds more than the inflated limit.
func FuzzInflate(f *testing.F) {
	h, _ := newTestHandler(f)
	f.Add("gzip", gzipped(f, []byte(`{"Limit": 5}`)))
	f.Add("deflate", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})
	f.Add("gzip, deflate", []byte("x"))
	f.Add("x-gzip", gzipped(f, []byte(`[`)))
	f.Add("identity", []byte(`{}`))
	f.Add("zstd", []byte(`{}`))
	f.Fuzz(func(t *testing.T, encoding string, body []byte) {
		r := signedRequest(listTables, string(body))
		r.Header.Set("Content-Encoding", encoding)
		r.Header.Set("Accept-Encoding", "gzip")
		w := serve(t, h, r)
		if w.Code == http.StatusRequestEntityTooLarge {
			return
		}
		if w.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatalf("response is not gzip: %v", err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("response does not inflate: %v", err)
			}
			w.Body = bytes.NewBuffer(plain)
		}
		checkFuzzResponse(t, w)
	})
}
