package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// CapacityState is the answer of GET and PUT /_admin/capacity.
type CapacityState struct {
	// Enabled is the emulator-wide enforcement setting.
	Enabled bool             `json:"enabled"`
	Tables  []CapacityStatus `json:"tables"`
}

// CapacityConfig is a table's enforcement setting.
type CapacityConfig struct {
	// Enabled switches enforcement on or off for the table; nil follows
	// the emulator-wide setting.
	Enabled *bool `json:"enabled,omitempty"`
	// BurstSeconds is how many seconds of unused provisioned capacity the
	// table keeps, 1 to 300; 0: 300.
	BurstSeconds int64 `json:"burstSeconds,omitempty"`
}

// CapacityStatus is the enforcement state of one table.
type CapacityStatus struct {
	Table             string           `json:"table"`
	Enforced          bool             `json:"enforced"`
	Config            CapacityConfig   `json:"config"`
	Mode              string           `json:"mode,omitempty"` // PROVISIONED or PAY_PER_REQUEST
	BurstSeconds      int64            `json:"burstSeconds,omitempty"`
	ThrottledRequests uint64           `json:"throttledRequests"`
	Resources         []CapacityBucket `json:"resources,omitempty"` // the table, then its GSIs
	HotKeys           []HotKey         `json:"hotKeys,omitempty"`
}

// CapacityBucket is the table's or a GSI's buckets and consumption.
type CapacityBucket struct {
	Index      string        `json:"index,omitempty"` // "" for the table
	ARN        string        `json:"arn"`
	Partitions int           `json:"partitions"`
	Read       CapacityUsage `json:"read"`
	Write      CapacityUsage `json:"write"`
}

// CapacityUsage is one direction (read or write) of a table or GSI.
type CapacityUsage struct {
	UnitsPerSecond          float64 `json:"unitsPerSecond"`
	Limit                   string  `json:"limit"`
	Available               float64 `json:"available"`
	Capacity                float64 `json:"capacity"`
	PartitionUnitsPerSecond float64 `json:"partitionUnitsPerSecond"`
	Consumed                float64 `json:"consumed"`
	ThrottleEvents          uint64  `json:"throttleEvents"`
}

// HotKey is a partition key with what it consumed.
type HotKey struct {
	Index               string  `json:"index,omitempty"` // "" for the table's partition key
	Key                 string  `json:"key"`             // numbers in decimal, binaries in base64
	Type                string  `json:"type"`            // S, N or B
	Partition           int     `json:"partition"`
	ReadUnitsPerSecond  float64 `json:"readUnitsPerSecond"`
	WriteUnitsPerSecond float64 `json:"writeUnitsPerSecond"`
	ReadUnits           float64 `json:"readUnits"`
	WriteUnits          float64 `json:"writeUnits"`
	Throttled           uint64  `json:"throttled"`
}

// Capacity reads the enforcement state of every table (GET
// /_admin/capacity).
func (c *Client) Capacity(ctx context.Context) (CapacityState, error) {
	var out CapacityState
	err := c.do(ctx, http.MethodGet, "/capacity", nil, nil, &out)
	return out, err
}

// SetCapacity switches enforcement on or off for every table without a
// setting of its own (PUT /_admin/capacity).
func (c *Client) SetCapacity(ctx context.Context, enabled bool) (CapacityState, error) {
	var out CapacityState
	err := c.do(ctx, http.MethodPut, "/capacity", nil, map[string]bool{"enabled": enabled}, &out)
	return out, err
}

// TableCapacity reads one table's enforcement state (GET
// /_admin/capacity/{table}).
func (c *Client) TableCapacity(ctx context.Context, table string) (CapacityStatus, error) {
	var out CapacityStatus
	err := c.do(ctx, http.MethodGet, "/capacity/"+url.PathEscape(table), nil, nil, &out)
	return out, err
}

// SetTableCapacity replaces one table's setting (PUT
// /_admin/capacity/{table}).
func (c *Client) SetTableCapacity(ctx context.Context, table string, cfg CapacityConfig) (CapacityStatus, error) {
	var out CapacityStatus
	err := c.do(ctx, http.MethodPut, "/capacity/"+url.PathEscape(table), nil, cfg, &out)
	return out, err
}

// EnforceCapacity switches enforcement on for one table.
func (c *Client) EnforceCapacity(ctx context.Context, table string) (CapacityStatus, error) {
	on := true
	return c.SetTableCapacity(ctx, table, CapacityConfig{Enabled: &on})
}

// ClearTableCapacity drops one table's setting: it follows the
// emulator-wide setting again (DELETE /_admin/capacity/{table}).
func (c *Client) ClearTableCapacity(ctx context.Context, table string) (CapacityStatus, error) {
	var out CapacityStatus
	err := c.do(ctx, http.MethodDelete, "/capacity/"+url.PathEscape(table), nil, nil, &out)
	return out, err
}

// HotKeys lists the n hottest partition keys of a table and its GSIs with
// their rates (GET /_admin/capacity/{table}/keys); n < 0 lists every
// tracked key.
func (c *Client) HotKeys(ctx context.Context, table string, n int) ([]HotKey, error) {
	q := url.Values{"hot": {strconv.Itoa(n)}}
	if n < 0 {
		q.Set("hot", "all")
	}
	var out struct {
		HotKeys []HotKey `json:"hotKeys"`
	}
	err := c.do(ctx, http.MethodGet, "/capacity/"+url.PathEscape(table)+"/keys", q, nil, &out)
	return out.HotKeys, err
}
