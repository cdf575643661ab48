package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/faults"
)

// Request limits DynamoDB enforces before reading a request.
const (
	// MaxBodyBytes is the largest request body accepted (16 MB); larger
	// bodies get HTTP 413.
	MaxBodyBytes = 16 << 20
	// MaxHeaderBytes bounds the request line plus headers (16 KB); larger
	// requests get HTTP 400.
	MaxHeaderBytes = 16 << 10
)

// Content types of the protocol.
const (
	contentTypeAmzJSON = "application/x-amz-json-1.0"
	contentTypeJSON    = "application/json"
)

// Slog attribute keys.
const (
	logKeyRequestID = "request_id"
	logKeyOp        = "op"
	logKeyError     = "error"
	logKeyStack     = "stack"
	logKeyTable     = "table"
	logKeyStatus    = "status"
	logKeyErrorType = "error_type"
	logKeyDuration  = "duration"
)

// Handler serves DynamoDB and DynamoDB Streams requests for one Engine.
// Create it with NewHandler; it is safe for concurrent use.
type Handler struct {
	log     *slog.Logger
	ids     *idGen
	dynamo  map[string]operation
	streams map[string]operation
	health  []byte
	bufs    sync.Pool // *bytes.Buffer, for request and response bodies
	gzips   sync.Pool // *gzip.Writer, for compressed responses

	faults   *faults.Injector    // api fault rules (SetFaults); nil: none
	tableARN func(string) string // for the resources of injected errors

	bodyTimeout time.Duration // 0: no body read deadline (SetLimits)
	budget      *bodyBudget   // memory of the bodies being read
	cors        corsPolicy    // origins whose pages may call the API (SetCORS)
}

// NewHandler returns the handler of the wire protocol for e. log receives
// internal errors only (nil discards them).
func NewHandler(e *engine.Engine, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{
		log:     log,
		ids:     newIDGen(),
		dynamo:  dynamoOps(e),
		streams: streamsOps(e),
		health:  []byte("healthy: dynamodb." + e.Region() + ".amazonaws.com "),
		bufs:    sync.Pool{New: func() any { return new(bytes.Buffer) }},
		gzips:   sync.Pool{New: newGzipWriter},

		tableARN: e.TableARN,
	}
	h.SetLimits(Limits{})
	h.SetCORS(nil)
	return h
}

// request is the state of one request while it is served.
type request struct {
	w           http.ResponseWriter
	r           *http.Request
	id          string
	contentType string // response Content-Type
	gzip        bool   // the client accepts a gzip-compressed response
	// log is set when the request is logged (Debug level); the fields
	// below are then filled for logRequest.
	log *requestLog
}

// requestLog is what the debug line of a request says.
type requestLog struct {
	start  time.Time
	op     string // operation name, "" before it is known
	table  string // the table addressed (the first one of a batch)
	status int    // 0: no answer (connection dropped)
	errTyp string // the error's exception name, "" on success
}

// ServeHTTP serves one request; see the package documentation for the
// order of checks. At Debug level each request is logged once it is
// answered (logRequest); otherwise that costs one check.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := &request{w: w, r: r, id: h.ids.next(), contentType: contentTypeAmzJSON}
	if h.log.Enabled(r.Context(), slog.LevelDebug) {
		q.log = &requestLog{start: time.Now()}
		defer h.logRequest(q)
	}
	if _, ok := r.Header["Accept-Encoding"]; ok {
		q.gzip = acceptsGzip(r)
	}
	w.Header()["X-Amzn-Requestid"] = []string{q.id}
	if r.Method != http.MethodPost {
		h.serveNonPost(q)
		return
	}
	if !h.corsHeaders(w, r) {
		// A browser page of an origin the allow-list does not name (or a
		// page reaching the server through a rebound DNS name).
		h.writeError(q, engine.NewError(engine.AccessDenied, "Origin "+strconv.Quote(r.Header.Get("Origin"))+
			" is not allowed to call this endpoint (dynafault --cors)"))
		return
	}
	if headerSize(r) > MaxHeaderBytes {
		h.send(q, http.StatusBadRequest, nil)
		return
	}
	body := h.bufs.Get().(*bytes.Buffer)
	defer h.putBuf(body)
	data, ok := h.readBody(q, body)
	if !ok {
		return
	}
	if data, ok = h.inflateBody(q, data); !ok {
		return
	}
	h.servePost(q, data)
}

// servePost runs the checks that need the body and the operation.
func (h *Handler) servePost(q *request, body []byte) {
	ct := mediaType(header(q.r.Header, "Content-Type"))
	if len(body) > 0 && ct != contentTypeAmzJSON && ct != contentTypeJSON {
		h.sendUnknownOperation404(q)
		return
	}
	if ct == contentTypeJSON {
		q.contentType = contentTypeJSON
	}
	target := header(q.r.Header, "X-Amz-Target")
	name, o, opErr := h.lookup(target)
	if q.log != nil {
		_, q.log.op, _ = strings.Cut(target, ".")
		q.log.table = requestTables(body).first()
	}
	akid, authErr := checkAuth(q.r)
	if opErr != nil || authErr != nil {
		switch {
		case len(body) > 0 && !json.Valid(body):
			h.writeError(q, errSerialization())
		case opErr != nil:
			h.writeError(q, opErr)
		default:
			h.writeError(q, authErr)
		}
		return
	}
	if len(body) == 0 || isJSONNull(body) {
		// No request object: DynamoDB answers a bare SerializationException
		// for an empty body, and a JSON null names no object either.
		h.writeError(q, errSerialization())
		return
	}
	ctx := engine.WithRequestInfo(q.r.Context(), engine.RequestInfo{Host: q.r.Host, RequestID: q.id, AccessKeyID: akid})
	if h.faults != nil && h.faults.HasAPIRules() {
		h.runWithFaults(ctx, q, name, o, body, akid)
		return
	}
	h.run(ctx, q, name, o, body)
}

// run calls the operation and sends its output or error. A panic in the
// operation is answered with InternalServerError and logged with its stack.
func (h *Handler) run(ctx context.Context, q *request, name string, o operation, body []byte) {
	out := h.bufs.Get().(*bytes.Buffer)
	defer h.putBuf(out)
	start := time.Now()
	err := h.call(ctx, q, name, o, body, out)
	o.observe(start, err)
	if err != nil {
		h.writeErrorOp(q, name, err)
		return
	}
	if o.emptyBody {
		out.Reset()
	}
	h.send(q, http.StatusOK, out.Bytes())
}

// call runs o, turning a panic into an internal error.
func (h *Handler) call(ctx context.Context, q *request, name string, o operation, body []byte, out *bytes.Buffer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			h.log.LogAttrs(ctx, slog.LevelError, "operation panicked",
				slog.String(logKeyRequestID, q.id), slog.String(logKeyOp, name),
				slog.Any(logKeyError, p), slog.String(logKeyStack, string(debug.Stack())))
			out.Reset()
			err = engine.NewError(engine.InternalServerError, internalErrorMessage)
		}
	}()
	return o.call(ctx, body, out)
}

// logRequest writes the debug line of an answered request: its id,
// operation, table, status, error type and duration.
func (h *Handler) logRequest(q *request) {
	l := q.log
	h.log.LogAttrs(context.WithoutCancel(q.r.Context()), slog.LevelDebug, "request",
		slog.String(logKeyRequestID, q.id), slog.String(logKeyOp, l.op), slog.String(logKeyTable, l.table),
		slog.Int(logKeyStatus, l.status), slog.String(logKeyErrorType, l.errTyp),
		slog.Duration(logKeyDuration, time.Since(l.start)))
}

// lookup resolves an X-Amz-Target header to its operation.
func (h *Handler) lookup(target string) (string, operation, *engine.Error) {
	prefix, name, _ := strings.Cut(target, ".")
	var table map[string]operation
	switch prefix {
	case prefixDynamoDB:
		table = h.dynamo
	case prefixStreams:
		table = h.streams
	}
	if o, ok := table[name]; ok {
		return name, o, nil
	}
	return "", operation{}, engine.NewError(engine.UnknownOperation, "")
}

// serveNonPost answers GET / with the health line AWS sends, an OPTIONS
// preflight with CORS headers, and anything else with DynamoDB's 404.
func (h *Handler) serveNonPost(q *request) {
	r := q.r
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/":
		h.corsHeaders(q.w, r)
		h.send(q, http.StatusOK, h.health)
	case r.Method == http.MethodOptions && r.Header.Get("Origin") != "":
		h.servePreflight(q)
	default:
		h.sendUnknownOperation404(q)
	}
}

func (h *Handler) putBuf(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // don't keep huge buffers alive
		return
	}
	b.Reset()
	h.bufs.Put(b)
}

// mediaType returns the media type of a Content-Type header without its
// parameters, as DynamoDB reads it: whatever precedes the first ";", spaces
// trimmed, in lower case ("  application/json  ;   asfd" and
// "application/json;blahblah" are application/json, dynalite
// test/connection.js, recorded against DynamoDB).
func mediaType(ct string) string {
	if ct == contentTypeAmzJSON || ct == contentTypeJSON || ct == "" {
		return ct
	}
	mt, _, _ := strings.Cut(ct, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// isJSONNull reports whether body is the JSON literal null (with white
// space around it).
func isJSONNull(body []byte) bool {
	return string(bytes.TrimSpace(body)) == "null"
}

// headerSize approximates the size of the request line and headers as sent.
func headerSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
