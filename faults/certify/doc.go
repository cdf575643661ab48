// Package certify grades a DynamoDB Streams consumer with a battery of
// stream failures and a report card.
//
// Each scenario of the battery gets a fresh table with a stream of
// several shards, a deterministic, seeded workload (inserts, updates and
// deletes of items that carry a version counter), and steps taken at
// given points of the workload: fault rules added and removed, shards
// paused, resumed, rolled over, split and trimmed, iterators expired, the
// server's clock moved, the consumer stopped, started and restarted. The
// consumer is started for the scenario (told its endpoint, table, stream
// and an access key id of its own) and the scenario ends when dynafault's
// consumer oracle says it caught up, or when its deadline passes (it
// stalled). The evidence comes from the oracle and the consumer: the
// changes it missed by reason, the records handed to it twice, the child
// shards it read before their parent, its crashes with their last output
// lines, the time it took to catch up; the scenario's expectations turn
// it into pass or fail.
//
// The battery drives any dynafault endpoint over HTTP: the AWS SDK for Go
// v2 for the table and the workload, package faults/client for faults,
// shards, the clock and the oracle. It moves the server's clock, so it
// wants a server of its own. Scenarios run one after the other.
//
// A consumer is a Command (a process, restarted when a scenario calls for
// it or after a crash), a Func (Go code run in the battery's process), or
// Running (a reader already running, known by its access key id). From a
// Go test, Test runs one subtest per scenario:
//
//	func TestOrdersConsumer(t *testing.T) {
//		// Shards roll over every 4 hours, as DynamoDB's do; the zero
//		// Options never roll them over.
//		srv := dynafaulttest.Start(t, dynafaulttest.WithEmulatorOptions(emulator.Options{StreamRollover: 4 * time.Hour}))
//		certify.Test(t, certify.Config{Endpoint: srv.URL, Consumer: certify.Func(runOrdersConsumer)})
//	}
//
// The battery is data: Builtin returns the built-in scenarios, embedded in
// the scenario file format that ParseScenarios and LoadScenarios read
// (docs/certify.md), so a team can add its own. The same seed gives the
// same workload and the same fault decisions.
package certify
