package admin

import "net/http"

// sweepTTL answers POST /_admin/ttl/sweep: it deletes the expired items of
// every table with TTL enabled now, as the background sweeper would, and
// reports how many.
func (a *API) sweepTTL(w http.ResponseWriter, r *http.Request) {
	if err := decodeBody(w, r, &struct{}{}, true); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	n, err := a.engine.SweepTTL(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, "ttl sweep: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"deleted": n})
}
