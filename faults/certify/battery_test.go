package certify_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/dynafaulttest"
	"github.com/dynafault/dynafault/faults/certify"
)

// The reference consumer passes every scenario of the built-in battery.
func TestReferenceConsumerPassesEveryScenario(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	cfg := certify.Config{Endpoint: srv.URL, Consumer: certify.Func(refOptions{}.run),
		CatchUpWithin: 20 * time.Second, RestartBackoff: 20 * time.Millisecond}
	if testing.Verbose() {
		cfg.ConsumerOutput = os.Stderr
	}
	rep := certify.Test(t, cfg)
	if want := len(certify.Builtin()); rep.Passed != want {
		t.Errorf("%d of %d scenarios passed", rep.Passed, want)
	}
	if t.Failed() {
		_ = rep.WriteTable(os.Stderr)
	}
}

// Each broken variant of the reference consumer fails exactly the
// scenarios that exercise its defect, with the evidence of that defect,
// and passes all the others.
func TestBrokenConsumersFailTheirScenarios(t *testing.T) {
	t.Parallel()
	for _, v := range []struct {
		name string
		opt  refOptions
		// fails maps each scenario it must fail to a text its failure
		// must contain.
		fails map[string]string
		// missed is the reason of the changes it must have missed in
		// each failed scenario ("" for none).
		missed string
	}{
		{"never-reads-children", refOptions{noChildren: true}, map[string]string{
			"shard-rollover": "stalled", "shard-split": "stalled", "parent-child-order": "stalled",
			"paused-past-retention": "stalled", "describestream-throttled": "stalled", "restart-after-day-down": "stalled",
		}, "unread"},
		{"latest-on-expired", refOptions{latestOnExpired: true}, map[string]string{
			"iterators-expired": "skipped",
		}, "skipped"},
		{"exits-on-throttle", refOptions{exitOnThrottle: true}, map[string]string{
			"getrecords-throttled": "LimitExceededException", "describestream-throttled": "LimitExceededException",
		}, ""},
		{"reads-parent-and-child", refOptions{concurrent: true}, map[string]string{
			"parent-child-order": "before finishing the parent", "restart-after-day-down": "before finishing the parent",
		}, ""},
	} {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			rep, err := certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Consumer: certify.Func(v.opt.run),
				CatchUpWithin: 5 * time.Second, RestartBackoff: 20 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range rep.Results {
				want, mustFail := v.fails[res.Name]
				switch {
				case !mustFail && res.Status != certify.StatusPass:
					t.Errorf("%s: %s, want pass: %s", res.Name, res.Status, strings.Join(append(res.Failures, res.Reason), "; "))
				case mustFail && res.Status != certify.StatusFail:
					t.Errorf("%s: %s, want fail (%s)", res.Name, res.Status, want)
				case mustFail && !strings.Contains(strings.Join(res.Failures, "\n"), want):
					t.Errorf("%s: failures %q, want one with %q", res.Name, res.Failures, want)
				case mustFail && v.missed != "" && res.Missed[v.missed] == 0:
					t.Errorf("%s: missed %v, want %s changes", res.Name, res.Missed, v.missed)
				}
			}
			if v.fails["getrecords-throttled"] != "" {
				res, _ := rep.Result("getrecords-throttled")
				if len(res.Crashes) == 0 || !strings.Contains(res.Crashes[0].Exit, "LimitExceededException") || res.Starts != len(res.Crashes)+1 {
					t.Errorf("getrecords-throttled: crashes %+v after %d starts", res.Crashes, res.Starts)
				}
			}
			if t.Failed() {
				_ = rep.WriteTable(os.Stderr)
			}
		})
	}
}

// The same seed gives the same workload and the same fault decisions: two
// runs of a scenario with a probabilistic drop rule, each on a server of
// its own seeded alike, commit the same changes and drop the same ones.
func TestSameSeedSameWorkloadAndFaults(t *testing.T) {
	t.Parallel()
	sc, err := certify.ParseScenarios([]byte(`{"name": "lossy", "workload": {"keys": 16, "writes": 150},
		"steps": [{"at": 0, "do": "addRule", "rule": {"id": "lossy", "target": "stream", "action": {"type": "drop"},
			"when": {"probability": 0.1}}}],
		"expect": {"allowMissed": ["dropped"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	changes := func(seed uint64) []string {
		srv := dynafaulttest.Start(t, dynafaulttest.WithEmulatorOptions(emulator.Options{Seed: 99, StreamRollover: 4 * time.Hour}))
		rep, err := certify.Run(t.Context(), certify.Config{Endpoint: srv.URL, Consumer: certify.Func(refOptions{}.run),
			Scenarios: sc, Seed: seed, Keep: true, CatchUpWithin: 20 * time.Second})
		if err != nil || rep.Results[0].Status != certify.StatusPass {
			t.Fatalf("run: %v %+v", err, rep.Results)
		}
		all, err := srv.Admin().ChangesAll(t.Context(), rep.Results[0].Table, 0)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(all))
		for i, c := range all {
			out[i] = c.EventName + " " + c.Keys.String() + " " + c.Fate + " " + c.NewImage.String()
		}
		return out
	}
	a, b := changes(5), changes(5)
	if !slices.Equal(a, b) {
		t.Errorf("seed 5 twice, different changes:\n%q\n%q", a, b)
	}
	if dropped := strings.Count(strings.Join(a, "\n"), " dropped "); dropped == 0 {
		t.Errorf("no change dropped in %q", a)
	}
	if slices.Equal(a, changes(6)) {
		t.Error("seeds 5 and 6 gave the same changes")
	}
}

// startServer starts an emulator for the battery: shards roll over every
// 4 hours, as DynamoDB's do (the zero Options never roll them over), which
// the scenarios that move the clock by a day count on.
func startServer(t *testing.T) *dynafaulttest.Server {
	t.Helper()
	return dynafaulttest.Start(t, dynafaulttest.WithEmulatorOptions(emulator.Options{StreamRollover: 4 * time.Hour}))
}
