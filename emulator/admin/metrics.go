package admin

import "net/http"

// metrics answers GET /_admin/metrics with the Prometheus exposition of the
// emulator's metrics, or 404 when the API was built without them.
func (a *API) metrics(w http.ResponseWriter, r *http.Request) {
	if a.scrape == nil {
		writeError(w, http.StatusNotFound, "metrics are not enabled")
		return
	}
	a.scrape.ServeHTTP(w, r)
}
