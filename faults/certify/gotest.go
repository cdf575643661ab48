package certify

import (
	"strings"
	"testing"
	"time"
)

// Test runs the battery from a Go test: one subtest per scenario, in
// order (the scenarios share the server's clock, so they never run in
// parallel). A scenario that fails fails its subtest with the evidence;
// one that does not apply to the consumer is skipped. It returns the
// report card, e.g. to write it as JUnit XML.
//
//	func TestOrdersConsumer(t *testing.T) {
//		// Shards roll over every 4 hours, as DynamoDB's do; the zero
//		// Options never roll them over.
//		srv := dynafaulttest.Start(t, dynafaulttest.WithEmulatorOptions(emulator.Options{StreamRollover: 4 * time.Hour}))
//		certify.Test(t, certify.Config{Endpoint: srv.URL, Consumer: certify.Func(runOrdersConsumer)})
//	}
func Test(t *testing.T, cfg Config) *Report {
	t.Helper()
	b, err := newBattery(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.adm.Health(t.Context()); err != nil {
		t.Fatalf("certify: the endpoint %s does not answer dynafault's admin API: %v", cfg.Endpoint, err)
	}
	rep := b.newReport()
	for i, sc := range b.scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			res := b.scenario(t.Context(), sc, i)
			rep.add(res)
			if b.cfg.OnResult != nil {
				b.cfg.OnResult(res)
			}
			var ev strings.Builder
			writeEvidence(&ev, res, "  ")
			switch res.Status {
			case StatusSkip:
				t.Skip(res.Reason)
			case StatusError:
				t.Fatalf("could not run: %s\n%s", res.Reason, ev.String())
			case StatusFail:
				t.Errorf("%s\n%s", strings.Join(res.Failures, "\n"), ev.String())
			}
		})
	}
	rep.DurationSeconds = time.Since(rep.Started).Seconds()
	return rep
}
