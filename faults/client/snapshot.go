package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Snapshots: POST /_admin/snapshot and POST /_admin/snapshot/load.

// SnapshotLoaded is the answer of LoadSnapshot.
type SnapshotLoaded struct {
	Loaded bool `json:"loaded"`
	Tables int  `json:"tables"`
	Items  int  `json:"items"`
}

// SaveSnapshot writes the server's tables to w as a snapshot document
// (definitions, settings, items), as the server streams it.
func (c *Client) SaveSnapshot(ctx context.Context, w io.Writer) error {
	resp, op, err := c.send(ctx, http.MethodPost, "/snapshot", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("%s: reading the snapshot: %w", op, err)
	}
	return nil
}

// LoadSnapshot sends the snapshot read from r; the server replaces every
// table with its tables. A snapshot of a newer format version, a corrupt
// one or one with an invalid table or item is an *Error with status 400,
// and the server's tables stay as they were.
func (c *Client) LoadSnapshot(ctx context.Context, r io.Reader) (SnapshotLoaded, error) {
	var out SnapshotLoaded
	resp, op, err := c.send(ctx, http.MethodPost, "/snapshot/load", r)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return out, fmt.Errorf("%s: decoding the answer: %w", op, err)
	}
	return out, nil
}

// send sends method path with body (none when nil) and returns a 2xx
// answer, whose body the caller reads and closes, with the request's name;
// another status is an *Error.
func (c *Client) send(ctx context.Context, method, path string, body io.Reader) (*http.Response, string, error) {
	req, err := c.newRequest(ctx, method, path, nil, nil)
	if err != nil {
		return nil, "", err
	}
	op := method + " " + req.URL.Path
	if body != nil {
		req.Body = io.NopCloser(body)
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, op, fmt.Errorf("%s: %w", op, err)
	}
	if resp.StatusCode >= http.StatusBadRequest {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return nil, op, answerError(op, resp, b)
	}
	return resp, op, nil
}
