package load

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

// Stream reader settings.
const (
	discoverEvery = time.Second     // DescribeStream period, to find new shards
	drainTimeout  = 5 * time.Second // how long readers may catch up after the writers stop
	recordsLimit  = 1000            // GetRecords Limit
)

// streamRun is the reading side of the stream workload: one reader per
// shard, each with its own tally of write-to-visible latencies.
type streamRun struct {
	client *dynamodbstreams.Client
	arn    string
	poll   time.Duration
	read   atomic.Uint64 // records read by every reader

	mu      sync.Mutex
	seen    map[string]bool // shards with a reader
	tallies []*tally        // one per reader; errors are GetRecords failures
	wg      sync.WaitGroup
}

// streamARN returns the table's latest stream ARN.
func streamARN(ctx context.Context, db *dynamodb.Client, table string) (string, error) {
	out, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		return "", fmt.Errorf("describe table %s: %w", table, err)
	}
	if out.Table.LatestStreamArn == nil || out.Table.StreamSpecification == nil ||
		!aws.ToBool(out.Table.StreamSpecification.StreamEnabled) {
		return "", fmt.Errorf("table %s has no enabled stream", table)
	}
	return *out.Table.LatestStreamArn, nil
}

// shards lists the stream's shards, following LastEvaluatedShardId.
func (r *streamRun) shards(ctx context.Context) ([]st.Shard, error) {
	var all []st.Shard
	in := &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(r.arn)}
	for {
		out, err := r.client.DescribeStream(ctx, in)
		if err != nil {
			return nil, err
		}
		all = append(all, out.StreamDescription.Shards...)
		if out.StreamDescription.LastEvaluatedShardId == nil {
			return all, nil
		}
		in.ExclusiveStartShardId = out.StreamDescription.LastEvaluatedShardId
	}
}

// start starts a reader on every open shard at LATEST, so that records
// written before the run are not counted.
func (r *streamRun) start(ctx context.Context) error {
	shards, err := r.shards(ctx)
	if err != nil {
		return fmt.Errorf("describe stream: %w", err)
	}
	for _, sh := range shards {
		if sh.SequenceNumberRange != nil && sh.SequenceNumberRange.EndingSequenceNumber != nil {
			r.markSeen(*sh.ShardId) // closed before the run: nothing of ours in it
			continue
		}
		if err := r.startReader(ctx, *sh.ShardId, st.ShardIteratorTypeLatest); err != nil {
			return err
		}
	}
	return nil
}

// discover starts a TRIM_HORIZON reader on each shard that appeared since
// (a rollover or split child), every discoverEvery until ctx is done.
func (r *streamRun) discover(ctx context.Context) {
	t := time.NewTicker(discoverEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		shards, err := r.shards(ctx)
		if err != nil {
			continue
		}
		for _, sh := range shards {
			if !r.isSeen(*sh.ShardId) {
				_ = r.startReader(ctx, *sh.ShardId, st.ShardIteratorTypeTrimHorizon)
			}
		}
	}
}

func (r *streamRun) markSeen(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen[id] = true
}

func (r *streamRun) isSeen(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.seen[id]
}

// startReader gets an iterator of the type and follows it in a goroutine.
func (r *streamRun) startReader(ctx context.Context, shard string, typ st.ShardIteratorType) error {
	out, err := r.client.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{
		StreamArn: aws.String(r.arn), ShardId: aws.String(shard), ShardIteratorType: typ,
	})
	if err != nil {
		return fmt.Errorf("get shard iterator %s: %w", shard, err)
	}
	t := newTally()
	r.mu.Lock()
	r.seen[shard] = true
	r.tallies = append(r.tallies, t)
	r.mu.Unlock()
	r.wg.Go(func() { r.follow(ctx, out.ShardIterator, t) })
	return nil
}

// follow reads a shard until it ends or ctx is done, recording for each
// record the time from its write (the ts attribute) to now.
func (r *streamRun) follow(ctx context.Context, it *string, t *tally) {
	for it != nil && ctx.Err() == nil {
		out, err := r.client.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(recordsLimit)})
		if err != nil {
			if ctx.Err() == nil {
				t.fail(err)
				_ = sleep(ctx, r.poll)
			}
			continue
		}
		now := time.Now()
		for _, rec := range out.Records {
			t.ok++
			if ts, ok := writtenAt(rec); ok {
				t.lat.Record(now.Sub(ts))
			}
		}
		r.read.Add(uint64(len(out.Records)))
		it = out.NextShardIterator
		if len(out.Records) == 0 {
			_ = sleep(ctx, r.poll)
		}
	}
}

// writtenAt returns the writer's time stored in a record's new image.
func writtenAt(rec st.Record) (time.Time, bool) {
	if rec.Dynamodb == nil {
		return time.Time{}, false
	}
	n, ok := rec.Dynamodb.NewImage[attrTS].(*st.AttributeValueMemberN)
	if !ok {
		return time.Time{}, false
	}
	ns, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}

// streamOutcome is what the stream workload measured.
type streamOutcome struct {
	writes *tally // the writers'
	reads  *tally // the readers' merged: ok = records read, lat = write-to-visible
	shards int    // shards read
	// writeTime is how long the writers ran; readTime how long the readers
	// ran, until they saw every record written or drainTimeout passed.
	writeTime, readTime time.Duration
}

// runStream runs the stream workload: readers on every shard, writers for
// the duration, then up to drainTimeout for the readers to see every
// record written.
func runStream(ctx context.Context, c Config, cl *clients, table string) (streamOutcome, error) {
	arn, err := streamARN(ctx, cl.db, table)
	if err != nil {
		return streamOutcome{}, err
	}
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	r := &streamRun{client: cl.streams, arn: arn, poll: c.StreamPoll, seen: map[string]bool{}}
	start := time.Now()
	if err := r.start(rctx); err != nil {
		stop()
		r.wg.Wait()
		return streamOutcome{}, err
	}
	r.wg.Go(func() { r.discover(rctx) })
	var o streamOutcome
	o.writes = runWorkers(ctx, c.Concurrency, c.Seed, c.Rate, time.Now().Add(c.Duration), func(int) op { return opFor(c, cl.db, table) })
	o.writeTime = time.Since(start)
	drain(ctx, &r.read, o.writes.ok)
	o.readTime = time.Since(start)
	stop()
	r.wg.Wait()
	o.reads, o.shards = newTally(), len(r.tallies)
	for _, t := range r.tallies {
		o.reads.add(t)
	}
	return o, nil
}

// drain waits until read reaches want, drainTimeout passes or ctx is done.
func drain(ctx context.Context, read *atomic.Uint64, want uint64) {
	deadline := time.Now().Add(drainTimeout)
	for read.Load() < want && time.Now().Before(deadline) {
		if sleep(ctx, 10*time.Millisecond) != nil {
			return
		}
	}
}
