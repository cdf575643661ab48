// Package mapping runs Lambda event source mappings on the emulator's
// DynamoDB streams, the way Lambda's stream poller does: the mappings
// (create, get, list, update, delete, with Lambda's states on the
// emulator clock), the functions they deliver to (a name bound to an HTTP
// target speaking the Runtime Interface Emulator or Invoke API protocol,
// or an in-process Go handler), and one poller per enabled mapping.
//
// # The poller
//
// A poller lists the shards of its stream and runs one worker per shard
// whose parent is finished (a parent shard is processed to its end before
// its children). A worker reads from the mapping's checkpoint for the
// shard (the trim horizon for a shard it never read; with
// StartingPosition LATEST the checkpoints of the shards listed at create
// time are their ends), builds each record's event JSON once
// (appendRecordJSON), drops the records FilterCriteria rejects (they are
// checkpointed) and hands the rest to ParallelizationFactor lanes by
// partition-key hash, so per-key order holds. A lane invokes one batch at
// a time: at most BatchSize records and the 6 MB payload, after the
// batching window that follows its previous invocation when the batch is
// not full. The checkpoint moves past records, in order, once every
// record before them is done; the Observer learns of them then.
//
// Failed batches (function errors, failed partial responses) wait
// Backoff.Wait(n) of clock time before retry n, until they succeed,
// MaximumRetryAttempts is exhausted, their records exceed
// MaximumRecordAgeInSeconds or leave the stream (retention): the shard
// waits meanwhile. Throttles and invoke errors are retried the same way
// without counting. BisectBatchOnFunctionError splits a failing batch in
// halves, each with a fresh retry count. With ReportBatchItemFailures the
// records before the lowest reported sequence number are done and the rest
// retried. Discarded records get a failure record (kept per mapping,
// delivered to an OnFailure function or URL) and a journal entry.
// Tumbling windows carry the function's state between the invocations of
// a window and end it with an invocation with isFinalInvokeForWindow.
//
// All waits and ages come from the clock: advancing it makes retries,
// record ages, batching windows, tumbling windows and transitions happen
// at once; with a frozen clock only a move of the clock lets a waiting
// retry run. Pollers wake on stream appends (stream.Signal) and otherwise
// poll every PollInterval of wall time. With no mapping no goroutine runs.
//
// Every invocation goes through one InvokeFunc (Options.WrapInvoke wraps
// it). A function serialises its invocations unless registered with a
// higher Concurrency (the Runtime Interface Emulator crashes on concurrent
// requests), and its timeout is enforced by dynafault too.
package mapping
