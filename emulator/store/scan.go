package store

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Scan yields the items of the table (index == "") or of the named index in
// storage order (partition hash, partition key, sort key; for an index,
// then the table key), only those of parallel-scan segment segment of total
// (total 1 = everything; segment s covers the partition hashes
// [s*2^64/total, (s+1)*2^64/total)), strictly after the exclusive start key
// after (nil = from the segment's start; for an index it holds the index
// key AND the table key attributes). For an index the items are whole
// table items. fn returns false to stop; fn must not write to the table
// (collect, then write).
//
// Errors: ErrNoSuchIndex; ErrInvalidSegment unless 0 <= segment < total;
// ErrInvalidKey when after lacks a key attribute. A start key of another
// segment is not an error: one before the segment is ignored, one after it
// yields nothing.
func (tx *Tx) Scan(index string, segment, total int, after attr.Item, fn func(attr.Item) bool) error {
	return tx.ScanRef(index, segment, total, after, func(r Ref) bool { return fn(r.Item()) })
}

// ScanRef is Scan yielding Refs: the callback sees each item's packed form
// and sizes, and unpacks it only if it needs the item.
func (tx *Tx) ScanRef(index string, segment, total int, after attr.Item, fn func(Ref) bool) error {
	tx.check(false)
	src, err := tx.t.source(index)
	if err != nil {
		return err
	}
	lo, hi, err := segmentBounds(segment, total)
	if err != nil {
		return err
	}
	if after != nil {
		ak, err := src.startKey(after)
		if err != nil {
			return err
		}
		lo = maxKey(lo, pivot(ak, ak.n, +1))
	}
	tx.walk(src, lo, hi, true, "", fn)
	return nil
}

// segmentBounds returns pivots below and above the hashes of a segment.
func segmentBounds(segment, total int) (lo, hi key, err error) {
	if total < 1 || segment < 0 || segment >= total {
		return lo, hi, fmt.Errorf("%w: segment %d of %d", ErrInvalidSegment, segment, total)
	}
	lo = key{hash: segmentStart(segment, total), edge: -1}
	if segment+1 == total {
		return lo, key{hash: math.MaxUint64, edge: +1}, nil
	}
	return lo, key{hash: segmentStart(segment+1, total), edge: -1}, nil
}

// segmentStart is floor(segment * 2^64 / total), for 0 <= segment < total.
func segmentStart(segment, total int) uint64 {
	q, _ := bits.Div64(uint64(segment), 0, uint64(total))
	return q
}

// SegmentOf returns the parallel-scan segment (of total >= 1) holding the
// items of partition key pk: the segment whose Scan yields them.
func SegmentOf(pk attr.Value, total int) int {
	return segmentOfHash(attr.PartitionHash(pk), total)
}

func segmentOfHash(h uint64, total int) int {
	s, _ := bits.Mul64(h, uint64(total)) // floor(h*total/2^64)
	if next := int(s) + 1; next < total && h >= segmentStart(next, total) {
		return next
	}
	return int(s)
}
