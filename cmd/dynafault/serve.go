package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/wire"
)

// Server timeouts.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 120 * time.Second
	// maxHeaderBytes is the hard limit net/http enforces (431 above it);
	// the wire handler answers 400 from wire.MaxHeaderBytes (16 KB) up.
	maxHeaderBytes = 4 * wire.MaxHeaderBytes
)

// serveConfig is the configuration of the serve command.
type serveConfig struct {
	addr, region, accountID string
	logLevel, logFormat     string
	ttlSweepInterval        string // a Go duration; "0" = never
	capacity                bool   // --capacity, or DYNAFAULT_CAPACITY when the flag is not given
	shutdownGrace           string // a Go duration
	streams                 streamFlags
	lifecycle               lifecycleFlags
	faults                  faultFlags
	data                    dataFlags
	limits                  limitFlags
	security                securityFlags
	functions               functionFlags
}

// parseServeFlags parses args with env fallbacks (flags win).
func parseServeFlags(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var c serveConfig
	fs := newFlagSet("serve", stderr)
	fs.StringVar(&c.addr, "addr", env("DYNAFAULT_ADDR", "127.0.0.1:8000"), "listen address (env DYNAFAULT_ADDR)")
	fs.StringVar(&c.region, "region", env("DYNAFAULT_REGION", "us-east-1"), "region in ARNs and answers (env DYNAFAULT_REGION)")
	fs.StringVar(&c.accountID, "account-id", env("DYNAFAULT_ACCOUNT_ID", "000000000000"), "account id in ARNs (env DYNAFAULT_ACCOUNT_ID)")
	fs.StringVar(&c.logLevel, "log-level", env("DYNAFAULT_LOG_LEVEL", "info"), "debug|info|warn|error (env DYNAFAULT_LOG_LEVEL)")
	fs.StringVar(&c.logFormat, "log-format", env("DYNAFAULT_LOG_FORMAT", "text"), "text|json (env DYNAFAULT_LOG_FORMAT)")
	fs.StringVar(&c.ttlSweepInterval, "ttl-sweep-interval", env("DYNAFAULT_TTL_SWEEP_INTERVAL", "1m"), "how often expired TTL items are deleted, e.g. 1m or 500ms; 0 = only on POST /_admin/ttl/sweep or a clock move (env DYNAFAULT_TTL_SWEEP_INTERVAL)")
	fs.BoolVar(&c.capacity, "capacity", false, "enforce read and write capacity as DynamoDB does: provisioned rates with burst, on-demand limits, 3,000 RCU / 1,000 WCU per partition (env DYNAFAULT_CAPACITY=true)")
	fs.StringVar(&c.shutdownGrace, "shutdown-grace", env("DYNAFAULT_SHUTDOWN_GRACE", defaultShutdownGrace.String()), "on SIGTERM or SIGINT, how long requests in flight may take to finish before their connections are closed; a second signal exits at once (env DYNAFAULT_SHUTDOWN_GRACE)")
	c.streams.register(fs, env)
	c.lifecycle.register(fs, env)
	c.faults.register(fs, env)
	c.data.register(fs, env)
	c.limits.register(fs, env)
	c.security.register(fs, env)
	c.functions.register(fs, env)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if v := getenv("DYNAFAULT_CAPACITY"); v != "" && !flagGiven(fs, "capacity") {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("invalid --capacity %q (true or false)", v)
		}
		c.capacity = on
	}
	return c, nil
}

// newLogger builds the process logger from the level and format flags.
func newLogger(c serveConfig, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	switch c.logLevel {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	default:
		return nil, fmt.Errorf("invalid --log-level %q (debug|info|warn|error)", c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("invalid --log-format %q (text|json)", c.logFormat)
}

// parseSweepInterval parses the --ttl-sweep-interval value.
func parseSweepInterval(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("invalid --ttl-sweep-interval %q (a duration >= 0 such as 1m or 500ms; 0 = never)", s)
	}
	return d, nil
}

// serve runs the emulator until ctx is done, then shuts down gracefully.
// It prints "listening on http://ADDR" to stdout once the port is bound.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	c, err := parseServeFlags(args, getenv, stderr)
	if err != nil {
		return err
	}
	log, err := newLogger(c, stderr)
	if err != nil {
		return err
	}
	sweep, err := parseSweepInterval(c.ttlSweepInterval)
	if err != nil {
		return err
	}
	grace, err := time.ParseDuration(c.shutdownGrace)
	if err != nil || grace < 0 {
		return fmt.Errorf("invalid --shutdown-grace %q (a duration >= 0 such as 10s)", c.shutdownGrace)
	}
	opts := emulator.Options{Region: c.region, AccountID: c.accountID, Logger: log,
		TTLSweepInterval: sweep, Capacity: c.capacity}
	if err := c.streams.apply(&opts); err != nil {
		return err
	}
	if err := c.lifecycle.apply(&opts); err != nil {
		return err
	}
	if err := c.faults.apply(&opts, log); err != nil {
		return err
	}
	c.data.apply(&opts)
	maxConns, readTimeout, err := c.limits.apply(&opts)
	if err != nil {
		return err
	}
	c.security.apply(&opts, c.addr, c.faults.adminAddr)
	warnExposure(log, c.addr, c.faults.adminAddr, c.faults.adminToken)
	if err := c.functions.apply(&opts); err != nil {
		return err
	}
	emu, err := emulator.New(opts)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, emu.Close()) }() // Close saves to --data-dir
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	ln = limitListener(ln, maxConns)
	srv := &http.Server{
		Handler:           emu.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		// --body-read-timeout: how long a request may take to arrive; a
		// body read past it is answered 408 (wire). net/http sets each
		// request's read deadlines anyway, so this costs nothing per
		// request. A latency fault that outlasts it clears the deadline
		// first (wire), so its request is not cancelled.
		ReadTimeout:    readTimeout,
		IdleTimeout:    idleTimeout,
		MaxHeaderBytes: maxHeaderBytes,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("listening", "addr", ln.Addr().String(), "region", c.region, "account_id", c.accountID)
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	if c.faults.adminAddr != "" {
		stop, err := serveAdmin(ctx, c.faults.adminAddr, maxConns, readTimeout, grace, emu.AdminHandler(), log, stdout)
		if err != nil {
			_ = ln.Close()
			return err
		}
		defer stop()
	}
	return serveUntilDone(ctx, srv, ln, log, grace)
}
