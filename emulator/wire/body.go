package wire

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/dynafault/dynafault/emulator/engine"
)

// Defaults of Limits.
const (
	// DefaultMaxBodyMemory bounds the memory of the request bodies being
	// read at one time (16 bodies of the largest size).
	DefaultMaxBodyMemory = 256 << 20
)

// Limits bound what reading request bodies may cost.
type Limits struct {
	// BodyReadTimeout, when positive, is how long a client may take to
	// send a body, from the moment the handler starts reading it: a body
	// still incomplete then is answered 408 (RequestTimeoutException) and
	// its connection closed. It sets the connection's read deadline twice
	// per request (about 0.2 µs): a server that enforces its own
	// http.Server.ReadTimeout, as cmd/dynafault does, needs none, and a
	// body read past that deadline is answered the same way. Needs a
	// server that supports read deadlines (net/http's does). 0: none.
	BodyReadTimeout time.Duration
	// MaxBodyMemory bounds the bytes of all request bodies being read at
	// one time. A request whose body would take more is answered 503
	// (ServiceUnavailable, which SDKs retry) and its connection closed.
	// 0: DefaultMaxBodyMemory; negative: no bound.
	MaxBodyMemory int64
}

// Codes of the limits on reading a request, raised by the wire layer only.
// DynamoDB's own bodies for these are not documented (conformance/README.md
// records what is known); dynafault answers them in the service namespace,
// like the other framework errors, so SDKs surface a named error.
const (
	requestEntityTooLarge engine.Code = "RequestEntityTooLargeException"
	requestTimeout        engine.Code = "RequestTimeoutException"
)

// Messages of the limit errors.
var (
	msgTooLarge = "Request entity too large: the request body must not exceed " + strconv.Itoa(MaxBodyBytes) + " bytes"
	msgTimeout  = "Request timed out: the request body did not arrive within the body read timeout"
	msgBusy     = "The server is busy reading other request bodies; retry the request"
)

// minBodyGrow is the least a body buffer grows by when it is full.
const minBodyGrow = 32 << 10

// bodyBudget counts the bytes body buffers hold while they are read.
type bodyBudget struct {
	max  int64 // <= 0: unlimited
	used atomic.Int64
}

// reserve takes n bytes of the budget, or reports false and takes none.
func (b *bodyBudget) reserve(n int64) bool {
	if b.max <= 0 {
		return true
	}
	if b.used.Add(n) > b.max {
		b.used.Add(-n)
		return false
	}
	return true
}

// release gives n bytes back.
func (b *bodyBudget) release(n int64) {
	if b.max > 0 && n != 0 {
		b.used.Add(-n)
	}
}

// SetLimits sets the limits on reading request bodies; it must be called
// before the handler serves.
func (h *Handler) SetLimits(l Limits) {
	l.BodyReadTimeout = max(0, l.BodyReadTimeout)
	if l.MaxBodyMemory == 0 {
		l.MaxBodyMemory = DefaultMaxBodyMemory
	}
	h.bodyTimeout = l.BodyReadTimeout
	h.budget = &bodyBudget{max: l.MaxBodyMemory}
}

// readBody reads the request body as its bytes arrive, into buf's free
// space first: the array grows with what was received (doubling, never
// past a declared Content-Length), not with what the client declares,
// within the body memory budget and the body read deadline. It answers
// 413 above MaxBodyBytes, 408 when the deadline passes and 503 when the
// budget is spent. It returns the body and whether serving should go on;
// a grown array is handed to buf, so the pool can keep it.
func (h *Handler) readBody(q *request, buf *bytes.Buffer) ([]byte, bool) {
	declared := q.r.ContentLength
	if declared > MaxBodyBytes {
		h.writeError(q, engine.NewError(requestEntityTooLarge, msgTooLarge))
		return nil, false
	}
	if h.bodyTimeout > 0 {
		rc := http.NewResponseController(q.w)
		if rc.SetReadDeadline(time.Now().Add(h.bodyTimeout)) == nil {
			// The deadline is for the body only: a handler that outlives
			// it must not see its connection's background read fail.
			defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
		}
	}
	body := http.MaxBytesReader(q.w, q.r.Body, MaxBodyBytes)
	data := buf.AvailableBuffer()
	pooled := cap(data)
	defer func() {
		if cap(data) != pooled {
			h.budget.release(int64(cap(data) - pooled))
			*buf = *bytes.NewBuffer(data[:0])
		}
	}()
	for declared < 0 || int64(len(data)) < declared {
		if len(data) == cap(data) {
			var ok bool
			if data, ok = h.growBody(data, declared); !ok {
				q.w.Header().Set("Connection", "close")
				h.writeError(q, engine.NewError(engine.ServiceUnavailable, msgBusy))
				return nil, false
			}
		}
		n, err := body.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil {
			return data, h.bodyEnded(q, err)
		}
	}
	return data, true
}

// growBody returns data in a larger array: as much again as it holds (at
// least minBodyGrow), but no more than the rest of a declared body or
// than one byte past MaxBodyBytes (so that an oversized body shows). The
// growth is taken from the budget first; ok is false, and data unchanged,
// when the budget is spent.
func (h *Handler) growBody(data []byte, declared int64) (_ []byte, ok bool) {
	n := max(len(data), minBodyGrow)
	if declared > 0 {
		n = min(n, int(declared)-len(data))
	}
	n = max(1, min(n, MaxBodyBytes+1-len(data)))
	// The budget holds the capacity beyond the pooled one: the new array's
	// replaces the old one's.
	if !h.budget.reserve(int64(len(data) + n - cap(data))) {
		return data, false
	}
	grown := make([]byte, len(data), len(data)+n)
	copy(grown, data)
	return grown, true
}

// bodyEnded handles the error that ended a body read: io.EOF is the end,
// anything else is answered and stops serving.
func (h *Handler) bodyEnded(q *request, err error) bool {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return true
	case errors.As(err, &tooLarge):
		h.writeError(q, engine.NewError(requestEntityTooLarge, msgTooLarge))
	case errors.Is(err, os.ErrDeadlineExceeded):
		q.w.Header().Set("Connection", "close")
		h.writeError(q, engine.NewError(requestTimeout, msgTimeout))
	default:
		h.writeError(q, errSerialization()) // the client broke off its body
	}
	return false
}
