// Package emulator is dynafault's façade: New builds a complete DynamoDB +
// DynamoDB Streams server (engine, wire protocol, admin API) and Handler
// returns it as an http.Handler, usable with httptest in-process or behind
// a listener.
package emulator

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/dynafault/dynafault/emulator/admin"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/emulator/wire"
)

// Options configure an Emulator. The zero value is usable.
type Options struct {
	Region    string       // default "us-east-1"
	AccountID string       // default "000000000000"
	Clock     *clock.Clock // default: a real-time clock
	Logger    *slog.Logger // default: discard
}

// Emulator is one in-memory DynamoDB + Streams server. Several Emulators
// can live in one process; they share nothing.
type Emulator struct {
	handler   http.Handler
	closeOnce sync.Once
}

// New builds an Emulator.
func New(opts Options) (*Emulator, error) {
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	eng := engine.New(engine.Options{
		Region: opts.Region, AccountID: opts.AccountID, Clock: opts.Clock, Logger: opts.Logger,
	})
	api := wire.NewHandler(eng, opts.Logger)
	adm := admin.New(admin.Options{Engine: eng, Clock: opts.Clock, Logger: opts.Logger})
	return &Emulator{handler: accessLog(opts.Logger, route(api, adm))}, nil
}

// Handler returns the HTTP handler serving the DynamoDB and Streams wire
// protocol on POST / and the admin API under /_admin/.
func (e *Emulator) Handler() http.Handler { return e.handler }

// Close stops background work. The Emulator must not be used afterwards.
// Close is idempotent.
func (e *Emulator) Close() error {
	e.closeOnce.Do(func() {})
	return nil
}

// route sends /_admin and /_admin/... to adm and everything else to api.
func route(api, adm http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, admin.Prefix) && (len(p) == len(admin.Prefix) || p[len(admin.Prefix)] == '/') {
			adm.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}
