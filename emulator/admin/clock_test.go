package admin

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

func TestGetClock(t *testing.T) {
	t.Parallel()
	// A frozen clock an hour behind a fixed wall clock.
	a := newWallAPI(t, func() time.Time { return testNow().Add(time.Hour) })
	if err := a.clock.SetMode(clock.Frozen); err != nil {
		t.Fatal(err)
	}
	a.clock.Set(testNow())
	code, body := do(t, a, http.MethodGet, "/_admin/clock", "")
	want := mustJSON(t, clockState{Now: "2025-06-01T12:00:00Z", Mode: "frozen", Offset: "-1h0m0s"})
	if code != 200 || body != want {
		t.Errorf("GET clock = %d %s, want 200 %s", code, body, want)
	}
}

func TestPostClock(t *testing.T) {
	t.Parallel()
	wall := testNow()
	c := newWallAPI(t, func() time.Time { return wall })
	steps := []struct {
		body string
		want clockState
	}{
		{`{"advance":"25h"}`, clockState{Now: "2025-06-02T13:00:00Z", Mode: "real", Offset: "25h0m0s"}},
		{`{"advance":"0s"}`, clockState{Now: "2025-06-02T13:00:00Z", Mode: "real", Offset: "25h0m0s"}},
		{`{"advance":"1.5s"}`, clockState{Now: "2025-06-02T13:00:01.5Z", Mode: "real", Offset: "25h0m1.5s"}},
		{`{"mode":"frozen"}`, clockState{Now: "2025-06-02T13:00:01.5Z", Mode: "frozen", Offset: "25h0m1.5s"}},
		{`{"advance":"1h"}`, clockState{Now: "2025-06-02T14:00:01.5Z", Mode: "frozen", Offset: "26h0m1.5s"}},
		{`{"set":"2025-06-01T11:00:00Z"}`, clockState{Now: "2025-06-01T11:00:00Z", Mode: "frozen", Offset: "-1h0m0s"}},
		{`{"mode":"real"}`, clockState{Now: "2025-06-01T11:00:00Z", Mode: "real", Offset: "-1h0m0s"}},
		{`{"set":"2030-01-01T00:00:00.123456789+02:00"}`, clockState{Now: "2029-12-31T22:00:00.123456789Z", Mode: "real", Offset: "40186h0m0.123s"}},
		{` {"mode":"real"} `, clockState{Now: "2029-12-31T22:00:00.123456789Z", Mode: "real", Offset: "40186h0m0.123s"}},
		{`{"mode":"frozen"}`, clockState{Now: "2029-12-31T22:00:00.123456789Z", Mode: "frozen", Offset: "40186h0m0.123s"}},
		{`{"offset":"0s"}`, clockState{Now: "2025-06-01T12:00:00Z", Mode: "real", Offset: "0s"}},
		{`{"offset":"-90m"}`, clockState{Now: "2025-06-01T10:30:00Z", Mode: "real", Offset: "-1h30m0s"}},
	}
	for i, s := range steps {
		code, body := do(t, c, http.MethodPost, "/_admin/clock", s.body)
		posted := s.want
		posted.Journal = uint64(i + 1)
		if want := mustJSON(t, posted); code != 200 || body != want {
			t.Fatalf("POST clock %s:\n got %d %s want 200 %s", s.body, code, body, want)
		}
		if code, got := do(t, c, http.MethodGet, "/_admin/clock", ""); code != 200 || got != mustJSON(t, s.want) {
			t.Fatalf("GET clock after %s = %d %s, want %s", s.body, code, got, mustJSON(t, s.want))
		}
	}
}

// Every change of the clock is a journal entry of kind clock, with the
// time before and after, logged at info with its seq.
func TestPostClockIsJournaledAndLogged(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c := clock.NewFrozen(testNow())
	a := New(Options{Engine: engine.New(engine.Options{Clock: c}), Clock: c,
		Logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	steps := []struct{ body, action, detail string }{
		{`{"advance":"25h"}`, faults.ClockAdvance, "from 2025-06-01T12:00:00Z to 2025-06-02T13:00:00Z (frozen, offset "},
		{`{"set":"2025-06-01T11:00:00Z"}`, faults.ClockSet, "from 2025-06-02T13:00:00Z to 2025-06-01T11:00:00Z (frozen, offset "},
		{`{"mode":"real"}`, faults.ClockUnfreeze, "from 2025-06-01T11:00:00Z to 2025-06-01T11:00:00"},
		{`{"mode":"frozen"}`, faults.ClockFreeze, "(frozen, offset "},
		{`{"offset":"0s"}`, faults.ClockOffset, "(real, offset 0s)"},
	}
	for _, s := range steps {
		if code, body := do(t, a, http.MethodPost, "/_admin/clock", s.body); code != 200 {
			t.Fatalf("POST clock %s: %d %s", s.body, code, body)
		}
	}
	do(t, a, http.MethodPost, "/_admin/clock", `{"advance":"-1h"}`) // refused: not journaled
	code, body := do(t, a, http.MethodGet, "/_admin/journal?kind=clock", "")
	var page faults.JournalPage
	if err := json.Unmarshal([]byte(body), &page); err != nil || code != 200 || len(page.Entries) != len(steps) {
		t.Fatalf("GET journal?kind=clock: %d %s (%v)", code, body, err)
	}
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		if m["msg"] == "clock moved" {
			lines = append(lines, m)
		}
	}
	if len(lines) != len(steps) {
		t.Fatalf("%d clock moves logged, want %d:\n%s", len(lines), len(steps), logs.String())
	}
	for i, s := range steps {
		e := page.Entries[i]
		if e.Seq != uint64(i+1) || e.Kind != faults.KindClock || e.Target != faults.TargetClock || e.Action != s.action ||
			!strings.Contains(e.Detail, s.detail) {
			t.Errorf("entry %d = %+v, want action %s, detail with %q", i, e, s.action, s.detail)
		}
		if l := lines[i]; l["level"] != "INFO" || l["action"] != s.action || l["seq"] != float64(e.Seq) || l["from"] == nil || l["to"] == nil {
			t.Errorf("log line %d = %v, want action %s, seq %d", i, l, s.action, e.Seq)
		}
	}
}

func TestPostClockErrors(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	const one = `exactly one of "advance", "set", "mode" or "offset" is required`
	cases := []struct{ body, msg string }{
		{``, "request body must be a JSON object"},
		{`{}`, one},
		{`{"advance":"1h","mode":"real"}`, one},
		{`{"advance":null}`, one},
		{`{"advance":"-1h"}`, `invalid "advance" "-1h": must not be negative (use "set" to go back in time)`},
		{`{"advance":"soon"}`, `invalid "advance" "soon": want a Go duration such as "25h" or "90s"`},
		{`{"advance":"25"}`, `invalid "advance" "25": want a Go duration such as "25h" or "90s"`},
		{`{"advance":3600}`, `field "advance": want a string, got a JSON number`},
		{`{"set":"tomorrow"}`, `invalid "set" "tomorrow": want an RFC 3339 time such as "2025-01-02T15:04:05Z"`},
		{`{"mode":"paused"}`, `invalid "mode" "paused": want "real" or "frozen"`},
		{`{"mode":true}`, `field "mode": want a string, got a JSON bool`},
		{`{"offset":"now"}`, `invalid "offset" "now": want a Go duration such as "0s" (wall time) or "25h"`},
		{`{"offset":"0s","mode":"real"}`, one},
		{`{"advance":"1h","speed":2}`, `unknown field "speed"`},
		{`{"Advance":"1h"}`, `unknown field "Advance"`},
		{`[]`, `request body must be a JSON object, got a JSON array`},
		{`"1h"`, `request body must be a JSON object, got a JSON string`},
		{`{"advance":"1h"`, `malformed JSON: unexpected end of input`},
		{`{"advance":"1h"} {}`, `request body must hold a single JSON object`},
		{`{advance}`, `malformed JSON at byte 2: invalid character 'a' looking for beginning of object key string`},
	}
	for _, c := range cases {
		wantError(t, a, http.MethodPost, "/_admin/clock", c.body, http.StatusBadRequest, c.msg)
	}
	// Nothing moved.
	if now := a.clock.Now(); !now.Equal(testNow()) {
		t.Errorf("clock moved to %v by bad requests", now)
	}
}

func TestPostClockBodyTooLarge(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	body := `{"advance":"` + string(make([]byte, maxBodyBytes)) + `"}`
	wantError(t, a, http.MethodPost, "/_admin/clock", body, http.StatusBadRequest, "request body larger than 1048576 bytes")
}

func TestAdvanceClockSweepsTTL(t *testing.T) {
	t.Parallel()
	a := newFrozenAPI(t)
	createTTLTable(t, a, -time.Hour, time.Hour, 24*time.Hour, 48*time.Hour)
	// Setting the mode is a clock change too: the already expired item goes.
	if code, body := do(t, a, http.MethodPost, "/_admin/clock", `{"mode":"frozen"}`); code != 200 {
		t.Fatalf("POST clock: %d %s", code, body)
	}
	if n := itemCount(t, a); n != 3 {
		t.Fatalf("%d items after a clock change, want 3", n)
	}
	if code, body := do(t, a, http.MethodPost, "/_admin/clock", `{"advance":"25h"}`); code != 200 {
		t.Fatalf("POST clock: %d %s", code, body)
	}
	if n := itemCount(t, a); n != 1 {
		t.Fatalf("%d items right after advancing 25h, want 1", n)
	}
}

func TestLifecycleEndpoint(t *testing.T) {
	a := newAPI(t)
	code, body := do(t, a, http.MethodPut, "/_admin/lifecycle", `{"create":"2s","index":"1m"}`)
	if code != http.StatusOK || !strings.Contains(body, `"create":"2s"`) || !strings.Contains(body, `"index":"1m0s"`) {
		t.Fatalf("PUT: %d %s", code, body)
	}
	if l := a.engine.Lifecycle(); l.Create != 2*time.Second || l.Index != time.Minute || l.Update != 0 {
		t.Fatalf("engine lifecycle %+v", l)
	}
	for _, in := range []string{`{"create":"-1s"}`, `{"update":"soon"}`, `{"creat":"1s"}`} {
		if code, body := do(t, a, http.MethodPut, "/_admin/lifecycle", in); code != http.StatusBadRequest {
			t.Errorf("PUT %s: %d %s", in, code, body)
		}
	}
	code, body = do(t, a, http.MethodGet, "/_admin/lifecycle", "")
	if code != http.StatusOK || !strings.Contains(body, `"update":"0s"`) || !strings.Contains(body, `"create":"2s"`) {
		t.Fatalf("GET: %d %s", code, body)
	}
}
