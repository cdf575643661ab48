package conformance

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/capacity"
)

// The motivating scenario: a payments service whose writes go 90% to one
// merchant's balance item (a hot partition key) of an on-demand table,
// 3,000 payments arriving at 2,000 per second of clock time, each one
// UpdateItem through the SDK's retryer (3 attempts, exponential back-off
// from 25 ms, no jitter). The hot key's partition serves 1,000 WCU per
// second, so the hot key is throttled while the table as a whole is far
// below its capacity. The callers run as concurrent callers would, in the
// virtual time of a simulation on the frozen clock (see simulation), so
// with the standard retryer every request, throttle and retry happens at
// the same clock time on every run.

const (
	payments    = 3000
	arrivalGap  = 500 * time.Microsecond // 2,000 payments per second
	hotMerchant = "merchant#1"
	firstDelay  = 25 * time.Millisecond
)

// paymentsRun is what one run of the scenario observed.
type paymentsRun struct {
	OK, Failed       int // payments the application saw succeed or fail
	HotOK, HotFailed int // of them, to the hot merchant
	ColdFailed       int // failures on other merchants
	ColdFailedOff    int // of them, on partitions other than the hot key's
	QuotaFailures    int // failures after the retry quota ran out
	ClientLimited    int // failures of the adaptive client-side limiter
	Attempts         int // HTTP attempts (requests the server answered)
	// ByAttempts counts successful payments by the attempts they took;
	// LatencyOK reports whether each one's clock latency is exactly the
	// back-off its retries slept.
	ByAttempts       map[int]int
	LatencyOK        bool
	Throttled        uint64        // requests the server refused
	HotServed        int           // successful writes on the hot key's partition
	Span             time.Duration // clock time from the first arrival to the last answer
	HotBal, OtherBal int           // balances read back
}

// attemptCounter counts each caller's attempts; only one caller runs at a
// time (simulation), the one in current.
type attemptCounter struct {
	aws.RetryerV2
	current  *int
	attempts []int
}

func (r *attemptCounter) GetAttemptToken(c context.Context) (func(error) error, error) {
	release, err := r.RetryerV2.GetAttemptToken(c)
	if err == nil {
		r.attempts[*r.current]++
	}
	return release, err
}

// runPayments runs the scenario with the SDK retry mode "standard" or
// "adaptive".
func runPayments(t *testing.T, mode string) paymentsRun {
	e := newThrottleEnv(t)
	table := e.table(nil, nil)
	parts := e.enforce(table, 0).Resources[0].Partitions
	hotPartition := capacity.Partition(attr.Value{Type: attr.S, S: hotMerchant}, parts)
	sim := newSimulation(e.clk)
	current := 0
	sim.onWake = func(id int) { current = id }
	std := func(o *retry.StandardOptions) {
		o.MaxAttempts = 3
		o.Backoff = retry.BackoffDelayerFunc(func(attempt int, _ error) (time.Duration, error) {
			sim.sleep(current, backoff(attempt))
			return 0, nil
		})
	}
	var base aws.RetryerV2 = retry.NewStandard(std)
	if mode == "adaptive" {
		// The adaptive limiter measures wall time (the SDK's clock cannot
		// be injected); failing fast instead of sleeping keeps the run
		// short, and its decisions vary with the machine's speed.
		base = retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
			o.StandardOptions = append(o.StandardOptions, std)
			o.FailOnNoAttemptTokens = true
		})
	}
	counter := &attemptCounter{RetryerV2: base, current: &current, attempts: make([]int, payments)}
	cfg := e.cfg.Copy()
	cfg.Retryer = func() aws.Retryer { return counter }
	db := dynamodb.NewFromConfig(cfg)

	start := e.clk.Now()
	errs := make([]error, payments)
	latency := make([]time.Duration, payments)
	merchants := make([]string, payments)
	for i := range payments {
		merchants[i] = hotMerchant
		if i%10 == 9 {
			merchants[i] = "merchant#" + strconv.Itoa(100+i)
		}
		arrival := start.Add(time.Duration(i) * arrivalGap)
		sim.spawn(arrival, i, func() {
			_, errs[i] = db.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
				TableName:                 aws.String(table),
				Key:                       pk(merchants[i]),
				UpdateExpression:          aws.String("ADD balance :one"),
				ExpressionAttributeValues: attrs{":one": avN("1")},
			})
			latency[i] = e.clk.Now().Sub(arrival)
		})
	}
	sim.run()
	r := paymentsRun{ByAttempts: map[int]int{}, LatencyOK: true, Span: e.clk.Now().Sub(start)}
	for i, err := range errs {
		hot := merchants[i] == hotMerchant
		onHot := capacity.Partition(attr.Value{Type: attr.S, S: merchants[i]}, parts) == hotPartition
		r.Attempts += counter.attempts[i]
		if err == nil {
			r.OK++
			r.ByAttempts[counter.attempts[i]]++
			r.LatencyOK = r.LatencyOK && latency[i] == slept(counter.attempts[i])
			if hot {
				r.HotOK++
			}
			if onHot {
				r.HotServed++
			}
			continue
		}
		r.Failed++
		switch {
		case hot:
			r.HotFailed++
		case onHot:
			r.ColdFailed++
		default:
			r.ColdFailed++
			r.ColdFailedOff++
		}
		r.classify(t, err)
	}
	r.Throttled = e.status(table).ThrottledRequests
	r.HotBal, r.OtherBal = balances(t, e, table)
	return r
}

// classify counts a failed payment's cause: the retry quota ran out, the
// adaptive limiter refused an attempt, or every attempt was throttled.
func (r *paymentsRun) classify(t *testing.T, err error) {
	t.Helper()
	var q ratelimit.QuotaExceededError
	var m *retry.MaxAttemptsError
	switch {
	case errors.As(err, &q):
		r.QuotaFailures++
	case errors.As(err, &m):
	case isClientLimited(err):
		r.ClientLimited++
		return
	default:
		t.Fatalf("payment failed with %v", err)
	}
	throttleReasons(t, err) // the last attempt's throttling error reaches the application
}

// isClientLimited reports an attempt the adaptive limiter refused.
func isClientLimited(err error) bool {
	return strings.Contains(err.Error(), "unable to get attempt token")
}

// backoff is the retryers' back-off before retry attempt (1, 2, ...).
func backoff(attempt int) time.Duration {
	return min(firstDelay<<(attempt-1), time.Second)
}

// slept is the back-off a call of n attempts slept.
func slept(n int) time.Duration {
	var d time.Duration
	for a := 1; a < n; a++ {
		d += backoff(a)
	}
	return d
}

// balances reads the hot merchant's balance and the sum of the others'.
func balances(t *testing.T, e *throttleEnv, table string) (hot, others int) {
	t.Helper()
	e.step(time.Hour) // let the reads through
	items, _, _ := scanAllWith(e.faultEnv, table)
	for _, it := range items {
		n, _ := strconv.Atoi(it["balance"].(*types.AttributeValueMemberN).Value)
		if scalar(it["pk"]) == hotMerchant {
			hot = n
		} else {
			others += n
		}
	}
	return hot, others
}

// wantConsistent checks what holds with any retryer: every payment the
// application saw succeed is in the balances and no other; the table was
// throttled only on the hot key's partition.
func wantConsistent(t *testing.T, r paymentsRun) {
	t.Helper()
	if r.OK+r.Failed != payments || r.HotBal != r.HotOK || r.OtherBal != r.OK-r.HotOK {
		t.Fatalf("balances %d + %d for %d successes (%d hot): a payment was lost or applied twice: %+v",
			r.HotBal, r.OtherBal, r.OK, r.HotOK, r)
	}
	if r.ColdFailedOff != 0 && r.ClientLimited == 0 {
		t.Fatalf("%d payments failed on partitions the hot key does not use: %+v", r.ColdFailedOff, r)
	}
	if r.HotFailed == 0 {
		t.Fatalf("the hot key was never throttled: %+v", r)
	}
	// One partition serves 1,000 WCU per second, and starts with one
	// second of it.
	if limit := 1000*r.Span.Seconds() + 1000; float64(r.HotServed) > limit {
		t.Fatalf("%d writes served on the hot partition in %v, more than %v: %+v", r.HotServed, r.Span, limit, r)
	}
}

func TestThrottlePaymentsStandardRetryer(t *testing.T) {
	r := runPayments(t, "standard")
	t.Logf("standard retryer: %+v", r)
	wantConsistent(t, r)
	if r.Attempts != r.OK+int(r.Throttled) {
		t.Fatalf("%d attempts, %d successes and %d throttled requests: every attempt is one or the other", r.Attempts, r.OK, r.Throttled)
	}
	if !r.LatencyOK {
		t.Fatal("a successful payment's clock latency is not the back-off its retries slept")
	}
	// The hot key asks for 1,800 WCU per second for 1.5 s: whatever the
	// retries, at most what the partition served got through.
	minFailed := 2700 - int(1000*r.Span.Seconds()+1000)
	if r.HotFailed < minFailed {
		t.Fatalf("%d hot payments failed, fewer than the %d the partition cannot serve", r.HotFailed, minFailed)
	}
	// The run is deterministic (one caller at a time, on the frozen clock,
	// the standard retryer without jitter): the figures of docs/capacity.md,
	// exactly.
	want := paymentsRun{
		OK: 2715, Failed: 285, HotOK: 2443, HotFailed: 257, ColdFailed: 28, ColdFailedOff: 0,
		QuotaFailures: 230, ClientLimited: 0, Attempts: 3172, ByAttempts: map[int]int{1: 2710, 2: 4, 3: 1},
		LatencyOK: true, Throttled: 457, HotServed: 2504, Span: 1530500 * time.Microsecond, HotBal: 2443, OtherBal: 272,
	}
	if fmt.Sprint(r) != fmt.Sprint(want) {
		t.Fatalf("standard retryer:\n  %+v\nwant (docs/capacity.md)\n  %+v", r, want)
	}
	again := runPayments(t, "standard")
	if fmt.Sprint(again) != fmt.Sprint(r) {
		t.Fatalf("the same run twice differs:\n%+v\n%+v", r, again)
	}
}

func TestThrottlePaymentsAdaptiveRetryer(t *testing.T) {
	r := runPayments(t, "adaptive")
	t.Logf("adaptive retryer: %+v", r)
	wantConsistent(t, r)
	if r.Attempts != r.OK+int(r.Throttled) {
		t.Fatalf("%d attempts, %d successes and %d throttled requests", r.Attempts, r.OK, r.Throttled)
	}
}
