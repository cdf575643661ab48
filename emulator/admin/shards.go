package admin

import (
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/faults"
)

// Shard fault controls: POST /_admin/streams/{table}/shards/{shard}/pause
// and .../resume (journaled as shard actions), and POST
// /_admin/streams/{table}/shards {"count": N}.

// shardState is the answer of pause and resume.
type shardState struct {
	Table   string `json:"table"`
	Shard   string `json:"shard"`
	Paused  bool   `json:"paused"`
	Journal uint64 `json:"journalSeq"` // the journal entry of the action
}

// pauseShard answers POST .../shards/{shard}/pause: GetRecords of the
// shard returns no records, with a valid iterator at the same position,
// while writes keep landing.
func (a *API) pauseShard(w http.ResponseWriter, r *http.Request) {
	a.shardAction(w, r, faults.ShardPause, a.engine.PauseShard)
}

// resumeShard answers POST .../shards/{shard}/resume: the backlog is
// delivered in order.
func (a *API) resumeShard(w http.ResponseWriter, r *http.Request) {
	a.shardAction(w, r, faults.ShardResume, a.engine.ResumeShard)
}

// shardAction runs a pause or resume and journals it.
func (a *API) shardAction(w http.ResponseWriter, r *http.Request, action string, f func(table, shard string) error) {
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	v := mux.Vars(r)
	if err := f(v["table"], v["shard"]); err != nil {
		writeEngineError(w, err)
		return
	}
	e := a.faults.RecordShardAction(action, v["table"], v["shard"])
	writeJSON(w, http.StatusOK, shardState{Table: v["table"], Shard: v["shard"], Paused: action == faults.ShardPause, Journal: e.Seq})
}

// shardCount is the body and answer of POST /_admin/streams/{table}/shards.
type shardCount struct {
	Count *int `json:"count"`
}

// setShardCount answers POST /_admin/streams/{table}/shards: the number of
// open shards of the table's streams created from now on, and of its
// current stream while it has never had a record (else split shards).
// The table need not exist yet.
func (a *API) setShardCount(w http.ResponseWriter, r *http.Request) {
	var in shardCount
	if err := decodeBody(w, r, &in, false); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if in.Count == nil || *in.Count < 1 || *in.Count > maxShardCount {
		writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: `"count" must be an integer from 1 to 1000`, Field: "count"})
		return
	}
	if err := a.engine.SetStreamShards(mux.Vars(r)["table"], *in.Count); err != nil {
		writeEngineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, in)
}

// maxShardCount bounds the shards of one stream.
const maxShardCount = 1000

// trimBefore answers a trim whose body gives "before": the records with a
// lower sequence number are trimmed, in every shard.
func (a *API) trimBefore(w http.ResponseWriter, r *http.Request, in trimRequest) {
	if in.OlderThan != nil {
		writeError(w, http.StatusBadRequest, `give "olderThan" or "before", not both`)
		return
	}
	table := mux.Vars(r)["table"]
	n, err := a.engine.TrimStreamBefore(table, *in.Before)
	if err != nil {
		writeEngineError(w, err)
		return
	}
	e := a.faults.RecordShardActionDetail(faults.ShardTrim, table, "", fmt.Sprintf("%d records before %s", n, *in.Before))
	writeJSON(w, http.StatusOK, map[string]any{"trimmed": true, "records": n, "journalSeq": e.Seq})
}
