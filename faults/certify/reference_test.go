package certify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"

	"github.com/dynafault/dynafault/faults/certify"
)

// The reference consumer: a DynamoDB Streams reader in the manner of the
// KCL. It lists the shards every round and reads them parents first (a
// child only once its parent is read to its end, or gone); it checkpoints
// the last sequence number it processed per shard in its state directory
// after every batch, and resumes AFTER_SEQUENCE_NUMBER of it, after a
// restart as after ExpiredIteratorException; on TrimmedDataAccessException
// (or a shard that vanished before it was read to its end) it says loudly
// that records were lost and restarts at TRIM_HORIZON; it backs off on
// throttles and server errors. Its own check follows each item's version
// counter and reports gaps and records out of order.
//
// The defects of the broken variants are switched on by refOptions.

// refOptions configures the reference consumer and its broken variants.
type refOptions struct {
	// noChildren: it never reads a shard that has a parent.
	noChildren bool
	// latestOnExpired: after ExpiredIteratorException it takes a LATEST
	// iterator instead of resuming after its checkpoint.
	latestOnExpired bool
	// exitOnThrottle: a throttling error ends it (a crash).
	exitOnThrottle bool
	// concurrent: it reads every shard every round, children first,
	// without waiting for their parents.
	concurrent bool
	// poll is the pause between rounds (default 20ms).
	poll time.Duration
	// keyAttr is the items' key attribute (default certify.AttrKey).
	keyAttr string
}

// refState is what the reference consumer keeps across restarts.
type refState struct {
	Checkpoints map[string]string `json:"checkpoints"` // shard -> last sequence number processed
	Finished    map[string]bool   `json:"finished"`    // shards read to their end (or gone)
	Versions    map[string]int    `json:"versions"`    // item -> last version seen
}

// refConsumer is one run of the reference consumer.
type refConsumer struct {
	opt     refOptions
	env     certify.Env
	st      *dynamodbstreams.Client
	out     io.Writer
	state   refState
	its     map[string]string // shard -> next iterator
	backoff time.Duration
}

// run is the consumer as a certify.Func.
func (o refOptions) run(ctx context.Context, env certify.Env) error {
	cfg := env.AWSConfig()
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(so *retry.StandardOptions) {
			so.Backoff = retry.NewExponentialJitterBackoff(20 * time.Millisecond)
			so.RateLimiter = ratelimit.None
		})
	}
	if o.poll == 0 {
		o.poll = 20 * time.Millisecond
	}
	if o.keyAttr == "" {
		o.keyAttr = certify.AttrKey
	}
	c := &refConsumer{opt: o, env: env, st: dynamodbstreams.NewFromConfig(cfg), out: env.Output, its: map[string]string{}}
	if err := c.load(); err != nil {
		return err
	}
	c.logf("started (start %d) on %s", env.Start, env.StreamARN)
	for ctx.Err() == nil {
		if err := c.round(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		c.sleep(ctx, o.poll)
	}
	return nil
}

func (c *refConsumer) logf(format string, args ...any) {
	fmt.Fprintf(c.out, format+"\n", args...)
}

// round lists the shards and reads those it may read now.
func (c *refConsumer) round(ctx context.Context) error {
	shards, err := c.describe(ctx)
	if err != nil {
		return c.failed(ctx, "DescribeStream", err)
	}
	listed := map[string]bool{}
	for _, s := range shards {
		listed[aws.ToString(s.ShardId)] = true
	}
	slices.SortFunc(shards, func(a, b types.Shard) int {
		if c.opt.concurrent {
			return -compareIDs(a, b) // newest first
		}
		return compareIDs(a, b) // shard ids sort in creation order: parents first
	})
	for _, s := range shards {
		id, parent := aws.ToString(s.ShardId), aws.ToString(s.ParentShardId)
		switch {
		case c.state.Finished[id]:
			continue
		case c.opt.noChildren && parent != "":
			continue
		case !c.opt.concurrent && parent != "" && listed[parent] && !c.state.Finished[parent]:
			continue // the parent first
		}
		if err := c.readShard(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

func compareIDs(a, b types.Shard) int {
	switch x, y := aws.ToString(a.ShardId), aws.ToString(b.ShardId); {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// describe lists every shard of the stream.
func (c *refConsumer) describe(ctx context.Context) ([]types.Shard, error) {
	var all []types.Shard
	in := &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(c.env.StreamARN)}
	for {
		out, err := c.st.DescribeStream(ctx, in)
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

// readShard reads a shard until it is caught up, ended or an error calls
// for a pause.
func (c *refConsumer) readShard(ctx context.Context, id string) error {
	for ctx.Err() == nil {
		if c.its[id] == "" {
			it, err := c.acquire(ctx, id)
			if err != nil || it == "" {
				return err
			}
			c.its[id] = it
		}
		out, err := c.st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(c.its[id])})
		var expired *types.ExpiredIteratorException
		var trimmed *types.TrimmedDataAccessException
		var gone *types.ResourceNotFoundException
		switch {
		case errors.As(err, &expired):
			c.logf("iterator of %s expired", id)
			c.its[id] = ""
			if c.opt.latestOnExpired {
				it, err := c.iterator(ctx, id, types.ShardIteratorTypeLatest, "")
				if err != nil {
					return c.failed(ctx, "GetShardIterator", err)
				}
				c.its[id] = it
			}
			continue
		case errors.As(err, &trimmed):
			c.logf("LOSS: records of %s were trimmed before they were read; restarting at TRIM_HORIZON", id)
			it, err := c.iterator(ctx, id, types.ShardIteratorTypeTrimHorizon, "")
			if err != nil {
				return c.failed(ctx, "GetShardIterator", err)
			}
			c.its[id] = it
			continue
		case errors.As(err, &gone):
			return c.vanished(id)
		case err != nil:
			return c.failed(ctx, "GetRecords", err)
		}
		c.backoff = 0
		for _, r := range out.Records {
			seq := aws.ToString(r.Dynamodb.SequenceNumber)
			if seq == c.state.Checkpoints[id] {
				c.logf("duplicate: record %s of %s delivered again; ignored", seq, id)
				continue
			}
			c.check(r)
			c.state.Checkpoints[id] = seq
		}
		c.its[id] = aws.ToString(out.NextShardIterator)
		if c.its[id] == "" {
			c.state.Finished[id] = true
			delete(c.its, id)
		}
		if err := c.save(); err != nil {
			return err
		}
		if c.state.Finished[id] || len(out.Records) == 0 {
			return nil
		}
	}
	return nil
}

// acquire returns an iterator after the shard's checkpoint, or at its trim
// horizon without one. "" (and no error) means: not now.
func (c *refConsumer) acquire(ctx context.Context, id string) (string, error) {
	cp := c.state.Checkpoints[id]
	typ := types.ShardIteratorTypeTrimHorizon
	if cp != "" {
		typ = types.ShardIteratorTypeAfterSequenceNumber
	}
	it, err := c.iterator(ctx, id, typ, cp)
	var trimmed *types.TrimmedDataAccessException
	var gone *types.ResourceNotFoundException
	switch {
	case errors.As(err, &trimmed):
		c.logf("LOSS: records of %s after checkpoint %s were trimmed before they were read; restarting at TRIM_HORIZON", id, cp)
		it, err = c.iterator(ctx, id, types.ShardIteratorTypeTrimHorizon, "")
		if err != nil {
			return "", c.failed(ctx, "GetShardIterator", err)
		}
		return it, nil
	case errors.As(err, &gone):
		return "", c.vanished(id)
	case err != nil:
		return "", c.failed(ctx, "GetShardIterator", err)
	}
	return it, nil
}

func (c *refConsumer) iterator(ctx context.Context, id string, typ types.ShardIteratorType, seq string) (string, error) {
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(c.env.StreamARN), ShardId: aws.String(id), ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = aws.String(seq)
	}
	out, err := c.st.GetShardIterator(ctx, in)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.ShardIterator), nil
}

// vanished handles a shard the stream no longer lists before the consumer
// read it to its end: its remaining records aged out.
func (c *refConsumer) vanished(id string) error {
	c.logf("LOSS: shard %s is gone (trimmed past retention) before it was read to its end", id)
	c.state.Finished[id] = true
	delete(c.its, id)
	return c.save()
}

// failed handles an error of a call: a throttle ends the run for the
// exitOnThrottle variant; anything else is logged and waited out.
func (c *refConsumer) failed(ctx context.Context, op string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ae smithy.APIError
	throttled := errors.As(err, &ae) && slices.Contains([]string{"LimitExceededException", "ThrottlingException",
		"ProvisionedThroughputExceededException", "RequestLimitExceeded"}, ae.ErrorCode())
	if throttled && c.opt.exitOnThrottle {
		return fmt.Errorf("%s: %w", op, err)
	}
	c.logf("%s failed, backing off: %v", op, err)
	c.backoff = min(max(2*c.backoff, 5*time.Millisecond), 200*time.Millisecond)
	c.sleep(ctx, c.backoff)
	return nil
}

func (c *refConsumer) sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// check follows the item's version: each write bumps it by one (a delete
// too), so a jump is a gap and a step back a record out of order.
func (c *refConsumer) check(r types.Record) {
	key := attrString(r.Dynamodb.Keys[c.opt.keyAttr])
	last := c.state.Versions[key]
	img, next := r.Dynamodb.NewImage, 0
	if r.EventName == types.OperationTypeRemove {
		img = r.Dynamodb.OldImage
	}
	v, _ := strconv.Atoi(attrNumber(img[certify.AttrVersion]))
	remove := r.EventName == types.OperationTypeRemove
	want := last + 1 // a REMOVE carries the version it deletes
	if remove {
		want = last
	}
	seq := aws.ToString(r.Dynamodb.SequenceNumber)
	switch {
	case v == want:
	case v < want:
		c.logf("OUT OF ORDER: %s %s v%d after v%d (seq %s)", key, r.EventName, v, last, seq)
	default:
		c.logf("GAP: %s %s v%d after v%d: versions missing before seq %s", key, r.EventName, v, last, seq)
	}
	next = max(last, v)
	if remove {
		next = max(last, v+1) // the delete consumed a version
	}
	c.state.Versions[key] = next
}

func attrString(v types.AttributeValue) string {
	if s, ok := v.(*types.AttributeValueMemberS); ok {
		return s.Value
	}
	return ""
}

func attrNumber(v types.AttributeValue) string {
	if n, ok := v.(*types.AttributeValueMemberN); ok {
		return n.Value
	}
	return ""
}

// statePath is the consumer's state file.
func (c *refConsumer) statePath() string { return filepath.Join(c.env.StateDir, "state.json") }

// load reads the state a previous run saved.
func (c *refConsumer) load() error {
	c.state = refState{Checkpoints: map[string]string{}, Finished: map[string]bool{}, Versions: map[string]int{}}
	data, err := os.ReadFile(c.statePath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return json.Unmarshal(data, &c.state)
}

// save writes the state, atomically.
func (c *refConsumer) save() error {
	data, err := json.Marshal(c.state)
	if err != nil {
		return err
	}
	tmp := c.statePath() + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, c.statePath())
}
