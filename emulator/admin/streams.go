package admin

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

// Stream controls: inspect streams and shards, and act on them at once
// (rollover, split, trim, expire iterators). Engine errors map to 404 for
// a missing stream or shard and 400 otherwise.

// streamsList is the answer of GET /_admin/streams[/{table}].
type streamsList struct {
	Streams []engine.StreamStatus `json:"streams"`
}

// listStreams answers GET /_admin/streams and GET /_admin/streams/{table}.
func (a *API) listStreams(w http.ResponseWriter, r *http.Request) {
	table := mux.Vars(r)["table"]
	ss, err := a.engine.StreamsStatus(table)
	if err != nil {
		writeEngineError(w, err)
		return
	}
	if table != "" && len(ss) == 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("table %s has no stream", table))
		return
	}
	writeJSON(w, http.StatusOK, streamsList{Streams: ss})
}

// shardChildren is the answer of a rollover or a split.
type shardChildren struct {
	Closed   string   `json:"closed"`     // the shard that was closed
	Children []string `json:"children"`   // the shards opened in its place
	Journal  uint64   `json:"journalSeq"` // the journal entry of the action
}

// rolloverShard answers POST /_admin/streams/{table}/shards/{shard}/rollover.
func (a *API) rolloverShard(w http.ResponseWriter, r *http.Request) {
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	v := mux.Vars(r)
	child, err := a.engine.RolloverShard(v["table"], v["shard"])
	if err != nil {
		writeEngineError(w, err)
		return
	}
	e := a.faults.RecordShardActionDetail(faults.ShardRollover, v["table"], v["shard"], "child "+child)
	writeJSON(w, http.StatusOK, shardChildren{Closed: v["shard"], Children: []string{child}, Journal: e.Seq})
}

// splitShard answers POST /_admin/streams/{table}/shards/{shard}/split.
func (a *API) splitShard(w http.ResponseWriter, r *http.Request) {
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	v := mux.Vars(r)
	kids, err := a.engine.SplitShard(v["table"], v["shard"])
	if err != nil {
		writeEngineError(w, err)
		return
	}
	e := a.faults.RecordShardActionDetail(faults.ShardSplit, v["table"], v["shard"], "children "+kids[0]+", "+kids[1])
	writeJSON(w, http.StatusOK, shardChildren{Closed: v["shard"], Children: kids[:], Journal: e.Seq})
}

// trimRequest is the optional body of POST /_admin/streams/{table}/trim.
type trimRequest struct {
	OlderThan *string `json:"olderThan"` // a Go duration >= 0; absent: every record
	Before    *string `json:"before"`    // a sequence number: trim the records below it
}

// trimStream answers POST /_admin/streams/{table}/trim: it trims the
// records at least olderThan old (every record by default), as retention
// would.
func (a *API) trimStream(w http.ResponseWriter, r *http.Request) {
	var in trimRequest
	if err := decodeBody(w, r, &in, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if in.Before != nil {
		a.trimBefore(w, r, in)
		return
	}
	var older time.Duration
	detail := "every record"
	if in.OlderThan != nil {
		d, err := time.ParseDuration(*in.OlderThan)
		if err != nil || d < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf(`invalid "olderThan" %q: want a Go duration >= 0 such as "1h"`, *in.OlderThan))
			return
		}
		older, detail = d, "records older than "+d.String()
	}
	table := mux.Vars(r)["table"]
	if err := a.engine.TrimStream(table, older); err != nil {
		writeEngineError(w, err)
		return
	}
	e := a.faults.RecordShardActionDetail(faults.ShardTrim, table, "", detail)
	writeJSON(w, http.StatusOK, map[string]any{"trimmed": true, "journalSeq": e.Seq})
}

// expireIterators answers POST /_admin/streams/{table}/iterators/expire.
func (a *API) expireIterators(w http.ResponseWriter, r *http.Request) {
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	table := mux.Vars(r)["table"]
	if err := a.engine.ExpireIterators(table); err != nil {
		writeEngineError(w, err)
		return
	}
	e := a.faults.RecordShardActionDetail(faults.ShardExpireIterators, table, "", "every iterator issued so far")
	writeJSON(w, http.StatusOK, map[string]any{"expired": true, "journalSeq": e.Seq})
}

// shardOfKey is the answer of GET /_admin/streams/{table}/shard.
type shardOfKey struct {
	Table     string `json:"table"`
	StreamArn string `json:"streamArn"`
	ShardID   string `json:"shardId"`
}

// shardForKey answers GET /_admin/streams/{table}/shard?NAME=VALUE...: the
// open shard of the table's enabled stream that receives the records of
// the item with that key (strings as they are, numbers in decimal,
// binaries in base64; the partition key decides).
func (a *API) shardForKey(w http.ResponseWriter, r *http.Request) {
	table := mux.Vars(r)["table"]
	key := map[string]string{}
	for name, vs := range r.URL.Query() {
		if len(vs) != 1 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("key attribute %q given %d times", name, len(vs)))
			return
		}
		key[name] = vs[0]
	}
	arn, shard, err := a.engine.StreamShardForKey(table, key)
	if err != nil {
		writeEngineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, shardOfKey{Table: table, StreamArn: arn, ShardID: shard})
}

// writeEngineError answers an engine error: 404 for ResourceNotFound, 400
// for other client errors, 500 otherwise.
func writeEngineError(w http.ResponseWriter, err error) {
	e := engine.AsError(err)
	switch e.Code {
	case engine.ResourceNotFound:
		writeError(w, http.StatusNotFound, e.Message)
	case engine.InternalServerError:
		writeError(w, http.StatusInternalServerError, e.Message)
	default:
		writeError(w, http.StatusBadRequest, e.Message)
	}
}
