package engine

import (
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// Snapshots for the metrics collector. They are read at scrape time only,
// so the request path pays nothing for them.

// TableStat is the size of one table.
type TableStat struct {
	Name  string
	Items int64 // ItemCount, exact (DynamoDB refreshes it every ~6 h)
	Bytes int64 // TableSizeBytes, exact
}

// TableStats returns the size of every table, by name. Each table is read
// under its read lock, one table at a time.
func (e *Engine) TableStats() []TableStat {
	names := e.catalog.Names()
	out := make([]TableStat, 0, len(names))
	for _, name := range names {
		t := e.catalog.Table(name)
		if t == nil { // dropped meanwhile
			continue
		}
		st := TableStat{Name: name}
		_ = t.View(func(tx *store.Tx) error {
			st.Items, st.Bytes = tx.ItemCount(), tx.SizeBytes()
			return nil
		})
		out = append(out, st)
	}
	return out
}

// ShardStat is the delivery state of one listed shard of a live stream.
type ShardStat struct {
	Table, StreamLabel, ShardID string
	Open                        bool
	Records                     int // readable records
	Held                        int // records held back by stream faults
	// Appended, Delivered, Dropped and Delayed count records since the
	// shard opened: appended to it, returned by GetRecords (each consumer
	// counted), dropped or delayed by stream faults.
	Appended, Delivered, Dropped, Delayed uint64
	// NewestAge is the clock age of the newest readable record and
	// OldestUndeliveredAge that of the oldest record no GetRecords has
	// returned yet; each is -1 when there is no such record.
	NewestAge, OldestUndeliveredAge time.Duration
}

// ShardStats returns the shards of every live stream, ordered by stream ARN
// and then shard creation, as of the clock's now.
func (e *Engine) ShardStats() []ShardStat {
	now := e.clock.Now()
	var out []ShardStat
	for _, s := range e.streams.reg.List("") {
		in := s.Describe(now)
		for _, sh := range in.Shards {
			c := sh.Counters
			out = append(out, ShardStat{
				Table: in.Table, StreamLabel: in.Label, ShardID: sh.ID, Open: sh.Open, Records: sh.Records, Held: sh.Held,
				Appended: c.Appended, Delivered: c.Delivered, Dropped: c.Dropped, Delayed: c.Delayed,
				NewestAge: ageSince(now, sh.Newest), OldestUndeliveredAge: ageSince(now, c.OldestUndelivered),
			})
		}
	}
	return out
}

// ageSince is now-t, or -1 for a zero t.
func ageSince(now, t time.Time) time.Duration {
	if t.IsZero() {
		return -1
	}
	return now.Sub(t)
}
