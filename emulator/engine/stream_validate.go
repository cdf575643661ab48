package engine

import (
	"errors"
	"strings"

	"github.com/dynafault/dynafault/emulator/stream"
)

// Streams parameter constraints (botocore dynamodbstreams model).
const (
	minStreamARNLen   = 37
	maxStreamARNLen   = 1024
	minShardIDLen     = 28
	maxShardIDLen     = 65
	minSeqLen         = 21
	maxSeqLen         = 40
	maxIteratorLen    = 2048
	maxStreamsLimit   = 100
	maxShardsLimit    = 100
	maxRecordsLimit   = 1000
	shardFilterChilds = "CHILD_SHARDS"
)

// Streams error texts.
const (
	msgInvalidStreamARN = "Invalid StreamArn"
	msgInvalidIterator  = "Invalid ShardIterator"
	msgExpiredIterator  = "The provided iterator exceeds the maximum age allowed."
	msgTrimmed          = "The data you are trying to access has been trimmed"
)

// checkLimit checks an optional Limit in [1, hi].
func (v *violations) checkLimit(n *int64, hi int64) {
	v.checkMin(n, "limit", 1)
	v.checkMax(n, "limit", hi)
}

// checkStreamARN checks a StreamArn member's presence (when required) and
// length.
func (v *violations) checkStreamARN(s *string, path string, required bool) {
	if required {
		v.checkNotNull(s != nil, path)
	}
	v.checkLen(s, path, minStreamARNLen, maxStreamARNLen)
}

// parseStreamARN checks the shape
// arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>
// and returns the table name.
func parseStreamARN(arn string) (table string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "dynamodb" || parts[3] == "" || parts[4] == "" {
		return "", false
	}
	res, ok := strings.CutPrefix(parts[5], "table/")
	if !ok {
		return "", false
	}
	table, label, ok := strings.Cut(res, "/stream/")
	if !ok || label == "" || strings.Contains(label, "/") || !tableNameRE.MatchString(table) || len(table) < 3 || len(table) > 255 {
		return "", false
	}
	return table, true
}

// lookupStream returns the live stream named by a well-formed ARN.
func (e *Engine) lookupStream(arn string) (*stream.Stream, error) {
	if _, ok := parseStreamARN(arn); !ok {
		return nil, validationErr(msgInvalidStreamARN)
	}
	s := e.streams.reg.Get(arn)
	if s == nil {
		return nil, errStreamNotFound(arn)
	}
	return s, nil
}

// errStreamNotFound is the ResourceNotFoundException of a missing stream.
func errStreamNotFound(arn string) *Error {
	return NewError(ResourceNotFound, "Requested resource not found: Stream: "+arn+" not found")
}

// streamError maps an error of package stream to the client's exception.
func streamError(err error, arn, shardID, seq string) error {
	switch {
	case errors.Is(err, stream.ErrShardNotFound):
		return NewError(ResourceNotFound, "Requested resource not found: Shard: "+shardID+" in Stream: "+arn+" not found")
	case errors.Is(err, stream.ErrStreamNotFound):
		return errStreamNotFound(arn)
	case errors.Is(err, stream.ErrBadIterator):
		return validationErr(msgInvalidIterator)
	case errors.Is(err, stream.ErrExpiredIterator):
		return NewError(ExpiredIterator, msgExpiredIterator)
	case errors.Is(err, stream.ErrTrimmed):
		return NewError(TrimmedDataAccess, msgTrimmed)
	case errors.Is(err, stream.ErrBadSequenceNumber):
		return validationErr("Invalid SequenceNumber: " + seq + " is not a sequence number of shard " + shardID)
	}
	return err
}
