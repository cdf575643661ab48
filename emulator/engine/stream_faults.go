package engine

import (
	"errors"

	"github.com/dynafault/dynafault/emulator/stream"
)

// Shard controls of the fault layer for the admin API: pause and resume a
// shard, trim up to a sequence number, release everything held. They
// return *Error values like the other stream controls.

// PauseShard makes GetRecords of the shard of the table's stream return no
// records, with a next iterator at the same position, until ResumeShard;
// writes keep landing in it.
func (e *Engine) PauseShard(table, shardID string) error {
	return e.withShard(table, shardID, func(s *stream.Stream) error { return s.Pause(shardID) })
}

// ResumeShard ends PauseShard: the backlog is readable again, in order.
func (e *Engine) ResumeShard(table, shardID string) error {
	return e.withShard(table, shardID, func(s *stream.Stream) error { return s.Resume(shardID) })
}

// withShard runs f on the live stream of the table that lists the shard.
func (e *Engine) withShard(table, shardID string, f func(*stream.Stream) error) error {
	ss, err := e.tableStreams(table)
	if err != nil {
		return err
	}
	for _, s := range ss {
		if err := f(s); !errors.Is(err, stream.ErrShardNotFound) {
			return err
		}
	}
	return NewError(ResourceNotFound, "Shard "+shardID+" not found")
}

// TrimStreamBefore trims the records of the table's live streams whose
// sequence number is lower than seq, and returns how many it trimmed.
func (e *Engine) TrimStreamBefore(table, seq string) (int, error) {
	ss, err := e.tableStreams(table)
	if err != nil {
		return 0, err
	}
	now, total := e.clock.Now(), 0
	for _, s := range ss {
		n, err := s.TrimBefore(seq, now)
		if err != nil {
			return total, validationErr("Invalid SequenceNumber: " + seq)
		}
		total += n
	}
	return total, nil
}

// ReleaseStreamFaults resumes every paused shard and releases every record
// stream faults hold (for the admin reset: nothing held is lost). Delayed
// records are appended in order with new sequence numbers; records waiting
// for a reorder partner are released in place.
func (e *Engine) ReleaseStreamFaults() { e.streams.reg.ReleaseFaults() }
