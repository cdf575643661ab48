// Package clock is the virtual clock every part of dynafault reads time from:
// item timestamps, TTL expiry, stream ApproximateCreationDateTime, retention,
// iterator expiry, shard rollover and fault windows.
//
// A Clock runs in one of two modes. In real mode Now is the wall clock plus an
// offset that Advance moves forward (so 25 hours pass in a call). In frozen
// mode Now stays put until Advance or Set moves it. SetOffset returns it to
// real mode at a given offset (0: wall time). A Clock is safe for
// concurrent use.
package clock

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Mode is how a Clock advances.
type Mode string

// The clock modes.
const (
	Real   Mode = "real"
	Frozen Mode = "frozen"
)

// ErrBackwards is returned by Advance for a negative duration: time in
// dynafault never runs backwards except through an explicit Set.
var ErrBackwards = errors.New("clock: cannot advance by a negative duration")

// Clock is a virtual clock. The zero value is not usable; call New.
type Clock struct {
	wall func() time.Time

	mu     sync.RWMutex // guards the fields below
	mode   Mode
	offset time.Duration // real mode: Now = wall() + offset
	frozen time.Time     // frozen mode: Now = frozen
	// changed is closed (and dropped) by every Advance, Set and SetMode,
	// waking the waiters of Changed; nil until someone waits.
	changed chan struct{}
}

// New returns a Clock in real mode with no offset.
func New() *Clock { return NewWithWall(time.Now) }

// NewWithWall returns a real-mode Clock reading wall time from wall.
func NewWithWall(wall func() time.Time) *Clock {
	return &Clock{wall: wall, mode: Real}
}

// NewFrozen returns a Clock frozen at t.
func NewFrozen(t time.Time) *Clock {
	c := New()
	c.mode, c.frozen = Frozen, t
	return c
}

// Now returns the current virtual time.
func (c *Clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.nowLocked()
}

func (c *Clock) nowLocked() time.Time {
	if c.mode == Frozen {
		return c.frozen
	}
	return c.wall().Add(c.offset)
}

// Mode returns the current mode.
func (c *Clock) Mode() Mode {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.mode
}

// Offset returns how far the virtual time is ahead of the wall clock.
func (c *Clock) Offset() time.Duration {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.nowLocked().Sub(c.wall())
}

// Advance moves the virtual time forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, ErrBackwards
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == Frozen {
		c.frozen = c.frozen.Add(d)
	} else {
		c.offset += d
	}
	c.wakeLocked()
	return c.nowLocked(), nil
}

// Set moves the virtual time to t (forwards or backwards) and keeps the mode.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode == Frozen {
		c.frozen = t
	} else {
		c.offset = t.Sub(c.wall())
	}
	c.wakeLocked()
}

// SetOffset makes the clock run with the wall clock again, d ahead of it
// (behind it for a negative d), in real mode: SetOffset(0) returns it to
// wall time. Unlike SetMode(Real), which resumes from the current virtual
// time, it may jump in time.
func (c *Clock) SetOffset(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wakeLocked()
	c.mode, c.offset = Real, d
}

// SetMode switches between real and frozen without a jump in time: freezing
// stops the clock at the current virtual time; unfreezing resumes from it.
func (c *Clock) SetMode(m Mode) error {
	if m != Real && m != Frozen {
		return errors.New(`clock: mode must be "real" or "frozen"`)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.nowLocked()
	c.mode = m
	if m == Frozen {
		c.frozen = now
	} else {
		c.offset = now.Sub(c.wall())
	}
	c.wakeLocked()
	return nil
}

// Changed returns a channel that the next Advance, Set, SetMode or
// SetOffset closes, so that a loop waiting for a clock time can re-read Now
// when the time jumps (in real mode the clock also moves with the wall:
// such a loop needs a wall-time timer as well).
func (c *Clock) Changed() <-chan struct{} {
	c.mu.RLock() // the common case: a channel is there (readers of Now are not held up)
	ch := c.changed
	c.mu.RUnlock()
	if ch != nil {
		return ch
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	return c.changed
}

// wakeLocked closes the channel of Changed. Must be called with c.mu held.
func (c *Clock) wakeLocked() {
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
}

// Sleep waits until the clock reads at least until, ctx is done, or wake
// is closed (nil: never), whichever is first. In real mode it sleeps in
// wall time and wakes early when the clock is moved; in frozen mode only a
// move of the clock can end it. It reports whether until was reached.
func (c *Clock) Sleep(ctx context.Context, until time.Time, wake <-chan struct{}) bool {
	for {
		ch := c.Changed()
		now := c.Now()
		if !now.Before(until) {
			return true
		}
		var t *time.Timer
		var timer <-chan time.Time
		if c.Mode() == Real {
			t = time.NewTimer(until.Sub(now))
			timer = t.C
		}
		woken, done := false, false
		select {
		case <-ctx.Done():
			done = true
		case <-wake:
			woken = true
		case <-ch:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
		switch {
		case done:
			return false
		case woken:
			return !c.Now().Before(until)
		}
	}
}
