package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The consumer oracle: GET /_admin/consumers[/{id}[/missed]],
// PUT|DELETE /_admin/consumers/{id} and GET /_admin/changes.

// Reasons a consumer did not receive a change (MissedChange.Reason).
const (
	MissedDropped   = "dropped"   // a stream fault dropped it
	MissedTrimmed   = "trimmed"   // retention or a trim removed it before the consumer read it
	MissedSkipped   = "skipped"   // the consumer read past it without receiving it
	MissedUnread    = "unread"    // in a closed shard or child the consumer never read
	MissedDiscarded = "discarded" // an event source mapping gave up on it
	MissedPending   = "pending"   // still in the stream, not yet read: lag, not loss
)

// Consumer is a consumer's state over every stream it read.
type Consumer struct {
	ID         string           `json:"id"`
	Name       string           `json:"name,omitempty"`
	Kind       string           `json:"kind"` // "reader" or "mapping"
	Missed     map[string]int   `json:"missed"`
	LagSeconds float64          `json:"lagSeconds"`
	Streams    []ConsumerStream `json:"streams"`
}

// Lost counts the changes it lost for good (every reason but pending).
func (c Consumer) Lost() int {
	n := 0
	for reason, k := range c.Missed {
		if reason != MissedPending {
			n += k
		}
	}
	return n
}

// ConsumerStream is a consumer's state in one stream.
type ConsumerStream struct {
	StreamArn       string          `json:"streamArn"`
	TableName       string          `json:"tableName"`
	FirstContact    time.Time       `json:"firstContact"`
	LastContact     time.Time       `json:"lastContact"`
	Since           string          `json:"since"`
	Missed          map[string]int  `json:"missed"`
	Duplicates      uint64          `json:"duplicates"`
	OrderViolations uint64          `json:"orderViolations"`
	LagSeconds      float64         `json:"lagSeconds"`
	Shards          []ConsumerShard `json:"shards"`
}

// ConsumerShard is a consumer's state in one shard.
type ConsumerShard struct {
	ShardID       string         `json:"shardId"`
	ParentShardID string         `json:"parentShardId,omitempty"`
	Open          bool           `json:"open"`
	Position      string         `json:"position,omitempty"`
	LagSeconds    float64        `json:"lagSeconds"`
	Missed        map[string]int `json:"missed"`
}

// MissedChange is one change a consumer did not receive (or, with Count
// > 1, a run of them whose details the change ledger no longer holds).
type MissedChange struct {
	StreamArn                   string     `json:"streamArn"`
	TableName                   string     `json:"tableName"`
	ShardID                     string     `json:"shardId"`
	Reason                      string     `json:"reason"`
	SequenceNumber              string     `json:"sequenceNumber"`
	EventID                     string     `json:"eventId,omitempty"`
	EventName                   string     `json:"eventName,omitempty"`
	Keys                        Item       `json:"keys,omitempty"`
	ApproximateCreationDateTime *time.Time `json:"approximateCreationDateTime,omitempty"`
	LostAt                      *time.Time `json:"lostAt,omitempty"`
	Count                       int        `json:"count"`
	LastSequenceNumber          string     `json:"lastSequenceNumber,omitempty"`
	JournalSeq                  uint64     `json:"journalSeq,omitempty"`
}

// String renders m on one line, e.g. "pk=ORDER#7 MODIFY seq 4000…17 in
// shardId-… trimmed at 2026-12-07T10:00:00Z".
func (m MissedChange) String() string {
	var b strings.Builder
	if len(m.Keys) > 0 {
		b.WriteString(m.Keys.String() + " ")
	}
	if m.EventName != "" {
		b.WriteString(m.EventName + " ")
	}
	b.WriteString("seq " + m.SequenceNumber)
	if m.Count > 1 {
		b.WriteString(" to " + m.LastSequenceNumber + " (" + strconv.Itoa(m.Count) + " changes)")
	}
	b.WriteString(" in " + m.TableName + " " + m.ShardID + " " + m.Reason)
	if m.LostAt != nil {
		b.WriteString(" at " + m.LostAt.UTC().Format(time.RFC3339))
	}
	if m.JournalSeq != 0 {
		b.WriteString(" (journal #" + strconv.FormatUint(m.JournalSeq, 10) + ")")
	}
	return b.String()
}

// Item is an item or key in DynamoDB's AttributeValue JSON.
type Item map[string]map[string]any

// String renders the attributes sorted by name, "pk=ORDER#7 sk=3".
func (it Item) String() string {
	names := make([]string, 0, len(it))
	for n := range it {
		names = append(names, n)
	}
	slices.Sort(names)
	parts := make([]string, len(names))
	for i, n := range names {
		v := ""
		for _, x := range it[n] {
			v = fmt.Sprint(x)
		}
		parts[i] = n + "=" + v
	}
	return strings.Join(parts, " ")
}

// MissedQuery selects a page of a consumer's missed changes.
type MissedQuery struct {
	Table   string   // only this table ("" for all)
	Reasons []string // only these reasons (none: all)
	After   string   // the cursor: Next of the previous page
	Limit   int      // page size (server default 100, at most 1000)
}

// MissedPage is one page of a consumer's missed changes.
type MissedPage struct {
	Consumer string         `json:"consumer"`
	Name     string         `json:"name,omitempty"`
	Changes  []MissedChange `json:"changes"`
	Next     string         `json:"next,omitempty"` // absent on the last page
}

// Consumers lists every consumer of every live stream.
func (c *Client) Consumers(ctx context.Context) ([]Consumer, error) {
	var out struct {
		Consumers []Consumer `json:"consumers"`
	}
	err := c.do(ctx, http.MethodGet, "/consumers", nil, nil, &out)
	return out.Consumers, err
}

// Consumer returns one consumer by ID (an access key id or a mapping
// UUID) or by the name given to it.
func (c *Client) Consumer(ctx context.Context, id string) (Consumer, error) {
	var out Consumer
	err := c.do(ctx, http.MethodGet, "/consumers/"+url.PathEscape(id), nil, nil, &out)
	return out, err
}

// NameConsumer gives the consumer with the ID a name for the reports (""
// removes it); the name can then stand for the ID.
func (c *Client) NameConsumer(ctx context.Context, id, name string) error {
	return c.do(ctx, http.MethodPut, "/consumers/"+url.PathEscape(id), nil, map[string]string{"name": name}, nil)
}

// ForgetConsumer stops tracking the consumer: its next request starts a
// new report.
func (c *Client) ForgetConsumer(ctx context.Context, id string) error {
	return c.do(ctx, http.MethodDelete, "/consumers/"+url.PathEscape(id), nil, nil, nil)
}

// Missed returns one page of the changes the consumer did not receive.
func (c *Client) Missed(ctx context.Context, id string, q MissedQuery) (MissedPage, error) {
	v := url.Values{}
	if q.Table != "" {
		v.Set("table", q.Table)
	}
	if len(q.Reasons) > 0 {
		v.Set("reason", strings.Join(q.Reasons, ","))
	}
	if q.After != "" {
		v.Set("after", q.After)
	}
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	var p MissedPage
	err := c.do(ctx, http.MethodGet, "/consumers/"+url.PathEscape(id)+"/missed", v, nil, &p)
	return p, err
}

// MissedAll reads every page of the consumer's missed changes.
func (c *Client) MissedAll(ctx context.Context, id string, q MissedQuery) ([]MissedChange, error) {
	var all []MissedChange
	for {
		p, err := c.Missed(ctx, id, q)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Changes...)
		if p.Next == "" {
			return all, nil
		}
		q.After = p.Next
	}
}

// Change is one committed change of a table's change ledger.
type Change struct {
	Seq                         uint64    `json:"seq"`
	TableName                   string    `json:"tableName"`
	StreamArn                   string    `json:"streamArn"`
	EventID                     string    `json:"eventId"`
	EventName                   string    `json:"eventName"`
	Keys                        Item      `json:"keys"`
	NewImage                    Item      `json:"newImage,omitempty"`
	OldImage                    Item      `json:"oldImage,omitempty"`
	SequenceNumber              string    `json:"sequenceNumber"`
	ShardID                     string    `json:"shardId"`
	Fate                        string    `json:"fate"` // stored, dropped, held or released
	OriginalSequenceNumber      string    `json:"originalSequenceNumber,omitempty"`
	ApproximateCreationDateTime time.Time `json:"approximateCreationDateTime"`
}

// ChangesPage is one page of a table's change ledger.
type ChangesPage struct {
	TableName string   `json:"tableName"`
	Changes   []Change `json:"changes"`
	Next      uint64   `json:"next"`
	More      bool     `json:"more"`
	Evicted   uint64   `json:"evicted"`
}

// Changes returns up to limit changes of the table's ledger after the
// ledger seq after (limit 0: the server's default).
func (c *Client) Changes(ctx context.Context, table string, after uint64, limit int) (ChangesPage, error) {
	v := url.Values{"table": {table}}
	if after > 0 {
		v.Set("after", strconv.FormatUint(after, 10))
	}
	if limit > 0 {
		v.Set("limit", strconv.Itoa(limit))
	}
	var p ChangesPage
	err := c.do(ctx, http.MethodGet, "/changes", v, nil, &p)
	return p, err
}

// LedgerTables lists the tables that have a change ledger (GET
// /_admin/changes without a table).
func (c *Client) LedgerTables(ctx context.Context) ([]string, error) {
	var out struct {
		Tables []string `json:"tables"`
	}
	err := c.do(ctx, http.MethodGet, "/changes", nil, nil, &out)
	return out.Tables, err
}

// ChangesAll reads the table's ledger from after to its end.
func (c *Client) ChangesAll(ctx context.Context, table string, after uint64) ([]Change, error) {
	var all []Change
	for {
		p, err := c.Changes(ctx, table, after, 1000)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Changes...)
		if !p.More {
			return all, nil
		}
		after = p.Next
	}
}
