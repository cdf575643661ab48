package engine

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

// TestStreamConcurrentConsumersFollowLineage runs writers on several items
// while shards are rolled over and split, and one consumer per shard that
// starts only when the shard's parent is finished. Every item's records must
// be exactly its committed writes, in order.
func TestStreamConcurrentConsumersFollowLineage(t *testing.T) {
	runConcurrentLineage(t, Options{StreamShards: 2})
}

// runConcurrentLineage is TestStreamConcurrentConsumersFollowLineage on an
// engine with opts.
func runConcurrentLineage(t *testing.T, opts Options) {
	const writers, itemsPerWriter, writesPerItem = 6, 4, 40
	e := New(opts)
	arn := createStreamTable(t, e, "Conc", "NEW_IMAGE")
	ctx := context.Background()

	var wg sync.WaitGroup
	var written atomic.Int64
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1; n <= writesPerItem; n++ {
				for k := range itemsPerWriter {
					item := attr.Item{"pk": attr.Str(fmt.Sprintf("w%d-k%d", w, k)), "v": attr.Num(strconv.Itoa(n))}
					if _, err := e.PutItem(ctx, &PutItemInput{TableName: sp("Conc"), Item: item}); err != nil {
						t.Error(err)
						return
					}
					written.Add(1)
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	reshaped := make(chan struct{})
	go func() {
		defer close(reshaped)
		const ops, total = 12, writers * itemsPerWriter * writesPerItem
		for i := 1; i <= ops; i++ {
			for written.Load() < int64(i*total/(ops+1)) {
				time.Sleep(50 * time.Microsecond)
			}
			st, _ := e.StreamsStatus("Conc")
			for _, sh := range st[0].Shards {
				if !sh.Open {
					continue
				}
				if i%3 == 0 {
					_, _ = e.SplitShard("Conc", sh.ShardId)
				} else {
					_, _ = e.RolloverShard("Conc", sh.ShardId)
				}
				break
			}
		}
	}()

	got := consumeFollowingLineage(t, e, arn, done, reshaped)
	if st, _ := e.StreamsStatus("Conc"); len(st[0].Shards) < 2+12 {
		t.Errorf("only %d shards: the reshaping did not happen", len(st[0].Shards))
	}
	for w := range writers {
		for k := range itemsPerWriter {
			key := fmt.Sprintf("w%d-k%d", w, k)
			want := make([]string, writesPerItem)
			for n := range want {
				want[n] = strconv.Itoa(n + 1)
			}
			if !slices.Equal(got[key], want) {
				t.Errorf("%s: consumed %v", key, got[key])
			}
		}
	}
}

// consumeFollowingLineage runs one consumer per shard, each starting once
// its parent's consumer finished, until the writers are done, the reshaping
// stopped and the stream is disabled (which closes every shard). It returns
// each item's consumed values of v in order.
func consumeFollowingLineage(t *testing.T, e *Engine, arn string, writersDone, reshaped <-chan struct{}) map[string][]string {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	got := map[string][]string{}
	finished := map[string]chan struct{}{}
	var consumers sync.WaitGroup
	start := func(sh Shard) {
		fin := make(chan struct{})
		finished[sh.ShardId] = fin
		parent := finished[sh.ParentShardId] // nil for roots
		consumers.Add(1)
		go func() {
			defer consumers.Done()
			defer close(fin)
			if parent != nil {
				<-parent
			}
			for _, r := range drainShard(t, e, arn, sh.ShardId) {
				mu.Lock()
				pk := r.Dynamodb.Keys.Item()["pk"].S
				got[pk] = append(got[pk], r.Dynamodb.NewImage.Item()["v"].S)
				mu.Unlock()
			}
		}()
	}
	disabled := false
	for {
		for _, sh := range shardsOf(t, e, arn) {
			if _, ok := finished[sh.ShardId]; !ok {
				start(sh)
			}
		}
		if disabled {
			break
		}
		select {
		case <-writersDone:
			<-reshaped
			_, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("Conc"), StreamSpecification: &StreamSpecification{StreamEnabled: bp(false)}})
			if err != nil {
				t.Fatal(err)
			}
			disabled = true
		case <-time.After(time.Millisecond):
		}
	}
	consumers.Wait()
	return got
}

// drainShard reads a shard from TRIM_HORIZON until it is closed and
// exhausted (no NextShardIterator).
func drainShard(t *testing.T, e *Engine, arn, shard string) []StreamRecordEnvelope {
	ctx := context.Background()
	out, err := e.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: sp(arn), ShardId: sp(shard), ShardIteratorType: sp("TRIM_HORIZON")})
	if err != nil {
		t.Error(err)
		return nil
	}
	var recs []StreamRecordEnvelope
	for it := out.ShardIterator; it != ""; {
		page, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(it), Limit: i64(7)})
		if err != nil {
			t.Error(err)
			return recs
		}
		recs = append(recs, page.Records...)
		if len(page.Records) == 0 {
			time.Sleep(200 * time.Microsecond)
		}
		it = page.NextShardIterator
	}
	return recs
}
