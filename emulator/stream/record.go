package stream

import (
	"fmt"
	"time"
	"unsafe"

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
// SequenceNumber, EventID, Created and ShardID. Records are immutable once
// appended.
//
// The keys and images are kept in the packed form the store keeps items in
// (attr.PackString), sharing the store's strings where the builder has
// them, and are decoded only when read: KeysItem, NewItem and OldItem
// unpack them, the Append...JSON methods write DynamoDB's JSON straight
// from the packed form. Inside a shard a record is a rec (smaller: the
// strings Append derives are rendered when a Record leaves the stream).
type Record struct {
	EventName string // Insert, Modify or Remove
	SizeBytes int64  // size(Keys) + size(NewImage) + size(OldImage)
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

	// keys is the packed key item (attr.PackKey: hash, then range, so equal
	// keys are equal strings); newImage and oldImage are packed items, ""
	// when the view type does not carry them or the change has none.
	keys, newImage, oldImage string
}

// rec is a record as the stream keeps it: a Record without the strings
// Append derives from counters (sequence number, event id) and without its
// shard (the one holding it), rendered by Stream.out.
type rec struct {
	keys, newImage, oldImage string
	created                  time.Time // ApproximateCreationDateTime
	// wait is how long after created the record entered its shard's
	// readable sequence (stored): 0, or up to the release of a record the
	// fault layer held back (negative for a reordered change that took an
	// older slot).
	wait    time.Duration
	hash    uint64
	n       uint64 // counter value of its sequence number
	eid     uint64 // counter value of its first append: its event id
	size    int32  // SizeBytes (a record is at most a few MB)
	event   event
	service bool
	dup     bool // delivered twice in a row (a duplicate fault)
}

// event is an event name in one byte.
type event uint8

const (
	evInsert event = iota
	evModify
	evRemove
)

// eventNames are the names of the events, by value.
var eventNames = [...]string{evInsert: Insert, evModify: Modify, evRemove: Remove}

// eventOf is the event of an event name (evInsert for anything unknown).
func eventOf(name string) event {
	switch name {
	case Modify:
		return evModify
	case Remove:
		return evRemove
	}
	return evInsert
}

// stored is when x entered its shard's readable sequence. Retention counts
// from it, so it never decreases within a shard.
func (x rec) stored() time.Time { return x.created.Add(x.wait) }

// keep returns the rec of r, about to get counter value n at now.
func keep(r Record, n uint64, now time.Time) rec {
	return rec{
		keys: r.keys, newImage: r.newImage, oldImage: r.oldImage, created: now,
		hash: r.Hash, n: n, eid: n, size: int32(r.SizeBytes), event: eventOf(r.EventName), service: r.Service,
	}
}

// idsLen is the length of a record's sequence number and event id.
const idsLen = len(seqPrefix) + seqDigits + 32

// out renders x, held by the shard with the ID, as a Record.
func (s *Stream) out(x rec, shardID string) Record {
	return s.outIn(x, shardID, make([]byte, 0, idsLen))
}

// outIn renders x like out, writing its sequence number and event id into
// arena, which must have idsLen bytes of room past its length: the
// Record's strings share arena's memory, so one arena may serve a page.
func (s *Stream) outIn(x rec, shardID string, arena []byte) Record {
	start := len(arena)
	arena = appendSeq(arena, x.n)
	mid := len(arena)
	arena = append(arena, s.eventSalt...)
	arena = appendHex16(arena, x.eid)
	ids := unsafe.String(unsafe.SliceData(arena[start:]), len(arena)-start) // never written again
	return Record{
		EventName: eventNames[x.event], SizeBytes: int64(x.size), Service: x.service, Hash: x.hash,
		SequenceNumber: ids[:mid-start], EventID: ids[mid-start:], Created: x.created, ShardID: shardID,
		keys: x.keys, newImage: x.newImage, oldImage: x.oldImage,
	}
}

// NewRecord returns a record of a change with the given key attributes and
// images (nil for absent), e.g. for a test double of a stream reader:
// SizeBytes is set, Hash and the fields Append sets are not.
func NewRecord(eventName string, keys, newImage, oldImage attr.Item) Record {
	return Record{
		EventName: eventName, keys: packOrEmpty(keys), newImage: packOrEmpty(newImage), oldImage: packOrEmpty(oldImage),
		SizeBytes: int64(attr.ItemSize(keys) + attr.ItemSize(newImage) + attr.ItemSize(oldImage)),
	}
}

// packOrEmpty packs it, or returns "" for nil.
func packOrEmpty(it attr.Item) string {
	if it == nil {
		return ""
	}
	return attr.PackString(it)
}

// KeysItem returns the key attributes of the record's item, unpacked (each
// call unpacks again: keep the result).
func (r Record) KeysItem() attr.Item { return unpack(r.keys) }

// NewItem returns the item after the change, unpacked; nil when the record
// carries no new image (KEYS_ONLY or OLD_IMAGE streams, a REMOVE).
func (r Record) NewItem() attr.Item { return unpack(r.newImage) }

// OldItem returns the item before the change, unpacked; nil when the
// record carries no old image (KEYS_ONLY or NEW_IMAGE streams, an INSERT).
func (r Record) OldItem() attr.Item { return unpack(r.oldImage) }

// HasNewImage reports whether the record carries a new image.
func (r Record) HasNewImage() bool { return r.newImage != "" }

// HasOldImage reports whether the record carries an old image.
func (r Record) HasOldImage() bool { return r.oldImage != "" }

// AppendKeysJSON appends the record's Keys in DynamoDB's JSON form (an
// AttributeValue map, names sorted, as attr.AppendItemJSON writes it).
func (r Record) AppendKeysJSON(dst []byte) []byte { return appendPackedJSON(dst, r.keys) }

// AppendNewImageJSON appends the record's NewImage in DynamoDB's JSON
// form; nothing when it carries none.
func (r Record) AppendNewImageJSON(dst []byte) []byte { return appendPackedJSON(dst, r.newImage) }

// AppendOldImageJSON appends the record's OldImage in DynamoDB's JSON
// form; nothing when it carries none.
func (r Record) AppendOldImageJSON(dst []byte) []byte { return appendPackedJSON(dst, r.oldImage) }

// PackedKeys, PackedNewImage and PackedOldImage return the packed forms
// (attr.PackString; "" when absent) for encoders that keep them packed.
// They share the record's memory and must not be modified.
func (r Record) PackedKeys() string     { return r.keys }
func (r Record) PackedNewImage() string { return r.newImage }
func (r Record) PackedOldImage() string { return r.oldImage }

// unpack decodes a packed item of a record; nil for "".
func unpack(packed string) attr.Item {
	if packed == "" {
		return nil
	}
	it, err := attr.UnpackString(packed)
	if err != nil { // only Build and NewRecord pack record items
		panic(fmt.Errorf("stream: record item: %w", err))
	}
	return it
}

// appendPackedJSON appends the JSON of a packed record item; nothing for "".
func appendPackedJSON(dst []byte, packed string) []byte {
	if packed == "" {
		return dst
	}
	out, err := attr.AppendPackedJSON(dst, packed)
	if err != nil { // only Build and NewRecord pack record items
		panic(fmt.Errorf("stream: record item: %w", err))
	}
	return out
}

// Change is one committed change as the builder has it: the item before
// and after (nil for absent) and, when the caller keeps them, their packed
// forms (attr.PackString of Old and New, immutable), which the record then
// shares instead of packing the images again.
type Change struct {
	Old, New             attr.Item
	OldPacked, NewPacked string
	// Service marks a change made by the service itself (a TTL deletion).
	Service bool
}

// Build turns one committed change (old and new item; nil for absent) into
// the record the stream's view type asks for; see BuildChange.
func (s *Stream) Build(old, new attr.Item, service bool) (r Record, ok bool) {
	return s.BuildChange(Change{Old: old, New: new, Service: service})
}

// BuildChange turns one committed change into the record the stream's
// view type asks for. ok is false when nothing changed: both nil, or old
// and new equal as maps (member order does not matter), which covers
// identical puts, ADD 0 and REMOVE of a missing attribute. It reads only
// immutable stream settings and takes no lock.
func (s *Stream) BuildChange(c Change) (r Record, ok bool) {
	switch {
	case c.Old == nil && c.New == nil:
		return Record{}, false
	case c.Old == nil:
		r.EventName = Insert
	case c.New == nil:
		r.EventName = Remove
	default:
		if (c.OldPacked != "" && c.OldPacked == c.NewPacked) || attr.Equal(attr.Map(c.Old), attr.Map(c.New)) {
			return Record{}, false
		}
		r.EventName = Modify
	}
	src := c.New
	if src == nil {
		src = c.Old
	}
	k := s.spec.Key
	r.keys = attr.PackKey(k.Hash, src[k.Hash], k.Range, src[k.Range])
	r.Hash = attr.PartitionHash(src[k.Hash])
	size := len(k.Hash) + attr.Size(src[k.Hash])
	if k.Range != "" {
		size += len(k.Range) + attr.Size(src[k.Range])
	}
	vt := s.spec.ViewType
	if c.New != nil && (vt == NewImage || vt == NewAndOldImages) {
		r.newImage = packed(c.New, c.NewPacked)
		size += attr.ItemSize(c.New)
	}
	if c.Old != nil && (vt == OldImage || vt == NewAndOldImages) {
		r.oldImage = packed(c.Old, c.OldPacked)
		size += attr.ItemSize(c.Old)
	}
	r.SizeBytes = int64(size)
	r.Service = c.Service
	return r, true
}

// packed returns p, the packed form of it the caller has, or packs it.
func packed(it attr.Item, p string) string {
	if p != "" {
		return p
	}
	return attr.PackString(it)
}
