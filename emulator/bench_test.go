package emulator

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// benchWriter is a reusable ResponseWriter that keeps only the status, so
// benchmarks measure the server rather than the recorder.
type benchWriter struct {
	header http.Header
	status int
}

func (w *benchWriter) Header() http.Header         { return w.header }
func (w *benchWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *benchWriter) WriteHeader(code int)        { w.status = code }

// benchCall is one prepared, signed-looking request, replayed b.N times.
type benchCall struct {
	h    http.Handler
	req  *http.Request
	body *bytes.Reader
	raw  []byte
	w    benchWriter
}

func newBenchCall(h http.Handler, op, body string) *benchCall {
	c := &benchCall{h: h, raw: []byte(body), w: benchWriter{header: http.Header{}}}
	c.body = bytes.NewReader(c.raw)
	c.req = httptest.NewRequest(http.MethodPost, "/", c.body)
	c.req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	c.req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	c.req.Header.Set("X-Amz-Date", "20260101T000000Z")
	c.req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20260101/us-east-1/dynamodb/aws4_request, "+
		"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123456789abcdef")
	c.req.ContentLength = int64(len(c.raw))
	return c
}

// do replays the request and returns the status.
func (c *benchCall) do() int {
	c.body.Reset(c.raw)
	c.req.Body = io.NopCloser(c.body)
	clear(c.w.header)
	c.w.status = 0
	c.h.ServeHTTP(&c.w, c.req)
	return c.w.status
}

// benchTable creates a table with a string hash key "pk" and returns the
// emulator's handler.
func benchTable(b *testing.B) http.Handler {
	b.Helper()
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	c := newBenchCall(e.Handler(), "CreateTable", `{"TableName":"bench","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
	if s := c.do(); s != http.StatusOK {
		b.Fatalf("CreateTable: status %d", s)
	}
	return e.Handler()
}

const benchItem = `"pk":{"S":"user#1"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["a","b"]},` +
	`"address":{"M":{"city":{"S":"London"},"zip":{"S":"W1"}}}`

func BenchmarkPutItemHTTP(b *testing.B) {
	h := benchTable(b)
	c := newBenchCall(h, "PutItem", `{"TableName":"bench","Item":{`+benchItem+`}}`)
	b.ReportAllocs()
	for b.Loop() {
		if s := c.do(); s != http.StatusOK {
			b.Fatalf("status %d", s)
		}
	}
}

func BenchmarkGetItemHTTP(b *testing.B) {
	h := benchTable(b)
	for i := range 100 {
		put := newBenchCall(h, "PutItem", `{"TableName":"bench","Item":{`+benchItem+`,"i":{"N":"`+strconv.Itoa(i)+`"}}}`)
		if s := put.do(); s != http.StatusOK {
			b.Fatalf("PutItem: status %d", s)
		}
	}
	c := newBenchCall(h, "GetItem", `{"TableName":"bench","Key":{"pk":{"S":"user#1"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if s := c.do(); s != http.StatusOK {
			b.Fatalf("status %d", s)
		}
	}
}
