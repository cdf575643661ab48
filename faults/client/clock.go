package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// The virtual clock: GET and POST /_admin/clock.

// ClockMode is how the virtual clock runs.
type ClockMode string

// The clock modes.
const (
	// ClockReal: the clock runs with the wall clock, plus an offset.
	ClockReal ClockMode = "real"
	// ClockFrozen: the clock stands still until it is advanced or set.
	ClockFrozen ClockMode = "frozen"
)

// ClockState is the virtual clock as the server reports it.
type ClockState struct {
	// Now is the virtual time.
	Now time.Time
	// Mode is real or frozen.
	Mode ClockMode
	// Offset is the virtual time minus the wall time, to the millisecond.
	Offset time.Duration
	// JournalSeq is the seq of the change's journal entry (kind clock)
	// for AdvanceClock, SetClock, SetClockMode and SetClockOffset; 0 for
	// Clock.
	JournalSeq uint64
}

// clockJSON is the JSON form of ClockState.
type clockJSON struct {
	Now        time.Time `json:"now"`
	Mode       ClockMode `json:"mode"`
	Offset     string    `json:"offset"`
	JournalSeq uint64    `json:"journalSeq,omitempty"`
}

// UnmarshalJSON reads {"now":RFC3339,"mode":...,"offset":"25h0m0s"}, with
// "journalSeq" in the answer of a change.
func (s *ClockState) UnmarshalJSON(data []byte) error {
	var j clockJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	off, err := time.ParseDuration(j.Offset)
	if err != nil && j.Offset != "" {
		return fmt.Errorf("clock offset %q: %w", j.Offset, err)
	}
	*s = ClockState{Now: j.Now, Mode: j.Mode, Offset: off, JournalSeq: j.JournalSeq}
	return nil
}

// MarshalJSON writes the server's JSON form.
func (s ClockState) MarshalJSON() ([]byte, error) {
	return json.Marshal(clockJSON{Now: s.Now.UTC(), Mode: s.Mode, Offset: s.Offset.String(), JournalSeq: s.JournalSeq})
}

// Clock returns the virtual clock's state.
func (c *Client) Clock(ctx context.Context) (ClockState, error) {
	var s ClockState
	err := c.do(ctx, http.MethodGet, "/clock", nil, nil, &s)
	return s, err
}

// AdvanceClock moves the virtual clock forward by d (d >= 0). Before it
// returns, the work the move made due has run: shard rollovers, retention
// trimming, released delayed records and the TTL sweep.
func (c *Client) AdvanceClock(ctx context.Context, d time.Duration) (ClockState, error) {
	return c.postClock(ctx, map[string]string{"advance": d.String()})
}

// SetClock sets the virtual clock to t, which may be in the past.
func (c *Client) SetClock(ctx context.Context, t time.Time) (ClockState, error) {
	return c.postClock(ctx, map[string]string{"set": t.Format(time.RFC3339Nano)})
}

// SetClockMode freezes the clock (ClockFrozen) or lets it run again
// (ClockReal), without a jump in time.
func (c *Client) SetClockMode(ctx context.Context, mode ClockMode) (ClockState, error) {
	return c.postClock(ctx, map[string]string{"mode": string(mode)})
}

// SetClockOffset lets the clock run with the wall clock again, d ahead of
// it (real mode); SetClockOffset(ctx, 0) returns it to wall time. Unlike
// SetClockMode(ClockReal), which resumes from the current virtual time,
// it may jump in time (backwards too).
func (c *Client) SetClockOffset(ctx context.Context, d time.Duration) (ClockState, error) {
	return c.postClock(ctx, map[string]string{"offset": d.String()})
}

// postClock sends one change of the clock.
func (c *Client) postClock(ctx context.Context, change map[string]string) (ClockState, error) {
	var s ClockState
	err := c.do(ctx, http.MethodPost, "/clock", nil, change, &s)
	return s, err
}
