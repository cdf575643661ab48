package main

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
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
	n, err := limitFlags{maxConns: "7", bodyReadTimeout: "0", maxBodyMemory: "0"}.apply(&o)
	if err != nil || n != 7 || o.BodyReadTimeout >= 0 || o.MaxBodyMemory >= 0 {
		t.Errorf("zero limits: conns %d, options %+v, %v; want 7 and both limits off (negative)", n, o, err)
	}
	n, err = limitFlags{maxConns: "0", bodyReadTimeout: "2s", maxBodyMemory: "1MiB"}.apply(&o)
	if err != nil || n != 0 || o.BodyReadTimeout != 2*time.Second || o.MaxBodyMemory != 1<<20 {
		t.Errorf("limits: conns %d, options %+v, %v", n, o, err)
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
