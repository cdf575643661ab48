package stream

import (
	"sort"
	"sync"
)

// Fates of a committed change in its stream (Change.Fate).
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

// Change is one committed change of a table with a stream, as the change
// ledger keeps it: the stream record it produced (keys and the images of
// the stream's view type, event id, sequence number and shard) and its
// fate in the stream.
type Change struct {
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

// Ledger is the bounded log of the changes committed to one table while it
// had an enabled stream: the ground truth a test compares its sink
// against, independent of stream faults and retention. Safe for
// concurrent use.
type Ledger struct {
	mu      sync.Mutex
	limit   int
	entries []Change // entries[start:] are live, in Seq order
	start   int
	next    uint64 // Seq of the next change
	evicted uint64
}

func newLedger(limit int) *Ledger { return &Ledger{limit: limit, next: 1} }

// add appends the change of r with its fate and returns its Seq (0 when
// the ledger keeps nothing).
func (l *Ledger) add(arn string, r Record, fate string) uint64 {
	if l == nil || l.limit <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	seq := l.next
	l.next++
	l.entries = append(l.entries, Change{Seq: seq, StreamARN: arn, Fate: fate, Record: r})
	if len(l.entries)-l.start > l.limit {
		l.entries[l.start] = Change{}
		l.start++
		l.evicted++
	}
	if l.start > 0 && l.start >= len(l.entries)/2 {
		l.entries = append([]Change(nil), l.entries[l.start:]...)
		l.start = 0
	}
	return seq
}

// released records that the held change with Seq seq was appended as r.
func (l *Ledger) released(seq uint64, r Record) {
	if l == nil || seq == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := l.find(seq); c != nil {
		orig := c.SequenceNumber
		c.Record = r
		c.Fate, c.OriginalSequenceNumber = FateReleased, orig
	}
}

// find returns the live change with the Seq, or nil. Must be called with
// l.mu held.
func (l *Ledger) find(seq uint64) *Change {
	live := l.entries[l.start:]
	if len(live) == 0 || seq < live[0].Seq {
		return nil
	}
	if i := int(seq - live[0].Seq); i < len(live) {
		return &live[i]
	}
	return nil
}

// LedgerPage is one page of a ledger.
type LedgerPage struct {
	Changes []Change
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
	i := sort.Search(len(live), func(i int) bool { return live[i].Seq > after })
	j := min(len(live), i+limit)
	p := LedgerPage{Changes: append([]Change(nil), live[i:j]...), Next: max(after, l.next-1),
		More: j < len(live), Evicted: l.evicted}
	if p.More {
		p.Next = live[j-1].Seq
	}
	return p
}

// byCounter returns the live changes of the stream arn by the counter
// value they have now (released ones under their new number) and the
// dropped ones in counter order.
func (l *Ledger) byCounter(arn string) (map[uint64]Change, []Change) {
	if l == nil {
		return nil, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	m := map[uint64]Change{}
	var dropped []Change
	for _, c := range l.entries[l.start:] {
		if c.StreamARN != arn {
			continue
		}
		m[c.n] = c
		if c.Fate == FateDropped {
			dropped = append(dropped, c)
		}
	}
	return m, dropped
}

// countLedgerDrops counts, for a consumer just met, the dropped records in
// its scope that the ledger still knows of. Must be called with s.mu held.
func (s *Stream) countLedgerDrops(c *consumer) {
	_, dropped := s.ledger.byCounter(s.spec.ARN)
	for _, d := range dropped {
		if d.n >= c.since {
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
