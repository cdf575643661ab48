package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// Server-wide endpoints: health, reset, the TTL sweep and the metrics.

// Health checks that the server answers GET /_admin/health with status
// "ok". It needs no token.
func (c *Client) Health(ctx context.Context) error {
	var out struct {
		Status string `json:"status"`
	}
	if err := c.do(ctx, http.MethodGet, "/health", nil, nil, &out); err != nil {
		return err
	}
	if out.Status != "ok" {
		return fmt.Errorf("GET %s/health: status %q", adminPrefix, out.Status)
	}
	return nil
}

// Reset clears the runtime state: fault rules, the journal, paused shards
// and held records. With data it also drops every table and stream. The
// clock is left alone.
func (c *Client) Reset(ctx context.Context, data bool) error {
	var q url.Values
	if data {
		q = url.Values{"data": {"true"}}
	}
	return c.do(ctx, http.MethodPost, "/reset", q, nil, nil)
}

// SweepTTL deletes the expired items of every table with TTL enabled now
// and returns how many it deleted.
func (c *Client) SweepTTL(ctx context.Context) (int, error) {
	var out struct {
		Deleted int `json:"deleted"`
	}
	err := c.do(ctx, http.MethodPost, "/ttl/sweep", nil, nil, &out)
	return out.Deleted, err
}

// Metrics writes the server's Prometheus metrics (GET /_admin/metrics, the
// text exposition format) to w. A server built without metrics answers
// an *Error with status 404.
func (c *Client) Metrics(ctx context.Context, w io.Writer) error {
	resp, op, err := c.send(ctx, http.MethodGet, "/metrics", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("%s: reading the metrics: %w", op, err)
	}
	return nil
}
