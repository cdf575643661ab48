package load

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Latency holds percentiles in milliseconds.
type Latency struct {
	P50  float64 `json:"p50_ms"`
	P99  float64 `json:"p99_ms"`
	P999 float64 `json:"p999_ms"`
	Max  float64 `json:"max_ms"`
	Mean float64 `json:"mean_ms"`
}

func latencyOf(h *Histogram) Latency {
	return Latency{
		P50: ms(h.Quantile(0.5)), P99: ms(h.Quantile(0.99)), P999: ms(h.Quantile(0.999)),
		Max: ms(h.Max()), Mean: ms(h.Mean()),
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Result is the outcome of one run. Ops counts successful calls; each
// failed call is in Errors under its exception name (throttles included)
// and, when it is a throttle, in Throttles too.
type Result struct {
	Endpoint    string `json:"endpoint"`
	Workload    string `json:"workload"`
	Table       string `json:"table"`
	Concurrency int    `json:"concurrency"`
	// Rate is the paced call rate asked for (Config.Rate); 0 when each
	// worker called as fast as it was answered.
	Rate      float64           `json:"rate,omitempty"`
	Seconds   float64           `json:"seconds"` // measured duration of the workers
	Ops       uint64            `json:"ops"`
	OpsPerSec float64           `json:"ops_per_sec"`
	Errors    map[string]uint64 `json:"errors"`
	// ErrorSamples holds the first message of each error type.
	ErrorSamples map[string]string `json:"error_samples,omitempty"`
	Throttles    uint64            `json:"throttles"`
	Latency      Latency           `json:"latency"`
	Stream       *StreamResult     `json:"stream,omitempty"`
	Soak         *SoakResult       `json:"soak,omitempty"`
	Mapping      *MappingResult    `json:"mapping,omitempty"`
}

// StreamResult is the reading side of the stream workload.
type StreamResult struct {
	Shards        int               `json:"shards"` // shards read
	Records       uint64            `json:"records"`
	RecordsPerSec float64           `json:"records_per_sec"`
	Errors        map[string]uint64 `json:"errors"` // failed GetRecords calls
	// Visible is the write-to-visible latency: from the writer's clock just
	// before PutItem to a reader receiving the record (including the poll
	// interval after an empty GetRecords).
	Visible Latency `json:"write_to_visible"`
	PollMs  float64 `json:"poll_ms"`
}

// newResult fills a Result from the writers' tally.
func newResult(c Config, table string, elapsed time.Duration, t *tally) Result {
	r := Result{
		Endpoint: c.Endpoint, Workload: c.Workload, Table: table, Concurrency: c.Concurrency, Rate: c.Rate,
		Seconds: elapsed.Seconds(), Ops: t.ok, OpsPerSec: perSec(t.ok, elapsed), Errors: t.errors, ErrorSamples: t.sample,
		Latency: latencyOf(t.lat),
	}
	for name, n := range t.errors {
		if isThrottle(name) {
			r.Throttles += n
		}
	}
	return r
}

func perSec(n uint64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// WriteJSON writes r as indented JSON.
func (r Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes r as a small aligned table.
func (r Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "workload\tconcurrency\tseconds\tops\tops/s\terrors\tthrottles\tp50\tp99\tp999\tmax\t\n")
	fmt.Fprintf(tw, "%s\t%d\t%.1f\t%d\t%.0f\t%d\t%d\t%s\t%s\t%s\t%s\t\n", r.Workload, r.Concurrency, r.Seconds,
		r.Ops, r.OpsPerSec, sum(r.Errors), r.Throttles,
		fmtMs(r.Latency.P50), fmtMs(r.Latency.P99), fmtMs(r.Latency.P999), fmtMs(r.Latency.Max))
	if s := r.Stream; s != nil {
		fmt.Fprintf(tw, "stream read\tshards %d\t\trecords %d\trecords/s %.0f\t%d\t\t%s\t%s\t%s\t%s\t\n", s.Shards,
			s.Records, s.RecordsPerSec, sum(s.Errors),
			fmtMs(s.Visible.P50), fmtMs(s.Visible.P99), fmtMs(s.Visible.P999), fmtMs(s.Visible.Max))
	}
	if m := r.Mapping; m != nil {
		fmt.Fprintf(tw, "mapping\tinvocations %d\t\trecords %d\trecords/s %.0f\t\t\t%s\t%s\t%s\t%s\t\n", m.Invocations,
			m.Records, m.RecordsPerSec, fmtMs(m.Invoke.P50), fmtMs(m.Invoke.P99), fmtMs(m.Invoke.P999), fmtMs(m.Invoke.Max))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Rate > 0 {
		fmt.Fprintf(w, "paced at %.0f calls/s in all\n", r.Rate)
	}
	if r.Mapping != nil {
		shards := ""
		if r.Mapping.Shards > 0 {
			shards = fmt.Sprintf(", %d shards, one batch in flight per shard", r.Mapping.Shards)
		}
		fmt.Fprintf(w, "mapping latencies are write-to-invoke (BatchSize 100, no batching window%s)\n", shards)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "errors: %s\n", byName(r.Errors))
		for _, k := range slices.Sorted(maps.Keys(r.ErrorSamples)) {
			fmt.Fprintf(w, "  first %s: %s\n", k, r.ErrorSamples[k])
		}
	}
	if s := r.Soak; s != nil {
		writeSoak(w, s)
	}
	if s := r.Stream; s != nil {
		fmt.Fprintf(w, "stream read latencies are write-to-visible (poll %gms after an empty GetRecords)\n", s.PollMs)
		if len(s.Errors) > 0 {
			_, _ = fmt.Fprintf(w, "stream read errors: %s\n", byName(s.Errors))
		}
	}
	_, err := fmt.Fprintf(w, "endpoint %s, table %s\n", r.Endpoint, r.Table)
	return err
}

// writeSoak writes the soak figures: the flood and the server's memory.
func writeSoak(w io.Writer, s *SoakResult) {
	fmt.Fprintf(w, "soak: normal client error rate %.4f%% while %d slow clients (%d bytes declared, a byte every %dms) "+
		"opened %d connections, %d cut by the server, %d dial errors\n",
		100*s.ErrorRate, s.SlowClients, s.SlowBody, s.SlowEveryMs, s.Connections, s.Cut, s.DialErrors)
	switch {
	case s.ServerPID == 0:
		fmt.Fprintln(w, "soak: server memory not read (no --server-pid)")
	case s.RSSError != "":
		fmt.Fprintf(w, "soak: server %d memory: %s\n", s.ServerPID, s.RSSError)
	default:
		fmt.Fprintf(w, "soak: server %d peak RSS %.1f MB (VmHWM %.1f MB), RSS at the end %.1f MB\n",
			s.ServerPID, mib(s.PeakRSS), mib(s.HWM), mib(s.EndRSS))
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

func fmtMs(v float64) string { return fmt.Sprintf("%.3fms", v) }

func sum(m map[string]uint64) uint64 {
	var n uint64
	for _, v := range m {
		n += v
	}
	return n
}

// byName renders counts as "A=1 B=2", sorted by name.
func byName(m map[string]uint64) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}
