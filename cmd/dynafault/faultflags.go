package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults"
)

// faultFlags are the fault-injection and admin settings of the serve
// command, as given (flag or env); apply parses them.
type faultFlags struct {
	seed, file, adminToken, adminAddr, journalSize string
}

// register defines the fault flags on fs with env fallbacks.
func (f *faultFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	fs.StringVar(&f.seed, "seed", env("DYNAFAULT_SEED", ""), "seed of the fault rules' random choices; the same seed and writes replay the same faults (default: random, logged at startup) (env DYNAFAULT_SEED)")
	fs.StringVar(&f.file, "faults", env("DYNAFAULT_FAULTS", ""), "JSON file of fault rules active from the start: one rule or an array, as POST /_admin/faults takes (env DYNAFAULT_FAULTS)")
	fs.StringVar(&f.adminToken, "admin-token", env("DYNAFAULT_ADMIN_TOKEN", ""), "bearer token the admin API requires (all of /_admin but GET /_admin/health) (env DYNAFAULT_ADMIN_TOKEN)")
	fs.StringVar(&f.journalSize, "journal-size", env("DYNAFAULT_JOURNAL_SIZE", strconv.Itoa(faults.DefaultJournalLimit)), "entries the fault journal keeps; older ones are evicted and counted (env DYNAFAULT_JOURNAL_SIZE)")
	fs.StringVar(&f.adminAddr, "admin-addr", env("DYNAFAULT_ADMIN_ADDR", ""), "serve the admin API on this address instead of under /_admin of --addr (env DYNAFAULT_ADMIN_ADDR)")
}

// apply parses the fault flags into o; a missing seed is drawn at random.
// It logs the seed so that a run can be replayed.
func (f faultFlags) apply(o *emulator.Options, log *slog.Logger) error {
	seed, err := parseSeed(f.seed)
	if err != nil {
		return err
	}
	o.Seed, o.FaultsFile, o.AdminToken, o.SeparateAdmin = seed, f.file, f.adminToken, f.adminAddr != ""
	if o.JournalSize, err = strconv.Atoi(f.journalSize); err != nil || o.JournalSize < 1 {
		return fmt.Errorf("invalid --journal-size %q (a whole number from 1)", f.journalSize)
	}
	log.Info("fault seed (replay with --seed)", "seed", seed)
	return nil
}

// parseSeed parses --seed; "" draws a random seed.
func parseSeed(s string) (uint64, error) {
	if s == "" {
		var b [8]byte
		_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
		return binary.LittleEndian.Uint64(b[:]), nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid --seed %q (a whole number from 0 to 18446744073709551615)", s)
	}
	return n, nil
}

// serveAdmin serves the admin API alone on addr until the returned stop is
// called (which shuts it down gracefully). It prints "admin listening on
// http://ADDR" once the port is bound.
func serveAdmin(ctx context.Context, addr string, maxConns int, readTimeout, grace time.Duration, h http.Handler, log *slog.Logger, stdout io.Writer) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("admin listener: %w", err)
	}
	ln = limitListener(ln, maxConns)
	srv := &http.Server{
		Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout, IdleTimeout: idleTimeout,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("admin listening", "addr", ln.Addr().String())
	fmt.Fprintf(stdout, "admin listening on http://%s\n", ln.Addr())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin server failed", "error", err)
		}
	}()
	return func() {
		shutdown(ctx, srv, log, grace)
		<-done
	}, nil
}
