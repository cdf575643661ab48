package conformance

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// Helpers of the fault-injection tests (faults_*_test.go). Every such test
// runs its own in-process emulator: rules, the journal and the clock are
// per emulator, so no test sees another's firings. They drive dynafault's
// admin API, which a reference DynamoDB does not have: against an external
// endpoint they are skipped.

// faultEnv is a private emulator with SDK clients and admin helpers.
type faultEnv struct {
	*streamEnv
	cfg aws.Config
	adm *client.Client
}

// skipExternalFaults skips t when the suite runs against an external
// endpoint.
func skipExternalFaults(t *testing.T) {
	t.Helper()
	if external() {
		t.Skip("fault injection is driven through dynafault's admin API (/_admin/faults, /_admin/journal); " +
			"a reference DynamoDB has no fault injection, so this test runs in-process only")
	}
}

// newFaultEnv starts a private emulator with opts for one test.
func newFaultEnv(t *testing.T, opts emulator.Options) *faultEnv {
	t.Helper()
	skipExternalFaults(t)
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Close()
	})
	cfg := awsConfig()
	cfg.BaseEndpoint = aws.String(srv.URL)
	e := &faultEnv{
		streamEnv: &streamEnv{t: t, db: dynamodb.NewFromConfig(cfg), st: dynamodbstreams.NewFromConfig(cfg), url: srv.URL},
		cfg:       cfg,
		adm:       client.New(srv.URL),
	}
	return e
}

// addRule stores r through POST /_admin/faults for the rest of the test
// and returns it as stored (with its id).
func (e *faultEnv) addRule(r faults.Rule) faults.Rule {
	e.t.Helper()
	return client.AddRule(e.t, e.adm, r)
}

// rule reads one rule with its counters.
func (e *faultEnv) rule(id string) faults.RuleStatus {
	e.t.Helper()
	rs, err := e.adm.GetRule(ctx(e.t), id)
	if err != nil {
		e.t.Fatalf("GET /_admin/faults/%s: %v", id, err)
	}
	return rs
}

// wantStats fails unless rule id has matched and fired exactly so often.
func (e *faultEnv) wantStats(id string, matched, fired uint64) {
	e.t.Helper()
	if s := e.rule(id).Stats; s.Matched != matched || s.Fired != fired {
		e.t.Fatalf("rule %s: matched %d fired %d, want matched %d fired %d", id, s.Matched, s.Fired, matched, fired)
	}
}

// journal reads every journal entry of rule (all entries when empty),
// oldest first.
func (e *faultEnv) journal(rule string) []faults.Entry {
	e.t.Helper()
	return client.Journal(e.t, e.adm, rule)
}

// journalN reads the entries of rule and fails unless there are n.
func (e *faultEnv) journalN(rule string, n int) []faults.Entry {
	e.t.Helper()
	j := e.journal(rule)
	if len(j) != n {
		e.t.Fatalf("journal of %q has %d entries, want %d:\n%s", rule, len(j), n, entriesString(j))
	}
	return j
}

// entriesString renders journal entries for failure messages.
func entriesString(es []faults.Entry) string {
	s := make([]string, len(es))
	for i, x := range es {
		s[i] = fmt.Sprintf("  #%d kind=%s outcome=%s rule=%s action=%s target=%s table=%s keys=%s event=%s id=%s seq=%s shard=%s "+
			"originalSeq=%s originalShard=%s op=%s req=%s detail=%q",
			x.Seq, x.Kind, x.Outcome, x.RuleID, x.Action, x.Target, x.Table, x.Keys, x.EventName, x.EventID, x.SequenceNumber,
			x.ShardID, x.OriginalSequenceNumber, x.OriginalShardID, x.Operation, x.RequestID, x.Detail)
	}
	return strings.Join(s, "\n")
}

// pause stops delivery of a shard through the admin API.
func (e *faultEnv) pause(table, shard string) {
	e.t.Helper()
	if _, err := e.adm.Pause(ctx(e.t), table, shard); err != nil {
		e.t.Fatalf("pause %s %s: %v", table, shard, err)
	}
}

// resume restarts delivery of a paused shard.
func (e *faultEnv) resume(table, shard string) {
	e.t.Helper()
	if _, err := e.adm.Resume(ctx(e.t), table, shard); err != nil {
		e.t.Fatalf("resume %s %s: %v", table, shard, err)
	}
}

// advance moves the emulator's clock forward.
func (e *faultEnv) advance(d time.Duration) {
	e.t.Helper()
	if _, err := e.adm.AdvanceClock(ctx(e.t), d); err != nil {
		e.t.Fatalf("advance the clock by %v: %v", d, err)
	}
}

// faultKey renders a conformance key as the journal's faults.Key.
func faultKey(key attrs) faults.Key {
	k := faults.Key{}
	for n, v := range key {
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			k[n] = faults.KeyS(x.Value)
		case *types.AttributeValueMemberN:
			k[n] = faults.KeyN(x.Value)
		case *types.AttributeValueMemberB:
			k[n] = faults.KeyB(base64.StdEncoding.EncodeToString(x.Value))
		}
	}
	return k
}

// wantStreamEntry fails unless x journals a stream firing of rule with
// action for record r of table (keys, event name, event id and sequence
// number all taken from r).
func wantStreamEntry(t testing.TB, x faults.Entry, rule, action, table string, r rec) {
	t.Helper()
	d := r.Dynamodb
	wantEntry(t, x, faults.Entry{
		RuleID: rule, Action: action, Target: faults.TargetStream, Table: table,
		Keys: faultKey(streamItem(d.Keys)), EventName: string(r.EventName), EventID: aws.ToString(r.EventID),
		SequenceNumber: aws.ToString(d.SequenceNumber),
	})
}

// wantEntry fails unless x has every field that want sets (Seq, times and
// Detail are not compared; ShardID only when want sets it).
func wantEntry(t testing.TB, x, want faults.Entry) {
	t.Helper()
	var bad []string
	check := func(name, got, w string) {
		if w != "" && got != w {
			bad = append(bad, fmt.Sprintf("%s = %q, want %q", name, got, w))
		}
	}
	check("kind", x.Kind, want.Kind)
	check("outcome", x.Outcome, want.Outcome)
	check("originalSequenceNumber", x.OriginalSequenceNumber, want.OriginalSequenceNumber)
	check("originalShardId", x.OriginalShardID, want.OriginalShardID)
	check("ruleId", x.RuleID, want.RuleID)
	check("action", x.Action, want.Action)
	check("target", string(x.Target), string(want.Target))
	check("table", x.Table, want.Table)
	check("eventName", x.EventName, want.EventName)
	check("eventId", x.EventID, want.EventID)
	check("sequenceNumber", x.SequenceNumber, want.SequenceNumber)
	check("shardId", x.ShardID, want.ShardID)
	check("streamArn", x.StreamArn, want.StreamArn)
	check("operation", x.Operation, want.Operation)
	check("requestId", x.RequestID, want.RequestID)
	if want.Keys != nil && x.Keys.String() != want.Keys.String() {
		bad = append(bad, fmt.Sprintf("keys = %s, want %s", x.Keys, want.Keys))
	}
	if x.Time.IsZero() || x.WallTime.IsZero() {
		bad = append(bad, "time or wallTime missing")
	}
	if len(bad) > 0 {
		t.Fatalf("journal entry:\n%s\n%s", entriesString([]faults.Entry{x}), strings.Join(bad, "\n"))
	}
}

// requestIDOf returns the x-amzn-RequestId of a failed call.
func requestIDOf(t testing.TB, err error) string {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.ServiceRequestID() == "" {
		t.Fatalf("error %v carries no request id", err)
	}
	return re.ServiceRequestID()
}

// requestIDOK returns the x-amzn-RequestId of a successful call.
func requestIDOK(t testing.TB, md middleware.Metadata) string {
	t.Helper()
	id, ok := awsmiddleware.GetRequestIDMetadata(md)
	if !ok || id == "" {
		t.Fatalf("response carries no request id")
	}
	return id
}

// countingRetryer is the SDK's standard retryer (no backoff delay, no retry
// quota, maxAttempts attempts) counting the attempts it grants.
type countingRetryer struct {
	aws.RetryerV2
	attempts atomic.Int32
}

// GetAttemptToken is called once before every attempt.
func (r *countingRetryer) GetAttemptToken(c context.Context) (func(error) error, error) {
	r.attempts.Add(1)
	return r.RetryerV2.GetAttemptToken(c)
}

// Attempts reports how many attempts were made so far.
func (r *countingRetryer) Attempts() int { return int(r.attempts.Load()) }

// newCountingRetryer wraps retry.NewStandard.
func newCountingRetryer(maxAttempts int) *countingRetryer {
	std := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
	})
	return &countingRetryer{RetryerV2: std}
}

// retrying returns DynamoDB and Streams clients of e whose calls go through
// r.
func (e *faultEnv) retrying(r *countingRetryer) (*dynamodb.Client, *dynamodbstreams.Client) {
	cfg := e.cfg.Copy()
	cfg.Retryer = func() aws.Retryer { return r }
	return dynamodb.NewFromConfig(cfg), dynamodbstreams.NewFromConfig(cfg)
}

// eventIDs lists the records' event ids.
func eventIDs(recs []rec) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = aws.ToString(r.EventID)
	}
	return out
}

// trimHorizon returns a TRIM_HORIZON iterator of the stream's first shard
// (the tests' streams have one open shard).
func (e *faultEnv) trimHorizon(arn string) (shard, it string) {
	e.t.Helper()
	shards := e.shards(arn, 0)
	if len(shards) == 0 {
		e.t.Fatalf("stream %s has no shard", arn)
	}
	shard = aws.ToString(shards[0].ShardId)
	return shard, e.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, "")
}

// sortedSeqs returns the sequence numbers of recs in order.
func sortedSeqs(recs []rec) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = aws.ToString(r.Dynamodb.SequenceNumber)
	}
	sort.Strings(out)
	return out
}

// apiRule is an api rule on one operation of one table.
func apiRule(id, table, op string, a faults.Action, w faults.When) faults.Rule {
	return faults.Rule{ID: id, Target: faults.TargetAPI, Match: faults.Match{Table: table, Operation: []string{op}}, Action: a, When: w}
}

// httpStatusOf returns the HTTP status of a failed call.
func httpStatusOf(t testing.TB, err error) int {
	t.Helper()
	var re *awshttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("error %v carries no HTTP response", err)
	}
	return re.HTTPStatusCode()
}

// wantAPIEntries fails unless the journal of rule holds n api entries for
// op on table, the last one with requestID (when not empty).
func (e *faultEnv) wantAPIEntries(rule, action, table, op string, n int, requestID string) []faults.Entry {
	e.t.Helper()
	j := e.journalN(rule, n)
	for i, x := range j {
		want := faults.Entry{RuleID: rule, Action: action, Target: faults.TargetAPI, Table: table, Operation: op}
		if i == n-1 {
			want.RequestID = requestID
		}
		wantEntry(e.t, x, want)
		if x.RequestID == "" {
			e.t.Fatalf("journal entry without a request id:\n%s", entriesString(j))
		}
	}
	return j
}

// get reads key with a consistent read; nil when absent.
func (e *faultEnv) get(table string, key attrs) attrs {
	e.t.Helper()
	out, err := e.db.GetItem(ctx(e.t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		e.t.Fatalf("GetItem %s: %v", attrsRender(key), err)
	}
	return out.Item
}
