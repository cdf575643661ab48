// Package admin is dynafault's admin REST API, served under /_admin on the
// same port as the DynamoDB protocol. Every answer is JSON; errors are
// {"error":"<text>"} with a 4xx status for a bad request (5xx when the
// emulator failed). Request bodies are JSON objects; unknown fields are
// rejected with 400 naming the field. Every route but GET /_admin/health
// first refuses what only a web page sends (guard.go): a Host that is not
// an IP address, localhost or an allowed name (DNS rebinding), a foreign
// Origin, a CORS preflight, a write whose body is not application/json.
//
// # Endpoints
//
//	GET  /_admin/health      {"status":"ok"}
//	GET  /_admin/clock       {"now":"<RFC 3339>","mode":"real"|"frozen","offset":"25h0m0s"}
//	POST /_admin/clock       one of {"advance":"25h"}, {"set":"<RFC 3339>"},
//	                         {"mode":"frozen"|"real"} (no jump in time),
//	                         {"offset":"0s"} (real mode at this offset from
//	                         the wall clock: "0s" is wall time); journaled
//	                         (kind "clock"); answers like GET, with
//	                         "journalSeq", after running the work the move
//	                         made due (stream rollover and retention, then
//	                         the TTL sweep)
//	POST /_admin/ttl/sweep   {"deleted":N}: delete expired items now
//	POST /_admin/reset       {"reset":true,"data":false}: clear runtime state
//	                         (fault rules, journal; paused shards resume and
//	                         held records are released in place, so nothing
//	                         is lost silently); ?data=true also drops every
//	                         table, stream and transaction client token
//	POST /_admin/snapshot    the tables as a snapshot document (definitions,
//	                         settings, items; engine.WriteSnapshot)
//	POST /_admin/snapshot/load  body: a snapshot; replaces every table:
//	                         {"loaded":true,"tables":N,"items":N}; a newer,
//	                         corrupt or invalid snapshot is a 400 and
//	                         changes nothing
//	GET  /_admin/streams[/{table}]  {"streams":[...]}: streams, shards, lineage,
//	                         trim horizons, record counts
//	GET  /_admin/streams/{table}/shard?NAME=VALUE  {"table","streamArn","shardId"}:
//	                         the open shard receiving the records of the
//	                         item with that key (the partition key decides)
//	POST /_admin/streams/{table}/shards/{shard}/rollover|split
//	                         {"closed":"<shard>","children":["<shard>",...],"journalSeq":N}
//	POST /_admin/streams/{table}/trim  optional {"olderThan":"1h"} or
//	                         {"before":"<sequence number>"}: trim records (all
//	                         by default) as retention would;
//	                         {"trimmed":true,"journalSeq":N}
//	POST /_admin/streams/{table}/iterators/expire  {"expired":true,"journalSeq":N}
//	POST /_admin/streams/{table}/shards/{shard}/pause|resume
//	                         {"table","shard","paused","journalSeq"}: GetRecords
//	                         of a paused shard answers no records and an
//	                         iterator at the same position. Every shard
//	                         action (rollover, split, trim, expire, pause,
//	                         resume) is a journal entry of kind "shard"
//	POST /_admin/streams/{table}/shards  {"count":N}: open shards of the
//	                         table's new streams (and of its stream while it
//	                         never had a record)
//	GET  /_admin/faults      {"rules":[...]}: rules with counters (stats)
//	POST /_admin/faults      a rule or an array of rules, added all or none:
//	                         201 {"rules":[...]} as stored; active for the
//	                         very next request
//	PUT  /_admin/faults      replace every rule (same body; [] clears)
//	GET|PATCH|DELETE /_admin/faults/{id}  one rule; PATCH takes enabled,
//	                         times, when, ttl, description
//	GET  /_admin/journal?rule=&table=&kind=&reason=&consumer=&after=&limit=  {"entries":[...],
//	                         "next":N,"more":bool,"evicted":N}: one page
//	DELETE /_admin/journal   {"cleared":true}
//
// A rule that is not valid is a 400 {"error","field"} naming the field
// (e.g. "action.type", "[1].when.times"); a taken id is a 409 and an
// unknown id a 404. With a token (Options.Token) every route but GET
// /_admin/health needs "Authorization: Bearer <token>", else 401.
//
// Routes are declared one per line in routes (routes.go). The points where
// admin calls make other parts act (after a clock move, on reset) are the
// functions in hooks.go.
package admin
