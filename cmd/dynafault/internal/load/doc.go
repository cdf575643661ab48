// Package load is the load generator behind "dynafault load": it drives a
// DynamoDB endpoint (dynafault, DynamoDB Local or the real service) through
// aws-sdk-go-v2 with N concurrent workers for a fixed duration and reports
// throughput, errors by type and latency percentiles, so implementations
// can be compared on the same machine.
//
// # Workloads
//
//   - put: PutItem of ~100-byte items under random keys.
//   - get: GetItem of keys preloaded before the run (Config.Items of them).
//   - mixed: 80% GetItem of preloaded keys, 20% PutItem overwriting them.
//   - query: Query of one 100-item partition, one page.
//   - stream: the workers write as in put while one reader per shard
//     follows GetRecords iterators; it reports records read per second and
//     the write-to-visible latency (from the writer's clock at PutItem to
//     the reader seeing the record).
//   - soak: the workers run mixed (each call bounded to 5 s) while a
//     flood of slow clients (Config.SlowClients) holds connections: three
//     in four send headers declaring a large body (Config.SlowBody) and
//     trickle it a byte every Config.SlowEvery, one in four sends
//     nothing; each opens a new connection whenever the server ends its
//     own. It reports the normal client's error rate, the flood's
//     connections, those the server cut and the dial errors, and, with
//     Config.ServerPID, the server's peak RSS from /proc/<pid>/status.
//
// # Measurement
//
// The SDK client has retries off, so every throttle and error is counted
// once, by exception name, and never hidden in a latency. Latencies of
// successful calls go to a log-linear histogram (about 1.6% relative
// precision, HDR style); percentiles are read from it and the maximum is
// exact. Each worker has its own histogram and random source; they are
// merged at the end, so the workers share nothing while running.
//
// # Tables
//
// Run creates a table with a unique name (key pk S, sort key sk S, on
// demand, with a stream for the stream workload), preloads it, and deletes
// it at the end unless Config.Keep. Config.Table runs against an existing
// table of the same key schema instead, which is never deleted.
package load
