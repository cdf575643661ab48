package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/stream"
)

// The consumer oracle for the admin API: what each consumer of each stream
// was handed and what it missed (stream/consumer*.go), and the change
// ledger of each table (stream/ledger.go).

// ConsumerStatus is the admin view of one consumer over every stream it
// read.
type ConsumerStatus struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Kind is "reader" (identified by its access key id) or "mapping" (an
	// event source mapping's UUID).
	Kind string `json:"kind"`
	// Missed counts, by reason, the records it did not receive, over its
	// streams: dropped, trimmed, skipped, unread, discarded (lost for good)
	// and pending (still to read).
	Missed map[string]int `json:"missed"`
	// LagSeconds is the largest lag of its shards.
	LagSeconds float64          `json:"lagSeconds"`
	Streams    []ConsumerStream `json:"streams"`
}

// ConsumerStream is a consumer's state in one stream.
type ConsumerStream struct {
	StreamArn string    `json:"streamArn"`
	TableName string    `json:"tableName"`
	First     time.Time `json:"firstContact"`
	Last      time.Time `json:"lastContact"`
	// Since is the sequence number its scope starts at.
	Since           string          `json:"since"`
	Missed          map[string]int  `json:"missed"`
	Duplicates      uint64          `json:"duplicates"`
	OrderViolations uint64          `json:"orderViolations"`
	LagSeconds      float64         `json:"lagSeconds"`
	Shards          []ConsumerShard `json:"shards"`
}

// ConsumerShard is a consumer's state in one shard.
type ConsumerShard struct {
	ShardId       string `json:"shardId"`
	ParentShardId string `json:"parentShardId,omitempty"`
	Open          bool   `json:"open"`
	// Position is the sequence number of the next record it would read;
	// absent before its first read.
	Position   string         `json:"position,omitempty"`
	LagSeconds float64        `json:"lagSeconds"`
	Missed     map[string]int `json:"missed"`
}

// Consumers returns every consumer of every live stream, by ID.
func (e *Engine) Consumers() []ConsumerStatus {
	now := e.clock.Now()
	byID := map[string]*ConsumerStatus{}
	var ids []string
	for _, s := range e.streams.reg.List("") {
		for _, in := range s.ConsumerInfos(now) {
			c := byID[in.ID]
			if c == nil {
				c = &ConsumerStatus{ID: in.ID, Kind: in.Kind, Missed: map[string]int{}, Streams: []ConsumerStream{}}
				byID[in.ID] = c
				ids = append(ids, in.ID)
			}
			cs := consumerStreamOf(in)
			for reason, n := range cs.Missed {
				c.Missed[reason] += n
			}
			c.LagSeconds = max(c.LagSeconds, cs.LagSeconds)
			c.Streams = append(c.Streams, cs)
		}
	}
	slices.Sort(ids)
	out := make([]ConsumerStatus, 0, len(ids))
	for _, id := range ids {
		c := byID[id]
		c.Name = e.streams.reg.ConsumerName(id)
		out = append(out, *c)
	}
	return out
}

// ResolveConsumer returns the ID of the consumer a reference names: the
// consumer a name was given to, else the reference itself.
func (e *Engine) ResolveConsumer(ref string) string { return e.streams.reg.ResolveConsumer(ref) }

// Consumer returns the consumer with the ID (or the name given to it):
// ResourceNotFound when no live stream knows it.
func (e *Engine) Consumer(id string) (ConsumerStatus, error) {
	id = e.streams.reg.ResolveConsumer(id)
	for _, c := range e.Consumers() {
		if c.ID == id {
			return c, nil
		}
	}
	return ConsumerStatus{}, errConsumerUnknown(id)
}

func consumerStreamOf(in stream.ConsumerInfo) ConsumerStream {
	cs := ConsumerStream{
		StreamArn: in.StreamARN, TableName: in.Table, First: in.First, Last: in.Last, Since: in.Since,
		Missed: in.Missed, Duplicates: in.Duplicates, OrderViolations: in.OrderViolations,
		LagSeconds: in.Lag.Seconds(), Shards: make([]ConsumerShard, len(in.Shards)),
	}
	for i, sh := range in.Shards {
		cs.Shards[i] = ConsumerShard{ShardId: sh.ShardID, ParentShardId: sh.Parent, Open: sh.Open,
			Position: sh.Position, LagSeconds: sh.Lag.Seconds(), Missed: sh.Missed}
	}
	return cs
}

// MissedQuery selects a page of a consumer's missed records.
type MissedQuery struct {
	Consumer string   // an ID or the name given to it
	Table    string   // only this table's streams ("" for all)
	Reasons  []string // only these reasons (none: all)
	After    string   // the cursor: Next of the previous page
	Limit    int      // default 100, at most 1000
}

// MissedChange is one record a consumer did not receive, or a run of
// records the change ledger no longer details (Count > 1).
type MissedChange struct {
	StreamArn      string    `json:"streamArn"`
	TableName      string    `json:"tableName"`
	ShardId        string    `json:"shardId"`
	Reason         string    `json:"reason"`
	SequenceNumber string    `json:"sequenceNumber"`
	EventID        string    `json:"eventId,omitempty"`
	EventName      string    `json:"eventName,omitempty"`
	Keys           attr.Item `json:"keys,omitempty"`
	// ApproximateCreationDateTime is when the change was committed.
	ApproximateCreationDateTime *time.Time `json:"approximateCreationDateTime,omitempty"`
	// LostAt is when it was lost for good (trimmed, discarded); absent for
	// records still stored.
	LostAt *time.Time `json:"lostAt,omitempty"`
	// Count is 1, or for a run without details how many records it stands
	// for, up to LastSequenceNumber.
	Count              int    `json:"count"`
	LastSequenceNumber string `json:"lastSequenceNumber,omitempty"`
	// JournalSeq is the journal entry of the fault that dropped it (set by
	// the admin layer).
	JournalSeq uint64 `json:"journalSeq,omitempty"`
}

// MissedPage is one page of a consumer's missed records, in stream, shard
// and sequence order.
type MissedPage struct {
	Consumer string         `json:"consumer"`
	Name     string         `json:"name,omitempty"`
	Changes  []MissedChange `json:"changes"`
	// Next is the cursor of the following page; absent on the last page.
	Next string `json:"next,omitempty"`
}

// Missed limits.
const (
	defaultMissedLimit = 100
	maxMissedLimit     = 1000
)

// errConsumerUnknown is the ResourceNotFound for a consumer no stream knows.
func errConsumerUnknown(id string) error {
	return NewError(ResourceNotFound, "no stream knows a consumer "+id)
}

// Missed returns one page of the records the consumer q names did not
// receive: ResourceNotFound when no live stream knows the consumer, an
// empty page when only streams q.Table leaves out know it.
func (e *Engine) Missed(q MissedQuery) (MissedPage, error) {
	id := e.streams.reg.ResolveConsumer(q.Consumer)
	limit := q.Limit
	if limit <= 0 {
		limit = defaultMissedLimit
	}
	limit = min(limit, maxMissedLimit)
	p := MissedPage{Consumer: id, Name: e.streams.reg.ConsumerName(id), Changes: []MissedChange{}}
	known := false
	now := e.clock.Now()
	for _, s := range e.streams.reg.List("") {
		if (q.Table != "" && s.Table() != q.Table) || (q.After != "" && s.ARN() < cursorARN(q.After)) {
			// A consumer known on a stream left out still gets its
			// (possibly empty) page.
			known = known || s.HasConsumer(id)
			continue
		}
		full := false
		ok := s.Missed(id, now, func(m stream.MissedRecord) bool {
			if len(q.Reasons) > 0 && !slices.Contains(q.Reasons, m.Reason) {
				return true
			}
			cur := missedCursor(m)
			if q.After != "" && cur <= q.After {
				return true
			}
			if len(p.Changes) == limit {
				full = true
				return false
			}
			p.Changes = append(p.Changes, missedChangeOf(m))
			p.Next = cur
			return true
		})
		known = known || ok
		if full {
			return p, nil
		}
	}
	if !known {
		return MissedPage{}, errConsumerUnknown(id)
	}
	p.Next = ""
	return p, nil
}

// missedCursor orders missed records across streams: stream ARN, shard ID
// (creation order) and sequence number, each fixed-width per stream.
func missedCursor(m stream.MissedRecord) string {
	return m.StreamARN + "|" + m.ShardID + "|" + m.SequenceNumber
}

// cursorARN is the stream ARN a cursor starts with.
func cursorARN(cur string) string {
	arn, _, _ := strings.Cut(cur, "|")
	return arn
}

func missedChangeOf(m stream.MissedRecord) MissedChange {
	c := MissedChange{
		StreamArn: m.StreamARN, TableName: m.Table, ShardId: m.ShardID, Reason: m.Reason,
		SequenceNumber: m.SequenceNumber, EventID: m.EventID, EventName: m.EventName, Keys: m.KeysItem(),
		Count: m.Count, LastSequenceNumber: m.LastSequenceNumber,
	}
	if !m.Created.IsZero() {
		t := m.Created
		c.ApproximateCreationDateTime = &t
	}
	if !m.LostAt.IsZero() {
		t := m.LostAt
		c.LostAt = &t
	}
	return c
}

// SetConsumerName gives the consumer with the ID (an access key id or a
// mapping UUID) a name for the reports; "" removes it.
func (e *Engine) SetConsumerName(id, name string) error {
	if id == "" {
		return NewError(Validation, "a consumer id must not be empty")
	}
	return e.streams.reg.SetConsumerName(id, name)
}

// ForgetConsumer stops tracking the consumer with the ID (or name) on
// every stream and drops its name.
func (e *Engine) ForgetConsumer(id string) error {
	id = e.streams.reg.ResolveConsumer(id)
	if _, err := e.Consumer(id); err != nil && e.streams.reg.ConsumerName(id) == "" {
		return err
	}
	e.streams.reg.ForgetConsumer(id)
	return nil
}

// ResetConsumers forgets every consumer and every consumer name (the
// admin reset).
func (e *Engine) ResetConsumers() { e.streams.reg.ResetConsumers() }

// Change is one entry of a table's change ledger.
type Change struct {
	Seq            uint64    `json:"seq"`
	TableName      string    `json:"tableName"`
	StreamArn      string    `json:"streamArn"`
	EventID        string    `json:"eventId"`
	EventName      string    `json:"eventName"`
	Keys           attr.Item `json:"keys"`
	NewImage       attr.Item `json:"newImage,omitempty"`
	OldImage       attr.Item `json:"oldImage,omitempty"`
	SequenceNumber string    `json:"sequenceNumber"`
	ShardId        string    `json:"shardId"`
	// Fate is stored, dropped (by a stream fault), held (delayed, not yet
	// appended) or released (appended late, renumbered).
	Fate                        string    `json:"fate"`
	OriginalSequenceNumber      string    `json:"originalSequenceNumber,omitempty"`
	ApproximateCreationDateTime time.Time `json:"approximateCreationDateTime"`
}

// ChangesPage is one page of a table's change ledger.
type ChangesPage struct {
	TableName string   `json:"tableName"`
	Changes   []Change `json:"changes"`
	// Next is the after of the following page; when More is false it is
	// the newest change's seq, so polling from it returns new changes.
	Next    uint64 `json:"next"`
	More    bool   `json:"more"`
	Evicted uint64 `json:"evicted"`
}

// Changes returns up to limit changes of the table's ledger after the
// ledger seq after. ResourceNotFound when the table never had a stream
// (or the ledger is off).
func (e *Engine) Changes(table string, after uint64, limit int) (ChangesPage, error) {
	l := e.streams.reg.Ledger(table)
	if l == nil {
		return ChangesPage{}, NewError(ResourceNotFound, "no change ledger for table "+table+
			": it never had an enabled stream, or the ledger is off")
	}
	if limit <= 0 {
		limit = defaultMissedLimit
	}
	p := l.Page(after, min(limit, maxMissedLimit))
	out := ChangesPage{TableName: table, Changes: make([]Change, len(p.Changes)), Next: p.Next, More: p.More,
		Evicted: p.Evicted}
	for i, c := range p.Changes {
		out.Changes[i] = Change{
			Seq: c.Seq, TableName: table, StreamArn: c.StreamARN, EventID: c.EventID, EventName: c.EventName,
			Keys: c.KeysItem(), NewImage: c.NewItem(), OldImage: c.OldItem(), SequenceNumber: c.SequenceNumber,
			ShardId: c.ShardID, Fate: c.Fate, OriginalSequenceNumber: c.OriginalSequenceNumber,
			ApproximateCreationDateTime: c.Created,
		}
	}
	return out, nil
}

// LedgerTables lists the tables with a change ledger.
func (e *Engine) LedgerTables() []string { return e.streams.reg.LedgerTables() }
