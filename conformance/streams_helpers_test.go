package conformance

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Helpers shared by the DynamoDB Streams tests (streams_*_test.go).

// rec is one stream record.
type rec = sstypes.Record

var (
	// seqPattern: sequence numbers are 21 to 40 decimal digits (model;
	// scylladb test_streams.py checks isdecimal, libraries rely on it).
	seqPattern = regexp.MustCompile(`^[0-9]{21,40}$`)
	// labelPattern: ISO-8601 with milliseconds and no zone (model docs).
	labelPattern = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$`)
)

// streamEnv is the server a streams test talks to: the endpoint under test
// (sharedEnv) or a private in-process emulator (the admin-driven tests, whose
// clock changes must not leak into other tests).
type streamEnv struct {
	t   testing.TB
	db  *dynamodb.Client
	st  *dynamodbstreams.Client
	url string
}

// sharedEnv talks to the endpoint under test.
func sharedEnv(t testing.TB) *streamEnv {
	t.Helper()
	return &streamEnv{t: t, db: ddb(t), st: streams(t), url: endpoint}
}

// newTable creates a PAY_PER_REQUEST table keyed by keys (first the hash
// key, then an optional range key, all S) with a stream of the given view
// type (none when view is empty), waits until it is ACTIVE and deletes it
// when the test ends. It returns the table name and its LatestStreamArn.
func (e *streamEnv) newTable(view types.StreamViewType, keys ...string) (name, arn string) {
	e.t.Helper()
	in := &dynamodb.CreateTableInput{TableName: aws.String(uniqueName("st")), BillingMode: types.BillingModePayPerRequest}
	for i, k := range keys {
		kt := types.KeyTypeHash
		if i > 0 {
			kt = types.KeyTypeRange
		}
		in.AttributeDefinitions = append(in.AttributeDefinitions, attrDef(k, types.ScalarAttributeTypeS))
		in.KeySchema = append(in.KeySchema, keyElem(k, kt))
	}
	if view != "" {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view}
	}
	out, err := e.db.CreateTable(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("CreateTable: %v", err)
	}
	name = aws.ToString(in.TableName)
	e.t.Cleanup(func() {
		_, _ = e.db.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	e.waitActive(name)
	return name, aws.ToString(out.TableDescription.LatestStreamArn)
}

// waitActive polls DescribeTable until the table is ACTIVE and returns it.
func (e *streamEnv) waitActive(name string) *types.TableDescription {
	e.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := e.db.DescribeTable(ctx(e.t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			e.t.Fatalf("DescribeTable %s: %v", name, err)
		}
		if out.Table.TableStatus == types.TableStatusActive {
			return out.Table
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("table %s still %s", name, out.Table.TableStatus)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setStream enables (view not empty) or disables the table's stream and
// waits until the table is ACTIVE again.
func (e *streamEnv) setStream(table string, view types.StreamViewType) *types.TableDescription {
	e.t.Helper()
	spec := &types.StreamSpecification{StreamEnabled: aws.Bool(view != ""), StreamViewType: view}
	out, err := e.db.UpdateTable(ctx(e.t), &dynamodb.UpdateTableInput{TableName: aws.String(table), StreamSpecification: spec})
	if err != nil {
		e.t.Fatalf("UpdateTable stream %v: %v", spec, err)
	}
	e.waitActive(table)
	return out.TableDescription
}

// put stores item and fails the test on error.
func (e *streamEnv) put(table string, item attrs) {
	e.t.Helper()
	if _, err := e.db.PutItem(ctx(e.t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		e.t.Fatalf("PutItem %s: %v", attrsRender(item), err)
	}
}

// update applies an update expression (values may be nil).
func (e *streamEnv) update(table string, key attrs, expr string, values attrs) {
	e.t.Helper()
	in := &dynamodb.UpdateItemInput{TableName: aws.String(table), Key: key, ExpressionAttributeValues: values}
	if expr != "" {
		in.UpdateExpression = aws.String(expr)
	}
	if _, err := e.db.UpdateItem(ctx(e.t), in); err != nil {
		e.t.Fatalf("UpdateItem %s %q: %v", attrsRender(key), expr, err)
	}
}

// del deletes key and fails the test on error.
func (e *streamEnv) del(table string, key attrs) {
	e.t.Helper()
	if _, err := e.db.DeleteItem(ctx(e.t), &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: key}); err != nil {
		e.t.Fatalf("DeleteItem %s: %v", attrsRender(key), err)
	}
}

// describe is one DescribeStream call that must succeed.
func (e *streamEnv) describe(in *dynamodbstreams.DescribeStreamInput) *sstypes.StreamDescription {
	e.t.Helper()
	out, err := e.st.DescribeStream(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("DescribeStream %s: %v", aws.ToString(in.StreamArn), err)
	}
	return out.StreamDescription
}

// shards lists every shard of the stream, paging through DescribeStream
// with the given page size (0: the default), and checks the paging rules:
// LastEvaluatedShardId is the last shard of its page, IDs are unique and in
// lexicographic order (scylladb test_streams.py list_shards, AWS-verified).
func (e *streamEnv) shards(arn string, limit int32) []sstypes.Shard {
	e.t.Helper()
	in := &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)}
	if limit > 0 {
		in.Limit = aws.Int32(limit)
	}
	var all []sstypes.Shard
	for page := 0; ; page++ {
		d := e.describe(in)
		if limit > 0 && len(d.Shards) > int(limit) {
			e.t.Fatalf("DescribeStream Limit %d returned %d shards", limit, len(d.Shards))
		}
		all = append(all, d.Shards...)
		last := aws.ToString(d.LastEvaluatedShardId)
		if last == "" {
			break
		}
		if len(d.Shards) == 0 || aws.ToString(d.Shards[len(d.Shards)-1].ShardId) != last {
			e.t.Fatalf("LastEvaluatedShardId %q is not the last shard of the page", last)
		}
		if page > 1000 {
			e.t.Fatalf("DescribeStream paging does not end")
		}
		in.ExclusiveStartShardId = aws.String(last)
	}
	ids := make([]string, len(all))
	for i, s := range all {
		ids[i] = aws.ToString(s.ShardId)
	}
	if !sort.StringsAreSorted(ids) {
		e.t.Errorf("shard IDs not in lexicographic order: %v", ids)
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			e.t.Errorf("shard %s listed twice", ids[i])
		}
	}
	return all
}

// iterator returns a shard iterator; seq is sent only when not empty.
func (e *streamEnv) iterator(arn, shard string, typ sstypes.ShardIteratorType, seq string) string {
	e.t.Helper()
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard), ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = aws.String(seq)
	}
	out, err := e.st.GetShardIterator(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("GetShardIterator %s %s %s: %v", shard, typ, seq, err)
	}
	it := aws.ToString(out.ShardIterator)
	if it == "" || len(it) > 2048 {
		e.t.Fatalf("ShardIterator of length %d, want 1..2048", len(it))
	}
	return it
}

// records is one GetRecords call that must succeed (limit 0: no Limit).
func (e *streamEnv) records(it string, limit int32) *dynamodbstreams.GetRecordsOutput {
	e.t.Helper()
	in := &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(it)}
	if limit > 0 {
		in.Limit = aws.Int32(limit)
	}
	out, err := e.st.GetRecords(ctx(e.t), in)
	if err != nil {
		e.t.Fatalf("GetRecords: %v", err)
	}
	return out
}

// drain follows it until the shard is caught up (an empty page that still
// has a NextShardIterator: an open shard) or has ended (no
// NextShardIterator: a closed shard read to its end). It returns the records
// and the iterator to continue with, "" when the shard ended.
func (e *streamEnv) drain(it string) ([]rec, string) {
	e.t.Helper()
	var all []rec
	for range 10000 {
		out := e.records(it, 0)
		all = append(all, out.Records...)
		next := aws.ToString(out.NextShardIterator)
		if next == "" || len(out.Records) == 0 {
			return all, next
		}
		it = next
	}
	e.t.Fatalf("shard does not end")
	return nil, ""
}

// shardOf returns the ID of the shard holding the stream's only records.
func (e *streamEnv) shardOf(arn string) string {
	e.t.Helper()
	for _, s := range e.shards(arn, 0) {
		if len(e.readShard(arn, aws.ToString(s.ShardId))) > 0 {
			return aws.ToString(s.ShardId)
		}
	}
	e.t.Fatalf("no shard has records")
	return ""
}

// readShard reads a shard from TRIM_HORIZON as far as it goes now.
func (e *streamEnv) readShard(arn, shard string) []rec {
	e.t.Helper()
	recs, _ := e.drain(e.iterator(arn, shard, sstypes.ShardIteratorTypeTrimHorizon, ""))
	return recs
}

// lineageOrder sorts shards so that every parent comes before its children
// (a consumer must finish a parent first), shard ID order otherwise.
func lineageOrder(shards []sstypes.Shard) []sstypes.Shard {
	parent := map[string]string{}
	for _, s := range shards {
		parent[aws.ToString(s.ShardId)] = aws.ToString(s.ParentShardId)
	}
	depth := func(id string) int {
		d := 0
		for p := parent[id]; p != "" && d < len(parent); p = parent[p] {
			d++
		}
		return d
	}
	out := append([]sstypes.Shard(nil), shards...)
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := depth(aws.ToString(out[i].ShardId)), depth(aws.ToString(out[j].ShardId))
		if di != dj {
			return di < dj
		}
		return aws.ToString(out[i].ShardId) < aws.ToString(out[j].ShardId)
	})
	return out
}

// readStream reads every shard of the stream, parents first, and returns
// all records available now.
func (e *streamEnv) readStream(arn string) []rec {
	e.t.Helper()
	var all []rec
	for _, s := range lineageOrder(e.shards(arn, 0)) {
		all = append(all, e.readShard(arn, aws.ToString(s.ShardId))...)
	}
	return all
}

// waitStream polls readStream until it returns at least n records and
// returns them. Records appear "near real time" on other implementations;
// dynafault appends them before the write returns, so the first read
// suffices there.
func (e *streamEnv) waitStream(arn string, n int) []rec {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		recs := e.readStream(arn)
		if len(recs) >= n {
			return recs
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("stream has %d records, want at least %d:\n%s", len(recs), n, recsString(recs))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// streamAV converts a Streams AttributeValue to the DynamoDB one.
func streamAV(v sstypes.AttributeValue) types.AttributeValue {
	switch x := v.(type) {
	case *sstypes.AttributeValueMemberS:
		return avS(x.Value)
	case *sstypes.AttributeValueMemberN:
		return avN(x.Value)
	case *sstypes.AttributeValueMemberB:
		return avB(x.Value)
	case *sstypes.AttributeValueMemberBOOL:
		return avBool(x.Value)
	case *sstypes.AttributeValueMemberNULL:
		return avNull()
	case *sstypes.AttributeValueMemberSS:
		return avSS(x.Value...)
	case *sstypes.AttributeValueMemberNS:
		return avNS(x.Value...)
	case *sstypes.AttributeValueMemberBS:
		return avBS(x.Value...)
	case *sstypes.AttributeValueMemberL:
		l := make([]types.AttributeValue, len(x.Value))
		for i, e := range x.Value {
			l[i] = streamAV(e)
		}
		return avL(l...)
	case *sstypes.AttributeValueMemberM:
		return avM(streamItem(x.Value))
	default:
		return nil
	}
}

// streamItem converts a Streams image or key; nil stays nil.
func streamItem(m map[string]sstypes.AttributeValue) attrs {
	if m == nil {
		return nil
	}
	out := make(attrs, len(m))
	for k, v := range m {
		out[k] = streamAV(v)
	}
	return out
}

// recString renders what a record says about its item.
func recString(r rec) string {
	d := r.Dynamodb
	if d == nil {
		return string(r.EventName) + " <no dynamodb>"
	}
	return fmt.Sprintf("%s keys=%s old=%s new=%s", r.EventName,
		attrsRender(streamItem(d.Keys)), attrsRender(streamItem(d.OldImage)), attrsRender(streamItem(d.NewImage)))
}

func recsString(recs []rec) string {
	s := make([]string, len(recs))
	for i, r := range recs {
		s[i] = "  " + recString(r)
	}
	return strings.Join(s, "\n")
}

// streamEvent renders the record a write should produce on a stream of the given
// view type: the images the view type does not carry are left out.
func streamEvent(view types.StreamViewType, name string, keys, oldImg, newImg attrs) string {
	switch view {
	case types.StreamViewTypeKeysOnly:
		oldImg, newImg = nil, nil
	case types.StreamViewTypeNewImage:
		oldImg = nil
	case types.StreamViewTypeOldImage:
		newImg = nil
	}
	return fmt.Sprintf("%s keys=%s old=%s new=%s", name, attrsRender(keys), attrsRender(oldImg), attrsRender(newImg))
}

// wantEvents fails unless recs are exactly the events want, in order.
func wantEvents(t testing.TB, recs []rec, want ...string) {
	t.Helper()
	got := make([]string, len(recs))
	for i, r := range recs {
		got[i] = recString(r)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("stream records:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// recsFor keeps the records of one item.
func recsFor(recs []rec, key attrs) []rec {
	var out []rec
	for _, r := range recs {
		if r.Dynamodb != nil && attrsRender(streamItem(r.Dynamodb.Keys)) == attrsRender(key) {
			out = append(out, r)
		}
	}
	return out
}

// seqNum parses a sequence number, failing unless it has the AWS shape.
func seqNum(t testing.TB, s string) *big.Int {
	t.Helper()
	if !seqPattern.MatchString(s) {
		t.Fatalf("sequence number %q, want 21 to 40 decimal digits", s)
	}
	n, _ := new(big.Int).SetString(s, 10)
	return n
}

// wantRawStreamsError fails unless r is an HTTP 400 whose __type names the
// exception code (any namespace) and whose message matches pattern.
func wantRawStreamsError(t testing.TB, r rawResponse, code, pattern string) {
	t.Helper()
	e := r.envelope()
	if r.Status != http.StatusBadRequest || !strings.HasSuffix(e.Type, "#"+code) ||
		!regexp.MustCompile(pattern).MatchString(e.Message) {
		t.Fatalf("got %d %s %q, want 400 %s matching %q", r.Status, e.Type, e.Message, code, pattern)
	}
}

// streamsCall sends a signed raw Streams request to the endpoint under test.
func streamsCall(t testing.TB, op string, body any) rawResponse {
	t.Helper()
	return rawCall(t, targetStreams+op, body)
}
