package admin

import "context"

// Hooks where the admin API makes other parts of the emulator act. Each
// later feature adds its step here, so that the admin endpoints stay the
// only callers and the order of the steps is visible in one place.

// runTimeDrivenWork does, synchronously, the work that a move of the clock
// made due, so that it has happened when POST /_admin/clock answers: the
// TTL sweep now; stream retention trimming, iterator expiry and shard
// rollover belong here as well.
func (a *API) runTimeDrivenWork(ctx context.Context) error {
	n, err := a.engine.SweepTTL(ctx)
	if n > 0 {
		a.log.Debug("ttl sweep after clock change", "deleted", n)
	}
	return err
}

// resetRuntimeState clears the runtime state of the emulator other than
// its tables, for POST /_admin/reset: fault rules, the fault journal and
// paused shards belong here. Nothing holds such state yet.
func (a *API) resetRuntimeState(context.Context) error {
	return nil
}
