package wire

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

// bodyWatch wraps a handler and reports on reads of request bodies: the
// first read of each body, and the bytes read so far.
type bodyWatch struct {
	next    http.Handler
	started chan struct{} // one send per body, at its first read
	read    atomic.Int64
}

func newBodyWatch(next http.Handler) *bodyWatch {
	return &bodyWatch{next: next, started: make(chan struct{}, 1024)}
}

func (b *bodyWatch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = &watchedBody{ReadCloser: r.Body, w: b}
	b.next.ServeHTTP(w, r)
}

type watchedBody struct {
	io.ReadCloser
	w       *bodyWatch
	started bool
}

func (wb *watchedBody) Read(p []byte) (int, error) {
	if !wb.started {
		wb.started = true
		wb.w.started <- struct{}{}
	}
	n, err := wb.ReadCloser.Read(p)
	wb.w.read.Add(int64(n))
	return n, err
}

// rawPost opens a connection to addr and sends the headers of a POST that
// declares a body of length bytes (chunked when length < 0) and the first
// bytes of it.
func rawPost(t *testing.T, addr string, length int, first string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	size := "Content-Length: " + fmt.Sprint(length)
	if length < 0 {
		size = "Transfer-Encoding: chunked"
	}
	head := "POST / HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: " + contentTypeAmzJSON +
		"\r\nX-Amz-Target: DynamoDB_20120810.Echo\r\nX-Amz-Date: 20260101T000000Z\r\nAuthorization: " + testAuth +
		"\r\n" + size + "\r\n\r\n" + first
	if _, err := io.WriteString(c, head); err != nil {
		t.Fatal(err)
	}
	return c
}

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

// TestIdleDeclaredBodiesStayCheap: connections that declare 16 MB bodies
// and send 10 bytes of them cost memory for what they sent, not for what
// they declared. Heap bound: 64 such connections, all blocked reading
// their bodies, add less than 32 MB (declared: 1 GB).
func TestIdleDeclaredBodiesStayCheap(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	watch := newBodyWatch(h)
	srv := httptest.NewServer(watch)
	t.Cleanup(srv.Close) // after the connections' cleanups
	const conns, bound = 64, 32 << 20
	before := heapInUse()
	for range conns {
		rawPost(t, srv.Listener.Addr().String(), MaxBodyBytes, `{"S":"0123`)
	}
	for range conns {
		<-watch.started // every handler is reading its body
	}
	if grew := heapInUse() - before; grew > bound {
		t.Fatalf("%d connections declaring %d-byte bodies grew the heap by %d bytes, bound %d", conns, MaxBodyBytes, grew, bound)
	}
}

// TestSlowBodyIsCutAtTheDeadline: a body that stops arriving is answered
// 408 RequestTimeoutException when the body read timeout passes, and the
// connection is closed.
func TestSlowBodyIsCutAtTheDeadline(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	h.SetLimits(Limits{BodyReadTimeout: 50 * time.Millisecond})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for name, length := range map[string]int{"content-length": 100, "chunked": -1} {
		t.Run(name, func(t *testing.T) {
			first := `{"S":`
			if length < 0 {
				first = "5\r\n" + first + "\r\n"
			}
			c := rawPost(t, srv.Listener.Addr().String(), length, first)
			_ = c.SetReadDeadline(time.Now().Add(time.Minute)) // only so a broken server cannot hang the test
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no answer to a stalled body: %v", err)
			}
			defer resp.Body.Close()
			var body map[string]string
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusRequestTimeout || body["__type"] != "com.amazon.coral.service#RequestTimeoutException" ||
				body["message"] != msgTimeout || !resp.Close {
				t.Errorf("answer %d %v (close %v), want 408 RequestTimeoutException and a closed connection", resp.StatusCode, body, resp.Close)
			}
		})
	}
}

// TestBodyBudgetRefusesWhatWouldExceedIt: with 1 MB for bodies in
// flight, a second large body arriving while a first one is read is
// answered 503 ServiceUnavailable (SDKs retry it); once the first is
// done, the budget is free again.
func TestBodyBudgetRefusesWhatWouldExceedIt(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	h.SetLimits(Limits{MaxBodyMemory: 1 << 20})
	watch := newBodyWatch(h)
	srv := httptest.NewServer(watch)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	const size = 700 << 10
	payload := `{"S":"` + strings.Repeat("x", size) + `"}`
	first := rawPost(t, addr, len(payload), payload[:size])
	<-watch.started
	for watch.read.Load() < size { // the server holds 700 KB of the first body
		runtime.Gosched()
	}
	second := rawPost(t, addr, len(payload), payload)
	resp, err := http.ReadResponse(bufio.NewReader(second), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second body: status %d, want 503", resp.StatusCode)
	}
	if _, err := io.WriteString(first, payload[size:]); err != nil {
		t.Fatal(err)
	}
	if resp, err = http.ReadResponse(bufio.NewReader(first), nil); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("first body: %v %v", resp, err)
	}
	resp.Body.Close()
	if used := h.budget.used.Load(); used != 0 {
		t.Errorf("budget still holds %d bytes after both requests", used)
	}
}

// TestBodyInSmallPieces: a body arriving a byte at a time, without a
// length, is read whole.
func TestBodyInSmallPieces(t *testing.T) {
	h, _ := newTestHandler(t)
	addTestOps(h, nil)
	r := signedRequest("DynamoDB_20120810.Echo", "")
	r.Body = io.NopCloser(iotest.OneByteReader(strings.NewReader(`{"S":"` + strings.Repeat("y", 100_000) + `"}`)))
	r.ContentLength = -1
	w := serve(t, h, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), strings.Repeat("y", 100_000)) {
		t.Fatalf("status %d, body of %d bytes", w.Code, w.Body.Len())
	}
}
