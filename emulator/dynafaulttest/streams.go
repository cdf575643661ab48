package dynafaulttest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// StreamReader reads a stream the way a careful consumer does: every shard
// in lineage order (a parent before its children, siblings in creation
// order), each from TRIM_HORIZON through its end (a closed shard) or until
// GetRecords answers an empty page (an open shard: caught up). It
// remembers where it stopped in each shard, so the next Read returns only
// the records that arrived since, including those of shards opened
// meanwhile. An expired iterator is renewed after the last record read.
//
// It works against any DynamoDB Streams endpoint. Records a fault holds
// back, or a paused shard's, are not visible yet: Read returns what a
// consumer could read at that moment. A StreamReader is not safe for
// concurrent use.
type StreamReader struct {
	c    *dynamodbstreams.Client
	arn  string
	last map[string]string // shard ID -> sequence number of the last record read
	done map[string]bool   // closed shards read to their end
}

// NewStreamReader returns a reader of the stream streamARN through c.
func NewStreamReader(c *dynamodbstreams.Client, streamARN string) *StreamReader {
	return &StreamReader{c: c, arn: streamARN, last: map[string]string{}, done: map[string]bool{}}
}

// StreamARN is the ARN of the stream r reads.
func (r *StreamReader) StreamARN() string { return r.arn }

// Read returns the records not read before, shard by shard in lineage
// order, in sequence-number order within a shard, until every shard is
// read to its end or caught up. On an error (TrimmedDataAccessException
// when records fell off the retention window, for instance) it returns the
// records read so far with the error.
func (r *StreamReader) Read(ctx context.Context) ([]types.Record, error) {
	var out []types.Record
	for {
		shards, err := r.shards(ctx)
		if err != nil {
			return out, err
		}
		progress := false
		for _, sh := range lineageOrder(shards) {
			id := aws.ToString(sh.ShardId)
			if r.done[id] {
				continue
			}
			recs, err := r.readShard(ctx, id)
			out = append(out, recs...)
			if err != nil {
				return out, err
			}
			progress = progress || len(recs) > 0 || r.done[id]
		}
		if !progress {
			return out, nil
		}
	}
}

// shards lists every shard of the stream.
func (r *StreamReader) shards(ctx context.Context) ([]types.Shard, error) {
	var all []types.Shard
	var start *string
	for {
		out, err := r.c.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{
			StreamArn: aws.String(r.arn), ExclusiveStartShardId: start,
		})
		if err != nil {
			return nil, fmt.Errorf("dynafaulttest: DescribeStream: %w", err)
		}
		all = append(all, out.StreamDescription.Shards...)
		start = out.StreamDescription.LastEvaluatedShardId
		if start == nil {
			return all, nil
		}
	}
}

// lineageOrder sorts shards so that each parent comes before its
// children; shards whose parent is not listed (trimmed, or none) are
// roots. Siblings keep their creation (shard ID) order.
func lineageOrder(shards []types.Shard) []types.Shard {
	sort.Slice(shards, func(i, j int) bool { return aws.ToString(shards[i].ShardId) < aws.ToString(shards[j].ShardId) })
	listed := map[string]bool{}
	children := map[string][]types.Shard{}
	for _, sh := range shards {
		listed[aws.ToString(sh.ShardId)] = true
	}
	var out, roots []types.Shard
	for _, sh := range shards {
		if p := aws.ToString(sh.ParentShardId); p != "" && listed[p] {
			children[p] = append(children[p], sh)
		} else {
			roots = append(roots, sh)
		}
	}
	var visit func(types.Shard)
	visit = func(sh types.Shard) {
		out = append(out, sh)
		for _, c := range children[aws.ToString(sh.ShardId)] {
			visit(c)
		}
	}
	for _, sh := range roots {
		visit(sh)
	}
	return out
}

// readShard reads one shard from where r stopped until its end or an
// empty page.
func (r *StreamReader) readShard(ctx context.Context, shard string) ([]types.Record, error) {
	it, err := r.iterator(ctx, shard)
	if err != nil {
		return nil, err
	}
	var out []types.Record
	for it != nil {
		page, err := r.c.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		var expired *types.ExpiredIteratorException
		if errors.As(err, &expired) {
			if it, err = r.iterator(ctx, shard); err != nil {
				return out, err
			}
			continue
		}
		if err != nil {
			return out, fmt.Errorf("dynafaulttest: GetRecords of %s: %w", shard, err)
		}
		for _, rec := range page.Records {
			out = append(out, rec)
			r.last[shard] = aws.ToString(rec.Dynamodb.SequenceNumber)
		}
		if page.NextShardIterator == nil {
			r.done[shard] = true
			return out, nil
		}
		if len(page.Records) == 0 {
			return out, nil
		}
		it = page.NextShardIterator
	}
	return out, nil
}

// iterator returns an iterator after the last record read from shard, or
// at its trim horizon.
func (r *StreamReader) iterator(ctx context.Context, shard string) (*string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(r.arn), ShardId: aws.String(shard),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon}
	if seq := r.last[shard]; seq != "" {
		in.ShardIteratorType, in.SequenceNumber = types.ShardIteratorTypeAfterSequenceNumber, aws.String(seq)
	}
	out, err := r.c.GetShardIterator(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("dynafaulttest: GetShardIterator of %s: %w", shard, err)
	}
	return out.ShardIterator, nil
}

// StreamReader returns a reader of the table's latest stream (its
// LatestStreamArn); it fails the test when the table has none.
func (s *Server) StreamReader(t testing.TB, table string) *StreamReader {
	t.Helper()
	out, err := s.DynamoDB().DescribeTable(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatalf("dynafaulttest: DescribeTable %s: %v", table, err)
	}
	arn := aws.ToString(out.Table.LatestStreamArn)
	if arn == "" {
		t.Fatalf("dynafaulttest: table %s has no stream", table)
	}
	return NewStreamReader(s.Streams(), arn)
}

// ReadStream reads the table's latest stream from its trim horizon until
// it is caught up (see StreamReader) and returns every record, in lineage
// order; it fails the test on an error.
func (s *Server) ReadStream(t testing.TB, table string) []types.Record {
	t.Helper()
	recs, err := s.StreamReader(t, table).Read(t.Context())
	if err != nil {
		t.Fatalf("dynafaulttest: reading the stream of %s: %v", table, err)
	}
	return recs
}
