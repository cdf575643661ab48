package engine

import (
	"context"

	"github.com/dynafault/dynafault/emulator/store"
	"github.com/dynafault/dynafault/emulator/stream"
)

// ListStreams lists the live streams (enabled, or disabled less than the
// retention period ago), ordered by ARN, optionally of one table.
// LastEvaluatedStreamArn is the last ARN of a full page.
func (e *Engine) ListStreams(ctx context.Context, in *ListStreamsInput) (*ListStreamsOutput, error) {
	var v violations
	if in.TableName != nil {
		v.checkName(in.TableName, "tableName")
	}
	v.checkLimit(in.Limit, maxStreamsLimit)
	v.checkStreamARN(in.ExclusiveStartStreamArn, "exclusiveStartStreamArn", false)
	if err := v.err(); err != nil {
		return nil, err
	}
	after := ""
	if in.ExclusiveStartStreamArn != nil {
		if _, ok := parseStreamARN(*in.ExclusiveStartStreamArn); !ok {
			return nil, validationErr(msgInvalidStreamARN)
		}
		after = *in.ExclusiveStartStreamArn
	}
	limit := int(int64Or(in.Limit, maxStreamsLimit))
	out := &ListStreamsOutput{Streams: []StreamSummary{}}
	for _, s := range e.streams.reg.List(str(in.TableName)) {
		if s.ARN() <= after {
			continue
		}
		if len(out.Streams) == limit {
			break
		}
		out.Streams = append(out.Streams, StreamSummary{StreamArn: s.ARN(), TableName: s.Table(), StreamLabel: s.Label()})
	}
	if len(out.Streams) == limit {
		out.LastEvaluatedStreamArn = out.Streams[limit-1].StreamArn
	}
	return out, nil
}

// int64Or returns *n, or def when n is nil.
func int64Or(n *int64, def int64) int64 {
	if n == nil {
		return def
	}
	return *n
}

// DescribeStream describes a stream and a page of its shards in creation
// (= ID) order: the shards after ExclusiveStartShardId, or with ShardFilter
// CHILD_SHARDS the children of ShardFilter.ShardId.
func (e *Engine) DescribeStream(ctx context.Context, in *DescribeStreamInput) (*DescribeStreamOutput, error) {
	if err := checkDescribeStream(in); err != nil {
		return nil, err
	}
	s, err := e.lookupStream(*in.StreamArn)
	if err != nil {
		return nil, err
	}
	info := s.Describe(e.clock.Now())
	d := &StreamDescription{
		StreamArn: info.ARN, StreamLabel: info.Label, StreamStatus: info.Status, StreamViewType: info.ViewType,
		CreationRequestDateTime: epochTime(info.Created), TableName: info.Table,
		KeySchema: keySchemaOut(store.KeySchema{Hash: info.Key.Hash, Range: info.Key.Range}),
		Shards:    []Shard{},
	}
	limit := int(int64Or(in.Limit, maxShardsLimit))
	after := str(in.ExclusiveStartShardId)
	for _, sh := range info.Shards {
		if sh.ID <= after || (in.ShardFilter != nil && sh.Parent != *in.ShardFilter.ShardId) {
			continue
		}
		if len(d.Shards) == limit {
			d.LastEvaluatedShardId = d.Shards[limit-1].ShardId
			break
		}
		d.Shards = append(d.Shards, shardOut(sh))
	}
	return &DescribeStreamOutput{StreamDescription: d}, nil
}

// checkDescribeStream applies the parameter rules of DescribeStream.
func checkDescribeStream(in *DescribeStreamInput) error {
	var v violations
	v.checkStreamARN(in.StreamArn, "streamArn", true)
	v.checkLimit(in.Limit, maxShardsLimit)
	v.checkLen(in.ExclusiveStartShardId, "exclusiveStartShardId", minShardIDLen, maxShardIDLen)
	if f := in.ShardFilter; f != nil {
		v.checkNotNull(f.Type != nil, "shardFilter.type")
		v.checkEnum(f.Type, "shardFilter.type", shardFilterChilds)
		v.checkLen(f.ShardId, "shardFilter.shardId", minShardIDLen, maxShardIDLen)
	}
	if err := v.err(); err != nil {
		return err
	}
	if f := in.ShardFilter; f != nil && f.ShardId == nil {
		return validationErr("ShardFilter.ShardId must be specified when ShardFilter.Type is CHILD_SHARDS")
	}
	return nil
}

// shardOut renders a shard for DescribeStream.
func shardOut(sh stream.ShardInfo) Shard {
	return Shard{
		ShardId:             sh.ID,
		ParentShardId:       sh.Parent,
		SequenceNumberRange: SequenceNumberRange{StartingSequenceNumber: sh.Start, EndingSequenceNumber: sh.End},
	}
}
