package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
)

// newLoadTarget serves an in-process dynafault for the load command.
func newLoadTarget(t *testing.T) string {
	t.Helper()
	e, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(func() {
		srv.Close()
		_ = e.Close()
	})
	return srv.URL
}

func runLoad(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), append([]string{"load"}, args...), func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatalf("load %v: %v", args, err)
	}
	return out.String()
}

func TestLoadWorkloadsPrintTable(t *testing.T) {
	url := newLoadTarget(t)
	for _, w := range []string{"put", "get", "mixed", "query", "stream"} {
		t.Run(w, func(t *testing.T) {
			out := runLoad(t, "--endpoint", url, "--workload", w, "--duration", "300ms", "--concurrency", "4", "--items", "50")
			for _, field := range []string{"workload", "ops/s", "errors", "throttles", "p50", "p99", "p999", "max", w} {
				if !strings.Contains(out, field) {
					t.Errorf("output lacks %q:\n%s", field, out)
				}
			}
			if w == "stream" && !strings.Contains(out, "records/s") {
				t.Errorf("stream output lacks records/s:\n%s", out)
			}
		})
	}
}

func TestLoadJSONAndCleanup(t *testing.T) {
	url := newLoadTarget(t)
	out := runLoad(t, "--endpoint", url, "--workload", "stream", "--duration", "300ms", "--concurrency", "2", "--json")
	var res struct {
		Workload string
		Table    string
		Ops      uint64
		Errors   map[string]uint64
		Latency  struct {
			P50 float64 `json:"p50_ms"`
		}
		Stream *struct{ Records, Shards uint64 }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, out)
	}
	if res.Workload != "stream" || res.Ops == 0 || len(res.Errors) != 0 || res.Latency.P50 <= 0 {
		t.Fatalf("result: %+v", res)
	}
	if res.Stream == nil || res.Stream.Records == 0 || res.Stream.Records > res.Ops || res.Stream.Shards == 0 {
		t.Fatalf("stream result: %+v", res.Stream)
	}
	// The table was deleted: a run with --table on it fails.
	var stderr bytes.Buffer
	err := run(context.Background(), []string{"load", "--endpoint", url, "--workload", "get", "--table", res.Table, "--duration", "100ms"},
		func(string) string { return "" }, io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Fatalf("load on the deleted table: %v", err)
	}
}

func TestLoadFlagErrors(t *testing.T) {
	err := run(context.Background(), []string{"load", "--workload", "scan"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `unknown workload "scan"`) {
		t.Fatalf("bad workload: %v", err)
	}
}

// TestLoadSoak runs the soak workload against a server whose body read
// timeout is short, so the server cuts the slow clients while the normal
// client works; the figures are printed, not asserted beyond their
// presence and what the run must have done.
func TestLoadSoak(t *testing.T) {
	e, err := emulator.New(emulator.Options{BodyReadTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.Handler())
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
		_ = e.Close()
	})
	out := runLoad(t, "--endpoint", srv.URL, "--workload", "soak", "--duration", "1s", "--concurrency", "2", "--items", "20",
		"--slow-clients", "12", "--slow-every", "50ms", "--server-pid", strconv.Itoa(os.Getpid()), "--json")
	var res struct {
		Ops  uint64
		Soak struct {
			SlowClients int    `json:"slow_clients"`
			Connections uint64 `json:"connections"`
			Cut         uint64 `json:"cut_by_server"`
			PeakRSS     int64  `json:"peak_rss_bytes"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Ops == 0 || res.Soak.SlowClients != 12 || res.Soak.Connections < 12 || res.Soak.Cut == 0 || res.Soak.PeakRSS <= 0 {
		t.Errorf("soak result %+v\n%s", res, out)
	}
	table := runLoad(t, "--endpoint", srv.URL, "--workload", "soak", "--duration", "300ms", "--concurrency", "1",
		"--items", "10", "--slow-clients", "4")
	for _, want := range []string{"soak: normal client error rate ", "soak: server memory not read"} {
		if !strings.Contains(table, want) {
			t.Errorf("soak output lacks %q:\n%s", want, table)
		}
	}
}

func TestLoadMappingWorkload(t *testing.T) {
	url := newLoadTarget(t)
	out := runLoad(t, "--endpoint", url, "--workload", "mapping", "--duration", "300ms", "--concurrency", "2", "--json",
		"--mapping-shards", "3", "--keep")
	var res struct {
		Ops     uint64
		Table   string
		Mapping *struct {
			Shards               int
			Records, Invocations uint64
			Invoke               struct {
				P99 float64 `json:"p99_ms"`
			} `json:"write_to_invoke"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if res.Mapping == nil || res.Mapping.Records != res.Ops || res.Ops == 0 || res.Mapping.Invocations == 0 || res.Mapping.Invoke.P99 <= 0 ||
		res.Mapping.Shards != 3 {
		t.Fatalf("mapping result: %s", out)
	}
	// The kept table's stream has the shards asked for.
	var st struct {
		Streams []struct{ Shards []struct{ ShardID string } }
	}
	resp, err := http.Get(url + "/_admin/streams/" + res.Table)
	if err != nil {
		t.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if err != nil || len(st.Streams) != 1 || len(st.Streams[0].Shards) != 3 {
		t.Fatalf("stream of the kept table: %+v %v", st, err)
	}
	if out := runLoad(t, "--endpoint", url, "--workload", "mapping", "--duration", "100ms", "--concurrency", "1"); !strings.Contains(out, "write-to-invoke") {
		t.Errorf("table output lacks the mapping line:\n%s", out)
	}
}
