// Package emulator is dynafault's façade: New builds a complete DynamoDB +
// DynamoDB Streams server (engine, wire protocol, admin API) and Handler
// returns it as an http.Handler, usable with httptest in-process or behind
// a listener.
package emulator

import (
	"log/slog"
	"net/http"

	"github.com/dynafault/dynafault/emulator/clock"
)

// Options configure an Emulator. The zero value is usable.
type Options struct {
	Region    string       // default "us-east-1"
	AccountID string       // default "000000000000"
	Clock     *clock.Clock // default: a real-time clock
	Logger    *slog.Logger // default: discard
}

// Emulator is one in-memory DynamoDB + Streams server.
type Emulator struct {
	handler http.Handler
}

// New builds an Emulator.
func New(opts Options) (*Emulator, error) {
	return &Emulator{handler: http.NotFoundHandler()}, nil // PLACEHOLDER: wired by the wire/program work
}

// Handler returns the HTTP handler serving the DynamoDB and Streams wire
// protocol on POST / and the admin API under /_admin/.
func (e *Emulator) Handler() http.Handler { return e.handler }

// Close stops background work. The Emulator must not be used afterwards.
func (e *Emulator) Close() error { return nil }
