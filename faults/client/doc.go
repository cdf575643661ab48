// Package client is a typed Go client of dynafault's admin API (the HTTP
// endpoints under /_admin), for tests and tools that drive a running
// server: fault rules and their counters, the fault journal, stream and
// shard controls (a shard by id, or ShardForKey for the shard an item's
// records go to; each action returns the seq of its journal entry), the
// virtual clock (SetClockOffset(ctx, 0) returns it to wall time),
// snapshots of the tables, the TTL sweep and reset.
//
//	c := client.New("http://127.0.0.1:8000")
//	rules, err := c.AddRules(ctx, faults.Rule{
//		ID:     "lose-one",
//		Target: faults.TargetStream,
//		Match:  faults.Match{Table: "orders", EventName: []string{"MODIFY"}, Key: faults.KeyEquals("pk", "ORDER#7")},
//		Action: faults.Action{Type: faults.ActionDrop},
//		When:   faults.When{Times: 1},
//	})
//
// The rule and journal types are those of package faults, so a rule
// written in Go has the same JSON form as one sent with curl or loaded
// with --faults.
//
// Every method returns a *Error for an answer with a status of 400 or
// more; it carries the HTTP status, the server's message and, for a bad
// rule, the path of the offending field:
//
//	var e *client.Error
//	if errors.As(err, &e) && e.Status == http.StatusConflict { ... }
//
// # Test helpers
//
// AddRule adds a rule for the duration of a test (t.Cleanup removes it),
// WaitFired waits for a rule's fired counter, Journal reads every journal
// entry of a rule, and ExpectNoFirings fails a test during which any rule
// fired. They take a testing.TB and fail the test on error.
//
// The package uses net/http only; it does not depend on the AWS SDK or on
// the emulator, so it also drives a server in another process or a
// container.
package client
