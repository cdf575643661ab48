package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"github.com/dynafault/dynafault/emulator"
)

// Defaults of the connection and body limits (documented in docs/security.md).
const (
	defaultMaxConns        = 1024
	defaultBodyReadTimeout = "60s"
	defaultMaxBodyMemory   = "256MiB"
)

// limitFlags bound what clients may cost the server: connections, the time
// a body may take to arrive and the memory of the bodies being read.
type limitFlags struct {
	maxConns, bodyReadTimeout, maxBodyMemory string
}

// register defines the limit flags on fs with env fallbacks.
func (f *limitFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	fs.StringVar(&f.maxConns, "max-conns", env("DYNAFAULT_MAX_CONNS", strconv.Itoa(defaultMaxConns)),
		"most connections served at once on each listener; further ones wait to be accepted; 0 = no limit (env DYNAFAULT_MAX_CONNS)")
	fs.StringVar(&f.bodyReadTimeout, "body-read-timeout", env("DYNAFAULT_BODY_READ_TIMEOUT", defaultBodyReadTimeout),
		"how long a client may take to send a request body; a slower one gets HTTP 408 and its connection is closed; 0 = no limit (env DYNAFAULT_BODY_READ_TIMEOUT)")
	fs.StringVar(&f.maxBodyMemory, "max-body-memory", env("DYNAFAULT_MAX_BODY_MEMORY", defaultMaxBodyMemory),
		"memory for the request bodies being read at one time, e.g. 256MiB or 1GiB; a request beyond it gets HTTP 503 (retried by SDKs); 0 = no limit (env DYNAFAULT_MAX_BODY_MEMORY)")
}

// apply parses the body memory limit into o and returns the connection
// limit and the read timeout the server enforces (http.Server.ReadTimeout:
// net/http sets a request's read deadlines anyway, so a deadline there
// costs nothing per request, where the handler's own would).
func (f limitFlags) apply(o *emulator.Options) (maxConns int, readTimeout time.Duration, err error) {
	maxConns, err = strconv.Atoi(f.maxConns)
	if err != nil || maxConns < 0 {
		return 0, 0, fmt.Errorf("invalid --max-conns %q (a whole number; 0 = no limit)", f.maxConns)
	}
	readTimeout, err = time.ParseDuration(f.bodyReadTimeout)
	if err != nil || readTimeout < 0 {
		return 0, 0, fmt.Errorf("invalid --body-read-timeout %q (a duration such as 60s; 0 = no limit)", f.bodyReadTimeout)
	}
	n, err := parseSize(f.maxBodyMemory)
	if err != nil {
		return 0, 0, fmt.Errorf("invalid --max-body-memory %q (a size such as 256MiB, 1GiB or 1048576; 0 = no limit)", f.maxBodyMemory)
	}
	o.MaxBodyMemory = n
	if n == 0 {
		o.MaxBodyMemory = -1 // no limit
	}
	return maxConns, readTimeout, nil
}

// limitListener caps the connections ln serves at once (n = 0: no cap):
// a connection beyond the cap waits in the kernel's accept queue until
// one closes (netutil.LimitListener, which x/net maintains and tests).
func limitListener(ln net.Listener, n int) net.Listener {
	if n == 0 {
		return ln
	}
	return netutil.LimitListener(ln, n)
}

// parseSize parses a byte count with an optional binary unit: 1048576,
// 512KiB, 256MiB, 1GiB (KB, MB and GB are read as the same powers of two).
func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		shift  uint
	}{{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"KB", 10}, {"MB", 20}, {"GB", 30}, {"B", 0}}
	shift := uint(0)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("invalid size")
	}
	return n << shift, nil
}
