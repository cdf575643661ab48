package stream

import (
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Event names of stream records.
const (
	Insert = "INSERT"
	Modify = "MODIFY"
	Remove = "REMOVE"
)

// Stream view types.
const (
	KeysOnly        = "KEYS_ONLY"
	NewImage        = "NEW_IMAGE"
	OldImage        = "OLD_IMAGE"
	NewAndOldImages = "NEW_AND_OLD_IMAGES"
)

// KeySchema names the key attributes of a stream's table; Range is "" when
// the table has no sort key.
type KeySchema struct{ Hash, Range string }

// Record is one stream record. Build fills the change fields; Append fills
// SequenceNumber, EventID and Created. Records are immutable once appended.
type Record struct {
	EventName string    // Insert, Modify or Remove
	Keys      attr.Item // the item's key attributes
	NewImage  attr.Item // nil unless the view type carries it
	OldImage  attr.Item // nil unless the view type carries it
	SizeBytes int64     // size(Keys) + size(NewImage) + size(OldImage)
	// Service marks a change made by the service itself (a TTL deletion):
	// the record carries userIdentity {Type: Service, PrincipalId:
	// dynamodb.amazonaws.com}.
	Service bool
	// Hash is attr.PartitionHash of the partition key; it picks the shard.
	Hash uint64

	SequenceNumber string    // set by Append
	EventID        string    // set by Append
	Created        time.Time // set by Append: ApproximateCreationDateTime
	ShardID        string    // set by Append: the shard that holds it

	n   uint64 // counter value of SequenceNumber
	dup bool   // delivered twice in a row (a duplicate fault)
	// stored is when the record entered its shard's readable sequence:
	// Created, or the release time of a record the fault layer held back.
	// Retention counts from it, so it never decreases within a shard.
	stored time.Time
}

// Build turns one committed change (old and new item; nil for absent) into
// the record the stream's view type asks for. ok is false when nothing
// changed: both nil, or old and new equal as maps (member order does not
// matter), which covers identical puts, ADD 0 and REMOVE of a missing
// attribute. Build reads only immutable stream settings and takes no lock.
func (s *Stream) Build(old, new attr.Item, service bool) (r Record, ok bool) {
	switch {
	case old == nil && new == nil:
		return Record{}, false
	case old == nil:
		r.EventName = Insert
	case new == nil:
		r.EventName = Remove
	default:
		if attr.Equal(attr.Map(old), attr.Map(new)) {
			return Record{}, false
		}
		r.EventName = Modify
	}
	src := new
	if src == nil {
		src = old
	}
	r.Keys = s.keysOf(src)
	r.Hash = attr.PartitionHash(src[s.spec.Key.Hash])
	vt := s.spec.ViewType
	if vt == NewImage || vt == NewAndOldImages {
		r.NewImage = new
	}
	if vt == OldImage || vt == NewAndOldImages {
		r.OldImage = old
	}
	r.SizeBytes = int64(attr.ItemSize(r.Keys) + attr.ItemSize(r.NewImage) + attr.ItemSize(r.OldImage))
	r.Service = service
	return r, true
}

// keysOf returns the key attributes of item.
func (s *Stream) keysOf(item attr.Item) attr.Item {
	k := attr.Item{s.spec.Key.Hash: item[s.spec.Key.Hash]}
	if rk := s.spec.Key.Range; rk != "" {
		k[rk] = item[rk]
	}
	return k
}
