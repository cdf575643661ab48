package client

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

// Streams and shards: GET /_admin/streams[/{table}] and the shard actions
// under POST /_admin/streams/{table}/...

// Stream is the admin view of one stream.
type Stream struct {
	StreamArn      string     `json:"streamArn"`
	StreamLabel    string     `json:"streamLabel"`
	TableName      string     `json:"tableName"`
	StreamStatus   string     `json:"streamStatus"` // ENABLED or DISABLED
	StreamViewType string     `json:"streamViewType"`
	Created        time.Time  `json:"created"`
	Disabled       *time.Time `json:"disabled,omitempty"`
	Shards         []Shard    `json:"shards"`
}

// Shard is the admin view of one shard.
type Shard struct {
	ShardID                string `json:"shardId"`
	ParentShardID          string `json:"parentShardId,omitempty"`
	Open                   bool   `json:"open"`
	StartingHashKey        string `json:"startingHashKey"`
	EndingHashKey          string `json:"endingHashKey"`
	StartingSequenceNumber string `json:"startingSequenceNumber"`
	EndingSequenceNumber   string `json:"endingSequenceNumber,omitempty"`
	// TrimHorizon is the sequence number of the oldest readable record.
	TrimHorizon string `json:"trimHorizon,omitempty"`
	// Records counts the readable records; Trimmed those trimmed so far.
	Records int `json:"records"`
	Trimmed int `json:"trimmed"`
	// Held counts records a delay or reorder rule holds back.
	Held int `json:"held,omitempty"`
	// Paused reports a shard paused through the admin API.
	Paused  bool      `json:"paused,omitempty"`
	Created time.Time `json:"created"`
	// NewestRecordAge is the clock age of the newest readable record.
	NewestRecordAge *time.Duration `json:"newestRecordAgeNanos,omitempty"`
}

// OpenShards returns the IDs of s's open shards, in creation order.
func (s Stream) OpenShards() []string {
	var ids []string
	for _, sh := range s.Shards {
		if sh.Open {
			ids = append(ids, sh.ShardID)
		}
	}
	return ids
}

// ShardChildren is the answer of a rollover or a split.
type ShardChildren struct {
	Closed   string   `json:"closed"`   // the shard that was closed
	Children []string `json:"children"` // the shards opened in its place
	// JournalSeq is the seq of the action's journal entry.
	JournalSeq uint64 `json:"journalSeq"`
}

// shardAction is the answer of a pause, resume, trim or iterator expiry.
type shardAction struct {
	JournalSeq uint64 `json:"journalSeq"`
}

// TrimOptions say which records Trim removes. The zero value trims every
// record.
type TrimOptions struct {
	// OlderThan trims the records at least this old in clock time.
	OlderThan time.Duration
	// Before trims the records with a sequence number below this one.
	Before string
}

// streamsList is the answer of GET /_admin/streams[/{table}].
type streamsList struct {
	Streams []Stream `json:"streams"`
}

// Streams returns every live stream (enabled, or disabled and still
// readable), ordered by ARN.
func (c *Client) Streams(ctx context.Context) ([]Stream, error) {
	var out streamsList
	if err := c.do(ctx, http.MethodGet, "/streams", nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Streams, nil
}

// Stream returns the streams of one table (the enabled one, and a disabled
// one while it is readable); a table without a stream is an *Error with
// status 404.
func (c *Client) Stream(ctx context.Context, table string) ([]Stream, error) {
	var out streamsList
	if err := c.do(ctx, http.MethodGet, "/streams/"+pathEscape(table), nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Streams, nil
}

// Rollover closes an open shard of the table's stream and opens a child
// over the same hash range.
func (c *Client) Rollover(ctx context.Context, table, shard string) (ShardChildren, error) {
	var out ShardChildren
	err := c.do(ctx, http.MethodPost, shardPath(table, shard, "rollover"), nil, nil, &out)
	return out, err
}

// Split closes an open shard of the table's stream and opens two children
// over the halves of its hash range.
func (c *Client) Split(ctx context.Context, table, shard string) (ShardChildren, error) {
	var out ShardChildren
	err := c.do(ctx, http.MethodPost, shardPath(table, shard, "split"), nil, nil, &out)
	return out, err
}

// Pause stalls a shard: GetRecords answers empty pages with valid
// iterators while writes keep landing, until Resume. It returns the seq of
// the action's journal entry.
func (c *Client) Pause(ctx context.Context, table, shard string) (uint64, error) {
	var out shardAction
	err := c.do(ctx, http.MethodPost, shardPath(table, shard, "pause"), nil, nil, &out)
	return out.JournalSeq, err
}

// Resume ends a Pause; the backlog is delivered in order. It returns the
// seq of the action's journal entry.
func (c *Client) Resume(ctx context.Context, table, shard string) (uint64, error) {
	var out shardAction
	err := c.do(ctx, http.MethodPost, shardPath(table, shard, "resume"), nil, nil, &out)
	return out.JournalSeq, err
}

// ShardForKey returns the ID of the open shard of the table's enabled
// stream that receives the records of the item with the given key:
// attribute name -> value as text (strings as they are, numbers in
// decimal, binaries in base64). The partition key is required and decides
// the shard.
func (c *Client) ShardForKey(ctx context.Context, table string, key map[string]string) (string, error) {
	q := url.Values{}
	for name, v := range key {
		q.Set(name, v)
	}
	var out struct {
		ShardID string `json:"shardId"`
	}
	err := c.do(ctx, http.MethodGet, "/streams/"+pathEscape(table)+"/shard", q, nil, &out)
	return out.ShardID, err
}

// SetShardCount sets the number of open shards (hash-range partitions) of
// the table's stream.
func (c *Client) SetShardCount(ctx context.Context, table string, count int) error {
	body := map[string]int{"count": count}
	return c.do(ctx, http.MethodPost, "/streams/"+pathEscape(table)+"/shards", nil, body, nil)
}

// Trim removes records from the table's stream as retention would: those
// older than opt.OlderThan, or before the sequence number opt.Before, or
// every record for the zero TrimOptions. It returns the seq of the
// action's journal entry.
func (c *Client) Trim(ctx context.Context, table string, opt TrimOptions) (uint64, error) {
	body := map[string]string{}
	if opt.OlderThan > 0 {
		body["olderThan"] = opt.OlderThan.String()
	}
	if opt.Before != "" {
		body["before"] = opt.Before
	}
	var out shardAction
	err := c.do(ctx, http.MethodPost, "/streams/"+pathEscape(table)+"/trim", nil, body, &out)
	return out.JournalSeq, err
}

// ExpireIterators makes every shard iterator of the table's stream issued
// so far fail with ExpiredIteratorException. It returns the seq of the
// action's journal entry.
func (c *Client) ExpireIterators(ctx context.Context, table string) (uint64, error) {
	var out shardAction
	err := c.do(ctx, http.MethodPost, "/streams/"+pathEscape(table)+"/iterators/expire", nil, nil, &out)
	return out.JournalSeq, err
}

// shardPath is the path of a shard action.
func shardPath(table, shard, action string) string {
	return "/streams/" + pathEscape(table) + "/shards/" + pathEscape(shard) + "/" + action
}
