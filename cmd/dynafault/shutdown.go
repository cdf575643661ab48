package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"syscall"
	"time"
)

// defaultShutdownGrace is how long in-flight requests may take to finish
// after a SIGTERM or SIGINT before their connections are closed.
const defaultShutdownGrace = 10 * time.Second

// signalContext returns a context that is canceled at the first signal
// received on sigs (graceful shutdown); at a second one it writes a line
// to stderr and calls exit at once with 128 plus the signal's number, as
// a shell reports a process killed by it.
func signalContext(parent context.Context, sigs <-chan os.Signal, stderr io.Writer, exit func(int)) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
			return
		}
		sig := <-sigs
		fmt.Fprintf(stderr, "dynafault: second signal (%v): exiting without waiting for the shutdown\n", sig)
		code := 1
		if s, ok := sig.(syscall.Signal); ok {
			code = 128 + int(s)
		}
		exit(code)
	}()
	return ctx, cancel
}

// serveUntilDone serves on ln until ctx is done or the server fails, then
// shuts down: it stops accepting, lets the requests in flight finish for
// up to grace, then closes the connections still open (a stuck client
// cannot hold the process). A shutdown that had to close connections is
// still clean: it returns nil.
func serveUntilDone(ctx context.Context, srv *http.Server, ln net.Listener, log *slog.Logger, grace time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", grace)
	shutdown(ctx, srv, log, grace)
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// shutdown shuts srv down gracefully within grace, then closes what is
// left, logging what it cut.
func shutdown(ctx context.Context, srv *http.Server, log *slog.Logger, grace time.Duration) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err == nil {
		return
	}
	log.Warn("shutdown grace period over: closing the connections still open", "grace", grace, "error", err)
	if err := srv.Close(); err != nil {
		log.Warn("closing connections", "error", err)
	}
}
