package engine

import (
	"errors"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator/stream"
)

// Stream controls for the admin API. They address streams by table name
// (including tables already deleted whose streams are still readable) and
// return *Error values: ResourceNotFound when the table has no (enabled)
// stream or the shard does not exist, Validation for a closed shard.

// StreamStatus is the admin view of one stream.
type StreamStatus struct {
	StreamArn      string        `json:"streamArn"`
	StreamLabel    string        `json:"streamLabel"`
	TableName      string        `json:"tableName"`
	StreamStatus   string        `json:"streamStatus"` // ENABLED or DISABLED
	StreamViewType string        `json:"streamViewType"`
	Created        time.Time     `json:"created"`
	Disabled       *time.Time    `json:"disabled,omitempty"`
	Shards         []ShardStatus `json:"shards"`
}

// ShardStatus is the admin view of one shard.
type ShardStatus struct {
	ShardId                string `json:"shardId"`
	ParentShardId          string `json:"parentShardId,omitempty"`
	Open                   bool   `json:"open"`
	StartingHashKey        string `json:"startingHashKey"` // inclusive, decimal uint64
	EndingHashKey          string `json:"endingHashKey"`
	StartingSequenceNumber string `json:"startingSequenceNumber"`
	EndingSequenceNumber   string `json:"endingSequenceNumber,omitempty"`
	// TrimHorizon is the sequence number of the oldest readable record.
	TrimHorizon string    `json:"trimHorizon,omitempty"`
	Records     int       `json:"records"` // readable records
	Trimmed     int       `json:"trimmed"` // records trimmed so far
	Created     time.Time `json:"created"`
	// NewestRecordAge is the clock age of the newest readable record
	// (absent when there is none).
	NewestRecordAge *time.Duration `json:"newestRecordAgeNanos,omitempty"`
	// Held counts records stream faults hold back; readers see the shard
	// only up to its first held record. Paused: reads return no records.
	Held   int  `json:"held"`
	Paused bool `json:"paused"`
}

// StreamsStatus describes the live streams of the table (of every table
// when table is ""), ordered by ARN, with their shards in creation order.
func (e *Engine) StreamsStatus(table string) ([]StreamStatus, error) {
	now := e.clock.Now()
	out := []StreamStatus{}
	for _, s := range e.streams.reg.List(table) {
		out = append(out, streamStatusOf(s.Describe(now), now))
	}
	return out, nil
}

func streamStatusOf(in stream.Info, now time.Time) StreamStatus {
	st := StreamStatus{
		StreamArn: in.ARN, StreamLabel: in.Label, TableName: in.Table, StreamStatus: in.Status,
		StreamViewType: in.ViewType, Created: in.Created, Shards: make([]ShardStatus, len(in.Shards)),
	}
	if !in.Disabled.IsZero() {
		d := in.Disabled
		st.Disabled = &d
	}
	for i, sh := range in.Shards {
		ss := ShardStatus{
			ShardId: sh.ID, ParentShardId: sh.Parent, Open: sh.Open,
			StartingHashKey: strconv.FormatUint(sh.HashLo, 10), EndingHashKey: strconv.FormatUint(sh.HashHi, 10),
			StartingSequenceNumber: sh.Start, EndingSequenceNumber: sh.End, TrimHorizon: sh.TrimHorizon,
			Records: sh.Records, Trimmed: sh.Trimmed, Created: sh.Created, Held: sh.Held, Paused: sh.Paused,
		}
		if sh.Records > 0 {
			age := now.Sub(sh.Newest)
			ss.NewestRecordAge = &age
		}
		st.Shards[i] = ss
	}
	return st
}

// enabledStream returns the table's enabled stream.
func (e *Engine) enabledStream(table string) (*stream.Stream, error) {
	for _, s := range e.streams.reg.List(table) {
		if s.Status() == stream.StatusEnabled {
			return s, nil
		}
	}
	return nil, NewError(ResourceNotFound, "Table "+table+" has no enabled stream")
}

// RolloverShard closes an open shard of the table's enabled stream and
// opens a child over the same hash range; it returns the child's ID.
func (e *Engine) RolloverShard(table, shardID string) (string, error) {
	s, err := e.enabledStream(table)
	if err != nil {
		return "", err
	}
	child, err := s.Rollover(shardID, e.clock.Now())
	return child, adminShardError(err, shardID)
}

// SplitShard closes an open shard of the table's enabled stream and opens
// two children over the halves of its hash range; it returns their IDs.
func (e *Engine) SplitShard(table, shardID string) ([2]string, error) {
	s, err := e.enabledStream(table)
	if err != nil {
		return [2]string{}, err
	}
	kids, err := s.Split(shardID, e.clock.Now())
	return kids, adminShardError(err, shardID)
}

// adminShardError maps a Rollover/Split error.
func adminShardError(err error, shardID string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, stream.ErrShardNotFound):
		return NewError(ResourceNotFound, "Shard "+shardID+" not found")
	case errors.Is(err, stream.ErrShardClosed):
		return validationErr("Shard " + shardID + " is closed")
	case errors.Is(err, stream.ErrUnsplittable):
		return validationErr("Shard " + shardID + " covers a single hash value and cannot be split")
	}
	return err
}

// tableStreams returns the table's live streams or ResourceNotFound.
func (e *Engine) tableStreams(table string) ([]*stream.Stream, error) {
	ss := e.streams.reg.List(table)
	if len(ss) == 0 {
		return nil, NewError(ResourceNotFound, "Table "+table+" has no stream")
	}
	return ss, nil
}

// TrimStream trims the records of the table's live streams that are at
// least olderThan old in clock time (0: every record), as retention would.
// Iterators pointing at trimmed records then fail with
// TrimmedDataAccessException.
func (e *Engine) TrimStream(table string, olderThan time.Duration) error {
	ss, err := e.tableStreams(table)
	if err != nil {
		return err
	}
	now := e.clock.Now()
	for _, s := range ss {
		s.Trim(max(0, olderThan), now)
	}
	return nil
}

// ExpireIterators expires every shard iterator issued so far for the
// table's live streams (ExpiredIteratorException on next use).
func (e *Engine) ExpireIterators(table string) error {
	ss, err := e.tableStreams(table)
	if err != nil {
		return err
	}
	for _, s := range ss {
		s.ExpireIterators()
	}
	return nil
}

// SetStreamShards sets the number of partitions (open shards) of the
// table's streams created from now on (n < 1: the server default). The
// table's enabled stream is re-partitioned at once only while it has never
// had a record; otherwise use SplitShard.
func (e *Engine) SetStreamShards(table string, n int) error {
	e.streams.reg.SetTableShards(table, n)
	if s, err := e.enabledStream(table); err == nil {
		if n < 1 {
			n = max(1, e.streams.partitions)
		}
		s.Repartition(n, e.clock.Now())
	}
	return nil
}

// AdvanceStreams applies the lazy time-driven stream work (rollover,
// retention, expiry of disabled streams) as of the clock's current time,
// e.g. right after the admin API advanced the clock.
func (e *Engine) AdvanceStreams() { e.streams.reg.Advance() }

// ResetStreams forgets every stream and per-table stream setting (for the
// admin reset that also drops the tables).
func (e *Engine) ResetStreams() { e.streams.reg.Reset() }

// StreamRegistry returns the registry of the engine's streams, for
// consumers inside the server that read them by position.
func (e *Engine) StreamRegistry() *stream.Registry { return e.streams.reg }
