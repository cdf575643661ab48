package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestListStreamsPaging(t *testing.T) {
	e := newTestEngine(t)
	ctx := context.Background()
	var arns []string
	for _, n := range []string{"Aaa", "Bbb", "Ccc"} {
		arns = append(arns, createStreamTable(t, e, n, "KEYS_ONLY"))
	}
	mustCreate(t, e, simpleTable("NoStream"))
	out, err := e.ListStreams(ctx, &ListStreamsInput{Limit: i64(2)})
	if err != nil || len(out.Streams) != 2 || out.LastEvaluatedStreamArn != out.Streams[1].StreamArn {
		t.Fatalf("page 1: %+v %v", out, err)
	}
	if _, err := e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("Aaa")}); err != nil {
		t.Fatal(err)
	}
	out2, _ := e.ListStreams(ctx, &ListStreamsInput{Limit: i64(2), ExclusiveStartStreamArn: sp(out.LastEvaluatedStreamArn)})
	if len(out2.Streams) != 1 || out2.Streams[0].StreamArn != arns[2] || out2.LastEvaluatedStreamArn != "" {
		t.Fatalf("page 2: %+v", out2)
	}
	if out, _ := e.ListStreams(ctx, &ListStreamsInput{TableName: sp("NoStream")}); out.Streams == nil || len(out.Streams) != 0 {
		t.Errorf("table without streams: %+v", out)
	}
	if s := out.Streams[0]; s.TableName != "Aaa" || s.StreamLabel == "" || !strings.HasSuffix(s.StreamArn, "/stream/"+s.StreamLabel) {
		t.Errorf("summary %+v", s)
	}
}

func TestStreamsValidation(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "KEYS_ONLY")
	ctx := context.Background()
	shard := shardsOf(t, e, arn)[0].ShardId
	bogus := "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"
	missing := strings.Replace(arn, "table/Tab/", "table/Nope/", 1)
	limit := func(v, c string) string {
		return "1 validation error detected: Value '" + v + "' at 'limit' failed to satisfy constraint: Member must have value " + c
	}
	cases := []struct {
		name string
		call func() error
		code Code
		msg  string
	}{
		{"list limit 0", func() error { _, err := e.ListStreams(ctx, &ListStreamsInput{Limit: i64(0)}); return err },
			Validation, limit("0", "greater than or equal to 1")},
		{"list limit 101", func() error { _, err := e.ListStreams(ctx, &ListStreamsInput{Limit: i64(101)}); return err },
			Validation, limit("101", "less than or equal to 100")},
		{"list bad start", func() error {
			_, err := e.ListStreams(ctx, &ListStreamsInput{ExclusiveStartStreamArn: sp("kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas")})
			return err
		}, Validation, msgInvalidStreamARN},
		{"describe no arn", func() error { _, err := e.DescribeStream(ctx, &DescribeStreamInput{}); return err },
			Validation, "1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null"},
		{"describe bogus arn", func() error { _, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(bogus)}); return err },
			Validation, msgInvalidStreamARN},
		{"describe missing", func() error {
			_, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(missing)})
			return err
		},
			ResourceNotFound, "Requested resource not found: Stream: " + missing + " not found"},
		{"describe limit 101", func() error {
			_, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), Limit: i64(101)})
			return err
		}, Validation, limit("101", "less than or equal to 100")},
		{"filter bad type", func() error {
			_, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), ShardFilter: &ShardFilter{Type: sp("PARENT"), ShardId: sp(shard)}})
			return err
		}, Validation, "1 validation error detected: Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]"},
		{"filter no shard", func() error {
			_, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), ShardFilter: &ShardFilter{Type: sp("CHILD_SHARDS")}})
			return err
		}, Validation, "ShardFilter.ShardId must be specified when ShardFilter.Type is CHILD_SHARDS"},
		{"iterator no seq", func() error {
			_, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("AT_SEQUENCE_NUMBER")})
			return err
		}, Validation, "Must specify SequenceNumber for ShardIteratorType AT_SEQUENCE_NUMBER"},
		{"iterator extra seq", func() error {
			_, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("LATEST"), SequenceNumber: sp("400000000000000000001")})
			return err
		}, Validation, "SequenceNumber must not be specified for ShardIteratorType LATEST"},
		{"iterator bad type", func() error {
			_, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("bulle")})
			return err
		}, Validation, "1 validation error detected: Value 'bulle' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]"},
		{"iterator bad seq", func() error {
			_, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("AT_SEQUENCE_NUMBER"), SequenceNumber: sp("sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv"[:30])})
			return err
		}, Validation, "Invalid SequenceNumber: sdfsafglldfngjdafnasdflgnaldkl"},
		{"iterator bogus arn", func() error {
			_, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(bogus), ShardId: sp(shard), ShardIteratorType: sp("LATEST")})
			return err
		}, Validation, msgInvalidStreamARN},
		{"iterator unknown shard", func() error {
			_, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp("adfasdasdasdasdasdasdasdasdasasdasd"), ShardIteratorType: sp("LATEST")})
			return err
		}, ResourceNotFound, "Requested resource not found: Shard: adfasdasdasdasdasdasdasdasdasasdasd in Stream: " + arn + " not found"},
		{"records bogus iterator", func() error {
			_, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg")})
			return err
		}, Validation, msgInvalidIterator},
		{"records no iterator", func() error { _, err := e.GetRecords(ctx, &GetRecordsInput{}); return err },
			Validation, "1 validation error detected: Value null at 'shardIterator' failed to satisfy constraint: Member must not be null"},
	}
	it := iterOf(t, e, arn, shard, "LATEST", nil)
	for _, l := range []struct {
		n int64
		c string
	}{{0, "greater than or equal to 1"}, {-1, "greater than or equal to 1"}, {1001, "less than or equal to 1000"}} {
		cases = append(cases, struct {
			name string
			call func() error
			code Code
			msg  string
		}{"records limit", func() error {
			_, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(it), Limit: i64(l.n)})
			return err
		}, Validation, limit(strconv.FormatInt(l.n, 10), l.c)})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.msg) })
	}
	if _, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(it), Limit: i64(1000)}); err != nil {
		t.Errorf("Limit 1000: %v", err)
	}
}

func TestDescribeStreamShapes(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "KEYS_ONLY", func(o *Options) { o.StreamShards = 3 })
	ctx := context.Background()
	out, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), Limit: i64(2)})
	if err != nil {
		t.Fatal(err)
	}
	d := out.StreamDescription
	if d.StreamStatus != "ENABLED" || d.StreamViewType != "KEYS_ONLY" || d.TableName != "Tab" || len(d.KeySchema) != 1 ||
		time.Time(d.CreationRequestDateTime) != testEpoch || len(d.Shards) != 2 || d.LastEvaluatedShardId != d.Shards[1].ShardId {
		t.Fatalf("description %+v", d)
	}
	all := shardsOf(t, e, arn)
	if len(all) != 3 {
		t.Fatalf("%d shards", len(all))
	}
	last, _ := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), ExclusiveStartShardId: sp(all[2].ShardId)})
	if last.StreamDescription.Shards == nil || len(last.StreamDescription.Shards) != 0 {
		t.Errorf("after the last shard: %+v", last.StreamDescription.Shards)
	}
	zz, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), ExclusiveStartShardId: sp("zzzzzzzzzzzzzzzzzzzzzzzzsfasdgagadfadfgagkjsdfsfsdjfjks")})
	if err != nil || len(zz.StreamDescription.Shards) != 0 {
		t.Errorf("nonexistent start shard: %v %+v", err, zz)
	}
	for _, sh := range all {
		r := sh.SequenceNumberRange
		if r.StartingSequenceNumber == "" || r.EndingSequenceNumber != "" || sh.ParentShardId != "" {
			t.Errorf("shard %+v", sh)
		}
		// AT the starting sequence number works on an empty shard.
		iterOf(t, e, arn, sh.ShardId, "AT_SEQUENCE_NUMBER", sp(r.StartingSequenceNumber))
	}
	kids, err := e.SplitShard("Tab", all[0].ShardId)
	if err != nil {
		t.Fatal(err)
	}
	f, err := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), ShardFilter: &ShardFilter{Type: sp("CHILD_SHARDS"), ShardId: sp(all[0].ShardId)}})
	if err != nil || len(f.StreamDescription.Shards) != 2 || f.StreamDescription.Shards[0].ShardId != kids[0] || f.StreamDescription.Shards[1].ShardId != kids[1] {
		t.Fatalf("CHILD_SHARDS: %v %+v", err, f)
	}
	none, _ := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn), ShardFilter: &ShardFilter{Type: sp("CHILD_SHARDS"), ShardId: sp(kids[0])}})
	if len(none.StreamDescription.Shards) != 0 {
		t.Errorf("children of a leaf: %+v", none.StreamDescription.Shards)
	}
}

func TestGetRecordsPositions(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "KEYS_ONLY", func(o *Options) { o.IteratorTTL = time.Minute })
	ctx := context.Background()
	shard := shardsOf(t, e, arn)[0].ShardId
	latest := iterOf(t, e, arn, shard, "LATEST", nil)
	mustPut(t, e, "Tab", pkItem("a"))
	out, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(latest)})
	if err != nil || len(out.Records) != 1 || out.NextShardIterator == "" {
		t.Fatalf("visible at once: %+v %v", out, err)
	}
	seq := out.Records[0].Dynamodb.SequenceNumber
	again, _ := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(out.NextShardIterator)})
	if len(again.Records) != 0 || again.NextShardIterator == "" {
		t.Fatalf("at the end of an open shard: %+v", again)
	}
	mustPut(t, e, "Tab", pkItem("a", "x", "1"))
	more, _ := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(again.NextShardIterator)})
	if len(more.Records) != 1 || more.Records[0].EventName != "MODIFY" {
		t.Fatalf("next write: %+v", more)
	}
	after := iterOf(t, e, arn, shard, "AFTER_SEQUENCE_NUMBER", sp(seq))
	if a, _ := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(after)}); len(a.Records) != 1 || a.Records[0].Dynamodb.SequenceNumber <= seq {
		t.Errorf("AFTER: %+v", a)
	}
	e.clock.Advance(2 * time.Minute)
	_, err = e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(more.NextShardIterator)})
	wantErr(t, err, ExpiredIterator, "The provided iterator exceeds the maximum age allowed.")
	fresh := iterOf(t, e, arn, shard, "TRIM_HORIZON", nil)
	if err := e.TrimStream("Tab", 0); err != nil {
		t.Fatal(err)
	}
	_, err = e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(fresh)})
	wantErr(t, err, TrimmedDataAccess, "The data you are trying to access has been trimmed")
	_, err = e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("AT_SEQUENCE_NUMBER"), SequenceNumber: sp(seq)})
	wantErr(t, err, TrimmedDataAccess, "The data you are trying to access has been trimmed")
	// Closed shard: the last page has no NextShardIterator.
	mustPut(t, e, "Tab", pkItem("b"))
	th := iterOf(t, e, arn, shard, "TRIM_HORIZON", nil)
	if _, err := e.RolloverShard("Tab", shard); err != nil {
		t.Fatal(err)
	}
	end, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(th)})
	if err != nil || len(end.Records) != 1 || end.NextShardIterator != "" {
		t.Fatalf("closed shard: %+v %v", end, err)
	}
}
