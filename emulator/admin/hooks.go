package admin

import "context"

// Hooks where the admin API makes other parts of the emulator act. Each
// later feature adds its step here, so that the admin endpoints stay the
// only callers and the order of the steps is visible in one place.

// runTimeDrivenWork does, synchronously, the work that a move of the clock
// made due, so that it has happened when POST /_admin/clock answers: the
// streams' rollovers, retention trimming and expiry of disabled streams
// first (so that the shards are those of the new time), then the TTL sweep
// (whose REMOVE records land in those shards).
func (a *API) runTimeDrivenWork(ctx context.Context) error {
	a.engine.AdvanceStreams()
	n, err := a.engine.SweepTTL(ctx)
	if n > 0 {
		a.log.Debug("ttl sweep after clock change", "deleted", n)
	}
	return err
}

// resetRuntimeState clears the runtime state of the emulator other than
// its tables, for POST /_admin/reset: event source mappings are stopped
// (their pollers have exited when it returns) and forgotten (registered
// functions stay), paused shards are resumed and records held by stream
// faults are released (so nothing is lost silently), then the fault rules,
// the journal and the consumer tracking (with the names given to
// consumers) are cleared.
func (a *API) resetRuntimeState(context.Context) error {
	a.mappings.Reset()
	a.engine.ReleaseStreamFaults()
	a.faults.Reset()
	a.engine.ResetConsumers()
	return nil
}
