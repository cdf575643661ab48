package wire

import (
	"time"

	"github.com/dynafault/dynafault/emulator/engine"
)

// Observer returns, for one operation name, the function told the outcome
// of each call of that operation: the error code ("" on success, else the
// exception name such as "ValidationException") and how long decoding,
// running and encoding took. It is called once per registered operation by
// SetObserver, so the returned function can hold pre-resolved state (for
// example metric children) and keep the request path to a few atomic adds.
// The returned functions must be safe for concurrent use.
type Observer func(operation string) func(code string, elapsed time.Duration)

// SetObserver attaches o to every registered operation. It must be called
// before the handler serves requests; nil detaches.
func (h *Handler) SetObserver(o Observer) {
	for _, table := range []map[string]operation{h.dynamo, h.streams} {
		for name, op := range table {
			op.done = nil
			if o != nil {
				op.done = o(name)
			}
			table[name] = op
		}
	}
}

// observe reports the outcome of one call of o that started at start.
func (o operation) observe(start time.Time, err error) {
	if o.done == nil {
		return
	}
	code := ""
	if err != nil {
		code = string(engine.AsError(err).Code)
	}
	o.done(code, time.Since(start))
}
