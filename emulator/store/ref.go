package store

import (
	"fmt"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Ref is a stored item as QueryRef, ScanRef and GetRef yield it: its packed
// form (attr.PackString) and sizes, read without unpacking, and the item,
// unpacked on first use and then kept. A Ref stays valid after the
// critical section ends (stored items are immutable); a copy keeps what
// was unpacked before copying.
type Ref struct {
	packed   string
	size     int32 // of what the source stores of the item
	itemSize int32 // of the whole item
	it       attr.Item
}

// Packed returns the item's packed form (for attr.AppendPackedJSON,
// attr.PackedAttr or attr.UnpackString).
func (r *Ref) Packed() string { return r.packed }

// Size is the attr.ItemSize of what the table or index read stores of the
// item: the whole item, or for an index with a KEYS_ONLY or INCLUDE
// projection the projected attributes.
func (r *Ref) Size() int { return int(r.size) }

// ItemSize is the attr.ItemSize of the whole item.
func (r *Ref) ItemSize() int { return int(r.itemSize) }

// Item returns the whole item, unpacking it on the first call. Like every
// item from the store, it must not be modified.
func (r *Ref) Item() attr.Item {
	if r.it == nil {
		r.it = unpackStored(r.packed)
	}
	return r.it
}

// refOf returns the Ref of a primary entry.
func refOf(e *entry) Ref { return Ref{packed: e.data, size: e.size, itemSize: e.size} }

// refOfIx returns the Ref of an index entry.
func refOfIx(e *ixEntry) Ref { return Ref{packed: e.row.data, size: e.size, itemSize: e.row.size} }

// unpackStored unpacks a stored item. The packed form is written only by
// Put, so a failure is a bug: it panics, and View or Update returns a
// *PanicError.
func unpackStored(packed string) attr.Item {
	it, err := attr.UnpackString(packed)
	if err != nil {
		panic(fmt.Errorf("store: stored item: %w", err))
	}
	return it
}

// GetRef is Get returning a Ref.
func (tx *Tx) GetRef(key attr.Item) (Ref, bool) {
	tx.check(false)
	e := tx.t.lookup(key)
	if e == nil {
		return Ref{}, false
	}
	r := refOf(e)
	if tx.last.e == e {
		r.it = tx.last.it
	}
	return r, true
}
