// Package admin is dynafault's admin REST API, served under /_admin on the
// same port as the DynamoDB protocol. Every answer is JSON; errors are
// {"error":"<text>"} with a 4xx status for a bad request (5xx when the
// emulator failed). Request bodies are JSON objects; unknown fields are
// rejected with 400 naming the field.
//
// # Endpoints
//
//	GET  /_admin/health      {"status":"ok"}
//	GET  /_admin/clock       {"now":"<RFC 3339>","mode":"real"|"frozen","offset":"25h0m0s"}
//	POST /_admin/clock       one of {"advance":"25h"}, {"set":"<RFC 3339>"},
//	                         {"mode":"frozen"|"real"}; answers like GET after
//	                         running the work the move made due (stream
//	                         rollover and retention, then the TTL sweep)
//	POST /_admin/ttl/sweep   {"deleted":N}: delete expired items now
//	POST /_admin/reset       {"reset":true,"data":false}: clear runtime state;
//	                         ?data=true also drops every table and stream
//	GET  /_admin/streams[/{table}]  {"streams":[...]}: streams, shards, lineage,
//	                         trim horizons, record counts
//	POST /_admin/streams/{table}/shards/{shard}/rollover|split
//	                         {"closed":"<shard>","children":["<shard>",...]}
//	POST /_admin/streams/{table}/trim  optional {"olderThan":"1h"}: trim records
//	                         (all by default) as retention would; {"trimmed":true}
//	POST /_admin/streams/{table}/iterators/expire  {"expired":true}
//
// Routes are declared one per line in routes (routes.go). The points where
// admin calls make other parts act (after a clock move, on reset) are the
// functions in hooks.go.
package admin
