package mapping

import (
	"context"
	"time"

	"github.com/dynafault/dynafault/emulator/mapping/filter"
	"github.com/dynafault/dynafault/emulator/stream"
)

// run is one poller of a mapping: started when the mapping is enabled
// (or updated), stopped when it is disabled, updated, deleted or reset.
// It works on a copy of the mapping's settings; checkpoints live in the
// Mapping, so the next run resumes from them.
type run struct {
	m       *Manager
	mp      *Mapping
	uuid    string
	cfg     Config
	filters []*filter.Pattern
	fnName  string
	fnARN   string
	table   string
	src     source

	// stopCtx ends waiting and the start of new invocations (a soft stop:
	// an invocation under way finishes and its outcome is committed).
	stopCtx context.Context
	stop    context.CancelFunc
	// killCtx also aborts invocations under way (Reset, Close).
	killCtx context.Context
	kill    context.CancelFunc
	done    chan struct{}
	prev    *run // a stopping run this one waits for
}

// startLocked starts a poller for mp with its current settings, after
// the previous one (if stopping) has exited. Must be called with m.mu held.
func (m *Manager) startLocked(mp *Mapping) {
	r := &run{
		m: m, mp: mp, uuid: mp.uuid, cfg: mp.cfg, filters: mp.filters, fnName: mp.fnName, fnARN: mp.fnARN,
		table: mp.table, src: source{region: m.opts.Region, streamARN: mp.cfg.EventSourceArn, viewType: mp.viewType},
		done: make(chan struct{}), prev: mp.run,
	}
	r.stopCtx, r.stop = context.WithCancel(context.Background())
	r.killCtx, r.kill = context.WithCancel(context.Background())
	mp.run = r
	m.wg.Add(1)
	go r.loop()
}

// stopLocked asks mp's poller to stop softly. Must be called with m.mu held.
func (m *Manager) stopLocked(mp *Mapping) {
	if mp.run != nil {
		mp.run.stop()
	}
}

// loop discovers the shards of the stream and runs one worker per shard
// whose parent is finished, until stopped.
func (r *run) loop() {
	defer r.m.wg.Done()
	defer close(r.done)
	defer r.detach()
	defer r.kill()
	if r.prev != nil {
		select {
		case <-r.prev.done:
		case <-r.killCtx.Done():
			return
		}
	}
	workers := map[string]chan struct{}{}
	finished := make(chan string, 16)
	ticker := time.NewTicker(r.m.opts.PollInterval)
	defer ticker.Stop()
	for {
		clockCh := r.m.clock.Changed()
		if r.stopCtx.Err() == nil {
			r.discover(workers, finished)
		}
		if r.stopCtx.Err() != nil && len(workers) == 0 {
			return
		}
		select {
		case id := <-finished:
			delete(workers, id)
		case <-ticker.C:
		case <-clockCh:
		case <-r.stopCtx.Done():
			if len(workers) == 0 {
				return
			}
			id := <-finished
			delete(workers, id)
		}
	}
}

// detach clears the mapping's run when it is this one.
func (r *run) detach() {
	r.m.mu.Lock()
	defer r.m.mu.Unlock()
	if r.mp.run == r {
		r.mp.run = nil
	}
}

// discover starts a worker for every listed shard that is not finished,
// not being worked on, and whose parent (when still listed) is finished:
// a parent shard is processed to its end before its children. It forgets
// the checkpoints of shards no longer listed.
func (r *run) discover(workers map[string]chan struct{}, finished chan string) {
	refs, err := r.m.streams.ShardList(r.cfg.EventSourceArn)
	if err != nil {
		return // the stream expired: nothing more will come
	}
	listed := make(map[string]bool, len(refs))
	for _, ref := range refs {
		listed[ref.ID] = true
	}
	r.m.mu.Lock()
	for id := range r.mp.ckpt { // shards dropped after retention
		if !listed[id] && workers[id] == nil {
			delete(r.mp.finished, id)
			delete(r.mp.ckpt, id)
			delete(r.mp.shards, id)
		}
	}
	var start []stream.ShardRef
	for _, ref := range refs {
		if r.mp.finished[ref.ID] || workers[ref.ID] != nil {
			continue
		}
		if ref.Parent != "" && listed[ref.Parent] && !r.mp.finished[ref.Parent] {
			continue
		}
		start = append(start, ref)
	}
	r.m.mu.Unlock()
	for _, ref := range start {
		w := r.newWorker(ref)
		workers[ref.ID] = make(chan struct{})
		r.m.wg.Add(1)
		go func() {
			defer r.m.wg.Done()
			w.loop()
			finished <- ref.ID
		}()
	}
}
