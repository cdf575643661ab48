package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// trimChecks are the times after a stream trim at which RSS is read: the
// memory the trimmed records held should be back with the OS within
// seconds.
var trimChecks = []time.Duration{time.Second, 2 * time.Second, 5 * time.Second}

// measureTrim trims every record of the table's stream through the admin
// API and reads the process's RSS at each of trimChecks after it.
func measureTrim(ctx context.Context, p *proc, r *report) error {
	began := time.Now()
	n, err := trimAll(ctx, p.url)
	if err != nil {
		return err
	}
	took := time.Since(began)
	ms := make([]mem, len(trimChecks))
	for i, at := range trimChecks {
		time.Sleep(time.Until(began.Add(took + at)))
		ms[i] = readMem(p.pid())
	}
	r.trimmed(n, took, trimChecks, ms)
	return nil
}

// trimAll trims the records of the load table's stream older than 0 s
// (every record) and returns how many there were, from the stream's
// status before the trim.
func trimAll(ctx context.Context, url string) (int, error) {
	var before struct {
		Streams []struct {
			Shards []struct{ Records int }
		}
	}
	if err := admin(ctx, http.MethodGet, url+"/_admin/streams/"+loadTable, &before); err != nil {
		return 0, err
	}
	n := 0
	for _, s := range before.Streams {
		for _, sh := range s.Shards {
			n += sh.Records
		}
	}
	return n, admin(ctx, http.MethodPost, url+"/_admin/streams/"+loadTable+"/trim", nil)
}

// admin calls the admin API and decodes a 200 answer into out (if not nil).
func admin(ctx context.Context, method, url string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, bytes.TrimSpace(b))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}
