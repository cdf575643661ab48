// Package stream is the change log behind DynamoDB Streams: one Stream per
// enabled table stream, held in a Registry of the server, with shards over
// hash ranges of the partition key, lineage, sequence numbers, retention and
// self-describing shard iterators. It is pull-based: no goroutine runs per
// stream or consumer, and every time-driven change (retention trimming,
// periodic shard rollover, stream expiry) is applied lazily when a stream is
// touched, by comparing ages with the clock, so advancing the virtual clock
// makes it happen at once and deterministically.
//
// # Partitions, shards and sequence numbers
//
// A stream splits the 64-bit partition-key hash space (attr.PartitionHash)
// into partitions; each partition has exactly one open shard, and every record
// of an item goes to the open shard of the partition holding the hash of its
// partition key, so per-item order holds. Rollover closes a shard and opens a
// child over the same range; Split closes it and opens two children over the
// halves. Shard IDs sort in creation order. Sequence numbers are 21-digit
// decimal strings drawn from one counter per stream, so they are strictly
// increasing within a shard (and across the stream). A new shard reserves a
// number as its StartingSequenceNumber; a closed shard's EndingSequenceNumber
// is its last record's number, or its starting number when it is empty.
//
// # Records
//
// A record keeps its keys and images in the packed form the store keeps
// items in (attr.PackString), sharing the store's strings: a
// NEW_AND_OLD_IMAGES record of a change references the two item versions
// the store packed anyway, plus about 130 bytes of its own (a rec of 112
// bytes and the packed keys). Sequence numbers and event ids are kept as
// counters and rendered when a Record leaves the stream (a page renders
// its ids in one allocation). Readers unpack with KeysItem, NewItem and
// OldItem or write JSON straight from the packed form with the
// Append...JSON methods. A trim hands back the array of a shard it
// emptied mostly and reports the bytes it freed (Options.Freed).
//
// # Iterators
//
// A shard iterator is "<StreamArn>|1|<token>", where token is the base64url
// encoding of the shard ID, the position (the sequence counter value to read
// from), the issue time, the stream's iterator epoch and an HMAC-SHA256 tag
// made with a random per-Registry key. Nothing is stored per iterator. An
// iterator is expired when older than the iterator lifetime or when issued
// before the last ExpireIterators of its stream (the epoch differs); it is
// trimmed when records at or after its position were trimmed away.
//
// # Faults
//
// A Registry may carry a Hook (faults.go), asked once per appended record,
// after its numbers are assigned and in commit order, whether to drop,
// delay, duplicate or reorder it:
//
//   - drop: the record is never stored. Its sequence number stays consumed,
//     leaving a gap (DynamoDB's numbers are not contiguous either).
//   - delay: the record leaves its shard's sequence (its sequence number
//     stays consumed, a gap) and is queued until its clock-time release.
//     Later records of the same item queue behind it, in order; records
//     of other items keep flowing. With HoldShard every later record of
//     its hash range queues too, in any shard. At release (lazily on
//     append, read or describe, so advancing the clock releases due
//     records at once) each queued record is appended with a new sequence
//     number at the end of the open shard of its hash (the child owning
//     its range if its shard was rolled over or split meanwhile), keeping
//     its event id, images and ApproximateCreationDateTime; so a consumer
//     at AFTER_SEQUENCE_NUMBER of its last record receives it, and the
//     retention of a released record counts from its release. Hook.Note
//     reports every record taken out of the sequence behind a delayed one
//     (OutcomeHeldBehind) and every release with its new and original
//     numbers (OutcomeReleased), so nothing is renumbered unreported.
//   - duplicate: the record (same event id and sequence number, as a
//     redelivery) is delivered twice in a row; the two copies are never
//     split across pages, so a page may carry Limit+1 records.
//   - reorder: the record is held until the next record of its item is
//     appended to the same shard; then the two changes trade places (each
//     slot keeps its sequence number, the event id and images travel with
//     the change), violating per-item order on purpose, and both become
//     visible. Without a partner within ReorderWait of clock time, or when
//     the shard closes first, the record is released in place. Hook.Note
//     reports either outcome, a swap once for each of the two records.
//     Later records of other items in the shard stay unreadable while the
//     reordered record waits (they keep their numbers and order); Hook.Note
//     reports each as held in place.
//
// Pause makes reads of a shard return no records with an iterator at the
// same position while writes keep landing; Resume releases the backlog in
// order. ReleaseFaults resumes every shard and releases every held record
// (queued ones appended in order, reordered ones in place), so a reset
// loses nothing silently; Disable releases the queue before it closes the
// shards. Held and paused shards show in Describe (ShardInfo.Held counts
// queued records on the open shard they will be appended to,
// ShardInfo.Paused).
//
// # Locking
//
// The architecture keeps data locks in package store; this package refines
// that rule with one mutex per Stream. Records are appended from the store's
// OnCommit hook while the table's write lock is held, so stream order equals
// commit order; Append then takes the stream's own short mutex. Readers
// (GetShardIterator, GetRecords, DescribeStream, admin status) take only the
// stream mutex, never a table lock, so a slow consumer never blocks writers
// for longer than one copy of the records it asked for. The Registry's own
// RWMutex guards only its maps and is never held while a Stream's mutex is
// taken. The lock order is therefore: table lock, then Stream mutex.
package stream
