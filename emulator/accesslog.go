package emulator

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Slog attribute keys of the access log.
const (
	logKeyRequestID = "request_id"
	logKeyOp        = "op"
	logKeyMethod    = "method"
	logKeyPath      = "path"
	logKeyStatus    = "status"
	logKeyDuration  = "duration"
)

// accessLog logs every request at Debug level with its request id,
// operation, status and duration. When Debug is off it costs one check.
func accessLog(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelDebug, "request",
			slog.String(logKeyRequestID, w.Header().Get("X-Amzn-Requestid")),
			slog.String(logKeyOp, opName(r)),
			slog.String(logKeyMethod, r.Method),
			slog.String(logKeyPath, r.URL.Path),
			slog.Int(logKeyStatus, sw.status),
			slog.Duration(logKeyDuration, time.Since(start)))
	})
}

// opName is the operation named by X-Amz-Target ("PutItem"), or "".
func opName(r *http.Request) string {
	t := r.Header.Get("X-Amz-Target")
	if _, op, ok := strings.Cut(t, "."); ok {
		return op
	}
	return t
}

// statusWriter records the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
