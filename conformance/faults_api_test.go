package conformance

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
)

// api fault rules as a client sees them through aws-sdk-go-v2: the typed
// error (errors.As), its HTTP status, how often the SDK's standard retryer
// tried, the table's state afterwards, and the journal entries that explain
// it (rule id, action, table, operation and the request id of the answer).

// TestFaultAPIError injects catalogue errors into PutItem with the SDK's
// standard retryer (3 attempts): the retryable ones (throttling, 500) are
// tried 3 times, TransactionConflictException is not retried by
// aws-sdk-go-v2 (it is not in its retryable or throttle code sets).
func TestFaultAPIError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code     string
		status   int
		attempts int
		typed    func(error) bool
	}{
		{"ProvisionedThroughputExceededException", 400, 3, func(err error) bool {
			var x *types.ProvisionedThroughputExceededException
			return errors.As(err, &x)
		}},
		{"ThrottlingException", 400, 3, func(err error) bool {
			var x *types.ThrottlingException
			return errors.As(err, &x)
		}},
		{"InternalServerError", 500, 3, func(err error) bool {
			var x *types.InternalServerError
			return errors.As(err, &x)
		}},
		{"TransactionConflictException", 400, 1, func(err error) bool {
			var x *types.TransactionConflictException
			return errors.As(err, &x)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			e := newFaultEnv(t, emulator.Options{})
			table, _ := e.newTable("", "pk")
			id := e.addRule(apiRule("err", table, "PutItem", faults.Action{Type: faults.ActionError, Code: tc.code}, faults.When{})).ID
			r := newCountingRetryer(3)
			db, _ := e.retrying(r)
			_, err := db.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("a")})
			info, _ := faults.LookupError(tc.code)
			wantAPIError(t, err, tc.code, info.Message)
			if !tc.typed(err) {
				t.Errorf("errors.As does not find the SDK's typed %s in %T: %v", tc.code, err, err)
			}
			if got := httpStatusOf(t, err); got != tc.status {
				t.Errorf("HTTP status %d, want %d", got, tc.status)
			}
			if r.Attempts() != tc.attempts {
				t.Errorf("the SDK made %d attempts, want %d", r.Attempts(), tc.attempts)
			}
			e.wantStats(id, uint64(tc.attempts), uint64(tc.attempts))
			e.wantAPIEntries(id, faults.ActionError, table, "PutItem", tc.attempts, requestIDOf(t, err))
			wantAttrs(t, "item after the failed PutItem", e.get(table, pk("a")), nil)
		})
	}
}

// A retryable error that fires fewer times than the SDK attempts is
// invisible to the caller: times 2 with 3 attempts succeeds on the third.
func TestFaultAPIErrorRetriedThrough(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, _ := e.newTable("", "pk")
	id := e.addRule(apiRule("throttle", table, "PutItem",
		faults.Action{Type: faults.ActionError, Code: "ProvisionedThroughputExceededException"}, faults.When{Times: 2})).ID
	r := newCountingRetryer(3)
	db, _ := e.retrying(r)
	out, err := db.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("a")})
	if err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	if r.Attempts() != 3 {
		t.Errorf("the SDK made %d attempts, want 3", r.Attempts())
	}
	// The third attempt matched too, but the rule was exhausted.
	e.wantStats(id, 3, 2)
	j := e.wantAPIEntries(id, faults.ActionError, table, "PutItem", 2, "")
	if ok := requestIDOK(t, out.ResultMetadata); j[0].RequestID == ok || j[1].RequestID == ok || j[0].RequestID == j[1].RequestID {
		t.Errorf("request ids: journal %q %q, success %q, want three different ones", j[0].RequestID, j[1].RequestID, ok)
	}
	wantAttrs(t, "item", e.get(table, pk("a")), pk("a"))
}

// Streams errors on GetRecords: ExpiredIteratorException and
// TrimmedDataAccessException, neither retried by the SDK.
func TestFaultAPIStreamsError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code  string
		typed func(error) bool
	}{
		{"ExpiredIteratorException", func(err error) bool {
			var x *sstypes.ExpiredIteratorException
			return errors.As(err, &x)
		}},
		{"TrimmedDataAccessException", func(err error) bool {
			var x *sstypes.TrimmedDataAccessException
			return errors.As(err, &x)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			e := newFaultEnv(t, emulator.Options{})
			table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
			e.put(table, pk("a"))
			_, it := e.trimHorizon(arn)
			id := e.addRule(apiRule("st", table, "GetRecords",
				faults.Action{Type: faults.ActionError, Code: tc.code}, faults.When{Times: 1})).ID
			r := newCountingRetryer(3)
			_, st := e.retrying(r)
			_, err := st.GetRecords(ctx(t), &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(it)})
			info, _ := faults.LookupError(tc.code)
			wantAPIError(t, err, tc.code, info.Message)
			if !tc.typed(err) {
				t.Errorf("errors.As does not find the SDK's typed %s in %T: %v", tc.code, err, err)
			}
			if got := httpStatusOf(t, err); got != http.StatusBadRequest {
				t.Errorf("HTTP status %d, want 400", got)
			}
			if r.Attempts() != 1 {
				t.Errorf("the SDK made %d attempts, want 1 (not retryable)", r.Attempts())
			}
			e.wantStats(id, 1, 1)
			e.wantAPIEntries(id, faults.ActionError, table, "GetRecords", 1, requestIDOf(t, err))
			// The iterator itself was fine: the same call now reads the record.
			if out := e.records(it, 0); len(out.Records) != 1 {
				t.Errorf("GetRecords after the rule was exhausted: %d records, want 1", len(out.Records))
			}
		})
	}
}

// Latency without a deadline: the call succeeds, no sooner than the latency.
func TestFaultAPILatency(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, _ := e.newTable("", "pk")
	e.put(table, pk("a"))
	const lat = 200 * time.Millisecond
	id := e.addRule(apiRule("slow", table, "GetItem",
		faults.Action{Type: faults.ActionLatency, Latency: faults.Duration(lat)}, faults.When{Times: 1})).ID
	start := time.Now()
	out, err := e.db.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk("a")})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if took := time.Since(start); took < lat {
		t.Errorf("GetItem answered after %v, want at least %v", took, lat)
	}
	wantAttrs(t, "item", out.Item, pk("a"))
	e.wantStats(id, 1, 1)
	e.wantAPIEntries(id, faults.ActionLatency, table, "GetItem", 1, requestIDOK(t, out.ResultMetadata))
}

// Latency longer than the client's deadline: the call fails with the
// context's deadline error and the SDK does not retry it. The latency is
// waited out before the operation runs and the server stops waiting when
// the client goes away, so the write is never applied: observed as "no
// item", checked after the latency has certainly passed.
func TestFaultAPILatencyDeadline(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	const lat = 500 * time.Millisecond
	id := e.addRule(apiRule("slow", table, "PutItem",
		faults.Action{Type: faults.ActionLatency, Latency: faults.Duration(lat)}, faults.When{})).ID
	r := newCountingRetryer(3)
	db, _ := e.retrying(r)
	start := time.Now()
	c, cancel := context.WithTimeout(ctx(t), 50*time.Millisecond)
	defer cancel()
	_, err := db.PutItem(c, &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("a")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("PutItem with a 50ms deadline: %v, want context.DeadlineExceeded", err)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		t.Errorf("the client got an API error %s; the server should not have answered", ae.ErrorCode())
	}
	if r.Attempts() != 1 {
		t.Errorf("the SDK made %d attempts, want 1 (a deadline is not retried)", r.Attempts())
	}
	time.Sleep(lat + 300*time.Millisecond - time.Since(start))
	wantAttrs(t, "item after the abandoned PutItem", e.get(table, pk("a")), nil)
	if recs := e.readStream(arn); len(recs) != 0 {
		t.Errorf("stream has records of the abandoned PutItem:\n%s", recsString(recs))
	}
	e.wantStats(id, 1, 1)
	e.wantAPIEntries(id, faults.ActionLatency, table, "PutItem", 1, "")
}

// commitThenFail variants: the default 500 InternalServerError and a
// connection dropped without an answer.
var commitVariants = []struct { //nolint:gochecknoglobals // test table
	name string
	then *faults.Then
}{
	{"500", nil},
	{"drop", &faults.Then{Type: faults.ThenDrop}},
}

// wantCommitFailure fails unless err is what the variant makes the client
// see: a 500 InternalServerError, or a transport error with no answer.
func wantCommitFailure(t testing.TB, err error, drop bool) {
	t.Helper()
	if !drop {
		wantAPIError(t, err, "InternalServerError", "Internal server error")
		var x *types.InternalServerError
		if !errors.As(err, &x) || httpStatusOf(t, err) != http.StatusInternalServerError {
			t.Fatalf("want the SDK's *types.InternalServerError with HTTP 500, got %T: %v", err, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got success, want a dropped connection")
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		t.Fatalf("got API error %s, want a dropped connection", ae.ErrorCode())
	}
	var se *smithyhttp.RequestSendError
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want a *smithyhttp.RequestSendError (the connection closed without an answer)", err, err)
	}
}

// condPut is a PutItem that only creates.
func condPut(table string, item attrs) *dynamodb.PutItemInput {
	return &dynamodb.PutItemInput{TableName: aws.String(table), Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}
}

// The ambiguous write, one attempt at a time: the client sees an error, yet
// the item is written and the stream has its record; the application's
// retry of the same conditional write then fails its condition.
func TestFaultAPICommitThenFail(t *testing.T) {
	t.Parallel()
	for _, v := range commitVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			e := newFaultEnv(t, emulator.Options{})
			const view = types.StreamViewTypeNewImage
			table, arn := e.newTable(view, "pk")
			id := e.addRule(apiRule("ctf", table, "PutItem",
				faults.Action{Type: faults.ActionCommitThenFail, Then: v.then}, faults.When{Times: 1})).ID
			item := attrs{"pk": avS("a"), "v": avN("1")}
			r := newCountingRetryer(1)
			db, _ := e.retrying(r)
			_, err := db.PutItem(ctx(t), condPut(table, item))
			wantCommitFailure(t, err, v.then != nil)
			wantAttrs(t, "item after the failed PutItem", e.get(table, pk("a")), item)
			recs := e.readStream(arn)
			wantEvents(t, recs, streamEvent(view, "INSERT", pk("a"), nil, item))
			reqID := ""
			if v.then == nil {
				reqID = requestIDOf(t, err)
			}
			e.wantAPIEntries(id, faults.ActionCommitThenFail, table, "PutItem", 1, reqID)
			e.wantStats(id, 1, 1)

			_, err = db.PutItem(ctx(t), condPut(table, item))
			var ccf *types.ConditionalCheckFailedException
			if !errors.As(err, &ccf) {
				t.Fatalf("retried conditional PutItem: %v, want ConditionalCheckFailedException", err)
			}
			if recs := e.readStream(arn); len(recs) != 1 {
				t.Errorf("stream has %d records after the retry, want 1", len(recs))
			}
		})
	}
}

// The ambiguous write under the SDK's own retries: both variants are
// retryable for aws-sdk-go-v2 (500 by status, a dropped connection as a
// connection error), so a conditional create ends in
// ConditionalCheckFailedException although it was applied exactly once, and
// an unconditional increment is applied twice.
func TestFaultAPICommitThenFailRetried(t *testing.T) {
	t.Parallel()
	for _, v := range commitVariants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			e := newFaultEnv(t, emulator.Options{})
			table, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
			put := e.addRule(apiRule("ctf-put", table, "PutItem",
				faults.Action{Type: faults.ActionCommitThenFail, Then: v.then}, faults.When{Times: 1})).ID
			upd := e.addRule(apiRule("ctf-update", table, "UpdateItem",
				faults.Action{Type: faults.ActionCommitThenFail, Then: v.then}, faults.When{Times: 1})).ID
			r := newCountingRetryer(3)
			db, _ := e.retrying(r)

			_, err := db.PutItem(ctx(t), condPut(table, attrs{"pk": avS("a")}))
			var ccf *types.ConditionalCheckFailedException
			if !errors.As(err, &ccf) {
				t.Fatalf("conditional PutItem with retries: %v, want ConditionalCheckFailedException", err)
			}
			if r.Attempts() != 2 {
				t.Errorf("PutItem: the SDK made %d attempts, want 2", r.Attempts())
			}
			e.wantStats(put, 2, 1)
			e.wantAPIEntries(put, faults.ActionCommitThenFail, table, "PutItem", 1, "")

			_, err = db.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
				TableName: aws.String(table), Key: pk("n"), UpdateExpression: aws.String("ADD hits :one"),
				ExpressionAttributeValues: attrs{":one": avN("1")},
			})
			if err != nil {
				t.Fatalf("UpdateItem with retries: %v", err)
			}
			if r.Attempts() != 4 {
				t.Errorf("UpdateItem: the SDK made %d attempts, want 2", r.Attempts()-2)
			}
			wantAttrs(t, "counter after one logical increment", e.get(table, pk("n")), attrs{"pk": avS("n"), "hits": avN("2")})
			e.wantStats(upd, 2, 1)
			e.wantAPIEntries(upd, faults.ActionCommitThenFail, table, "UpdateItem", 1, "")
			wantEvents(t, e.readStream(arn),
				streamEvent(types.StreamViewTypeKeysOnly, "INSERT", pk("a"), nil, nil),
				streamEvent(types.StreamViewTypeKeysOnly, "INSERT", pk("n"), nil, nil),
				streamEvent(types.StreamViewTypeKeysOnly, "MODIFY", pk("n"), nil, nil))
		})
	}
}

// partialBatch on BatchWriteItem: the items whose key matches are returned
// in UnprocessedItems and are not written; the others are.
func TestFaultAPIPartialBatchWrite(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, _ := e.newTable("", "pk")
	rule := apiRule("pb", table, "BatchWriteItem", faults.Action{Type: faults.ActionPartialBatch}, faults.When{Times: 1})
	rule.Match.Key = map[string]faults.KeyPredicate{"pk": {Prefix: aws.String("skip#")}}
	id := e.addRule(rule).ID
	keys := []string{"keep#1", "skip#1", "keep#2", "skip#2"}
	var reqs []types.WriteRequest
	for _, k := range keys {
		reqs = append(reqs, putReq(pk(k)))
	}
	out, err := e.db.BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
	if err != nil {
		t.Fatalf("BatchWriteItem: %v", err)
	}
	var left []string
	for tbl, rs := range out.UnprocessedItems {
		for _, r := range rs {
			if tbl != table || r.PutRequest == nil {
				t.Fatalf("unprocessed %s %+v, want put requests of %s", tbl, r, table)
			}
			left = append(left, attrsRender(r.PutRequest.Item))
		}
	}
	if got, want := sortedJoin(left), sortedJoin([]string{attrsRender(pk("skip#1")), attrsRender(pk("skip#2"))}); got != want {
		t.Errorf("UnprocessedItems = %s, want %s", got, want)
	}
	for _, k := range keys {
		want := pk(k)
		if k[:4] == "skip" {
			want = nil
		}
		wantAttrs(t, "item "+k, e.get(table, pk(k)), want)
	}
	e.wantStats(id, 1, 1)
	j := e.journalN(id, 3)
	reqID := requestIDOK(t, out.ResultMetadata)
	wantEntry(t, j[0], faults.Entry{RuleID: id, Action: faults.ActionPartialBatch, Target: faults.TargetAPI,
		Table: table, Operation: "BatchWriteItem", RequestID: reqID})
	for i, k := range []string{"skip#1", "skip#2"} {
		wantEntry(t, j[i+1], faults.Entry{RuleID: id, Action: faults.ActionPartialBatch, Target: faults.TargetAPI,
			Table: table, Keys: faultKey(pk(k)), Operation: "BatchWriteItem", RequestID: reqID})
	}
	// The caller's retry of UnprocessedItems goes through.
	if _, err := e.db.BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{RequestItems: out.UnprocessedItems}); err != nil {
		t.Fatalf("retrying UnprocessedItems: %v", err)
	}
	wantAttrs(t, "item skip#1 after the retry", e.get(table, pk("skip#1")), pk("skip#1"))
}

// partialBatch on BatchGetItem: the matching keys come back in
// UnprocessedKeys (projection and consistency kept), not in Responses.
func TestFaultAPIPartialBatchGet(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, _ := e.newTable("", "pk")
	for _, k := range []string{"a", "b", "c"} {
		e.put(table, attrs{"pk": avS(k), "x": avS(k)})
	}
	rule := apiRule("pb", table, "BatchGetItem", faults.Action{Type: faults.ActionPartialBatch, Count: 1}, faults.When{})
	rule.Match.Key = map[string]faults.KeyPredicate{"pk": {Equals: aws.String("b")}}
	id := e.addRule(rule).ID
	out, err := e.db.BatchGetItem(ctx(t), &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		table: {Keys: []attrs{pk("a"), pk("b"), pk("c")}, ConsistentRead: aws.Bool(true), ProjectionExpression: aws.String("pk")},
	}})
	if err != nil {
		t.Fatalf("BatchGetItem: %v", err)
	}
	wantItemSet(t, "Responses", out.Responses[table], []attrs{pk("a"), pk("c")})
	u, ok := out.UnprocessedKeys[table]
	if !ok || len(out.UnprocessedKeys) != 1 || len(u.Keys) != 1 || attrsRender(u.Keys[0]) != attrsRender(pk("b")) {
		t.Fatalf("UnprocessedKeys = %+v, want {%s: [%s]}", out.UnprocessedKeys, table, attrsRender(pk("b")))
	}
	if !aws.ToBool(u.ConsistentRead) || aws.ToString(u.ProjectionExpression) != "pk" {
		t.Errorf("UnprocessedKeys lost ConsistentRead (%v) or ProjectionExpression (%q)", u.ConsistentRead, aws.ToString(u.ProjectionExpression))
	}
	e.wantStats(id, 1, 1)
	j := e.journalN(id, 2)
	reqID := requestIDOK(t, out.ResultMetadata)
	wantEntry(t, j[0], faults.Entry{RuleID: id, Action: faults.ActionPartialBatch, Table: table, Operation: "BatchGetItem", RequestID: reqID})
	wantEntry(t, j[1], faults.Entry{RuleID: id, Action: faults.ActionPartialBatch, Table: table, Keys: faultKey(pk("b")),
		Operation: "BatchGetItem", RequestID: reqID})
}

// The extra members of injected errors reach the SDK's typed errors:
// CancellationReasons of TransactionCanceledException (not retried) and
// ThrottlingReasons of a throttling error, whose empty resource the
// server fills with the table's ARN.
func TestFaultAPIErrorReasons(t *testing.T) {
	t.Parallel()
	e := newFaultEnv(t, emulator.Options{})
	table, _ := e.newTable("", "pk")
	tx := e.addRule(apiRule("tx", table, "TransactWriteItems", faults.Action{Type: faults.ActionError,
		Code: "TransactionCanceledException", CancellationReasons: []faults.CancellationReason{
			{Code: "None"}, {Code: "ConditionalCheckFailed"},
		}}, faults.When{Times: 1})).ID
	r := newCountingRetryer(3)
	db, _ := e.retrying(r)
	_, err := db.TransactWriteItems(ctx(t), &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(table), Item: pk("a")}},
		{Put: &types.Put{TableName: aws.String(table), Item: pk("b")}},
	}})
	var tc *types.TransactionCanceledException
	if !errors.As(err, &tc) {
		t.Fatalf("TransactWriteItems: %v, want *types.TransactionCanceledException", err)
	}
	wantAPIError(t, err, "TransactionCanceledException",
		"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]")
	if len(tc.CancellationReasons) != 2 || aws.ToString(tc.CancellationReasons[0].Code) != "None" ||
		aws.ToString(tc.CancellationReasons[1].Code) != "ConditionalCheckFailed" ||
		aws.ToString(tc.CancellationReasons[1].Message) != "The conditional request failed" {
		t.Errorf("CancellationReasons = %+v, want None and ConditionalCheckFailed with its message", tc.CancellationReasons)
	}
	if r.Attempts() != 1 {
		t.Errorf("the SDK made %d attempts, want 1", r.Attempts())
	}
	e.wantAPIEntries(tx, faults.ActionError, table, "TransactWriteItems", 1, requestIDOf(t, err))
	wantAttrs(t, "item a", e.get(table, pk("a")), nil)

	th := e.addRule(apiRule("th", table, "PutItem", faults.Action{Type: faults.ActionError,
		Code: "ProvisionedThroughputExceededException", ThrottlingReasons: []faults.ThrottlingReason{
			{Reason: "TableWriteProvisionedThroughputExceeded"},
		}}, faults.When{Times: 1})).ID
	_, err = e.db.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("a")})
	var pt *types.ProvisionedThroughputExceededException
	if !errors.As(err, &pt) {
		t.Fatalf("PutItem: %v, want *types.ProvisionedThroughputExceededException", err)
	}
	arn := aws.ToString(e.waitActive(table).TableArn)
	if len(pt.ThrottlingReasons) != 1 || aws.ToString(pt.ThrottlingReasons[0].Reason) != "TableWriteProvisionedThroughputExceeded" ||
		aws.ToString(pt.ThrottlingReasons[0].Resource) != arn {
		t.Errorf("ThrottlingReasons = %+v, want TableWriteProvisionedThroughputExceeded on %s", pt.ThrottlingReasons, arn)
	}
	e.wantAPIEntries(th, faults.ActionError, table, "PutItem", 1, requestIDOf(t, err))
}
