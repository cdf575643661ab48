package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1048576": 1 << 20, "512KiB": 512 << 10, "256MiB": 256 << 20,
		"1GiB": 1 << 30, "2GB": 2 << 30, "64MB": 64 << 20, "100B": 100} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1TB", "MiB", "1.5GiB", "99999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q): no error", in)
		}
	}
}

func TestLimitFlagsApply(t *testing.T) {
	var o emulator.Options
	n, rt, err := limitFlags{maxConns: "7", bodyReadTimeout: "0", maxBodyMemory: "0"}.apply(&o)
	if err != nil || n != 7 || rt != 0 || o.MaxBodyMemory >= 0 {
		t.Errorf("zero limits: conns %d, read timeout %v, options %+v, %v; want 7 and both limits off", n, rt, o, err)
	}
	n, rt, err = limitFlags{maxConns: "0", bodyReadTimeout: "2s", maxBodyMemory: "1MiB"}.apply(&o)
	if err != nil || n != 0 || rt != 2*time.Second || o.MaxBodyMemory != 1<<20 || o.BodyReadTimeout != 0 {
		t.Errorf("limits: conns %d, read timeout %v, options %+v, %v: the server enforces the read timeout, not the handler", n, rt, o, err)
	}
}

// TestMaxConns: with --max-conns 2, a third connection is not served while
// two are held open, and is served once one of them closes.
func TestMaxConns(t *testing.T) {
	s := start(t, []string{"--addr", "127.0.0.1:0", "--max-conns", "2"}, nil)
	addr := strings.TrimPrefix(s.url, "http://")
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := c.Write([]byte("GET /_admin/health HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")); err != nil {
			t.Fatal(err)
		}
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || resp.StatusCode != 200 {
			t.Fatalf("held connection: %v %v", resp, err)
		}
		held = append(held, c) // kept alive, idle
	}
	third, err := net.Dial("tcp", addr) // waits in the accept queue
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if _, err := third.Write([]byte("GET /_admin/health HTTP/1.1\r\nHost: " + addr + "\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(third)
	_ = third.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if _, err := r.ReadByte(); err == nil {
		t.Fatal("a third connection was served while two were held")
	}
	_ = held[0].Close()
	_ = third.SetReadDeadline(time.Now().Add(time.Minute))
	if resp, err := http.ReadResponse(r, nil); err != nil || resp.StatusCode != 200 {
		t.Fatalf("third connection after one closed: %v %v", resp, err)
	}
}

// TestServeCutsASlowBody: --body-read-timeout is the server's read
// timeout; a request whose body stops arriving is answered 408
// (RequestTimeoutException) once it passes, and a latency fault that
// outlasts it still answers normally.
func TestServeCutsASlowBody(t *testing.T) {
	s := start(t, []string{"--addr", "127.0.0.1:0", "--body-read-timeout", "300ms"}, nil)
	addr := strings.TrimPrefix(s.url, "http://")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second)) // a bound on the test, not a timing check
	_, _ = fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.0\r\n"+
		"X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 100\r\n\r\n{\"Lim", addr)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to a body that stopped arriving: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(body), "RequestTimeoutException") {
		t.Errorf("slow body: %d %s, want 408 RequestTimeoutException", resp.StatusCode, body)
	}
	adm := client.New(s.url)
	if _, err := adm.AddRules(t.Context(), faults.Rule{Target: faults.TargetAPI, Match: faults.Match{Operation: []string{"ListTables"}},
		Action: faults.Action{Type: faults.ActionLatency, Latency: faults.Duration(time.Second)}}); err != nil {
		t.Fatal(err)
	}
	if code := wireCall(t, s.url, "ListTables", "{}"); code != http.StatusOK {
		t.Errorf("a 1 s latency fault behind a 300 ms read timeout: HTTP %d, want 200", code)
	}
}
