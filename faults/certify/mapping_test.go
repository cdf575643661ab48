package certify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/dynafaulttest"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/certify"
	"github.com/dynafault/dynafault/faults/client"
)

// versionChecker is a well-behaved stream handler for a mapping: it
// follows each item's version counter, as the reference consumer does,
// and says so when a change is missing or out of order. Its versions are
// kept per scenario (by state directory), so a restart of the mapping
// (disabled, enabled) does not forget them.
type versionChecker struct {
	mu       sync.Mutex
	versions map[string]map[string]int // state dir -> item -> last version
}

// handlerFor is the handler of one start of the consumer in a scenario.
func (c *versionChecker) handlerFor(env certify.Env) certify.HandlerFunc {
	return func(_ context.Context, event []byte) ([]byte, error) {
		var ev streamEvent
		if err := json.Unmarshal(event, &ev); err != nil {
			return nil, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.versions == nil {
			c.versions = map[string]map[string]int{}
		}
		seen := c.versions[env.StateDir]
		if seen == nil {
			seen = map[string]int{}
			c.versions[env.StateDir] = seen
		}
		for i := range ev.Records {
			r := &ev.Records[i]
			key, v, remove := r.Dynamodb.Keys.PK.S, r.version(), r.EventName == "REMOVE"
			last := seen[key]
			want := last + 1
			if remove {
				want = last // a REMOVE carries the version it deletes
			}
			switch {
			case v < want:
				fmt.Fprintf(env.Output, "OUT OF ORDER: %s %s v%d after v%d\n", key, r.EventName, v, last)
			case v > want:
				fmt.Fprintf(env.Output, "GAP: %s %s v%d after v%d\n", key, r.EventName, v, last)
			}
			seen[key] = max(last, v)
			if remove {
				seen[key] = max(last, v+1) // the delete consumed a version
			}
		}
		return []byte("null"), nil
	}
}

// streamEvent is the part of Lambda's DynamoDB stream event the handlers
// of these tests read.
type streamEvent struct {
	Records []streamRecord `json:"Records"`
}

type streamRecord struct {
	EventName string `json:"eventName"`
	Dynamodb  struct {
		Keys struct {
			PK struct {
				S string `json:"S"`
			} `json:"pk"`
		} `json:"Keys"`
		NewImage       map[string]map[string]string `json:"NewImage"`
		OldImage       map[string]map[string]string `json:"OldImage"`
		SequenceNumber string                       `json:"SequenceNumber"`
	} `json:"dynamodb"`
}

// version is the record's item version (of the deleted item for REMOVE).
func (r *streamRecord) version() int {
	img := r.Dynamodb.NewImage
	if r.EventName == "REMOVE" {
		img = r.Dynamodb.OldImage
	}
	v, _ := strconv.Atoi(img[certify.AttrVersion]["N"])
	return v
}

// startMappingServer starts an emulator for a mapping consumer's battery:
// shards roll over every 4 hours, as for startServer, and failed batches
// are retried after 5 ms doubling to 50 ms, so that a poison record's
// retries take no time.
func startMappingServer(t *testing.T, opts ...dynafaulttest.Option) *dynafaulttest.Server {
	t.Helper()
	return dynafaulttest.Start(t, append([]dynafaulttest.Option{
		dynafaulttest.WithEmulatorOptions(emulator.Options{StreamRollover: 4 * time.Hour}),
		dynafaulttest.WithRetryBackoff(5*time.Millisecond, 50*time.Millisecond)}, opts...)...)
}

// wellConfigured are mapping settings that give a poison record up alone:
// two retries, then bisection isolates it.
func wellConfigured() lambda.CreateEventSourceMappingInput {
	return lambda.CreateEventSourceMappingInput{MaximumRetryAttempts: aws.Int32(2), BisectBatchOnFunctionError: aws.Bool(true)}
}

// A mapping to a well-behaved in-process handler, with settings that
// give a poison record up alone, passes every scenario that applies to
// mappings; the others are skipped.
func TestMappingConsumerPassesEveryScenario(t *testing.T) {
	t.Parallel()
	srv := startMappingServer(t)
	checker := &versionChecker{}
	cfg := certify.Config{Endpoint: srv.URL, CatchUpWithin: 20 * time.Second,
		Consumer: certify.Mapping{HandlerFor: checker.handlerFor, Settings: wellConfigured()}}
	if testing.Verbose() {
		cfg.ConsumerOutput = os.Stderr
	}
	rep := certify.Test(t, cfg)
	want := builtinFor(certify.KindMapping)
	if rep.Passed != len(want) || rep.Skipped != len(certify.Builtin())-len(want) {
		t.Errorf("%d of %d scenarios passed, %d skipped", rep.Passed, len(want), rep.Skipped)
	}
	for _, name := range []string{"poison-record", "handler-timeout", "shard-split", "restart-after-day-down", "iterators-expired"} {
		if !slices.Contains(want, name) && name != "iterators-expired" {
			t.Errorf("%s does not apply to mappings", name)
		}
	}
	if slices.Contains(want, "iterators-expired") || slices.Contains(want, "getrecords-throttled") {
		t.Errorf("scenarios of the Streams API apply to mappings: %v", want)
	}
	if res, ok := rep.Result("poison-record"); ok {
		m := res.Mapping
		if res.Missed["discarded"] != 1 || m == nil || m.Failures["RetryAttemptsExhausted"] != 1 || m.Errors < 3 || !strings.HasPrefix(m.FunctionArn, "arn:aws:lambda:") {
			t.Errorf("poison-record: missed %v, mapping %+v: want the poison record alone discarded after 3 failed invocations", res.Missed, m)
		}
		if len(res.Examples) == 0 || res.Examples[0].Keys.String() != "pk=item-0003" || res.Examples[0].EventName != "INSERT" {
			t.Errorf("poison-record: examples %+v", res.Examples)
		}
	}
	if res, ok := rep.Result("paused-past-retention"); ok && (res.Missed["trimmed"] == 0 || len(res.Reported) == 0) {
		t.Errorf("paused-past-retention: missed %v, reported %q: want trimmed changes the handler reported", res.Missed, res.Reported)
	}
	if res, ok := rep.Result("restart-after-day-down"); ok && (res.PlannedRestarts != 0 || res.Starts != 2) {
		t.Errorf("restart-after-day-down: %d starts, %d planned restarts: want the mapping enabled twice", res.Starts, res.PlannedRestarts)
	}
	if t.Failed() {
		_ = rep.WriteTable(os.Stderr)
	}
}

// With Lambda's defaults (retries until the record expires) a handler
// that never succeeds on the poison record blocks its shard: the
// scenario fails as stalled, naming the pending changes and the batch the
// mapping was still retrying. Without bisection, the changes sharing the
// poison record's batch are discarded with it.
func TestMappingConsumerFailsThePoisonRecordScenario(t *testing.T) {
	t.Parallel()
	poison := regexp.MustCompile(`^poison-record$`)
	run := func(t *testing.T, settings lambda.CreateEventSourceMappingInput, deadline time.Duration) certify.Result {
		t.Helper()
		srv := startMappingServer(t)
		rep, err := certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Run: poison, CatchUpWithin: deadline,
			Consumer: certify.Mapping{HandlerFor: (&versionChecker{}).handlerFor, Settings: settings}})
		if err != nil {
			t.Fatal(err)
		}
		res := rep.Results[0]
		if t.Failed() || res.Status != certify.StatusFail {
			_ = rep.WriteTable(os.Stderr)
		}
		return res
	}
	t.Run("defaults", func(t *testing.T) {
		t.Parallel()
		res := run(t, lambda.CreateEventSourceMappingInput{}, 3*time.Second)
		failures := strings.Join(res.Failures, "\n")
		m := res.Mapping
		switch {
		case res.Status != certify.StatusFail || res.CaughtUp:
			t.Fatalf("status %s, caught up %v: want a stalled failure", res.Status, res.CaughtUp)
		case !strings.Contains(failures, "stalled: not caught up 3s after the last write") || !strings.Contains(failures, " pending (e.g. pk=item-"):
			// The example is the first pending change in shard order: the
			// poison record's, or on a loaded machine one of another shard
			// still being read; the retried batch below is the poison's.
			t.Errorf("failures %q: want stalled with changes pending", res.Failures)
		case !strings.Contains(failures, "the mapping was still retrying shardId-") || !strings.Contains(failures, "last outcome functionError"):
			t.Errorf("failures %q: want the batch the mapping was retrying", res.Failures)
		case m == nil || len(m.InFlight) != 1 || m.InFlight[0].Attempt < 3 || m.Errors < 2 || len(m.Failures) != 0:
			t.Errorf("mapping evidence %+v: want one batch retried, no failure record", m)
		case res.Missed["discarded"] != 0 || res.Missed["pending"] == 0:
			t.Errorf("missed %v", res.Missed)
		case len(res.Faults) != 1 || res.Faults[0].Rule != "poison" || res.Faults[0].Fired < 3:
			t.Errorf("faults %+v", res.Faults)
		}
	})
	t.Run("retries-without-bisection", func(t *testing.T) {
		t.Parallel()
		// A one-second batching window makes the poison record's batch
		// hold the other changes of its shard written meanwhile.
		res := run(t, lambda.CreateEventSourceMappingInput{MaximumRetryAttempts: aws.Int32(1),
			MaximumBatchingWindowInSeconds: aws.Int32(1)}, 20*time.Second)
		failures := strings.Join(res.Failures, "\n")
		switch {
		case res.Status != certify.StatusFail || !res.CaughtUp:
			t.Fatalf("status %s, caught up %v: want a failure after catching up", res.Status, res.CaughtUp)
		case res.Missed["discarded"] < 2 || !strings.Contains(failures, "discarded (at most 1 allowed)"):
			t.Errorf("missed %v, failures %q: want the records sharing the poison record's batch discarded", res.Missed, res.Failures)
		case res.Mapping == nil || res.Mapping.Failures["RetryAttemptsExhausted"] != 1:
			t.Errorf("mapping evidence %+v: want one failure record", res.Mapping)
		}
	})
}

// A handler's own failures reach the mapping as Lambda's would: an error
// and a panic on one record are function errors, retried, then the
// record is given up (the journal names the handler's error type), and
// the rest is delivered.
func TestMappingConsumerHandlerFailures(t *testing.T) {
	t.Parallel()
	sc, err := certify.ParseScenarios([]byte(`{"name": "own-poison", "kinds": ["mapping"],
		"workload": {"keys": 8, "writes": 40, "deleteRatio": -1, "shards": 2},
		"expect": {"maxMissed": {"discarded": 1}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, detail string }{
		{"error", "last functionError errorString: cannot process item-0002"},
		{"panic", "last functionError string: item-0002 is poison"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := startMappingServer(t)
			handler := func(_ context.Context, event []byte) ([]byte, error) {
				var ev streamEvent
				if err := json.Unmarshal(event, &ev); err != nil {
					return nil, err
				}
				for _, r := range ev.Records {
					if r.Dynamodb.Keys.PK.S == "item-0002" && r.EventName == "INSERT" {
						if c.name == "panic" {
							panic("item-0002 is poison")
						}
						return nil, fmt.Errorf("cannot process %s", r.Dynamodb.Keys.PK.S)
					}
				}
				return nil, nil
			}
			rep, err := certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Scenarios: sc, CatchUpWithin: 20 * time.Second,
				Consumer: certify.Mapping{Handler: handler, Settings: lambda.CreateEventSourceMappingInput{
					BatchSize: aws.Int32(1), MaximumRetryAttempts: aws.Int32(1)}}})
			if err != nil {
				t.Fatal(err)
			}
			res := rep.Results[0]
			if res.Status != certify.StatusPass || res.Missed["discarded"] != 1 || res.Mapping == nil || res.Mapping.Errors != 2 {
				_ = rep.WriteTable(os.Stderr)
				t.Fatalf("status %s, missed %v, mapping %+v: want the poison record discarded after 2 failed invocations", res.Status, res.Missed, res.Mapping)
			}
			lost, err := srv.Admin().JournalAll(t.Context(), faults.JournalQuery{Kind: faults.KindLoss, Consumer: res.Mapping.UUID})
			if err != nil || len(lost) != 1 || lost[0].Keys.String() != "pk=S:item-0002" || !strings.Contains(lost[0].Detail, c.detail) {
				t.Errorf("journal %+v (%v): want the discard of item-0002 with %q", lost, err, c.detail)
			}
		})
	}
}

// A mapping to a function the server has (an in-process one), and to a
// URL the battery registers for the run and forgets after it (or puts
// back as it was). The battery cannot see such a function's output, nor
// a Go Handler's: a loss report it requires is a note.
func TestMappingConsumerOfARegisteredFunctionOrURL(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, []byte) ([]byte, error) { return []byte("null"), nil }
	srv := startMappingServer(t, dynafaulttest.WithFunctions(dynafaulttest.Function{Name: "orders", Handler: noop}))
	fn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("null")) }))
	defer fn.Close()
	run := func(m certify.Mapping, names string) (*certify.Report, error) {
		return certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Consumer: m, Run: regexp.MustCompile(names), CatchUpWithin: 20 * time.Second})
	}

	rep, err := run(certify.Mapping{Function: "orders"}, `^(baseline|reordered-record)$`)
	if err != nil || !rep.OK() || rep.Passed != 2 {
		t.Fatalf("a registered function: %v %+v", err, rep)
	}
	if res, _ := rep.Result("reordered-record"); len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "cannot see the output of function orders") {
		t.Errorf("reordered-record notes %q", res.Notes)
	}
	rep, err = run(certify.Mapping{Handler: noop}, `^reordered-record$`)
	if res, _ := rep.Result("reordered-record"); err != nil || res.Status != certify.StatusPass || len(res.Notes) != 1 ||
		!strings.Contains(res.Notes[0], "cannot see the output of function certify-handler") {
		t.Errorf("a Go Handler (no output): %v %+v", err, res)
	}
	if f, err := srv.Admin().Function(t.Context(), "orders"); err != nil || !f.InProcess {
		t.Errorf("the registered function after the run: %+v %v", f, err)
	}
	if _, err := run(certify.Mapping{Function: "missing"}, `^baseline$`); err == nil || !strings.Contains(err.Error(), "function missing is not registered") {
		t.Errorf("an unknown function: %v", err)
	}
	if _, err := run(certify.Mapping{Function: "orders", URL: fn.URL}, `^baseline$`); err == nil || !strings.Contains(err.Error(), "in-process function") {
		t.Errorf("replacing an in-process function: %v", err)
	}

	url := fn.URL + "/2015-03-31/functions/billing/invocations"
	rep, err = run(certify.Mapping{Function: "billing", URL: url, Timeout: 5 * time.Second}, `^baseline$`)
	if err != nil || !rep.OK() || !strings.Contains(rep.Consumer, "function billing at "+url) {
		t.Fatalf("a URL: %v %+v", err, rep)
	}
	if _, err := srv.Admin().Function(t.Context(), "billing"); !client.IsNotFound(err) {
		t.Errorf("the function registered for the run is still there: %v", err)
	}
	if _, err := srv.Admin().PutFunction(t.Context(), "billing", client.FunctionSpec{URL: "http://127.0.0.1:1", Timeout: 7 * time.Second}); err != nil {
		t.Fatal(err)
	}
	if rep, err = run(certify.Mapping{Function: "billing", URL: url}, `^baseline$`); err != nil || !rep.OK() {
		t.Fatalf("a URL replacing a function: %v %+v", err, rep)
	}
	if f, err := srv.Admin().Function(t.Context(), "billing"); err != nil || f.URL != "http://127.0.0.1:1" || f.Timeout != "7s" {
		t.Errorf("the function the run replaced is %+v (%v), want it back as it was", f, err)
	}
	if ms, err := srv.Admin().Mappings(t.Context()); err != nil || len(ms) != 0 {
		t.Errorf("mappings left after the runs: %+v %v", ms, err)
	}
}
