package store

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// entry is one element of a tree, or a position to search a tree for.
//
// Its key is a partition hash, then up to four encoded key parts compared
// bytewise: p0 and p1, then row.p0 and row.p1. A primary entry sets two
// parts (table pk and sk; a missing sort key is ""), holds its item packed
// in data (attr.PackString; the S and B parts share data's memory) and its
// attr.ItemSize in size. An index entry sets four parts (index pk and sk,
// then the table key of row, the table's primary entry) and the size of its
// projection; it holds no item data of its own: the item is row.data.
// Stored entries have edge 0. A search pivot sets only its first n parts
// and an edge of -1 or +1, which places it before or after every key
// sharing those parts; a full pivot with edge +1 sits just after the
// stored key with the same parts.
type entry struct {
	hash    uint64
	p0, p1  string
	row     *entry // index entries (and pivots with n > 2): parts 2 and 3
	data    string // primary entries: the packed item
	size    int64
	n, edge int8
}

// part returns key part i < e.n.
func (e *entry) part(i int8) string {
	switch i {
	case 0:
		return e.p0
	case 1:
		return e.p1
	case 2:
		return e.row.p0
	}
	return e.row.p1
}

// item unpacks the entry's item. The packed form is written only by Put,
// so a failure is a bug: it panics, and View or Update returns a
// *PanicError.
func (e *entry) item() attr.Item {
	data := e.data
	if e.row != nil {
		data = e.row.data
	}
	it, err := attr.UnpackString(data)
	if err != nil {
		panic(fmt.Errorf("store: stored item: %w", err))
	}
	return it
}

// compareEntries orders keys: hash, then parts, then edges.
func compareEntries(a, b *entry) int {
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	for i := int8(0); ; i++ {
		aEnd, bEnd := i >= a.n, i >= b.n
		if aEnd || bEnd {
			var ae, be int8
			if aEnd {
				ae = a.edge
			}
			if bEnd {
				be = b.edge
			}
			return cmp.Compare(ae, be)
		}
		if c := strings.Compare(a.part(i), b.part(i)); c != 0 {
			return c
		}
	}
}

func lessEntry(a, b *entry) bool { return compareEntries(a, b) < 0 }

// partitionKey returns the key prefix of one partition: hash and first part.
func partitionKey(v attr.Value) entry {
	return entry{hash: attr.PartitionHash(v), p0: attr.EncodeKey(v), n: 1}
}

// keyOf encodes the key attributes of ks found in item: the partition hash,
// the encoded partition key and the encoded sort key ("" without one). It
// fails if an attribute is missing or has another type than ks says.
func keyOf(ks KeySchema, item attr.Item) (entry, error) {
	pk, pkOK := item[ks.Hash]
	var sk attr.Value
	if ks.Range != "" {
		sk = item[ks.Range]
	}
	return makeKey(ks, pk, pkOK, sk)
}

// packedKeyOf is keyOf for a packed item; the S and B parts share the
// packed item's memory.
func packedKeyOf(ks KeySchema, data string) (entry, error) {
	pk, pkOK := attr.PackedAttr(data, ks.Hash)
	var sk attr.Value
	if ks.Range != "" {
		sk, _ = attr.PackedAttr(data, ks.Range)
	}
	return makeKey(ks, pk, pkOK, sk)
}

// makeKey encodes the key values pk (present if pkOK) and sk (Invalid if
// absent) of schema ks.
func makeKey(ks KeySchema, pk attr.Value, pkOK bool, sk attr.Value) (entry, error) {
	if !pkOK || pk.Type != ks.HashType {
		return entry{}, fmt.Errorf("%w: attribute %q missing or not of type %s", ErrInvalidKey, ks.Hash, ks.HashType)
	}
	k := partitionKey(pk)
	k.n = 2
	if ks.Range == "" {
		return k, nil
	}
	if sk.Type != ks.RangeType {
		return entry{}, fmt.Errorf("%w: attribute %q missing or not of type %s", ErrInvalidKey, ks.Range, ks.RangeType)
	}
	k.p1 = attr.EncodeKey(sk)
	return k, nil
}

// withTableKey extends an index key k with the table key of tk.
func withTableKey(k entry, tk *entry) entry {
	k.row, k.n = tk, 4
	return k
}

// pivot returns k cut to its first n parts with the given edge.
func pivot(k entry, n, edge int8) entry {
	k.n, k.edge = n, edge
	return k
}

func maxKey(a, b entry) entry {
	if compareEntries(&a, &b) >= 0 {
		return a
	}
	return b
}

func minKey(a, b entry) entry {
	if compareEntries(&a, &b) <= 0 {
		return a
	}
	return b
}
