// Package faults holds dynafault's fault rules, decides deterministically when
// they fire, and keeps the journal of every firing. It has no HTTP: the data
// path asks an Injector at fixed hook points and applies the answer itself,
// and the admin API and the Go client share the JSON form of the types here.
//
// # Rules
//
// A Rule is {id, target, match, action, when, ttl, enabled}. The target says
// where it applies:
//
//   - "stream": decided when a stream record is appended (DecideStream).
//     Actions: drop, delay, duplicate, reorder.
//   - "api": decided per request around each DynamoDB or Streams operation
//     (DecideAPI). Actions: error, latency, commitThenFail, partialBatch,
//     emptyRecords.
//
// Match narrows a rule to a table (exact name or path.Match glob), operations,
// stream event names, key attribute predicates and the caller's access key
// id; an omitted field matches anything. ParseRules decodes rules strictly
// (unknown fields and bad values are *FieldError values naming the field) and
// Rule.Validate checks a rule built in Go.
//
// # Triggers and determinism
//
// For each event a matching, enabled rule runs its trigger in this order:
// count the match, skip (the first Skip matches pass), everyNth (fire on every
// Nth match after the skipped ones), probability, then fire (count it; after
// Times firings the rule is exhausted and stops firing). Probability and
// latency jitter draw from a per-rule PCG generator seeded from the server
// seed and an FNV-1a hash of the rule id, advanced only by that rule's own
// matches. The global random source is never used. So the same seed and the
// same sequence of events give the same decisions and the same journal, and
// adding a rule never changes another rule's decisions.
//
// Rules are evaluated in the order they were added. Within one target the
// first rule that fires wins; a later rule whose trigger also passes is
// shadowed: its match and random draw are counted as usual, but it does not
// fire, is not journaled and keeps its Times budget. Latency rules are the
// exception: every firing latency rule adds its latency, whatever else fires.
//
// A rule with a ttl removes itself once that much wall-clock time has passed
// since it was added (or since its ttl was patched). Removal happens lazily,
// on the next decision, List or Get.
//
// # Journal
//
// Every firing is journaled before its decision is returned: the data path
// cannot drop, delay, duplicate or reorder anything without an entry. Entries
// carry the rule, action, table, keys, event name, event id, sequence number
// and shard (stream) or operation, request id and access key (api), plus the
// virtual clock time and the wall time. The journal keeps the newest entries
// up to a bound and counts what it evicted; Journal reads it in cursor-paged,
// filtered pages.
//
// # Hook points
//
// The callers apply the decisions; this package only decides and journals.
//
//   - api hook (wire), around each operation: DecideAPI(APIEvent{Operation,
//     Table, Tables, AccessKeyID, RequestID}). Wait out Latency with Wait
//     (it honours cancellation); then, if Error is set, answer it without
//     running the operation; if CommitThenFail is set, run the operation
//     and then answer its error or drop the connection; if PartialBatch is
//     set, ask PartialBatch.Unprocessed for each item of the batch; if
//     EmptyRecords is set, answer GetRecords with no records and a next
//     iterator at the same position.
//   - stream hook, when a record is appended (its event id and sequence
//     number already assigned): DecideStream(StreamEvent{...}) and drop,
//     delay, duplicate or reorder the record as StreamDecision says.
//   - admin: ParseRules / ParsePatch, then Add, Replace, Patch, Delete,
//     Get, List, Reset; a *FieldError is a 400 naming the field,
//     ErrDuplicateID a 409, ErrNotFound a 404. Journal, ClearJournal,
//     RecordShardAction (pause, resume, rollover, split, trim, expiring
//     iterators) and RecordClockChange (every move of the virtual clock)
//     serve the journal endpoints.
//
// # Concurrency
//
// An Injector is safe for concurrent use; one mutex guards its rules and
// journal. When no rule of a target exists, the decision for that target is
// one atomic load.
package faults
