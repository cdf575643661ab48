package stream

import (
	"sort"
	"time"
)

// ShardIterator returns a shard iterator of the given type for the shard
// with the ID, issued at now. seq is the sequence number of the AT_ and
// AFTER_SEQUENCE_NUMBER types and must be "" for the others (the caller
// validates the request shape). Errors: ErrShardNotFound,
// ErrBadIteratorType, ErrBadSequenceNumber (not a number this shard could
// have issued) and ErrTrimmed (behind the trim horizon).
func (s *Stream) ShardIterator(shardID, typ, seq string, now time.Time) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.maintain(now)
	sh := s.find(shardID)
	if sh == nil {
		return "", ErrShardNotFound
	}
	pos, err := sh.position(typ, seq)
	if err != nil {
		return "", err
	}
	return s.cfg.encodeIterator(iterator{arn: s.spec.ARN, shard: sh.id, pos: pos, issued: now, epoch: s.epoch}), nil
}

// position is where an iterator of type typ starts in the shard.
func (sh *shard) position(typ, seq string) (uint64, error) {
	switch typ {
	case TrimHorizon:
		return max(sh.start, sh.trimmed+1), nil
	case Latest:
		return max(sh.start, sh.last) + 1, nil
	case AtSequenceNumber, AfterSequenceNumber:
	default:
		return 0, ErrBadIteratorType
	}
	n, ok := parseSeq(seq)
	if !ok || n < sh.start || n > max(sh.start, sh.last) {
		return 0, ErrBadSequenceNumber
	}
	if typ == AfterSequenceNumber {
		n++
	}
	if n <= sh.trimmed {
		return 0, ErrTrimmed
	}
	return n, nil
}

// Page is the result of one GetRecords.
type Page struct {
	Records []Record
	// Next is the iterator to continue with; "" when the shard is closed
	// and every record has been returned.
	Next string
}

// Read returns up to limit records (and at most maxBytes of SizeBytes, but
// always at least one available record) from the position of the iterator
// it, as of now. Errors: ErrBadIterator (it names another stream),
// ErrExpiredIterator, ErrTrimmed.
func (s *Stream) Read(it string, limit, maxBytes int, now time.Time) (Page, error) {
	x, err := s.cfg.decodeIterator(it)
	if err != nil || x.arn != s.spec.ARN {
		return Page{}, ErrBadIterator
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if x.epoch != s.epoch || now.Sub(x.issued) > s.cfg.iteratorTTL {
		return Page{}, ErrExpiredIterator
	}
	s.maintain(now)
	sh := s.find(x.shard)
	if sh == nil || x.pos <= sh.trimmed {
		// A shard this registry issued an iterator for is unlisted only
		// once all its records were trimmed.
		return Page{}, ErrTrimmed
	}
	i := sort.Search(len(sh.recs), func(i int) bool { return sh.recs[i].n >= x.pos })
	j, size := i, 0
	for j < len(sh.recs) && j-i < limit && (j == i || size+int(sh.recs[j].SizeBytes) <= maxBytes) {
		size += int(sh.recs[j].SizeBytes)
		j++
	}
	page := Page{Records: append([]Record{}, sh.recs[i:j]...)}
	if j > i {
		sh.noteDelivered(j-i, sh.recs[j-1].n+1)
	}
	if sh.closed && j == len(sh.recs) {
		return page, nil
	}
	next := x.pos
	if j > i {
		next = sh.recs[j-1].n + 1
	}
	page.Next = s.cfg.encodeIterator(iterator{arn: s.spec.ARN, shard: sh.id, pos: next, issued: now, epoch: s.epoch})
	return page, nil
}
