package admin

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/faults"
)

// clockState is the answer of GET and POST /_admin/clock.
type clockState struct {
	Now    string `json:"now"`    // RFC 3339 with nanoseconds, UTC
	Mode   string `json:"mode"`   // "real" or "frozen"
	Offset string `json:"offset"` // virtual time minus wall time, rounded to the millisecond
	// Journal is the journal entry of the change (POST only).
	Journal uint64 `json:"journalSeq,omitempty"`
}

// clockChange is the body of POST /_admin/clock: exactly one member is set.
type clockChange struct {
	Advance *string `json:"advance"` // a Go duration >= 0, e.g. "25h"
	Set     *string `json:"set"`     // an RFC 3339 time
	Mode    *string `json:"mode"`    // "real" or "frozen"
	Offset  *string `json:"offset"`  // a Go duration: real mode at this offset from wall time ("0s": wall time)
}

// getClock answers GET /_admin/clock.
func (a *API) getClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, a.clockState())
}

// postClock answers POST /_admin/clock: it moves the clock, journals the
// change (kind clock, logged with its seq), then runs the work that
// became due (runTimeDrivenWork) before answering.
func (a *API) postClock(w http.ResponseWriter, r *http.Request) {
	var in clockChange
	if err := decodeBody(w, r, &in, false); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	before := a.clock.Now()
	if err := a.applyClockChange(in); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	e := a.faults.RecordClockChange(faults.ClockChange{Action: in.action(), From: before, To: a.clock.Now(),
		Mode: string(a.clock.Mode()), Offset: a.clock.Offset().Round(time.Millisecond)})
	if err := a.runTimeDrivenWork(r.Context()); err != nil {
		writeError(w, http.StatusInternalServerError, "clock changed, but the work it made due failed: "+err.Error())
		return
	}
	st := a.clockState()
	st.Journal = e.Seq
	writeJSON(w, http.StatusOK, st)
}

// action names the change for the journal (faults.ClockAdvance, ...); in
// has been applied.
func (in clockChange) action() string {
	switch {
	case in.Advance != nil:
		return faults.ClockAdvance
	case in.Set != nil:
		return faults.ClockSet
	case in.Offset != nil:
		return faults.ClockOffset
	case *in.Mode == string(clock.Frozen):
		return faults.ClockFreeze
	default:
		return faults.ClockUnfreeze
	}
}

// applyClockChange validates in and applies it to the clock.
func (a *API) applyClockChange(in clockChange) error {
	given := 0
	for _, p := range []*string{in.Advance, in.Set, in.Mode, in.Offset} {
		if p != nil {
			given++
		}
	}
	if given != 1 {
		return errors.New(`exactly one of "advance", "set", "mode" or "offset" is required`)
	}
	switch {
	case in.Advance != nil:
		d, err := time.ParseDuration(*in.Advance)
		if err != nil {
			return fmt.Errorf(`invalid "advance" %q: want a Go duration such as "25h" or "90s"`, *in.Advance)
		}
		if _, err := a.clock.Advance(d); errors.Is(err, clock.ErrBackwards) {
			return fmt.Errorf(`invalid "advance" %q: must not be negative (use "set" to go back in time)`, *in.Advance)
		}
	case in.Set != nil:
		t, err := time.Parse(time.RFC3339Nano, *in.Set)
		if err != nil {
			return fmt.Errorf(`invalid "set" %q: want an RFC 3339 time such as "2025-01-02T15:04:05Z"`, *in.Set)
		}
		a.clock.Set(t)
	case in.Offset != nil:
		d, err := time.ParseDuration(*in.Offset)
		if err != nil {
			return fmt.Errorf(`invalid "offset" %q: want a Go duration such as "0s" (wall time) or "25h"`, *in.Offset)
		}
		a.clock.SetOffset(d)
	default:
		if err := a.clock.SetMode(clock.Mode(*in.Mode)); err != nil {
			return fmt.Errorf(`invalid "mode" %q: want "real" or "frozen"`, *in.Mode)
		}
	}
	return nil
}

// clockState reports the clock.
func (a *API) clockState() clockState {
	return clockState{
		Now:    a.clock.Now().UTC().Format(time.RFC3339Nano),
		Mode:   string(a.clock.Mode()),
		Offset: a.clock.Offset().Round(time.Millisecond).String(),
	}
}
