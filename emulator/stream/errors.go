package stream

import "errors"

// Errors returned by this package. The engine maps them to DynamoDB Streams
// exceptions.
var (
	// ErrStreamExists: Create was given the ARN of a stream already held.
	ErrStreamExists = errors.New("stream: a stream with this ARN exists")
	// ErrStreamNotFound: no live stream has the ARN (never existed or expired).
	ErrStreamNotFound = errors.New("stream: stream not found")
	// ErrShardNotFound: the stream has no (listed) shard with the ID.
	ErrShardNotFound = errors.New("stream: shard not found")
	// ErrShardClosed: Rollover or Split of a shard that is already closed.
	ErrShardClosed = errors.New("stream: shard is closed")
	// ErrUnsplittable: Split of a shard whose hash range has a single value.
	ErrUnsplittable = errors.New("stream: shard range cannot be split")
	// ErrDisabled: the operation needs an enabled stream.
	ErrDisabled = errors.New("stream: stream is disabled")
	// ErrBadIterator: a shard iterator that this registry did not issue.
	ErrBadIterator = errors.New("stream: invalid shard iterator")
	// ErrExpiredIterator: the iterator outlived its lifetime or was expired.
	ErrExpiredIterator = errors.New("stream: shard iterator expired")
	// ErrTrimmed: records the request needs were trimmed.
	ErrTrimmed = errors.New("stream: data trimmed")
	// ErrBadSequenceNumber: a sequence number not issued for the shard.
	ErrBadSequenceNumber = errors.New("stream: sequence number not in shard")
	// ErrBadIteratorType: an unknown shard iterator type.
	ErrBadIteratorType = errors.New("stream: unknown shard iterator type")
)
