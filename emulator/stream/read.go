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
	return s.ShardIteratorFor("", shardID, typ, seq, now)
}

// ShardIteratorFor is ShardIterator for the consumer with the ID (an
// access key id; "" for none): a consumer's first iterator on the stream
// fixes the scope of its missed-changes report (consumer.go).
func (s *Stream) ShardIteratorFor(consumer, shardID, typ, seq string, now time.Time) (string, error) {
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
	if fh := s.firstHeld(sh); typ == Latest && fh != 0 {
		pos = min(pos, fh) // held records are still to come
	}
	s.notePositioned(consumer, sh, typ, pos, now)
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
	return s.ReadFor("", it, limit, maxBytes, now)
}

// ReadFor is Read for the consumer with the ID (an access key id; "" for
// none): what a page hands it is tracked for its missed-changes report,
// and the expiry of its iterator is journaled.
func (s *Stream) ReadFor(consumer, it string, limit, maxBytes int, now time.Time) (Page, error) {
	x, err := s.cfg.decodeIterator(it)
	if err != nil || x.arn != s.spec.ARN {
		return Page{}, ErrBadIterator
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if x.epoch != s.epoch || now.Sub(x.issued) > s.cfg.iteratorTTL {
		if sh := s.find(x.shard); sh != nil && consumer != "" {
			s.maintain(now)
			s.noteExpired(consumer, sh, x.pos, now, expiryDetail(x, s.epoch, s.cfg.iteratorTTL))
		}
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
	stop := s.readableEnd(sh, i)
	j, size, count := i, 0, 0
	for j < stop && fits(count, sh.recs[j].copies(), limit) && (j == i || size+int(sh.recs[j].size) <= maxBytes) {
		size += int(sh.recs[j].size)
		count += sh.recs[j].copies()
		j++
	}
	page := Page{Records: s.copyOut(sh.recs[i:j], count, sh.id)}
	if j > i {
		sh.noteDelivered(count, sh.recs[j-1].n+1)
	}
	next := x.pos
	if j > i {
		next = sh.recs[j-1].n + 1
	}
	if consumer != "" {
		s.noteRead(consumer, sh, x.pos, s.readPast(sh, j, next), sh.recs[i:j], now)
	}
	if sh.closed && j == len(sh.recs) {
		return page, nil
	}
	page.Next = s.cfg.encodeIterator(iterator{arn: s.spec.ARN, shard: sh.id, pos: next, issued: now, epoch: s.epoch})
	return page, nil
}

// readPast is how far a read that stopped at index j of sh (next being
// its next iterator position) took its reader: past the end of a closed
// shard read to its end. Must be called with s.mu held.
func (s *Stream) readPast(sh *shard, j int, next uint64) uint64 {
	if sh.closed && j == len(sh.recs) {
		return max(next, sh.end()+1)
	}
	return next
}

// expiryDetail says why the iterator x expired.
func expiryDetail(x iterator, epoch uint32, ttl time.Duration) string {
	if x.epoch != epoch {
		return "iterator at " + formatSeq(x.pos) + " expired by an admin action; the consumer must get a new one"
	}
	return "iterator at " + formatSeq(x.pos) + " issued " + x.issued.UTC().Format(time.RFC3339) +
		" outlived its " + ttl.String() + " lifetime"
}

// readableEnd is the index in sh.recs where a read starting at index i
// must stop: i while the shard is paused, else its first held record, else
// the end. Must be called with s.mu held.
func (s *Stream) readableEnd(sh *shard, i int) int {
	if sh.paused {
		return i
	}
	if fh := s.firstHeld(sh); fh != 0 {
		return max(i, sh.index(fh))
	}
	return len(sh.recs)
}

// copies is how many times a read delivers x: twice when duplicated.
func (x rec) copies() int {
	if x.dup {
		return 2
	}
	return 1
}

// fits reports whether a record delivered n times still fits a page
// holding count records of at most limit: the two copies of a duplicate
// are never split across pages, so a page that would start with one may
// carry limit+1 records.
func fits(count, n, limit int) bool {
	if count >= limit {
		return false
	}
	return count == 0 || count+n <= limit
}

// copyOut renders recs of the shard with the ID for a page of count
// records, repeating duplicates. Must be called with s.mu held.
func (s *Stream) copyOut(recs []rec, count int, shardID string) []Record {
	out := make([]Record, 0, count)
	arena := make([]byte, 0, len(recs)*idsLen) // the page's ids, in one allocation
	for i, x := range recs {
		r := s.outIn(x, shardID, arena[i*idsLen:i*idsLen])
		for range x.copies() {
			out = append(out, r)
		}
	}
	return out
}
