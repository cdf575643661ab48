package admin

import "net/http"

// routes lists every admin endpoint, one per line.
func (a *API) routes() []route {
	return []route{
		{"health", http.MethodGet, "/health", a.health},
		{"metrics", http.MethodGet, "/metrics", a.metrics},
		{"clock", http.MethodGet, "/clock", a.getClock},
		{"setClock", http.MethodPost, "/clock", a.postClock},
		{"ttlSweep", http.MethodPost, "/ttl/sweep", a.sweepTTL},
		{"lifecycle", http.MethodGet, "/lifecycle", a.getLifecycle},
		{"setLifecycle", http.MethodPut, "/lifecycle", a.putLifecycle},
		{"reset", http.MethodPost, "/reset", a.reset},
		{"snapshot", http.MethodPost, "/snapshot", a.saveSnapshot},
		{"loadSnapshot", http.MethodPost, "/snapshot/load", a.loadSnapshot},
		{"streams", http.MethodGet, "/streams", a.listStreams},
		{"tableStreams", http.MethodGet, "/streams/{table}", a.listStreams},
		{"rollover", http.MethodPost, "/streams/{table}/shards/{shard}/rollover", a.rolloverShard},
		{"split", http.MethodPost, "/streams/{table}/shards/{shard}/split", a.splitShard},
		{"trim", http.MethodPost, "/streams/{table}/trim", a.trimStream},
		{"expireIterators", http.MethodPost, "/streams/{table}/iterators/expire", a.expireIterators},
		{"pause", http.MethodPost, "/streams/{table}/shards/{shard}/pause", a.pauseShard},
		{"resume", http.MethodPost, "/streams/{table}/shards/{shard}/resume", a.resumeShard},
		{"shardCount", http.MethodPost, "/streams/{table}/shards", a.setShardCount},
		{"shardForKey", http.MethodGet, "/streams/{table}/shard", a.shardForKey},
		{"faults", http.MethodGet, "/faults", a.listFaults},
		{"addFaults", http.MethodPost, "/faults", a.addFaults},
		{"replaceFaults", http.MethodPut, "/faults", a.replaceFaults},
		{"fault", http.MethodGet, "/faults/{id}", a.getFault},
		{"patchFault", http.MethodPatch, "/faults/{id}", a.patchFault},
		{"deleteFault", http.MethodDelete, "/faults/{id}", a.deleteFault},
		{"consumers", http.MethodGet, "/consumers", a.listConsumers},
		{"consumer", http.MethodGet, "/consumers/{id}", a.getConsumer},
		{"nameConsumer", http.MethodPut, "/consumers/{id}", a.nameConsumer},
		{"forgetConsumer", http.MethodDelete, "/consumers/{id}", a.forgetConsumer},
		{"missed", http.MethodGet, "/consumers/{id}/missed", a.missedChanges},
		{"changes", http.MethodGet, "/changes", a.changes},
		{"journal", http.MethodGet, "/journal", a.getJournal},
		{"clearJournal", http.MethodDelete, "/journal", a.clearJournal},
		{"mappings", http.MethodGet, "/mappings", a.listMappings},
		{"mapping", http.MethodGet, "/mappings/{uuid}", a.getMapping},
		{"mappingFailures", http.MethodGet, "/mappings/{uuid}/failures", a.mappingFailures},
		{"functions", http.MethodGet, "/functions", a.listFunctions},
		{"function", http.MethodGet, "/functions/{name}", a.getFunction},
		{"putFunction", http.MethodPut, "/functions/{name}", a.putFunction},
		{"deleteFunction", http.MethodDelete, "/functions/{name}", a.deleteFunction},
	}
}

// health answers GET /_admin/health.
func (a *API) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
