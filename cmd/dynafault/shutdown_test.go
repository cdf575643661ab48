package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestShutdownCutsAStuckRequest: a request that does not finish within
// the grace period (held for an hour by a latency fault) cannot hold the
// process: its connection is closed and run returns nil (exit status 0).
func TestShutdownCutsAStuckRequest(t *testing.T) {
	s := start(t, []string{"--addr", "127.0.0.1:0", "--shutdown-grace", "100ms"}, nil)
	answered := inFlight(t, s.url, "PT1H")
	s.stop(t) // fails the test unless run returns nil
	if code := <-answered; code != 0 {
		t.Errorf("the stuck request got status %d, want its connection closed", code)
	}
}

// TestShutdownLetsRequestsInFlightFinish: a request in flight when the
// shutdown starts (held a second by a latency fault) gets its answer,
// then run returns nil.
func TestShutdownLetsRequestsInFlightFinish(t *testing.T) {
	s := start(t, []string{"--addr", "127.0.0.1:0", "--shutdown-grace", "1m"}, nil)
	answered := inFlight(t, s.url, "PT1S")
	s.stop(t)
	if code := <-answered; code != http.StatusOK {
		t.Errorf("request in flight during the shutdown: status %d, want 200", code)
	}
}

// inFlight sends a ListTables that a latency fault holds for latency and
// returns once the request is in flight (the fault fired); the channel
// gets its status, 0 when it failed.
func inFlight(t *testing.T, url, latency string) <-chan int {
	t.Helper()
	rule := `{"id":"slow","target":"api","match":{"operation":["ListTables"]},"action":{"type":"latency","latency":"` + latency + `"}}`
	req, _ := http.NewRequest(http.MethodPost, url+"/_admin/faults", strings.NewReader(rule))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("add rule: %v %v", resp, err)
	}
	resp.Body.Close()
	answered := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
		req.Header.Set("X-Amz-Date", "20260101T000000Z")
		req.Header.Set("Authorization", sigV4)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			answered <- 0
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	for !fired(t, url, "slow") {
		time.Sleep(10 * time.Millisecond)
	}
	return answered
}

// fired reports whether the journal has a firing of rule.
func fired(t *testing.T, url, rule string) bool {
	t.Helper()
	_, body := send(t, http.MethodGet, url+"/_admin/journal?rule="+rule, "", "", "")
	var page struct{ Entries []json.RawMessage }
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatalf("journal %s: %v", body, err)
	}
	return len(page.Entries) > 0
}

// TestSecondSignalExitsAtOnce: the first signal cancels the context (the
// graceful shutdown), a second one exits at once with 128 + its number.
func TestSecondSignalExitsAtOnce(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	var stderr bytes.Buffer
	ctx, stop := signalContext(context.Background(), sigs, &stderr, func(code int) { exited <- code })
	defer stop()
	sigs <- syscall.SIGTERM
	<-ctx.Done()
	select {
	case code := <-exited:
		t.Fatalf("exited with %d at the first signal", code)
	default:
	}
	sigs <- syscall.SIGINT
	if code := <-exited; code != 130 {
		t.Errorf("exit code %d at the second signal (SIGINT), want 130", code)
	}
}

func TestBadShutdownGrace(t *testing.T) {
	for _, v := range []string{"soon", "-1s"} {
		err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--shutdown-grace=" + v}, func(string) string { return "" }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "invalid --shutdown-grace") {
			t.Errorf("--shutdown-grace %s: %v", v, err)
		}
	}
}
