package engine

import (
	"fmt"

	"github.com/dynafault/dynafault/emulator/attr"
)

// ReadItem is one item a read returns (GetItem, BatchGetItem, Query,
// Scan): either an item, or the store's packed form of a whole stored item
// (attr.PackString) when the read returns items unchanged, which the wire
// encodes without unpacking (attr.AppendPackedJSON). The zero ReadItem is
// no item. Both forms encode to the same JSON.
type ReadItem struct {
	item   attr.Item
	packed string
}

// ItemOf returns it as a ReadItem (nil: no item).
func ItemOf(it attr.Item) ReadItem { return ReadItem{item: it} }

// PackedItem returns the packed form of a whole item (attr.PackString, as
// the store keeps it) as a ReadItem.
func PackedItem(packed string) ReadItem { return ReadItem{packed: packed} }

// Item returns the item, unpacking the packed form (each call unpacks
// again: keep the result). Nil for the zero ReadItem. Like every item a
// read returns, it must not be modified.
func (r ReadItem) Item() attr.Item {
	if r.packed == "" {
		return r.item
	}
	it, err := attr.UnpackString(r.packed)
	if err != nil { // only the store writes packed items
		panic(fmt.Errorf("engine: stored item: %w", err))
	}
	return it
}

// Packed returns the packed form, if r holds one.
func (r ReadItem) Packed() (string, bool) { return r.packed, r.packed != "" }

// IsZero reports whether r holds no item (for omitzero).
func (r ReadItem) IsZero() bool { return r.item == nil && r.packed == "" }

// AppendJSON appends r's JSON as attr.Item's MarshalJSON writes it (null
// for no item).
func (r ReadItem) AppendJSON(dst []byte) ([]byte, error) {
	if r.packed != "" {
		return attr.AppendPackedJSON(dst, r.packed)
	}
	if r.item == nil {
		return append(dst, "null"...), nil
	}
	return attr.AppendItemJSON(dst, r.item), nil
}

// MarshalJSON implements json.Marshaler.
func (r ReadItem) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, 64+2*len(r.packed)))
}

// Items returns the items of rs, unpacking packed ones.
func Items(rs []ReadItem) []attr.Item {
	if rs == nil {
		return nil
	}
	out := make([]attr.Item, len(rs))
	for i, r := range rs {
		out[i] = r.Item()
	}
	return out
}

// ReadItems returns its as ReadItems.
func ReadItems(its []attr.Item) []ReadItem {
	if its == nil {
		return nil
	}
	out := make([]ReadItem, len(its))
	for i, it := range its {
		out[i] = ItemOf(it)
	}
	return out
}
