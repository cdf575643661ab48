package admin

import (
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/gorilla/mux"

	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/faults"
)

// Prefix is the path prefix of every admin route.
const Prefix = "/_admin"

// Options are what the admin API operates on.
type Options struct {
	Engine *engine.Engine
	Clock  *clock.Clock
	Logger *slog.Logger // default: discard
	// Metrics serves GET /_admin/metrics; nil answers 404.
	Metrics http.Handler
	// Faults holds the fault rules and journal; default: a private
	// injector with seed 0.
	Faults *faults.Injector
	// Token, when set, is the bearer token every route but GET
	// /_admin/health requires (401 otherwise).
	Token string
	// Mappings holds the event source mappings and functions; default: an
	// empty manager over no streams.
	Mappings *mapping.Manager
	// ListenAddrs are the addresses the server listens on; a host name
	// among them is an allowed Host (guard.go).
	ListenAddrs []string
	// AllowedHosts are more host names requests may name in Host (a
	// container's or compose service's name); IP literals, localhost and
	// names under .localhost are always allowed.
	AllowedHosts []string
	// AllowedOrigins are origins ("http://localhost:3000") allowed to send
	// requests besides the server's own; "*" allows any.
	AllowedOrigins []string
}

// API is the admin HTTP API. It is safe for concurrent use.
type API struct {
	engine   *engine.Engine
	clock    *clock.Clock
	log      *slog.Logger
	router   func() *mux.Router // built at the first admin request
	scrape   http.Handler       // Options.Metrics
	faults   *faults.Injector
	token    string
	guard    *guard
	mappings *mapping.Manager
}

// New returns the admin API over opts.
func New(opts Options) *API {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Faults == nil {
		opts.Faults = faults.New(faults.Options{Now: opts.Clock.Now, Logger: opts.Logger})
	}
	if opts.Mappings == nil {
		opts.Mappings = mapping.New(mapping.Options{Clock: opts.Clock, Logger: opts.Logger})
	}
	a := &API{engine: opts.Engine, clock: opts.Clock, log: opts.Logger, scrape: opts.Metrics,
		faults: opts.Faults, token: opts.Token, guard: newGuard(opts.ListenAddrs, opts.AllowedHosts, opts.AllowedOrigins),
		mappings: opts.Mappings}
	// The router (a compiled regexp per route, a few hundred KB) is built
	// when the admin API is first used: a server that only serves
	// DynamoDB does not carry it, nor its garbage collector scan it.
	a.router = sync.OnceValue(a.newRouter)
	return a
}

// newRouter builds the router of every admin route. Routes are registered
// on the root router with their full path: a subrouter would answer 404
// instead of 405 for a known path with another method once it holds
// several routes.
func (a *API) newRouter() *mux.Router {
	r := mux.NewRouter()
	for _, rt := range a.routes() {
		r.HandleFunc(Prefix+rt.path, rt.handler).Methods(rt.method).Name(rt.name)
	}
	r.NotFoundHandler = http.HandlerFunc(notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed)
	return r
}

// ServeHTTP serves requests whose path starts with Prefix. Requests only a
// web page would send are refused first (guard.go), except the health
// check.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !isHealth(r) {
		if status, msg := a.guard.check(r); status != 0 {
			writeError(w, status, msg)
			return
		}
	}
	if !a.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dynafault admin"`)
		writeError(w, http.StatusUnauthorized, "this admin API needs the header Authorization: Bearer <admin token>")
		return
	}
	a.router().ServeHTTP(w, r)
}

// authorized reports whether r may be served: no token is configured, r is
// the health check, or r carries the bearer token.
func (a *API) authorized(r *http.Request) bool {
	if a.token == "" || isHealth(r) {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), []byte(a.token)) == 1
}

// isHealth reports whether r is the health check, which every client may
// call.
func isHealth(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == Prefix+"/health"
}

// route is one admin endpoint.
type route struct {
	name, method, path string // path is relative to Prefix
	handler            http.HandlerFunc
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusNotFound, "not found")
}

func methodNotAllowed(w http.ResponseWriter, _ *http.Request) {
	writeError(w, http.StatusMethodNotAllowed, "method not allowed")
}

// writeJSON sends v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// writeError sends {"error":msg} with status.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}

type errorBody struct {
	Error string `json:"error"`
}
