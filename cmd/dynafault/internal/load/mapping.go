package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// The mapping workload: writers as in the stream workload, and an event
// source mapping (BatchSize 100, no batching window, StartingPosition
// LATEST) delivering the table's stream (MappingShards shards) to a no-op
// function served by this process over HTTP (the Lambda Invoke API's
// answer: 200, "null"), taking MappingShards invocations at once.
// It measures the records the function received per second and the
// write-to-invoke latency: from the writer's clock before PutItem to the
// function receiving the record. Needs dynafault (the function is
// registered through its admin API) on an address that can reach
// HandlerAddr.

// MappingResult is what the mapping workload measured.
type MappingResult struct {
	// Shards is the stream's shard count the run set (0: the table's, as
	// given with --table).
	Shards        int     `json:"shards,omitempty"`
	Records       uint64  `json:"records"`
	RecordsPerSec float64 `json:"records_per_sec"`
	Invocations   uint64  `json:"invocations"`
	// Invoke is the write-to-invoke latency.
	Invoke Latency `json:"write_to_invoke"`
}

// noopFunction is the function of the mapping workload.
type noopFunction struct {
	mu      sync.Mutex
	lat     *Histogram
	records uint64
	calls   uint64
}

// ServeHTTP records every record's write-to-invoke time and answers null.
func (f *noopFunction) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	body, _ := io.ReadAll(r.Body)
	// Only the write time is decoded: the function shares the machine with
	// the server it measures, so it costs as little as it can.
	var ev struct {
		Records []struct {
			Dynamodb struct {
				NewImage struct {
					TS struct {
						N string `json:"N"`
					} `json:"ts"` // attrTS
				} `json:"NewImage"`
			} `json:"dynamodb"`
		} `json:"Records"`
	}
	_ = json.Unmarshal(body, &ev)
	f.mu.Lock()
	f.calls++
	for _, rec := range ev.Records {
		f.records++
		if ns, err := strconv.ParseInt(rec.Dynamodb.NewImage.TS.N, 10, 64); err == nil {
			f.lat.Record(now.Sub(time.Unix(0, ns)))
		}
	}
	f.mu.Unlock()
	_, _ = w.Write([]byte("null"))
}

func (f *noopFunction) count() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.records
}

// runMapping runs the mapping workload on the prepared table.
func runMapping(ctx context.Context, c Config, cl *clients, table string) (Result, error) {
	if c.Table == "" {
		// The table is new and its stream has no record yet: give it its
		// shards.
		if err := adminPost(ctx, cl, c.Endpoint+"/_admin/streams/"+url.PathEscape(table)+"/shards", map[string]int{"count": c.MappingShards}); err != nil {
			return Result{}, fmt.Errorf("setting the stream's shards: %w", err)
		}
	}
	arn, err := streamARN(ctx, cl.db, table)
	if err != nil {
		return Result{}, err
	}
	ln, err := net.Listen("tcp", c.HandlerAddr)
	if err != nil {
		return Result{}, fmt.Errorf("function listener: %w", err)
	}
	fn := &noopFunction{lat: new(Histogram)}
	srv := &http.Server{Handler: fn, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	name := "dynafault-load-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	fnURL := "http://" + ln.Addr().String() + "/2015-03-31/functions/" + name + "/invocations"
	if err := adminPut(ctx, cl, c.Endpoint+"/_admin/functions/"+name, map[string]any{"url": fnURL, "timeout": "10s", "concurrency": c.MappingShards}); err != nil {
		return Result{}, fmt.Errorf("registering the function: %w", err)
	}
	defer func() { _ = adminDelete(cl, c.Endpoint+"/_admin/functions/"+name) }()
	m, err := cl.lambda.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{
		FunctionName: aws.String(name), EventSourceArn: aws.String(arn), StartingPosition: ltypes.EventSourcePositionLatest,
		BatchSize: aws.Int32(100), MaximumBatchingWindowInSeconds: aws.Int32(0),
	})
	if err != nil {
		return Result{}, fmt.Errorf("create event source mapping: %w", err)
	}
	defer func() {
		_, _ = cl.lambda.DeleteEventSourceMapping(context.WithoutCancel(ctx), &lambda.DeleteEventSourceMappingInput{UUID: m.UUID})
	}()
	start := time.Now()
	writes := runWorkers(ctx, c.Concurrency, c.Seed, c.Rate, start.Add(c.Duration), func(int) op { return opFor(c, cl.db, table) })
	writeTime := time.Since(start)
	deadline := time.Now().Add(drainTimeout)
	for fn.count() < writes.ok && time.Now().Before(deadline) {
		if sleep(ctx, 10*time.Millisecond) != nil {
			break
		}
	}
	readTime := time.Since(start)
	res := newResult(c, table, writeTime, writes)
	fn.mu.Lock()
	shards := c.MappingShards
	if c.Table != "" {
		shards = 0
	}
	res.Mapping = &MappingResult{Shards: shards, Records: fn.records, RecordsPerSec: perSec(fn.records, readTime), Invocations: fn.calls,
		Invoke: latencyOf(fn.lat)}
	fn.mu.Unlock()
	return res, nil
}

// adminPut sends PUT url with body as JSON and wants a 2xx answer.
func adminPut(ctx context.Context, cl *clients, url string, body any) error {
	return adminSend(ctx, cl, http.MethodPut, url, body)
}

// adminPost sends POST url with body as JSON and wants a 2xx answer.
func adminPost(ctx context.Context, cl *clients, url string, body any) error {
	return adminSend(ctx, cl, http.MethodPost, url, body)
}

// adminSend sends the request with body as JSON and wants a 2xx answer.
func adminSend(ctx context.Context, cl *clients, method, url string, body any) error {
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return send(cl, req)
}

// adminDelete sends DELETE url.
func adminDelete(cl *clients, url string) error {
	req, err := http.NewRequest(http.MethodDelete, url, nil)
	if err != nil {
		return err
	}
	return send(cl, req)
}

func send(cl *clients, req *http.Request) error {
	resp, err := (&http.Client{Transport: cl.tr, Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%s %s: %d %s (the mapping workload needs a dynafault endpoint)", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return nil
}
