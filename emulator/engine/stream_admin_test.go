package engine

import (
	"context"
	"testing"
	"time"
)

func TestStreamAdminControls(t *testing.T) {
	e, arn := newStreamEngine(t, "Tab", "KEYS_ONLY", func(o *Options) { o.StreamRollover = 4 * time.Hour })
	ctx := context.Background()
	if err := e.SetStreamShards("Tab", 4); err != nil {
		t.Fatal(err)
	}
	st, _ := e.StreamsStatus("Tab")
	if len(st) != 1 || st[0].StreamArn != arn || st[0].StreamStatus != "ENABLED" || len(st[0].Shards) != 4 {
		t.Fatalf("status after SetStreamShards: %+v", st)
	}
	mustPut(t, e, "Tab", pkItem("a"))
	e.clock.Advance(time.Minute)
	st, _ = e.StreamsStatus("Tab")
	records, aged := 0, false
	for _, sh := range st[0].Shards {
		records += sh.Records
		if sh.NewestRecordAge != nil && *sh.NewestRecordAge == time.Minute && sh.TrimHorizon != "" {
			aged = true
		}
	}
	if records != 1 || !aged {
		t.Errorf("record counts/ages %+v", st[0].Shards)
	}
	shard := st[0].Shards[0].ShardId
	it := iterOf(t, e, arn, shard, "TRIM_HORIZON", nil)
	if err := e.ExpireIterators("Tab"); err != nil {
		t.Fatal(err)
	}
	_, err := e.GetRecords(ctx, &GetRecordsInput{ShardIterator: sp(it)})
	wantErr(t, err, ExpiredIterator, msgExpiredIterator)

	child, err := e.RolloverShard("Tab", shard)
	if err != nil || child == "" {
		t.Fatal(err)
	}
	_, err = e.RolloverShard("Tab", shard)
	wantErr(t, err, Validation, "Shard "+shard+" is closed")
	_, err = e.SplitShard("Tab", "shardId-00000000000000000000-ffffffff")
	wantErr(t, err, ResourceNotFound, "Shard shardId-00000000000000000000-ffffffff not found")
	_, err = e.RolloverShard("Nope", shard)
	wantErr(t, err, ResourceNotFound, "Table Nope has no enabled stream")
	wantErr(t, e.TrimStream("Nope", 0), ResourceNotFound, "Table Nope has no stream")

	// Periodic rollover happens on AdvanceStreams after a clock jump.
	e.clock.Advance(4 * time.Hour)
	e.AdvanceStreams()
	st, _ = e.StreamsStatus("Tab")
	open := 0
	for _, sh := range st[0].Shards {
		if sh.Open {
			open++
			if sh.ParentShardId == "" {
				t.Errorf("open shard %s without parent after rollover", sh.ShardId)
			}
		}
	}
	if open != 4 {
		t.Errorf("%d open shards", open)
	}
	e.ResetStreams()
	if st, _ := e.StreamsStatus(""); len(st) != 0 {
		t.Errorf("after reset: %+v", st)
	}
}

func TestStreamRolloverOption(t *testing.T) {
	for _, off := range []time.Duration{0, -1} {
		e, arn := newStreamEngine(t, "Tab", "KEYS_ONLY", func(o *Options) { o.StreamRollover = off })
		e.clock.Advance(48 * time.Hour)
		if n := len(shardsOf(t, e, arn)); n != 1 {
			t.Errorf("StreamRollover %v (never): %d shards after 48 h", off, n)
		}
	}
	e2, arn2 := newStreamEngine(t, "Tab", "KEYS_ONLY", func(o *Options) { o.StreamRollover = 4 * time.Hour })
	e2.clock.Advance(8 * time.Hour)
	if n := len(shardsOf(t, e2, arn2)); n != 3 {
		t.Errorf("4 h rollover after 8 h: %d shards", n)
	}
}
