package store

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// key is a position in a tree: a partition hash, then up to four encoded key
// parts compared bytewise. A stored element sets every part of its tree
// (two in the primary tree: table pk and sk; four in an index: index pk and
// sk, table pk and sk; a missing sort key is "") and edge 0. A search pivot
// sets only its first n parts and an edge of -1 or +1, which places it
// before or after every key sharing those parts; a full pivot with edge +1
// sits just after the stored key with the same parts. Keys are computed
// and compared as values; the trees hold the compact entry and ixEntry.
type key struct {
	hash  uint64
	parts [4]string
	n     int8
	edge  int8
}

// compareKeys orders keys: hash, then parts, then edges.
func compareKeys(a, b *key) int {
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	n := min(a.n, b.n)
	for i := range n {
		if c := strings.Compare(a.parts[i], b.parts[i]); c != 0 {
			return c
		}
	}
	return compareEdges(a.n, a.edge, b.n, b.edge)
}

// compareEdges orders two keys whose first min(an, bn) parts are equal: a
// key that ends there counts as its edge, one that goes on as 0.
func compareEdges(an, ae, bn, be int8) int {
	if an > bn {
		ae = 0
	}
	if bn > an {
		be = 0
	}
	return cmp.Compare(ae, be)
}

// entry is an element of the primary tree (64 bytes): the key parts pk and
// sk (for S and B keys substrings of data, for N the order-preserving
// encoding), the item packed by attr.PackString and its attr.ItemSize. A
// stored entry has n 2 and edge 0; a pivot may have fewer parts.
type entry struct {
	hash    uint64
	pk, sk  string
	data    string
	size    int32
	n, edge int8
}

// ixEntry is an element of an index tree (64 bytes): the index key parts,
// then the table key of row, the table's primary entry, which also holds
// the item; an index copies no item data. size is the attr.ItemSize of the
// index's projection of the item. A stored ixEntry has n 4 and edge 0; a
// pivot may have fewer parts, and row only when n > 2.
type ixEntry struct {
	hash    uint64
	pk, sk  string
	row     *entry
	size    int32
	n, edge int8
}

// compareEntries is compareKeys for primary elements.
func compareEntries(a, b *entry) int {
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	n := min(a.n, b.n)
	if n > 0 {
		if c := strings.Compare(a.pk, b.pk); c != 0 {
			return c
		}
	}
	if n > 1 {
		if c := strings.Compare(a.sk, b.sk); c != 0 {
			return c
		}
	}
	return compareEdges(a.n, a.edge, b.n, b.edge)
}

// compareIxEntries is compareKeys for index elements.
func compareIxEntries(a, b *ixEntry) int {
	if a.hash != b.hash {
		return cmp.Compare(a.hash, b.hash)
	}
	n := min(a.n, b.n)
	if n > 0 {
		if c := strings.Compare(a.pk, b.pk); c != 0 {
			return c
		}
	}
	if n > 1 {
		if c := strings.Compare(a.sk, b.sk); c != 0 {
			return c
		}
	}
	if n > 2 {
		if c := strings.Compare(a.row.pk, b.row.pk); c != 0 {
			return c
		}
	}
	if n > 3 {
		if c := strings.Compare(a.row.sk, b.row.sk); c != 0 {
			return c
		}
	}
	return compareEdges(a.n, a.edge, b.n, b.edge)
}

func lessEntry(a, b *entry) bool     { return compareEntries(a, b) < 0 }
func lessIxEntry(a, b *ixEntry) bool { return compareIxEntries(a, b) < 0 }

// entry returns k as a primary element (its first two parts).
func (k *key) entry() *entry {
	return &entry{hash: k.hash, pk: k.parts[0], sk: k.parts[1], n: min(k.n, 2), edge: k.edge}
}

// ixEntry returns k as an index element.
func (k *key) ixEntry() *ixEntry {
	ie := &ixEntry{hash: k.hash, pk: k.parts[0], sk: k.parts[1], n: k.n, edge: k.edge}
	if k.n > 2 {
		ie.row = &entry{pk: k.parts[2], sk: k.parts[3]}
	}
	return ie
}

// item unpacks the entry's item. The packed form is written only by Put,
// so a failure is a bug: it panics, and View or Update returns a
// *PanicError.
func (e *entry) item() attr.Item { return unpackStored(e.data) }

// packed returns the packed item of e; "" for a nil e.
func (e *entry) packed() string {
	if e == nil {
		return ""
	}
	return e.data
}

// weight is what e adds to a tree's item count and size (nothing if nil).
func (e *entry) weight() (count, size int64) {
	if e == nil {
		return 0, 0
	}
	return 1, int64(e.size)
}

// weight is what e adds to an index's item count and size (nothing if nil).
func (e *ixEntry) weight() (count, size int64) {
	if e == nil {
		return 0, 0
	}
	return 1, int64(e.size)
}

// weigher is an *entry or an *ixEntry, possibly nil.
type weigher interface{ weight() (count, size int64) }

// adjust returns count and size after replacing the element prev by next
// (either may be nil).
func adjust(count, size int64, prev, next weigher) (int64, int64) {
	pc, ps := prev.weight()
	nc, ns := next.weight()
	return count - pc + nc, size - ps + ns
}

// partitionKey returns the key prefix of one partition: hash and first part.
func partitionKey(v attr.Value) key {
	return key{hash: attr.PartitionHash(v), parts: [4]string{attr.EncodeKey(v)}, n: 1}
}

// keyOf encodes the key attributes of ks found in item: the partition hash,
// the encoded partition key and the encoded sort key ("" without one). It
// fails if an attribute is missing or has another type than ks says.
func keyOf(ks KeySchema, item attr.Item) (key, error) {
	if ks.Multi() {
		return multiKeyOf(ks, func(n string) (attr.Value, bool) { v, ok := item[n]; return v, ok })
	}
	pk, pkOK := item[ks.Hash]
	var sk attr.Value
	if ks.Range != "" {
		sk = item[ks.Range]
	}
	return makeKey(ks, pk, pkOK, sk)
}

// packedKeyOf is keyOf for a packed item; the S and B parts share the
// packed item's memory.
func packedKeyOf(ks KeySchema, data string) (key, error) {
	if ks.Multi() {
		return multiKeyOf(ks, func(n string) (attr.Value, bool) { return attr.PackedAttr(data, n) })
	}
	pk, pkOK := attr.PackedAttr(data, ks.Hash)
	var sk attr.Value
	if ks.Range != "" {
		sk, _ = attr.PackedAttr(data, ks.Range)
	}
	return makeKey(ks, pk, pkOK, sk)
}

// makeKey encodes the key values pk (present if pkOK) and sk (Invalid if
// absent) of schema ks.
func makeKey(ks KeySchema, pk attr.Value, pkOK bool, sk attr.Value) (key, error) {
	if !pkOK || pk.Type != ks.HashType {
		return key{}, fmt.Errorf("%w: attribute %q missing or not of type %s", ErrInvalidKey, ks.Hash, ks.HashType)
	}
	k := partitionKey(pk)
	k.n = 2
	if ks.Range == "" {
		return k, nil
	}
	if sk.Type != ks.RangeType {
		return key{}, fmt.Errorf("%w: attribute %q missing or not of type %s", ErrInvalidKey, ks.Range, ks.RangeType)
	}
	k.parts[1] = attr.EncodeKey(sk)
	return k, nil
}

// withTableKey extends an index key k with the table key parts of tk.
func withTableKey(k, tk key) key {
	k.parts[2], k.parts[3] = tk.parts[0], tk.parts[1]
	k.n = 4
	return k
}

// pivot returns k cut to its first n parts with the given edge.
func pivot(k key, n, edge int8) key {
	for i := n; i < int8(len(k.parts)); i++ {
		k.parts[i] = ""
	}
	k.n, k.edge = n, edge
	return k
}

func maxKey(a, b key) key {
	if compareKeys(&a, &b) >= 0 {
		return a
	}
	return b
}

func minKey(a, b key) key {
	if compareKeys(&a, &b) <= 0 {
		return a
	}
	return b
}
