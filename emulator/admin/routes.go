package admin

import "net/http"

// routes lists every admin endpoint, one per line.
func (a *API) routes() []route {
	return []route{
		{"health", http.MethodGet, "/health", a.health},
		{"clock", http.MethodGet, "/clock", a.getClock},
		{"setClock", http.MethodPost, "/clock", a.postClock},
		{"ttlSweep", http.MethodPost, "/ttl/sweep", a.sweepTTL},
		{"reset", http.MethodPost, "/reset", a.reset},
	}
}

// health answers GET /_admin/health.
func (a *API) health(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
