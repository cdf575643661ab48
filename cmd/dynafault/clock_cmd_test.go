package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
)

// adminStart0 is the frozen clock's start in the admin command tests.
var adminStart0 = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// startAdminTarget runs an in-process emulator with a frozen clock on an
// httptest listener and returns its URL.
func startAdminTarget(t *testing.T) string {
	t.Helper()
	emu, err := emulator.New(emulator.Options{Clock: clock.NewFrozen(adminStart0)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu.Handler())
	t.Cleanup(func() { srv.Close(); _ = emu.Close() })
	return srv.URL
}

// runCLI runs dynafault with args and env, returning stdout, stderr and
// the error.
func runCLI(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(t.Context(), args, func(k string) string { return env[k] }, &out, &errb)
	return out.String(), errb.String(), err
}

// mustRun runs dynafault and fails the test on error.
func mustRun(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	out, stderr, err := runCLI(t, env, args...)
	if err != nil {
		t.Fatalf("dynafault %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr)
	}
	return out
}

func TestClockCommands(t *testing.T) {
	t.Parallel()
	env := map[string]string{"DYNAFAULT_ENDPOINT": startAdminTarget(t)}
	out := mustRun(t, env, "clock")
	if want := "now     2030-01-01T00:00:00Z\nmode    frozen\noffset  "; !strings.HasPrefix(out, want) {
		t.Errorf("clock = %q, want prefix %q", out, want)
	}
	if out = mustRun(t, env, "clock", "advance", "25h"); !strings.HasPrefix(out, "now     2030-01-02T01:00:00Z\n") ||
		!strings.HasSuffix(out, "\njournal seq 1\n") {
		t.Errorf("clock advance 25h = %q", out)
	}
	if out = mustRun(t, env, "faults", "journal", "--kind", "clock"); !regexp.MustCompile(
		`(?m)^1 +2030-01-02T01:00:00Z +clock +- +advance +- +- +- +- +- +from 2030-01-01T00:00:00Z to 2030-01-02T01:00:00Z \(frozen, offset `).MatchString(out) {
		t.Errorf("faults journal --kind clock:\n%s", out)
	}
	if out = mustRun(t, env, "clock", "advance", "PT1H", "--json"); !strings.Contains(out, `"now": "2030-01-02T02:00:00Z"`) {
		t.Errorf("clock advance PT1H --json = %q", out)
	}
	if out = mustRun(t, env, "clock", "set", "2031-05-06T07:08:09Z"); !strings.HasPrefix(out, "now     2031-05-06T07:08:09Z\n") {
		t.Errorf("clock set = %q", out)
	}
	if out = mustRun(t, env, "clock", "unfreeze"); !strings.Contains(out, "mode    real\n") || strings.Contains(out, "offset  0s\n") {
		t.Errorf("clock unfreeze = %q, want real mode keeping the offset", out)
	}
	out = mustRun(t, env, "clock", "freeze", "--json")
	var st struct{ Now, Mode, Offset string }
	if err := json.Unmarshal([]byte(out), &st); err != nil || st.Mode != "frozen" || st.Now == "" || st.Offset == "" {
		t.Errorf("clock freeze --json = %q (%v)", out, err)
	}
	if out = mustRun(t, env, "clock", "show", "--json"); !strings.Contains(out, `"mode": "frozen"`) || strings.Contains(out, "journalSeq") {
		t.Errorf("clock show --json = %q", out)
	}
	// real: back to wall time from a frozen clock 30 hours ahead.
	mustRun(t, env, "clock", "advance", "30h")
	before := time.Now()
	out = mustRun(t, env, "clock", "real", "--json")
	var real struct {
		Now    time.Time
		Mode   string
		Offset string
	}
	if err := json.Unmarshal([]byte(out), &real); err != nil || real.Mode != "real" || real.Offset != "0s" ||
		real.Now.Before(before) || real.Now.After(time.Now()) {
		t.Errorf("clock real --json = %q (%v), want real mode at wall time, offset 0s", out, err)
	}
}

func TestClockCommandErrors(t *testing.T) {
	t.Parallel()
	url := startAdminTarget(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"clock", "advance"}, "usage: dynafault clock advance DURATION"},
		{[]string{"clock", "advance", "-1h"}, `advance -1h: the clock cannot move backwards; use "dynafault clock set TIME" to go back in time`},
		{[]string{"clock", "advance", "-PT1H", "--json"}, "advance -PT1H: the clock cannot move backwards"},
		{[]string{"clock", "advance", "soon"}, `advance "soon": must be a non-negative duration`},
		{[]string{"clock", "set", "tomorrow"}, "set: want an RFC 3339 time"},
		{[]string{"clock", "freeze", "now"}, "usage: dynafault clock freeze"},
		{[]string{"clock", "rewind"}, `clock: unknown subcommand "rewind" (show, advance, set, freeze, unfreeze, real)`},
		{[]string{"clock", "show", "--endpoint", url + "/nothing-here"}, "HTTP 404"},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, map[string]string{"DYNAFAULT_ENDPOINT": url}, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dynafault %s: error %v, want %q", strings.Join(c.args, " "), err, c.want)
		}
	}
}

func TestClockCommandHelp(t *testing.T) {
	t.Parallel()
	_, stderr, err := runCLI(t, nil, "clock", "--help")
	if err != nil || !strings.Contains(stderr, "advance") || !strings.Contains(stderr, "freeze") {
		t.Errorf("clock --help: %v %q", err, stderr)
	}
	_, stderr, err = runCLI(t, nil, "clock", "advance", "-h")
	if err != nil || !strings.Contains(stderr, "-endpoint") || !strings.Contains(stderr, "DYNAFAULT_ADMIN_TOKEN") {
		t.Errorf("clock advance -h: %v %q", err, stderr)
	}
}

func TestAdminEndpointUnreachable(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(nil)
	url := srv.URL
	srv.Close()
	_, _, err := runCLI(t, nil, "clock", "--endpoint", url)
	if err == nil || !strings.Contains(err.Error(), "GET /_admin/clock") {
		t.Errorf("unreachable server: %v", err)
	}
}
