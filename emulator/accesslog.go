package emulator

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// Slog attribute keys of the admin access log.
const (
	logKeyMethod   = "method"
	logKeyPath     = "path"
	logKeyStatus   = "status"
	logKeyDuration = "duration"
)

// accessLog logs every request to next at Debug level as msg, with its
// method, path, status and duration: the admin API's and the Lambda API's
// (the wire handler logs the DynamoDB and Streams requests itself). When
// Debug is off it costs one check.
func accessLog(log *slog.Logger, msg string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !log.Enabled(r.Context(), slog.LevelDebug) {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelDebug, msg,
			slog.String(logKeyMethod, r.Method),
			slog.String(logKeyPath, r.URL.Path),
			slog.Int(logKeyStatus, sw.status),
			slog.Duration(logKeyDuration, time.Since(start)))
	})
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
