package store

import (
	"fmt"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/tidwall/btree"
)

// Bound is one end of a sort-key range.
type Bound struct {
	Value     attr.Value
	Inclusive bool
}

// KeyRange restricts the sort key of a Query; every field set applies (the
// range is their intersection). Lower and Upper are nil when unbounded;
// Prefix is begins_with, for S and B sort keys. The zero KeyRange is the
// whole partition.
//
// For a multi-attribute key, HashMore holds the values of the partition-key
// attributes after the first (Query's hash), and Leading equalities on the
// first sort-key attributes; Lower, Upper and Prefix then restrict the
// sort-key attribute after them.
type KeyRange struct {
	Lower, Upper *Bound
	Prefix       *attr.Value
	HashMore     []attr.Value
	Leading      []attr.Value
}

// Query yields the items of partition hash of the table (index == "") or
// of the named index, in sort-key order (forward) or reverse order,
// restricted to r, starting strictly after the exclusive start key after
// (nil = from the start of the range; for an index it holds the index key
// AND the table key attributes). For an index the items yielded are whole
// table items: projecting them is the caller's business. fn returns false
// to stop; fn must not write to the table (collect, then write).
//
// Errors: ErrNoSuchIndex; ErrInvalidKey when hash, a bound or the prefix has
// another type than the key schema says, when r restricts a key without
// sort key, or when after lacks a key attribute or lies in another
// partition.
func (tx *Tx) Query(index string, hash attr.Value, r KeyRange, forward bool, after attr.Item, fn func(attr.Item) bool) error {
	return tx.QueryRef(index, hash, r, forward, after, func(r Ref) bool { return fn(r.Item()) })
}

// QueryRef is Query yielding Refs: the callback sees each item's packed
// form and sizes, and unpacks it only if it needs the item.
func (tx *Tx) QueryRef(index string, hash attr.Value, r KeyRange, forward bool, after attr.Item, fn func(Ref) bool) error {
	tx.check(false)
	src, err := tx.t.source(index)
	if err != nil {
		return err
	}
	lo, hi, err := src.queryBounds(hash, r)
	if err != nil {
		return err
	}
	if after != nil {
		if lo, hi, err = src.afterBounds(lo, hi, after, forward); err != nil {
			return err
		}
	}
	prefix := ""
	if r.Prefix != nil && !src.key.Multi() {
		prefix = r.Prefix.S
	}
	tx.walk(src, lo, hi, forward, prefix, fn)
	return nil
}

// source is a tree that Query and Scan read: the primary tree or an index.
type source struct {
	primary *btree.BTreeG[*entry]
	ix      *index    // nil for the primary tree
	key     KeySchema // the tree's own key
	table   KeySchema // the table's key
}

// source returns the primary tree (name "") or the named index. Must be
// called with t.mu held.
func (t *Table) source(name string) (source, error) {
	if name == "" {
		return source{primary: t.primary, key: t.def.Key, table: t.def.Key}, nil
	}
	ix, err := t.index(name)
	if err != nil {
		return source{}, err
	}
	return source{ix: ix, key: ix.def.Key, table: t.def.Key}, nil
}

// queryBounds returns pivots below and above the items of partition hash
// within r.
func (s source) queryBounds(hash attr.Value, r KeyRange) (lo, hi key, err error) {
	if s.key.Multi() {
		return s.multiQueryBounds(hash, r)
	}
	if len(r.HashMore) > 0 || len(r.Leading) > 0 {
		return lo, hi, fmt.Errorf("%w: multi-attribute key values for a single-attribute key", ErrInvalidKey)
	}
	if hash.Type != s.key.HashType {
		return lo, hi, fmt.Errorf("%w: partition key value of type %s, want %s", ErrInvalidKey, hash.Type, s.key.HashType)
	}
	p := partitionKey(hash)
	lo, hi = pivot(p, 1, -1), pivot(p, 1, +1)
	if r.Lower == nil && r.Upper == nil && r.Prefix == nil {
		return lo, hi, nil
	}
	if s.key.Range == "" {
		return lo, hi, fmt.Errorf("%w: sort-key range on a key without sort key", ErrInvalidKey)
	}
	if r.Lower != nil {
		b, err := s.bound(p, r.Lower.Value, edge(!r.Lower.Inclusive))
		if err != nil {
			return lo, hi, err
		}
		lo = maxKey(lo, b)
	}
	if r.Upper != nil {
		b, err := s.bound(p, r.Upper.Value, edge(r.Upper.Inclusive))
		if err != nil {
			return lo, hi, err
		}
		hi = minKey(hi, b)
	}
	if r.Prefix != nil {
		return s.prefixBounds(p, *r.Prefix, lo, hi)
	}
	return lo, hi, nil
}

// prefixBounds narrows lo and hi to the sort keys beginning with prefix:
// those in [prefix, successor(prefix)).
func (s source) prefixBounds(p key, prefix attr.Value, lo, hi key) (key, key, error) {
	if prefix.Type != attr.S && prefix.Type != attr.B {
		return lo, hi, fmt.Errorf("%w: begins_with on type %s", ErrInvalidKey, prefix.Type)
	}
	b, err := s.bound(p, prefix, -1)
	if err != nil {
		return lo, hi, err
	}
	lo = maxKey(lo, b)
	if succ, ok := successor(prefix.S); ok {
		b, err := s.bound(p, attr.Value{Type: prefix.Type, S: succ}, -1)
		if err != nil {
			return lo, hi, err
		}
		hi = minKey(hi, b)
	}
	return lo, hi, nil
}

// bound returns a pivot just before (edge -1) or after (+1) every key of
// partition p with sort key v.
func (s source) bound(p key, v attr.Value, e int8) (key, error) {
	if v.Type != s.key.RangeType {
		return key{}, fmt.Errorf("%w: sort key value of type %s, want %s", ErrInvalidKey, v.Type, s.key.RangeType)
	}
	p.parts[1] = attr.EncodeKey(v)
	return pivot(p, 2, e), nil
}

// edge returns +1 if after, else -1.
func edge(after bool) int8 {
	if after {
		return 1
	}
	return -1
}

// successor returns the least byte string greater than every string that
// begins with s, or false if there is none (s is empty or all 0xff).
func successor(s string) (string, bool) {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 0xff {
			b[i]++
			return string(b[:i+1]), true
		}
	}
	return "", false
}

// afterBounds narrows lo (forward) or hi (reverse) to exclude everything up
// to and including the exclusive start key after.
func (s source) afterBounds(lo, hi key, after attr.Item, forward bool) (key, key, error) {
	ak, err := s.startKey(after)
	if err != nil {
		return lo, hi, err
	}
	if ak.hash != lo.hash || ak.parts[0] != lo.parts[0] {
		return lo, hi, fmt.Errorf("%w: the exclusive start key is in another partition", ErrInvalidKey)
	}
	if forward {
		return maxKey(lo, pivot(ak, ak.n, +1)), hi, nil
	}
	return lo, minKey(hi, pivot(ak, ak.n, -1)), nil
}

// startKey encodes an exclusive start key: the table key, and for an index
// the index key before it.
func (s source) startKey(item attr.Item) (key, error) {
	tk, err := keyOf(s.table, item)
	if err != nil || s.ix == nil {
		return tk, err
	}
	ik, err := keyOf(s.key, item)
	if err != nil {
		return key{}, err
	}
	return withTableKey(ik, tk), nil
}

// walk runs s.walk, refusing writes from fn meanwhile.
func (tx *Tx) walk(s source, lo, hi key, forward bool, prefix string, fn func(Ref) bool) {
	tx.walking++
	defer func() { tx.walking-- }()
	s.walk(lo, hi, forward, prefix, fn)
}

// walk yields the items strictly between the pivots lo and hi, ascending or
// descending, while their sort key part begins with prefix (S and B parts
// are the raw bytes) and fn returns true.
func (s source) walk(lo, hi key, forward bool, prefix string, fn func(Ref) bool) {
	if s.ix == nil {
		walkTree(s.primary, lo.entry(), hi.entry(), forward, compareEntries, func(e *entry) bool {
			return strings.HasPrefix(e.sk, prefix) && fn(refOf(e))
		})
		return
	}
	walkTree(s.ix.tree, lo.ixEntry(), hi.ixEntry(), forward, compareIxEntries, func(e *ixEntry) bool {
		return strings.HasPrefix(e.sk, prefix) && fn(refOfIx(e))
	})
}

// walkTree calls fn with the elements of tree strictly between lo and hi,
// ascending or descending, while fn returns true.
func walkTree[T any](tree *btree.BTreeG[T], lo, hi T, forward bool, compare func(a, b T) int, fn func(T) bool) {
	if forward {
		tree.Ascend(lo, func(e T) bool { return compare(e, hi) < 0 && fn(e) })
		return
	}
	tree.Descend(hi, func(e T) bool { return compare(e, lo) > 0 && fn(e) })
}
