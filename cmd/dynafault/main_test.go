package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// started is a dynafault run in the background.
type started struct {
	url    string
	cancel context.CancelFunc
	done   chan error
}

// start runs dynafault with args and env until the test ends, returning once
// it listens.
func start(t *testing.T, args []string, env map[string]string) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	s := &started{cancel: cancel, done: make(chan error, 1)}
	go func() {
		err := run(ctx, args, func(k string) string { return env[k] }, pw, io.Discard)
		pw.CloseWithError(io.EOF)
		s.done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("no listening line: %v (run: %v)", err, <-s.done)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	s.url = strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop cancels the run and checks that it returns cleanly.
func (s *started) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("run returned %v after cancel", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("run did not return after cancel")
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeAndShutdown(t *testing.T) {
	s := start(t, []string{"--addr", "127.0.0.1:0"}, nil)
	if code, body := get(t, s.url+"/_admin/health"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("admin health: %d %s", code, body)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.NoSuchOperation")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-Requestid") == "" {
		t.Fatalf("POST: %d %v", resp.StatusCode, resp.Header)
	}
	s.stop(t)
	if _, err := http.Get(s.url + "/"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func TestServeSubcommandAndEnvFallback(t *testing.T) {
	env := map[string]string{"DYNAFAULT_ADDR": "127.0.0.1:0", "DYNAFAULT_REGION": "eu-west-2", "DYNAFAULT_LOG_FORMAT": "json"}
	s := start(t, []string{"serve"}, env)
	if _, body := get(t, s.url+"/"); body != "healthy: dynamodb.eu-west-2.amazonaws.com " {
		t.Fatalf("health body %q", body)
	}
	s2 := start(t, []string{"serve", "-region", "ap-south-1"}, env)
	if _, body := get(t, s2.url+"/"); body != "healthy: dynamodb.ap-south-1.amazonaws.com " {
		t.Fatalf("flag did not win over env: %q", body)
	}
}

func TestRunErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown flag", []string{"--nope"}, nil, "flag provided but not defined"},
		{"unknown command", []string{"frobnicate"}, nil, `unknown command "frobnicate"`},
		{"stray argument", []string{"serve", "--addr", "127.0.0.1:0", "extra"}, nil, "unexpected arguments: extra"},
		{"bad log level", []string{"--log-level", "loud"}, nil, "invalid --log-level"},
		{"bad log level from env", nil, map[string]string{"DYNAFAULT_LOG_LEVEL": "x"}, `invalid environment variable DYNAFAULT_LOG_LEVEL "x" (debug|info|warn|error)`},
		{"flag wins over a bad env", []string{"--log-level=loud"}, map[string]string{"DYNAFAULT_LOG_LEVEL": "x"}, `invalid --log-level "loud"`},
		{"bad shard count from env", nil, map[string]string{"DYNAFAULT_STREAM_SHARDS": "many"}, `invalid environment variable DYNAFAULT_STREAM_SHARDS "many"`},
		{"bad seed from env", nil, map[string]string{"DYNAFAULT_SEED": "-1"}, `invalid environment variable DYNAFAULT_SEED "-1"`},
		{"bad log format", []string{"--log-format", "xml"}, nil, "invalid --log-format"},
		{"bad ttl sweep interval", []string{"--ttl-sweep-interval", "soon"}, nil, "invalid --ttl-sweep-interval"},
		{"negative ttl sweep interval", []string{"--ttl-sweep-interval=-1s"}, nil, "invalid --ttl-sweep-interval"},
		{"bad ttl sweep interval from env", nil, map[string]string{"DYNAFAULT_TTL_SWEEP_INTERVAL": "1"}, "invalid environment variable DYNAFAULT_TTL_SWEEP_INTERVAL"},
		{"address in use", []string{"--addr", ln.Addr().String()}, nil, "address already in use"},
		{"bad max conns", []string{"--max-conns=-1"}, nil, "invalid --max-conns"},
		{"bad body read timeout", []string{"--body-read-timeout", "long"}, nil, "invalid --body-read-timeout"},
		{"bad max body memory", []string{"--max-body-memory", "lots"}, nil, "invalid --max-body-memory"},
		{"bad max body memory from env", nil, map[string]string{"DYNAFAULT_MAX_BODY_MEMORY": "1TB"}, "invalid environment variable DYNAFAULT_MAX_BODY_MEMORY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err := run(ctx, c.args, func(k string) string { return c.env[k] }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestHelpIsNotAnError(t *testing.T) {
	var out strings.Builder
	for _, args := range [][]string{{"-h"}, {"help"}, {"serve", "--help"}} {
		out.Reset()
		if err := run(context.Background(), args, func(string) string { return "" }, &out, &out); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !strings.Contains(out.String(), "-addr") || !strings.Contains(out.String(), "DYNAFAULT_ADDR") {
			t.Errorf("%v: usage lacks flags: %s", args, out.String())
		}
	}
}
