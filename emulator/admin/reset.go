package admin

import (
	"fmt"
	"net/http"
	"strconv"
)

// resetResult is the answer of POST /_admin/reset.
type resetResult struct {
	Reset bool `json:"reset"`
	Data  bool `json:"data"`
}

// reset answers POST /_admin/reset: it clears the runtime state
// (resetRuntimeState) and, with ?data=true, drops every table too. The
// clock is left as it is.
func (a *API) reset(w http.ResponseWriter, r *http.Request) {
	data, err := boolQuery(r, "data")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err := a.resetRuntimeState(r.Context()); err != nil {
		writeError(w, http.StatusInternalServerError, "reset: "+err.Error())
		return
	}
	if data {
		a.engine.DropAllTables()
	}
	a.log.Info("admin reset", "data", data)
	writeJSON(w, http.StatusOK, resetResult{Reset: true, Data: data})
}

// boolQuery returns the boolean query parameter name (false when absent).
func boolQuery(r *http.Request, name string) (bool, error) {
	q := r.URL.Query()
	if !q.Has(name) {
		return false, nil
	}
	v := q.Get(name)
	b, err := strconv.ParseBool(v)
	if err != nil || len(q[name]) > 1 {
		return false, fmt.Errorf("invalid query parameter %q=%q: want true or false", name, v)
	}
	return b, nil
}
