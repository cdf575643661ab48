package stream

import (
	"sort"
	"sync"
)

// Fates of a committed change in its stream (LedgerChange.Fate).
const (
	// FateStored: the record was appended to its shard.
	FateStored = "stored"
	// FateDropped: a stream fault dropped the record; no reader can
	// receive it.
	FateDropped = "dropped"
	// FateHeld: a stream fault took the record out of the sequence (a
	// delay, or waiting behind one); it will be appended with a new
	// sequence number at its release.
	FateHeld = "held"
	// FateReleased: a held record was appended at its release, with the
	// sequence number and shard the change now shows.
	FateReleased = "released"
)

// DefaultLedgerSize is how many changes a table's ledger keeps by default.
const DefaultLedgerSize = 100_000

// LedgerChange is one committed change of a table with a stream, as the
// ledger keeps it: the stream record it produced (keys and the images of
// the stream's view type, event id, sequence number and shard) and its
// fate in the stream.
type LedgerChange struct {
	// Seq numbers the table's changes from 1, increasing; it is the
	// paging cursor of the ledger.
	Seq       uint64
	StreamARN string
	Fate      string
	// OriginalSequenceNumber is where a released record was first
	// numbered; Record.SequenceNumber is its place now.
	OriginalSequenceNumber string
	Record
}

// ledgerEntry is a change as the ledger keeps it: the record in the
// stream's compact form, rendered when read.
type ledgerEntry struct {
	seq   uint64
	s     *Stream // its stream (immutable parts only: ARN, event id salt)
	shard string
	fate  string
	orig  uint64 // the first counter value of a released record
	x     rec
}

// change renders e.
func (e ledgerEntry) change() LedgerChange {
	c := LedgerChange{Seq: e.seq, StreamARN: e.s.spec.ARN, Fate: e.fate, Record: e.s.out(e.x, e.shard)}
	if e.orig != 0 {
		c.OriginalSequenceNumber = formatSeq(e.orig)
	}
	return c
}

// Ledger is the bounded log of the changes committed to one table while it
// had an enabled stream: the ground truth a test compares its sink
// against, independent of stream faults and retention. Safe for
// concurrent use.
type Ledger struct {
	mu      sync.Mutex
	limit   int
	entries []ledgerEntry // entries[start:] are live, in seq order
	start   int
	next    uint64 // seq of the next change
	evicted uint64
}

func newLedger(limit int) *Ledger { return &Ledger{limit: limit, next: 1} }

// add appends the change of x, numbered for the shard of s, with its fate
// and returns its seq (0 when there is no ledger).
func (l *Ledger) add(s *Stream, shard string, x rec, fate string) uint64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	seq := l.next
	l.next++
	l.entries = append(l.entries, ledgerEntry{seq: seq, s: s, shard: shard, fate: fate, x: x})
	if len(l.entries)-l.start > l.limit {
		l.entries[l.start] = ledgerEntry{}
		l.start++
		l.evicted++
	}
	if l.start > 0 && l.start >= len(l.entries)/2 {
		l.entries = append([]ledgerEntry(nil), l.entries[l.start:]...)
		l.start = 0
	}
	return seq
}

// released records that the held change with the seq was appended to the
// shard as x (a new counter value).
func (l *Ledger) released(seq uint64, shard string, x rec) {
	if l == nil || seq == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e := l.find(seq); e != nil {
		e.orig, e.x, e.shard, e.fate = e.x.n, x, shard, FateReleased
	}
}

// find returns the live entry with the seq, or nil. Must be called with
// l.mu held.
func (l *Ledger) find(seq uint64) *ledgerEntry {
	live := l.entries[l.start:]
	if len(live) == 0 || seq < live[0].seq {
		return nil
	}
	if i := int(seq - live[0].seq); i < len(live) {
		return &live[i]
	}
	return nil
}

// LedgerPage is one page of a ledger.
type LedgerPage struct {
	Changes []LedgerChange
	// Next is the After of the following page; when More is false it is
	// the newest change's Seq, so polling from it returns new changes.
	Next    uint64
	More    bool
	Evicted uint64 // changes dropped so far to keep the ledger bounded
}

// Page returns up to limit changes after the Seq after, oldest first.
func (l *Ledger) Page(after uint64, limit int) LedgerPage {
	l.mu.Lock()
	defer l.mu.Unlock()
	live := l.entries[l.start:]
	i := sort.Search(len(live), func(i int) bool { return live[i].seq > after })
	j := min(len(live), i+limit)
	p := LedgerPage{Changes: make([]LedgerChange, 0, j-i), Next: max(after, l.next-1), More: j < len(live),
		Evicted: l.evicted}
	for _, e := range live[i:j] {
		p.Changes = append(p.Changes, e.change())
	}
	if p.More {
		p.Next = live[j-1].seq
	}
	return p
}

// byCounter returns the live entries of the stream s by the counter value
// they have now (released ones under their new number), and the dropped
// ones in counter order.
func (l *Ledger) byCounter(s *Stream) (map[uint64]ledgerEntry, []ledgerEntry) {
	if l == nil {
		return nil, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	m := map[uint64]ledgerEntry{}
	var dropped []ledgerEntry
	for _, e := range l.entries[l.start:] {
		if e.s != s {
			continue
		}
		m[e.x.n] = e
		if e.fate == FateDropped {
			dropped = append(dropped, e)
		}
	}
	return m, dropped
}

// countLedgerDrops counts, for a consumer just met, the dropped records in
// its scope that the ledger still knows of. Must be called with s.mu held.
func (s *Stream) countLedgerDrops(c *consumer) {
	l := s.ledger
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.entries[l.start:] {
		if e.s == s && e.fate == FateDropped && e.x.n >= c.since {
			c.lost[LossDropped]++
		}
	}
}

// Ledger returns the change ledger of the table (nil when the registry
// keeps none). It outlives the table's streams: a stream disabled and
// enabled again, or a table deleted and created again, continues it.
func (r *Registry) Ledger(table string) *Ledger {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.ledgers[table]
}

// ledgerFor returns the table's ledger, created on first use. Must be
// called with r.mu held for writing.
func (r *Registry) ledgerFor(table string) *Ledger {
	if r.ledgerSize <= 0 {
		return nil
	}
	l := r.ledgers[table]
	if l == nil {
		l = newLedger(r.ledgerSize)
		r.ledgers[table] = l
	}
	return l
}

// LedgerTables returns the names of the tables with a ledger, sorted.
func (r *Registry) LedgerTables() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.ledgers))
	for t := range r.ledgers {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
