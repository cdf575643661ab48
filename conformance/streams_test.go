package conformance

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// The four DynamoDB Streams operations: ListStreams, DescribeStream and
// GetShardIterator (their parameters and errors). GetRecords is in
// streams_records_test.go. Behaviour is AWS-verified by scylladb
// test/alternator/test_streams.py (tests not marked xfail-on-AWS) and
// LocalStack's AWS snapshots; exact texts only where AWS-captured, the
// exception code (and a pattern) otherwise.

// limitTooLow is the composite validation text for a Limit below 1 (the
// service's standard constraint message, as for ListTables in dynalite
// test/listTables.js).
func limitTooLow(limit int32) string {
	return fmt.Sprintf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", limit)
}

// missingStreamARN is a well-formed stream ARN of a table that does not exist.
func missingStreamARN() string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:000000000000:table/%s/stream/2024-01-01T00:00:00.000", testRegion, uniqueName("gone"))
}

func TestStreamListStreamsByTable(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	out, err := e.st.ListStreams(ctx(t), &dynamodbstreams.ListStreamsInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("ListStreams: %v", err)
	}
	if len(out.Streams) != 1 {
		t.Fatalf("ListStreams(TableName) = %d streams, want 1", len(out.Streams))
	}
	s := out.Streams[0]
	if aws.ToString(s.StreamArn) != arn || aws.ToString(s.TableName) != name {
		t.Errorf("stream = {%s %s}, want {%s %s}", aws.ToString(s.StreamArn), aws.ToString(s.TableName), arn, name)
	}
	if label := aws.ToString(s.StreamLabel); !labelPattern.MatchString(label) || arn != "" && arn[len(arn)-len(label):] != label {
		t.Errorf("StreamLabel = %q, want the ISO-8601 label that ends the ARN %s", label, arn)
	}
	if out.LastEvaluatedStreamArn != nil {
		t.Errorf("LastEvaluatedStreamArn = %q on a final, non-full page; want absent", aws.ToString(out.LastEvaluatedStreamArn))
	}
}

func TestStreamListStreamsTableWithoutStream(t *testing.T) {
	t.Parallel()
	r := streamsCall(t, "ListStreams", map[string]any{"TableName": hashTable(t)})
	m := wantRawOK(t, r)
	if s, ok := m["Streams"].([]any); !ok || len(s) != 0 {
		t.Fatalf("ListStreams body %s, want \"Streams\": []", r.Body)
	}
	if _, ok := m["LastEvaluatedStreamArn"]; ok {
		t.Errorf("LastEvaluatedStreamArn present in %s", r.Body)
	}
}

// Paging over all streams of the account (scylladb test_list_streams_paged,
// test_list_streams_paged_with_new_table): every page holds at most Limit
// streams, LastEvaluatedStreamArn is the ARN of the page's last stream, and
// every stream appears exactly once even while other tests create and
// delete tables.
func TestStreamListStreamsPaging(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	want := map[string]bool{}
	for range 3 {
		_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
		want[arn] = true
	}
	seen := map[string]int{}
	in := &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(2)}
	for page := 0; ; page++ {
		out, err := e.st.ListStreams(ctx(t), in)
		if err != nil {
			t.Fatalf("ListStreams page %d: %v", page, err)
		}
		if len(out.Streams) > 2 {
			t.Fatalf("page %d has %d streams, Limit 2", page, len(out.Streams))
		}
		for _, s := range out.Streams {
			seen[aws.ToString(s.StreamArn)]++
		}
		last := aws.ToString(out.LastEvaluatedStreamArn)
		if last == "" {
			break
		}
		if len(out.Streams) == 0 || aws.ToString(out.Streams[len(out.Streams)-1].StreamArn) != last {
			t.Fatalf("LastEvaluatedStreamArn %s is not the last stream of its page", last)
		}
		if page > 5000 {
			t.Fatalf("ListStreams paging does not end")
		}
		in.ExclusiveStartStreamArn = aws.String(last)
	}
	for arn := range want {
		if seen[arn] != 1 {
			t.Errorf("stream %s listed %d times, want once", arn, seen[arn])
		}
	}
}

// Paging resumes after the stream of a table deleted between pages
// (scylladb test_list_streams_paged_resume_on_deleted_table).
func TestStreamListStreamsResumeAfterDeletedTable(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	if _, err := e.db.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	in := &dynamodbstreams.ListStreamsInput{ExclusiveStartStreamArn: aws.String(arn), Limit: aws.Int32(5)}
	for page := 0; ; page++ {
		out, err := e.st.ListStreams(ctx(t), in)
		if err != nil {
			t.Fatalf("ListStreams page %d after the deleted table's stream: %v", page, err)
		}
		if out.LastEvaluatedStreamArn == nil {
			break
		}
		if page > 1000 {
			t.Fatalf("ListStreams paging does not end")
		}
		in.ExclusiveStartStreamArn = out.LastEvaluatedStreamArn
	}
}

func TestStreamListStreamsErrors(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, _ := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	for _, limit := range []int32{0, -1} {
		_, err := e.st.ListStreams(ctx(t), &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(limit)})
		wantAPIError(t, err, "ValidationException", limitTooLow(limit))
	}
	// AWS rejects 101 (scylladb test_list_streams_too_high_limit); its
	// text is not captured.
	_, err := e.st.ListStreams(ctx(t), &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(101)})
	wantAPIErrorMatching(t, err, "ValidationException", `(?i)limit`)
	if _, err := e.st.ListStreams(ctx(t), &dynamodbstreams.ListStreamsInput{Limit: aws.Int32(100)}); err != nil {
		t.Errorf("ListStreams Limit 100: %v", err)
	}
	// scylladb test_list_streams_with_nonexistent_last_stream.
	_, err = e.st.ListStreams(ctx(t), &dynamodbstreams.ListStreamsInput{
		TableName: aws.String(name), ExclusiveStartStreamArn: aws.String("kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas"),
	})
	wantAPIError(t, err, "ValidationException", "")
}

func TestStreamDescribeStream(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	name, arn := e.newTable(types.StreamViewTypeNewImage, "pk", "sk")
	d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if aws.ToString(d.StreamArn) != arn || aws.ToString(d.TableName) != name || d.StreamViewType != sstypes.StreamViewTypeNewImage {
		t.Errorf("StreamDescription {%s %s %s}, want {%s %s NEW_IMAGE}", aws.ToString(d.StreamArn), aws.ToString(d.TableName), d.StreamViewType, arn, name)
	}
	if d.StreamStatus != sstypes.StreamStatusEnabled && d.StreamStatus != sstypes.StreamStatusEnabling {
		t.Errorf("StreamStatus = %s, want ENABLED (or ENABLING)", d.StreamStatus)
	}
	if lbl := aws.ToString(d.StreamLabel); !labelPattern.MatchString(lbl) {
		t.Errorf("StreamLabel = %q", lbl)
	}
	if d.CreationRequestDateTime == nil {
		t.Errorf("CreationRequestDateTime missing")
	}
	ks := make([]string, len(d.KeySchema))
	for i, k := range d.KeySchema {
		ks[i] = aws.ToString(k.AttributeName) + ":" + string(k.KeyType)
	}
	if got := fmt.Sprint(ks); got != "[pk:HASH sk:RANGE]" {
		t.Errorf("KeySchema = %s, want [pk:HASH sk:RANGE]", got)
	}
	if len(d.Shards) == 0 {
		t.Fatalf("a new stream has no shards")
	}
	open := 0
	for _, s := range d.Shards {
		id := aws.ToString(s.ShardId)
		if len(id) < 28 || len(id) > 65 {
			t.Errorf("ShardId %q has length %d, want 28..65", id, len(id))
		}
		if s.SequenceNumberRange == nil {
			t.Fatalf("shard %s without SequenceNumberRange", id)
		}
		seqNum(t, aws.ToString(s.SequenceNumberRange.StartingSequenceNumber))
		if s.SequenceNumberRange.EndingSequenceNumber == nil {
			open++
		}
	}
	if open == 0 {
		t.Errorf("an enabled stream has no open shard")
	}
}

// Paging through the shards with Limit 1; after the last shard the list is
// empty, and a non-existent ExclusiveStartShardId gives an empty list too
// (scylladb list_shards and test_describe_stream_with_nonexistent_last_shard).
func TestStreamDescribeStreamPaging(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	shards := e.shards(arn, 1)
	if len(shards) == 0 {
		t.Fatalf("no shards")
	}
	last := aws.ToString(shards[len(shards)-1].ShardId)
	d := e.describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), ExclusiveStartShardId: aws.String(last)})
	if len(d.Shards) != 0 || d.LastEvaluatedShardId != nil {
		t.Errorf("after the last shard: %d shards, LastEvaluatedShardId %v; want none", len(d.Shards), d.LastEvaluatedShardId)
	}
	d = e.describe(&dynamodbstreams.DescribeStreamInput{
		StreamArn: aws.String(arn), ExclusiveStartShardId: aws.String("zzzzzzzzzzzzzzzzzzzzzzzzsfasdgagadfadfgagkjsdfsfsdjfjks"),
	})
	if len(d.Shards) != 0 {
		t.Errorf("after a non-existent shard ID: %d shards, want 0", len(d.Shards))
	}
}

func TestStreamDescribeStreamErrors(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	missing := missingStreamARN()
	describe := func(in *dynamodbstreams.DescribeStreamInput) error {
		_, err := e.st.DescribeStream(ctx(t), in)
		return err
	}
	t.Run("missing stream", func(t *testing.T) {
		err := describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(missing)})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Stream: "+missing+" not found")
	})
	t.Run("not an ARN", func(t *testing.T) { // scylladb test_describe_nonexistent_stream
		err := describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String("sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf")})
		wantAPIError(t, err, "ValidationException", "")
	})
	t.Run("Limit 0", func(t *testing.T) {
		err := describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), Limit: aws.Int32(0)})
		wantAPIError(t, err, "ValidationException", limitTooLow(0))
	})
	t.Run("Limit 101", func(t *testing.T) {
		err := describe(&dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), Limit: aws.Int32(101)})
		wantAPIErrorMatching(t, err, "ValidationException", `(?i)limit`)
	})
	t.Run("no StreamArn", func(t *testing.T) {
		wantRawStreamsError(t, streamsCall(t, "DescribeStream", map[string]any{}), "ValidationException", `(?i)streamArn`)
	})
}

// ShardFilter CHILD_SHARDS (scylladb test_stream_shard_filtering_*): a shard
// without children gives an empty list; a missing or unknown Type, a missing
// ShardId and a malformed one are ValidationExceptions.
func TestStreamDescribeStreamShardFilter(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	shard := aws.ToString(e.shards(arn, 0)[0].ShardId)
	d := e.describe(&dynamodbstreams.DescribeStreamInput{
		StreamArn: aws.String(arn), ShardFilter: &sstypes.ShardFilter{Type: sstypes.ShardFilterTypeChildShards, ShardId: aws.String(shard)},
	})
	if len(d.Shards) != 0 {
		t.Errorf("CHILD_SHARDS of an open shard: %d shards, want 0", len(d.Shards))
	}
	bad := map[string]*sstypes.ShardFilter{
		"unknown type":     {Type: "foo", ShardId: aws.String(shard)},
		"missing type":     {ShardId: aws.String(shard)},
		"missing shard id": {Type: sstypes.ShardFilterTypeChildShards},
	}
	for what, f := range bad {
		_, err := e.st.DescribeStream(ctx(t), &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), ShardFilter: f})
		if err == nil {
			t.Errorf("%s: no error", what)
			continue
		}
		wantAPIError(t, err, "ValidationException", "")
	}
	_, err := e.st.DescribeStream(ctx(t), &dynamodbstreams.DescribeStreamInput{
		StreamArn: aws.String(arn), ShardFilter: &sstypes.ShardFilter{Type: sstypes.ShardFilterTypeChildShards, ShardId: aws.String("x")},
	})
	wantAPIError(t, err, "ValidationException",
		"1 validation error detected: Value 'x' at 'shardFilter.shardId' failed to satisfy constraint: Member must have length greater than or equal to 28")
}

// GetShardIterator: the four types succeed on an open shard; each
// validation error of scylladb test_get_shard_iterator*.
func TestStreamGetShardIterator(t *testing.T) {
	t.Parallel()
	e := sharedEnv(t)
	_, arn := e.newTable(types.StreamViewTypeKeysOnly, "pk")
	s := e.shards(arn, 0)[0]
	shard := aws.ToString(s.ShardId)
	start := aws.ToString(s.SequenceNumberRange.StartingSequenceNumber)
	for _, typ := range []sstypes.ShardIteratorType{sstypes.ShardIteratorTypeAtSequenceNumber, sstypes.ShardIteratorTypeAfterSequenceNumber} {
		e.iterator(arn, shard, typ, start)
	}
	for _, typ := range []sstypes.ShardIteratorType{sstypes.ShardIteratorTypeTrimHorizon, sstypes.ShardIteratorTypeLatest} {
		e.iterator(arn, shard, typ, "")
	}

	gsi := func(streamARN, shardID string, typ sstypes.ShardIteratorType, seq *string) error {
		_, err := e.st.GetShardIterator(ctx(t), &dynamodbstreams.GetShardIteratorInput{
			StreamArn: aws.String(streamARN), ShardId: aws.String(shardID), ShardIteratorType: typ, SequenceNumber: seq,
		})
		return err
	}
	const (
		at, after = sstypes.ShardIteratorTypeAtSequenceNumber, sstypes.ShardIteratorTypeAfterSequenceNumber
		trim, tip = sstypes.ShardIteratorTypeTrimHorizon, sstypes.ShardIteratorTypeLatest
	)
	cases := []struct {
		name string
		err  func() error
		code string
	}{
		{"AT without SequenceNumber", func() error { return gsi(arn, shard, at, nil) }, "ValidationException"},
		{"AFTER without SequenceNumber", func() error { return gsi(arn, shard, after, nil) }, "ValidationException"},
		{"TRIM_HORIZON with SequenceNumber", func() error { return gsi(arn, shard, trim, aws.String(start)) }, "ValidationException"},
		{"LATEST with SequenceNumber", func() error { return gsi(arn, shard, tip, aws.String(start)) }, "ValidationException"},
		{"unknown type", func() error { return gsi(arn, shard, "bulle", aws.String(start)) }, "ValidationException"},
		{"malformed SequenceNumber", func() error {
			return gsi(arn, shard, at, aws.String("sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv"))
		}, "ValidationException"},
		{"not an ARN", func() error {
			return gsi("sdfadsfsdfsdgdfsgsfdabadfbabdadsfsdfsdfsdfsdfsdfsdfdfdssdffbdfdf", shard, tip, nil)
		}, "ValidationException"},
		{"unknown shard", func() error { return gsi(arn, "semprinidfaasdasfsdvacsdcfsdsvsdvsdvsdvsdvsdv", tip, nil) }, "ResourceNotFoundException"},
		{"unknown AWS-shaped shard", func() error { return gsi(arn, "shardId-00000001541626099285-f35f62ef", trim, nil) }, "ResourceNotFoundException"},
		{"missing stream", func() error { return gsi(missingStreamARN(), shard, tip, nil) }, "ResourceNotFoundException"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantAPIError(t, c.err(), c.code, "") })
	}
	for what, body := range map[string]map[string]any{
		"StreamArn":         {"ShardId": shard, "ShardIteratorType": "LATEST"},
		"ShardId":           {"StreamArn": arn, "ShardIteratorType": "LATEST"},
		"ShardIteratorType": {"StreamArn": arn, "ShardId": shard},
	} {
		t.Run("missing "+what, func(t *testing.T) {
			wantRawStreamsError(t, streamsCall(t, "GetShardIterator", body), "ValidationException", "(?i)"+what)
		})
	}
}
