package engine

import (
	"log/slog"
	"time"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/store"
	"github.com/dynafault/dynafault/emulator/stream"
)

// Stream defaults (see Options).
const (
	defaultStreamRetention = 24 * time.Hour
	defaultIteratorTTL     = 15 * time.Minute
	// maxRecordsBytes is the GetRecords response cap.
	maxRecordsBytes = 1 << 20
)

// streamHub connects tables to their streams: it appends the records of
// committed changes (the store's OnCommit hook) and keeps the registry in
// step with each table's stream settings.
type streamHub struct {
	reg        *stream.Registry
	partitions int // default partitions per stream
	clock      *clock.Clock
	log        *slog.Logger
}

// newStreamHub builds the hub from the engine options (already defaulted).
func newStreamHub(opts Options) *streamHub {
	return &streamHub{
		reg: stream.NewRegistry(stream.Options{
			Clock:       opts.Clock,
			Partitions:  opts.StreamShards,
			Retention:   cmpOr(opts.StreamRetention, defaultStreamRetention),
			Rollover:    max(0, opts.StreamRollover),
			IteratorTTL: cmpOr(opts.IteratorTTL, defaultIteratorTTL),
			Hook:        opts.StreamHook,
			Freed:       opts.StreamFreed,
			Losses:      opts.StreamLosses,
			LedgerSize:  opts.LedgerSize,
		}),
		partitions: opts.StreamShards, clock: opts.Clock, log: opts.Logger,
	}
}

// cmpOr returns d, or def when d is not positive.
func cmpOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// onCommit is the store's OnCommit hook: it runs under the table's write
// lock, so records are appended in commit order.
func (h *streamHub) onCommit(t *store.Table, meta any, changes []store.Change) {
	m, _ := meta.(*tableMeta)
	if m == nil || !m.Stream.Enabled {
		return
	}
	s := h.reg.Get(m.Stream.ARN)
	if s == nil {
		h.log.Warn("stream missing for a table with an enabled stream", "table", t.Name(), "stream", m.Stream.ARN)
		return
	}
	h.emitStreamRecords(s, changes)
}

// emitStreamRecords builds one record per change that changed something and
// appends them to the stream. It is the single entry point of records into
// streams, for the fault layer to wrap.
func (h *streamHub) emitStreamRecords(s *stream.Stream, changes []store.Change) {
	recs := make([]stream.Record, 0, len(changes))
	for _, c := range changes {
		sc := stream.Change{Old: c.Old, New: c.New, OldPacked: c.OldPacked, NewPacked: c.NewPacked, Service: c.Cause == store.CauseTTL}
		if r, ok := s.BuildChange(sc); ok {
			recs = append(recs, r)
		}
	}
	if len(recs) > 0 {
		s.Append(recs, h.clock.Now())
	}
}

// streamSpecOf is the registry spec of the table's stream described by sm.
func streamSpecOf(def store.TableDef, sm streamMeta) stream.Spec {
	return stream.Spec{
		ARN: sm.ARN, Label: sm.Label, Table: def.Name, ViewType: sm.ViewType, Created: sm.Created,
		Key: stream.KeySchema{Hash: def.Key.Hash, Range: def.Key.Range},
	}
}

// register creates the registry stream of a table about to be created and
// returns a function that undoes it (for a CreateTable that then fails).
func (h *streamHub) register(def store.TableDef, m *tableMeta) (undo func()) {
	if !m.Stream.Enabled {
		return func() {}
	}
	if _, err := h.reg.Create(streamSpecOf(def, m.Stream)); err != nil {
		return func() {}
	}
	return func() { h.reg.Remove(m.Stream.ARN) }
}

// sync brings the registry in line with a table's metadata after an
// UpdateTable: the enabled stream exists, every disabled one is disabled.
// Called inside the table's write lock.
func (h *streamHub) sync(def store.TableDef, m *tableMeta) {
	if m.Stream.Enabled {
		if h.reg.Get(m.Stream.ARN) == nil {
			_, _ = h.reg.Create(streamSpecOf(def, m.Stream))
		}
	} else if m.Stream.Label != "" {
		h.disable(m.Stream)
	}
	for _, old := range m.OldStreams {
		h.disable(old)
	}
}

// disable closes the stream sm names (as of its disable time, or now).
func (h *streamHub) disable(sm streamMeta) {
	s := h.reg.Get(sm.ARN)
	if s == nil {
		return
	}
	at := sm.Disabled
	if at.IsZero() {
		at = h.clock.Now()
	}
	s.Disable(at)
}

// tableDropped disables the stream of a deleted table whose metadata is m.
// DeleteTable calls it under the table's write lock, with the drop, so that
// writes committed before the drop are in the stream.
func (h *streamHub) tableDropped(m *tableMeta) {
	if m != nil && m.Stream.Enabled {
		h.disable(streamMeta{ARN: m.Stream.ARN})
	}
}

// latestLabel returns the newest label the table's streams ever had, so
// a new stream's label (and ARN) differs even when the clock has not moved.
func (h *streamHub) latestLabel(table string) string { return h.reg.LatestLabel(table) }
