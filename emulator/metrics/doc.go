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
//	dynafault_consumed_read_capacity_units_total{table, index}   counter
//	dynafault_consumed_write_capacity_units_total{table, index}  counter
//	dynafault_read_throttle_events_total{table, index}  counter
//	dynafault_write_throttle_events_total{table, index} counter
//	dynafault_throttled_requests_total{table}           counter
//	dynafault_provisioned_read_capacity_units{table, index}      gauge
//	dynafault_provisioned_write_capacity_units{table, index}     gauge
//	dynafault_available_read_capacity_units{table, index}        gauge
//	dynafault_available_write_capacity_units{table, index}       gauge
//	dynafault_partitions{table, index}                  gauge
//	dynafault_hot_key_consumed_units_total{table, index, key, operation} counter
//	dynafault_hot_key_units_per_second{table, index, key, operation}     gauge
//	dynafault_hot_key_throttled_requests_total{table, index, key}        counter
//	dynafault_fault_firings_total{rule}                 counter
//	dynafault_fault_matches_total{rule}                 counter
//
// plus the Go runtime and process collectors (go_*, process_*).
//
// The capacity series exist for tables under capacity enforcement (package
// capacity), with the CloudWatch metrics' meanings: index "" is the table
// (its LSIs included), the provisioned series are the table-level rate (the
// on-demand ceiling for an on-demand table), and the hot-key series show
// the ten partition keys of each table and GSI that consumed the most.
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
