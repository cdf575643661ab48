package wire

import (
	"bytes"
	"hash/crc32"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/dynafault/dynafault/emulator/engine"
)

// internalErrorMessage is what a client sees for any internal failure.
const internalErrorMessage = "Internal server error"

// unknownOperation404 is DynamoDB's answer to a non-POST request or a body
// of the wrong content type, byte for byte.
const unknownOperation404 = "<UnknownOperationException/>\n"

// send writes a response with DynamoDB's headers: Content-Type,
// x-amz-crc32 of body as sent, and Content-Length.
func (h *Handler) send(q *request, status int, body []byte) {
	hdr := q.w.Header()
	if q.gzip && len(body) > 0 {
		zipped := h.bufs.Get().(*bytes.Buffer)
		defer h.putBuf(zipped)
		body = h.gzipBody(zipped, body)
		hdr["Content-Encoding"] = []string{"gzip"}
	}
	switch q.contentType {
	case contentTypeAmzJSON:
		hdr["Content-Type"] = amzJSONValue
	case contentTypeJSON:
		hdr["Content-Type"] = plainJSONValue
	default:
		hdr["Content-Type"] = []string{q.contentType}
	}
	hdr["Server"] = serverValue // as DynamoDB sends it
	hdr["X-Amz-Crc32"] = []string{strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)}
	hdr["Content-Length"] = []string{strconv.Itoa(len(body))}
	if q.log != nil {
		q.log.status = status
	}
	q.w.WriteHeader(status)
	if len(body) > 0 {
		_, _ = q.w.Write(body) // a write error means the client is gone
	}
}

// sendUnknownOperation404 sends the literal 404 DynamoDB gives for requests
// it does not recognise as API calls.
func (h *Handler) sendUnknownOperation404(q *request) {
	h.send(q, http.StatusNotFound, []byte(unknownOperation404))
}

// writeError sends err as DynamoDB's error envelope.
func (h *Handler) writeError(q *request, err *engine.Error) {
	h.writeErrorOp(q, "", err)
}

// writeErrorOp sends err (normalised with engine.AsError) as the error
// envelope with its code's status. Internal errors are logged with the
// request id; client errors are not.
func (h *Handler) writeErrorOp(q *request, op string, err error) {
	e := engine.AsError(err)
	if q.log != nil {
		q.log.errTyp = string(e.Code)
	}
	kind := kindOf(e.Code)
	if kind.status >= http.StatusInternalServerError {
		h.log.LogAttrs(q.r.Context(), slog.LevelError, "internal error",
			slog.String(logKeyRequestID, q.id), slog.String(logKeyOp, op), slog.String(logKeyError, err.Error()))
		if e.Code == engine.InternalServerError {
			e = engine.NewError(engine.InternalServerError, internalErrorMessage)
		}
	}
	buf := h.bufs.Get().(*bytes.Buffer)
	defer h.putBuf(buf)
	if encode(buf, newErrorBody(e)) != nil {
		buf.Reset()
		_ = encode(buf, newErrorBody(engine.NewError(engine.InternalServerError, internalErrorMessage)))
		kind = kindOf(engine.InternalServerError)
	}
	h.send(q, kind.status, buf.Bytes())
}

// header returns the first value of the header with the canonical name
// key (as net/http stores it: "X-Amz-Target", "Content-Type"), without
// Header.Get's canonicalisation of the name on every request.
func header(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Header values sent on every answer, shared (net/http only reads them).
var (
	serverValue    = []string{"Server"}           //nolint:gochecknoglobals // constant
	amzJSONValue   = []string{contentTypeAmzJSON} //nolint:gochecknoglobals // constant
	plainJSONValue = []string{contentTypeJSON}    //nolint:gochecknoglobals // constant
)
