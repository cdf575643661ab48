package engine

import (
	"context"

	"github.com/dynafault/dynafault/emulator/stream"
)

// Fixed members of every stream record.
const (
	eventVersion    = "1.1"
	eventSource     = "aws:dynamodb"
	ttlPrincipal    = "dynamodb.amazonaws.com"
	ttlIdentityType = "Service"
)

// GetShardIterator returns an iterator into a shard: TRIM_HORIZON (oldest
// untrimmed record), LATEST (after the newest record), AT_ or
// AFTER_SEQUENCE_NUMBER. It works on closed shards and on disabled streams
// until they expire.
func (e *Engine) GetShardIterator(ctx context.Context, in *GetShardIteratorInput) (*GetShardIteratorOutput, error) {
	if err := checkGetShardIterator(in); err != nil {
		return nil, err
	}
	s, err := e.lookupStream(*in.StreamArn)
	if err != nil {
		return nil, err
	}
	consumer := RequestInfoFrom(ctx).AccessKeyID
	it, err := s.ShardIteratorFor(consumer, *in.ShardId, *in.ShardIteratorType, str(in.SequenceNumber), e.clock.Now())
	if err != nil {
		return nil, streamError(err, *in.StreamArn, *in.ShardId, str(in.SequenceNumber))
	}
	return &GetShardIteratorOutput{ShardIterator: it}, nil
}

// checkGetShardIterator applies the parameter rules of GetShardIterator.
func checkGetShardIterator(in *GetShardIteratorInput) error {
	var v violations
	v.checkStreamARN(in.StreamArn, "streamArn", true)
	v.checkNotNull(in.ShardId != nil, "shardId")
	v.checkLen(in.ShardId, "shardId", minShardIDLen, maxShardIDLen)
	v.checkNotNull(in.ShardIteratorType != nil, "shardIteratorType")
	v.checkEnum(in.ShardIteratorType, "shardIteratorType",
		stream.TrimHorizon, stream.Latest, stream.AtSequenceNumber, stream.AfterSequenceNumber)
	v.checkLen(in.SequenceNumber, "sequenceNumber", minSeqLen, maxSeqLen)
	if err := v.err(); err != nil {
		return err
	}
	typ := *in.ShardIteratorType
	bySeq := typ == stream.AtSequenceNumber || typ == stream.AfterSequenceNumber
	switch {
	case bySeq && in.SequenceNumber == nil:
		return validationErr("Must specify SequenceNumber for ShardIteratorType " + typ)
	case !bySeq && in.SequenceNumber != nil:
		return validationErr("SequenceNumber must not be specified for ShardIteratorType " + typ)
	case bySeq && !stream.IsDecimal(*in.SequenceNumber):
		return validationErr("Invalid SequenceNumber: " + *in.SequenceNumber)
	}
	if _, ok := parseStreamARN(*in.StreamArn); !ok {
		return validationErr(msgInvalidStreamARN)
	}
	return nil
}

// GetRecords returns up to Limit records (at most 1 MB) from the iterator's
// position and the iterator to continue with, absent once a closed shard
// has been read to its end. Records is always present.
func (e *Engine) GetRecords(ctx context.Context, in *GetRecordsInput) (*GetRecordsOutput, error) {
	var v violations
	v.checkNotNull(in.ShardIterator != nil, "shardIterator")
	v.checkLen(in.ShardIterator, "shardIterator", 1, maxIteratorLen)
	v.checkLimit(in.Limit, maxRecordsLimit)
	if err := v.err(); err != nil {
		return nil, err
	}
	s, err := e.streams.reg.Lookup(*in.ShardIterator)
	if err != nil {
		return nil, streamError(err, iteratorARN(*in.ShardIterator), "", "")
	}
	limit := int(int64Or(in.Limit, maxRecordsLimit))
	if overridesFrom(ctx).EmptyRecords {
		limit = 0 // a page of no records, at the same position
	}
	page, err := s.ReadFor(RequestInfoFrom(ctx).AccessKeyID, *in.ShardIterator, limit, maxRecordsBytes, e.clock.Now())
	if err != nil {
		return nil, streamError(err, s.ARN(), "", "")
	}
	out := &GetRecordsOutput{Records: make([]StreamRecordEnvelope, len(page.Records)), NextShardIterator: page.Next}
	for i, r := range page.Records {
		out.Records[i] = e.recordOut(r, s.ViewType())
	}
	return out, nil
}

// iteratorARN is the stream ARN an iterator string starts with.
func iteratorARN(it string) string {
	for i := 0; i+2 < len(it); i++ {
		if it[i] == '|' {
			return it[:i]
		}
	}
	return it
}

// recordOut renders a stream record.
func (e *Engine) recordOut(r stream.Record, viewType string) StreamRecordEnvelope {
	out := StreamRecordEnvelope{
		EventID: r.EventID, EventName: r.EventName, EventVersion: eventVersion, EventSource: eventSource,
		AwsRegion: e.region,
		Dynamodb: StreamRecord{
			ApproximateCreationDateTime: r.Created.Unix(),
			Keys:                        PackedItem(r.PackedKeys()),
			NewImage:                    PackedItem(r.PackedNewImage()),
			OldImage:                    PackedItem(r.PackedOldImage()),
			SequenceNumber:              r.SequenceNumber, SizeBytes: r.SizeBytes, StreamViewType: viewType,
		},
	}
	if r.Service {
		out.UserIdentity = &Identity{PrincipalId: ttlPrincipal, Type: ttlIdentityType}
	}
	return out
}
