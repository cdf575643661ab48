package load

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Soak settings.
const (
	soakOpTimeout  = 5 * time.Second        // a normal call taking longer counts as an error
	soakRSSEvery   = 100 * time.Millisecond // how often the server's RSS is read
	soakRedialWait = 100 * time.Millisecond // a slow client's pause after a failed dial
	// soakIdleEvery: every soakIdleEvery-th slow client opens connections
	// and sends nothing at all (the others send headers declaring a large
	// body, then trickle it).
	soakIdleEvery = 4
)

// SoakResult is the flood side of the soak workload and what it cost the
// server. The normal client's figures are the Result's own.
type SoakResult struct {
	SlowClients int   `json:"slow_clients"`
	SlowBody    int   `json:"slow_body_bytes"` // Content-Length each slow client declares
	SlowEveryMs int64 `json:"slow_every_ms"`   // interval between two trickled body bytes
	// Connections counts the connections the flood opened; Cut those the
	// server ended (an answer such as 408, or a close) while the flood ran;
	// DialErrors the connection attempts that failed.
	Connections uint64 `json:"connections"`
	Cut         uint64 `json:"cut_by_server"`
	DialErrors  uint64 `json:"dial_errors"`
	// ErrorRate is the normal client's failed calls over all its calls.
	ErrorRate float64 `json:"normal_error_rate"`
	// ServerPID is the server whose memory was read (0: none); PeakRSS the
	// highest VmRSS seen and HWM the kernel's VmHWM at the end.
	ServerPID int    `json:"server_pid,omitempty"`
	PeakRSS   int64  `json:"peak_rss_bytes,omitempty"`
	EndRSS    int64  `json:"end_rss_bytes,omitempty"`
	HWM       int64  `json:"hwm_bytes,omitempty"`
	RSSError  string `json:"rss_error,omitempty"`
}

// flood is the slow clients of a soak run.
type flood struct {
	addr              string
	body              int
	every             time.Duration
	conns, cut, dials atomic.Uint64
}

// runSoak runs the normal workers (the mixed workload) while the flood of
// slow clients runs and the server's RSS is sampled.
func runSoak(ctx context.Context, c Config, cl *clients, table string) (Result, error) {
	addr, err := hostPort(c.Endpoint)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	deadline := start.Add(c.Duration)
	fctx, stop := context.WithDeadline(ctx, deadline)
	defer stop()
	f := &flood{addr: addr, body: c.SlowBody, every: c.SlowEvery}
	var wg sync.WaitGroup
	for i := range c.SlowClients {
		wg.Go(func() { f.client(fctx, i%soakIdleEvery == soakIdleEvery-1) })
	}
	rss := &rssSampler{pid: c.ServerPID}
	if c.ServerPID != 0 {
		wg.Go(func() { rss.run(fctx) })
	}
	mixed := c
	mixed.Workload = Mixed
	t := runWorkers(ctx, c.Concurrency, c.Seed, c.Rate, deadline, func(int) op { return timed(opFor(mixed, cl.db, table)) })
	elapsed := time.Since(start)
	stop()
	wg.Wait()
	res := newResult(c, table, elapsed, t)
	res.Soak = f.result(c, res, rss)
	return res, nil
}

// timed bounds each call of o by soakOpTimeout.
func timed(o op) op {
	return func(ctx context.Context, rng *rand.Rand) error {
		ctx, cancel := context.WithTimeout(ctx, soakOpTimeout)
		defer cancel()
		return o(ctx, rng)
	}
}

// hostPort is the host:port of an http endpoint URL.
func hostPort(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return "", fmt.Errorf("the soak workload needs an http:// endpoint, got %q", endpoint)
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "80"), nil
	}
	return u.Host, nil
}

// client is one slow client: it keeps a connection open, sending nothing
// (idle) or headers declaring a large body and then one byte of it every
// f.every, and opens a new one whenever the server ends it, until ctx is
// done.
func (f *flood) client(ctx context.Context, idle bool) {
	d := net.Dialer{Timeout: 5 * time.Second}
	for ctx.Err() == nil {
		conn, err := d.DialContext(ctx, "tcp", f.addr)
		if err != nil {
			if ctx.Err() == nil {
				f.dials.Add(1)
				_ = sleep(ctx, soakRedialWait)
			}
			continue
		}
		f.conns.Add(1)
		if f.hold(ctx, conn, idle) {
			f.cut.Add(1)
		}
		_ = conn.Close()
	}
}

// hold trickles a request on conn until the server ends the connection
// (it reports true) or ctx is done.
func (f *flood) hold(ctx context.Context, conn net.Conn, idle bool) (cut bool) {
	ended := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, conn); close(ended) }()
	stopped := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stopped()
	if !idle {
		head := "POST / HTTP/1.1\r\nHost: " + f.addr + "\r\nContent-Type: application/x-amz-json-1.0\r\n" +
			"X-Amz-Target: DynamoDB_20120810.PutItem\r\nX-Amz-Date: 20260101T000000Z\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=AKIDSLOW/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00\r\n" +
			"Content-Length: " + strconv.Itoa(f.body) + "\r\n\r\n{"
		if _, err := io.WriteString(conn, head); err != nil {
			<-ended
			return ctx.Err() == nil
		}
	}
	tick := time.NewTicker(f.every)
	defer tick.Stop()
	for {
		select {
		case <-ended:
			return ctx.Err() == nil
		case <-ctx.Done():
			<-ended
			return false
		case <-tick.C:
			if !idle {
				_, _ = conn.Write([]byte{' '}) // a failed write shows as ended
			}
		}
	}
}

// result assembles the soak figures.
func (f *flood) result(c Config, r Result, rss *rssSampler) *SoakResult {
	s := &SoakResult{SlowClients: c.SlowClients, SlowBody: c.SlowBody, SlowEveryMs: c.SlowEvery.Milliseconds(),
		Connections: f.conns.Load(), Cut: f.cut.Load(), DialErrors: f.dials.Load(), ServerPID: c.ServerPID}
	if calls := r.Ops + sum(r.Errors); calls > 0 {
		s.ErrorRate = float64(sum(r.Errors)) / float64(calls)
	}
	if c.ServerPID != 0 {
		s.PeakRSS, s.EndRSS, s.HWM = rss.peak, rss.last, rss.hwm
		if rss.err != nil {
			s.RSSError = rss.err.Error()
		}
	}
	return s
}

// rssSampler reads a process's memory from /proc/<pid>/status.
type rssSampler struct {
	pid             int
	peak, last, hwm int64
	err             error
}

// run samples every soakRSSEvery until ctx is done, then once more.
func (s *rssSampler) run(ctx context.Context) {
	tick := time.NewTicker(soakRSSEvery)
	defer tick.Stop()
	for {
		s.sample()
		select {
		case <-ctx.Done():
			s.sample()
			return
		case <-tick.C:
		}
	}
}

// sample reads VmRSS and VmHWM once.
func (s *rssSampler) sample() {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(s.pid), "status"))
	if err != nil {
		s.err = err
		return
	}
	for line := range strings.Lines(string(b)) {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")), 10, 64)
		switch name {
		case "VmRSS":
			s.last = kb << 10
			s.peak = max(s.peak, s.last)
		case "VmHWM":
			s.hwm = kb << 10
		}
	}
}
