// Package metrics exposes an emulator's state in the Prometheus text format
// (GET /_admin/metrics). Each Metrics value owns its own
// prometheus.Registry: nothing is registered globally, so several emulators
// in one process keep separate metrics.
//
// # Series
//
//	dynafault_requests_total{operation, error}          counter
//	dynafault_request_duration_seconds{operation}       histogram
//	dynafault_table_items{table}                        gauge
//	dynafault_table_bytes{table}                        gauge
//	dynafault_stream_records_appended_total{table, stream, shard}   counter
//	dynafault_stream_records_delivered_total{...}       counter
//	dynafault_stream_records_dropped_total{...}         counter
//	dynafault_stream_records_delayed_total{...}         counter
//	dynafault_stream_records{...}                       gauge
//	dynafault_stream_newest_record_age_seconds{...}     gauge
//	dynafault_stream_oldest_undelivered_age_seconds{...} gauge
//	dynafault_consumer_lag_seconds{consumer,name,table} gauge
//	dynafault_consumer_missed_records{consumer,name,table,reason} gauge
//	dynafault_fault_firings_total{rule}                 counter
//	dynafault_fault_matches_total{rule}                 counter
//
// plus the Go runtime and process collectors (go_*, process_*).
//
// error is "" for a success and the exception name otherwise
// ("ConditionalCheckFailedException"). stream is the stream label, which
// tells apart the shards of a table's current and disabled streams.
// Delivered counts the records GetRecords returned, once per consumer that
// read them. newest_record_age is the clock age of the newest readable
// record of a shard (absent when the shard holds none): on a shard whose
// writers stopped it grows, which is the IteratorAge the real service
// cannot show. oldest_undelivered_age is the clock age of the oldest record
// no GetRecords has returned yet, 0 when consumers are caught up: it grows
// when a shard is written but not read, and a record trimmed before any
// read delivered it keeps counting until a read goes past it. The
// consumer series are per consumer (access key id or mapping UUID, with
// the name given to it): its lag, and the changes it missed by reason,
// which a trim turns from pending into trimmed without lowering the total. Ages use the emulator's clock, so
// they jump when the virtual clock is advanced.
//
// # Cost
//
// The request path resolves its counter and histogram children once per
// operation (Operation) and pays two atomic updates per call (three on an
// error, plus one map lookup). Table sizes, shard state and fault firings
// are read by custom collectors at scrape time only.
package metrics
