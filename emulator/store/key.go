package store

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
)

// key is a position in a tree: a partition hash, then up to four encoded key
// parts compared bytewise. A stored entry sets every part of its tree (two
// in the primary tree: table pk and sk; four in an index: index pk and sk,
// table pk and sk; a missing sort key is "") and edge 0. A search pivot sets
// only its first n parts and an edge of -1 or +1, which places it before or
// after every key sharing those parts; a full pivot with edge +1 sits just
// after the stored key with the same parts.
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
		if c := strings.Compare(a.parts[i], b.parts[i]); c != 0 {
			return c
		}
	}
}

// entry is one element of a tree. In the primary tree item is the stored
// item and size its attr.ItemSize; in an index item is the table's item
// (the caller projects at read time) and size the size of the projection.
type entry struct {
	k    key
	item attr.Item
	size int64
}

func lessEntry(a, b *entry) bool { return compareKeys(&a.k, &b.k) < 0 }

// partitionKey returns the key prefix of one partition: hash and first part.
func partitionKey(v attr.Value) key {
	return key{hash: attr.PartitionHash(v), parts: [4]string{attr.EncodeKey(v)}, n: 1}
}

// keyOf encodes the key attributes of ks found in item: the partition hash,
// the encoded partition key and the encoded sort key ("" without one). It
// fails if an attribute is missing or has another type than ks says.
func keyOf(ks KeySchema, item attr.Item) (key, error) {
	pk, ok := item[ks.Hash]
	if !ok || pk.Type != ks.HashType {
		return key{}, fmt.Errorf("%w: attribute %q missing or not of type %s", ErrInvalidKey, ks.Hash, ks.HashType)
	}
	k := partitionKey(pk)
	k.n = 2
	if ks.Range == "" {
		return k, nil
	}
	sk, ok := item[ks.Range]
	if !ok || sk.Type != ks.RangeType {
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
