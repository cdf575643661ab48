package admin

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/emulator/stream"
	"github.com/dynafault/dynafault/faults"
)

// The consumer oracle: GET /_admin/consumers (every consumer with its
// position, lag and missed counts per shard), GET|PUT|DELETE
// /_admin/consumers/{id} (one consumer; its name; stop tracking it), GET
// /_admin/consumers/{id}/missed?table=&reason=&after=&limit= (every record
// it did not receive, with the reason), and GET
// /_admin/changes?table=&after=&limit= (the change ledger).

// missedReasons are the reasons GET .../missed filters by.
var missedReasons = []string{ //nolint:gochecknoglobals // constant
	stream.LossDropped, stream.LossTrimmed, stream.LossSkipped, stream.LossUnread, stream.LossDiscarded,
	stream.LossPending,
}

// consumersList is the answer of GET /_admin/consumers.
type consumersList struct {
	Consumers []engine.ConsumerStatus `json:"consumers"`
}

// listConsumers answers GET /_admin/consumers.
func (a *API) listConsumers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, consumersList{Consumers: a.engine.Consumers()})
}

// getConsumer answers GET /_admin/consumers/{id} (an id or a name).
func (a *API) getConsumer(w http.ResponseWriter, r *http.Request) {
	c, err := a.engine.Consumer(mux.Vars(r)["id"])
	if err != nil {
		writeEngineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// consumerName is the body of PUT /_admin/consumers/{id}.
type consumerName struct {
	Name *string `json:"name"`
}

// nameConsumer answers PUT /_admin/consumers/{id} {"name": "kcl-worker-1"}:
// the consumer with the ID (an access key id or a mapping UUID, known yet
// or not) is shown under the name, and the name can stand for the ID.
func (a *API) nameConsumer(w http.ResponseWriter, r *http.Request) {
	var in consumerName
	if err := decodeBody(w, r, &in, false); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if in.Name == nil {
		writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: "name: required (\"\" removes the name)", Field: "name"})
		return
	}
	id := mux.Vars(r)["id"]
	if err := a.engine.SetConsumerName(id, *in.Name); err != nil {
		if errors.Is(err, stream.ErrNameTaken) {
			writeError(w, http.StatusConflict, fmt.Sprintf("the name %q is given to another consumer", *in.Name))
			return
		}
		writeEngineError(w, err)
		return
	}
	a.log.Info("consumer named", "consumer", id, "name", *in.Name)
	writeJSON(w, http.StatusOK, map[string]string{"id": id, "name": *in.Name})
}

// forgetConsumer answers DELETE /_admin/consumers/{id}: the consumer is no
// longer tracked (its next request starts a new report) and its name is
// dropped.
func (a *API) forgetConsumer(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := a.engine.ForgetConsumer(id); err != nil {
		writeEngineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"forgotten": id})
}

// missedParams are the query parameters GET .../missed accepts.
var missedParams = []string{"after", "limit", "reason", "table"} //nolint:gochecknoglobals // constant

// missedChanges answers GET /_admin/consumers/{id}/missed.
func (a *API) missedChanges(w http.ResponseWriter, r *http.Request) {
	q, ferr := missedQuery(r)
	if ferr != nil {
		writeJSON(w, http.StatusBadRequest, ferr)
		return
	}
	q.Consumer = mux.Vars(r)["id"]
	p, err := a.engine.Missed(q)
	if err != nil {
		writeEngineError(w, err)
		return
	}
	a.linkDrops(p.Changes)
	writeJSON(w, http.StatusOK, p)
}

// missedQuery reads and checks the query of GET .../missed.
func missedQuery(r *http.Request) (engine.MissedQuery, *fieldErrorBody) {
	v := r.URL.Query()
	if ferr := onlyParams(v, missedParams); ferr != nil {
		return engine.MissedQuery{}, ferr
	}
	q := engine.MissedQuery{Table: v.Get("table"), After: v.Get("after")}
	if s := v.Get("reason"); s != "" {
		for reason := range strings.SplitSeq(s, ",") {
			if !slices.Contains(missedReasons, reason) {
				return q, &fieldErrorBody{Error: fmt.Sprintf("invalid reason %q: want one or more of %s, comma-separated",
					reason, strings.Join(missedReasons, ", ")), Field: "reason"}
			}
			q.Reasons = append(q.Reasons, reason)
		}
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > faults.MaxPageLimit {
			return q, &fieldErrorBody{Error: fmt.Sprintf("invalid limit %q: want 1 to %d", s, faults.MaxPageLimit), Field: "limit"}
		}
		q.Limit = n
	}
	return q, nil
}

// linkDrops sets the journal entry of the fault firing that dropped each
// dropped change, read from the journal by event id.
func (a *API) linkDrops(changes []engine.MissedChange) {
	want := map[string]int{}
	for i, c := range changes {
		if c.Reason == stream.LossDropped && c.EventID != "" {
			want[c.EventID] = i
		}
	}
	if len(want) == 0 {
		return
	}
	q := faults.JournalQuery{Kind: faults.KindFiring, Limit: faults.MaxPageLimit}
	for {
		page := a.faults.Journal(q)
		for _, e := range page.Entries {
			if i, ok := want[e.EventID]; ok && e.Action == faults.ActionDrop {
				changes[i].JournalSeq = e.Seq
			}
		}
		if !page.More {
			return
		}
		q.After = page.Next
	}
}

// changesParams are the query parameters GET /_admin/changes accepts.
var changesParams = []string{"after", "limit", "table"} //nolint:gochecknoglobals // constant

// changes answers GET /_admin/changes?table=T&after=N&limit=L: one page of
// the table's change ledger, oldest first; without table, the tables that
// have a ledger.
func (a *API) changes(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	if ferr := onlyParams(v, changesParams); ferr != nil {
		writeJSON(w, http.StatusBadRequest, ferr)
		return
	}
	table := v.Get("table")
	if table == "" {
		writeJSON(w, http.StatusOK, map[string][]string{"tables": a.engine.LedgerTables()})
		return
	}
	var after uint64
	if s := v.Get("after"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: fmt.Sprintf("invalid after %q: want a ledger seq", s), Field: "after"})
			return
		}
		after = n
	}
	limit := 0
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > faults.MaxPageLimit {
			writeJSON(w, http.StatusBadRequest, fieldErrorBody{Error: fmt.Sprintf("invalid limit %q: want 1 to %d", s, faults.MaxPageLimit), Field: "limit"})
			return
		}
		limit = n
	}
	p, err := a.engine.Changes(table, after, limit)
	if err != nil {
		writeEngineError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// onlyParams rejects query parameters not in allowed and repeated ones.
func onlyParams(v map[string][]string, allowed []string) *fieldErrorBody {
	for name, vals := range v {
		if !slices.Contains(allowed, name) {
			return &fieldErrorBody{Error: fmt.Sprintf("unknown query parameter %q", name), Field: name}
		}
		if len(vals) > 1 {
			return &fieldErrorBody{Error: fmt.Sprintf("query parameter %q given more than once", name), Field: name}
		}
	}
	return nil
}
