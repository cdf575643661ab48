package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// BenchmarkStreamWriteToVisible measures a PutItem followed by the
// GetRecords that sees its record.
func BenchmarkStreamWriteToVisible(b *testing.B) {
	e := New(Options{})
	ctx := context.Background()
	in := simpleTable("Bench")
	in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("NEW_IMAGE")}
	out, err := e.CreateTable(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	arn := out.TableDescription.LatestStreamArn
	d, _ := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn)})
	it, _ := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(d.StreamDescription.Shards[0].ShardId), ShardIteratorType: sp("LATEST")})
	next := it.ShardIterator
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		item := attr.Item{"pk": attr.Str("k" + strconv.Itoa(i%100)), "v": attr.Num(strconv.Itoa(i))}
		if _, err := e.PutItem(ctx, &PutItemInput{TableName: sp("Bench"), Item: item}); err != nil {
			b.Fatal(err)
		}
		page, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(next)})
		if err != nil || len(page.Records) != 1 {
			b.Fatalf("GetRecords: %v, %d records", err, len(page.Records))
		}
		next = page.NextShardIterator
	}
}

// BenchmarkStreamGetRecords measures reading one shard in pages of 1000;
// records/s is the throughput.
func BenchmarkStreamGetRecords(b *testing.B) {
	e, arn, shard := streamOf10k(b)
	ctx := context.Background()
	records := 0
	b.ReportAllocs()
	for b.Loop() {
		it, _ := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("TRIM_HORIZON")})
		page, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(it.ShardIterator), Limit: i64(1000)})
		if err != nil {
			b.Fatal(err)
		}
		records += len(page.Records)
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkStreamGetRecordsTracked measures reading a 10,000-record shard
// from TRIM_HORIZON to its end in pages of 1000, by anonymous requests
// (untracked) and by 8 consumers told apart by their access key ids, each
// read tracked by the consumer oracle; records/s is the throughput.
func BenchmarkStreamGetRecordsTracked(b *testing.B) {
	for _, consumers := range []int{0, 8} {
		b.Run("consumers="+strconv.Itoa(consumers), func(b *testing.B) {
			e, arn, shard := streamOf10k(b)
			ctx := context.Background()
			ctxs := []context.Context{ctx} // anonymous: untracked
			if consumers > 0 {
				ctxs = nil
				for k := range consumers {
					ctxs = append(ctxs, WithRequestInfo(ctx, RequestInfo{AccessKeyID: "consumer-" + strconv.Itoa(k)}))
				}
			}
			records := 0
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				c := ctxs[i%len(ctxs)]
				it, _ := e.GetShardIterator(c, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("TRIM_HORIZON")})
				next := it.ShardIterator
				for next != "" {
					page, err := e.GetRecords(c, &GetRecordsInput{ShardIterator: sp(next), Limit: i64(1000)})
					if err != nil {
						b.Fatal(err)
					}
					records += len(page.Records)
					if len(page.Records) == 0 {
						break
					}
					next = page.NextShardIterator
				}
			}
			b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// streamOf10k returns an engine with a table whose NEW_AND_OLD_IMAGES
// stream has one shard of 10,000 records, and the stream ARN and shard.
func streamOf10k(b *testing.B) (e *Engine, arn, shard string) {
	b.Helper()
	e = New(Options{})
	ctx := context.Background()
	in := simpleTable("Bench")
	in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("NEW_AND_OLD_IMAGES")}
	out, err := e.CreateTable(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	arn = out.TableDescription.LatestStreamArn
	for i := range 10_000 {
		item := attr.Item{"pk": attr.Str("k" + strconv.Itoa(i%500)), "v": attr.Num(strconv.Itoa(i))}
		if _, err := e.PutItem(ctx, &PutItemInput{TableName: sp("Bench"), Item: item}); err != nil {
			b.Fatal(err)
		}
	}
	d, _ := e.DescribeStream(ctx, &DescribeStreamInput{StreamArn: sp(arn)})
	return e, arn, d.StreamDescription.Shards[0].ShardId
}
