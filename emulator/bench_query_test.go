package emulator

import (
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// BenchmarkQueryHTTP reads a 100-item partition, among other partitions, in
// one page through the full handler (decode, Query, encode of 100 items).
func BenchmarkQueryHTTP(b *testing.B) {
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Close() })
	h := e.Handler()
	c := newBenchCall(h, "CreateTable", `{"TableName":"benchq","BillingMode":"PAY_PER_REQUEST",`+
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],`+
		`"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]}`)
	if s := c.do(); s != http.StatusOK {
		b.Fatalf("CreateTable: status %d", s)
	}
	for p := range 10 {
		for i := range 100 {
			put := newBenchCall(h, "PutItem", `{"TableName":"benchq","Item":{"pk":{"S":"p`+strconv.Itoa(p)+
				`"},"sk":{"N":"`+strconv.Itoa(i)+`"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["a","b"]}}}`)
			if s := put.do(); s != http.StatusOK {
				b.Fatalf("PutItem: status %d", s)
			}
		}
	}
	q := newBenchCall(h, "Query", `{"TableName":"benchq","KeyConditionExpression":"pk = :p",`+
		`"ExpressionAttributeValues":{":p":{"S":"p5"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if s := q.do(); s != http.StatusOK {
			b.Fatalf("status %d", s)
		}
	}
}

// BenchmarkNetHTTPBaseline is the floor the HTTP benchmarks compare with:
// a plain net/http handler that, on the same prepared GetItem request as
// BenchmarkGetItemHTTP, reads the body and answers a fixed GetItem
// response with the same headers (request id, Content-Type, x-amz-crc32,
// Content-Length), doing no DynamoDB work.
func BenchmarkNetHTTPBaseline(b *testing.B) {
	resp := []byte(`{"Item":{"address":{"M":{"city":{"S":"London"},"zip":{"S":"W1"}}},"age":{"N":"36"},` +
		`"name":{"S":"Ada Lovelace"},"pk":{"S":"user#1"},"tags":{"SS":["a","b"]}}}`)
	buf := make([]byte, 0, 4096)
	var id uint64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id++
		hdr := w.Header()
		hdr["X-Amzn-Requestid"] = []string{strconv.FormatUint(id, 10)}
		body := buf[:0]
		for {
			n, err := r.Body.Read(body[len(body):cap(body)])
			body = body[:len(body)+n]
			if err == io.EOF {
				break
			} else if err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
		hdr["Content-Type"] = []string{"application/x-amz-json-1.0"}
		hdr["X-Amz-Crc32"] = []string{strconv.FormatUint(uint64(crc32.ChecksumIEEE(resp)), 10)}
		hdr["Content-Length"] = []string{strconv.Itoa(len(resp))}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(resp)
	})
	c := newBenchCall(h, "GetItem", `{"TableName":"bench","Key":{"pk":{"S":"user#1"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if s := c.do(); s != http.StatusOK {
			b.Fatalf("status %d", s)
		}
	}
}
