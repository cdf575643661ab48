// Package emulator is dynafault's façade: New builds a complete DynamoDB +
// DynamoDB Streams server (engine, wire protocol, admin API) and Handler
// returns it as an http.Handler, usable with httptest in-process or behind
// a listener.
package emulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dynafault/dynafault/emulator/admin"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/engine"
	"github.com/dynafault/dynafault/emulator/lambda"
	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/emulator/metrics"
	"github.com/dynafault/dynafault/emulator/wire"
	"github.com/dynafault/dynafault/faults"
)

// Options configure an Emulator. The zero value is usable.
type Options struct {
	Region    string       // default "us-east-1"
	AccountID string       // default "000000000000"
	Clock     *clock.Clock // default: a real-time clock
	Logger    *slog.Logger // default: discard
	// TTLSweepInterval is how often, in wall time, a background loop
	// deletes the expired items of tables with TTL enabled. 0: never
	// automatically (POST /_admin/ttl/sweep and moves of the clock through
	// POST /_admin/clock still sweep). cmd/dynafault defaults to 1m.
	TTLSweepInterval time.Duration
	// StreamShards is the number of open shards (hash-range partitions) of
	// a new stream. Default 1.
	StreamShards int
	// StreamRetention is how long stream records stay readable, in clock
	// time. Default 24h.
	StreamRetention time.Duration
	// StreamRollover is the clock age at which an open shard is closed and
	// replaced by a child, as DynamoDB does about every 4 hours. 0 (the
	// zero value; or negative): never, the same as --stream-rollover 0, so
	// that shard IDs stay put in tests unless asked; cmd/dynafault
	// defaults to 4h. Shards can always be rolled over through the admin
	// API.
	StreamRollover time.Duration
	// IteratorTTL is how long a shard iterator stays usable. Default 15m.
	IteratorTTL time.Duration
	// Lifecycle is how long, in clock time, tables stay CREATING, UPDATING
	// and DELETING and GSIs CREATING and DELETING. The zero value settles
	// at once (the responses report the transient state, the next request
	// sees it settled). PUT /_admin/lifecycle changes it at run time.
	Lifecycle engine.Lifecycle
	// Seed seeds the fault rules' random generators: the same seed and the
	// same writes give the same fault decisions and the same journal.
	// cmd/dynafault draws a random seed when none is given and logs it.
	Seed uint64
	// LedgerSize is how many changes the change ledger keeps per table
	// with a stream (GET /_admin/changes; the details of the
	// missed-changes report). 0: 100,000; negative: no ledger
	// (--ledger-size off).
	LedgerSize int
	// Capacity enforces read and write capacity on every table from the
	// start, as DynamoDB does: provisioned throughput with burst capacity,
	// on-demand maximums, 3,000 RCU / 1,000 WCU per partition, GSI
	// back-pressure (package capacity). PUT /_admin/capacity switches it
	// at run time, PUT /_admin/capacity/{table} per table.
	Capacity bool
	// JournalSize is how many entries the fault journal keeps; older ones
	// are evicted and counted. 0: faults.DefaultJournalLimit (100,000).
	JournalSize int
	// Rules are fault rules active from the start.
	Rules []faults.Rule
	// FaultsFile names a JSON file of fault rules (one rule object or an
	// array, as POST /_admin/faults takes) active from the start, after
	// Rules.
	FaultsFile string
	// AdminToken, when set, is the bearer token every admin route but GET
	// /_admin/health requires.
	AdminToken string
	// SeparateAdmin: Handler serves no /_admin routes (404); serve
	// AdminHandler on a listener of its own.
	SeparateAdmin bool
	// DataDir, when set, keeps the tables between runs: New loads
	// DataDir/snapshot.json when it exists (a snapshot it cannot read
	// fails New, the file untouched) and Close saves the tables there,
	// atomically (WriteFileAtomic). The directory is created if needed.
	DataDir string
	// SeedData names a snapshot file (or a fixture, see docs/snapshots.md)
	// New loads when DataDir holds no snapshot yet.
	SeedData string
	// Mappings configure Lambda event source mappings and the functions
	// they deliver to.
	Mappings MappingOptions
	// BodyReadTimeout, when positive, is how long a client may take to
	// send a request body once the handler reads it; a body incomplete
	// then is answered 408 and its connection closed. It costs two
	// read-deadline updates per request: behind an http.Server, prefer
	// its ReadTimeout (a body read past it is answered the same way),
	// which cmd/dynafault sets from --body-read-timeout. 0: none here.
	BodyReadTimeout time.Duration
	// MaxBodyMemory bounds the bytes of the request bodies being read at
	// one time; a request that would exceed it is answered 503 (retried
	// by SDKs). 0: 256 MiB (wire.DefaultMaxBodyMemory); negative: none.
	MaxBodyMemory int64
	// CORSOrigins are the origins whose browser pages may call the
	// DynamoDB API: exact origins, "*" (any) and "local" (pages served
	// from this machine); nil: wire.DefaultCORS (local), empty: none. A
	// call from another origin is refused.
	CORSOrigins []string
	// ListenAddrs are the addresses the server listens on (the DynamoDB
	// port and a separate admin port); the admin API accepts their host
	// names in Host. IP addresses, localhost and names under .localhost
	// are always accepted.
	ListenAddrs []string
	// AllowedHosts are more host names the admin API accepts in Host
	// (a container's or compose service's name), against DNS rebinding.
	AllowedHosts []string
	// AdminAllowOrigins are origins besides the server's own whose pages
	// may send admin requests; "*" allows any.
	AdminAllowOrigins []string
}

// Emulator is one in-memory DynamoDB + Streams server. Several Emulators
// can live in one process; they share nothing.
type Emulator struct {
	engine    *engine.Engine
	log       *slog.Logger
	dataDir   string // Options.DataDir: saved to on Close
	handler   http.Handler
	admin     http.Handler       // the admin API alone (AdminHandler)
	faults    *faults.Injector   // fault rules and journal
	mappings  *mapping.Manager   // event source mappings and functions
	cancel    context.CancelFunc // stops the background loops
	wg        sync.WaitGroup     // the background loops
	closeOnce sync.Once
}

// New builds an Emulator.
func New(opts Options) (*Emulator, error) {
	if opts.TTLSweepInterval < 0 {
		return nil, errors.New("emulator: TTLSweepInterval must not be negative")
	}
	if opts.Clock == nil {
		opts.Clock = clock.New()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	inj, err := newInjector(opts)
	if err != nil {
		return nil, err
	}
	mem := newMemReturner(opts.Logger)
	eng := engine.New(engine.Options{
		Region: opts.Region, AccountID: opts.AccountID, Clock: opts.Clock, Logger: opts.Logger,
		StreamShards: opts.StreamShards, StreamRetention: opts.StreamRetention,
		StreamRollover: opts.StreamRollover, IteratorTTL: opts.IteratorTTL,
		StreamHook: streamFaults{inj}, StreamFreed: mem.freed,
		StreamLosses: streamLosses{inj, opts.Logger}, LedgerSize: opts.LedgerSize,
	})
	if err := eng.SetLifecycle(opts.Lifecycle); err != nil {
		return nil, fmt.Errorf("emulator: Lifecycle: %w", err)
	}
	eng.Capacity().SetEnabled(opts.Capacity)
	maps, err := newMappings(opts, eng.StreamRegistry(), inj)
	if err != nil {
		return nil, fmt.Errorf("emulator: %w", err)
	}
	met := metrics.New(metrics.Options{Engine: eng, Faults: inj, Mappings: maps})
	api := wire.NewHandler(eng, opts.Logger)
	api.SetObserver(met.Operation)
	api.SetFaults(inj)
	api.SetLimits(wire.Limits{BodyReadTimeout: opts.BodyReadTimeout, MaxBodyMemory: opts.MaxBodyMemory})
	api.SetCORS(opts.CORSOrigins)
	adm := admin.New(admin.Options{Engine: eng, Clock: opts.Clock, Logger: opts.Logger, Metrics: met.Handler(),
		Faults: inj, Token: opts.AdminToken, ListenAddrs: opts.ListenAddrs, AllowedHosts: opts.AllowedHosts,
		AllowedOrigins: opts.AdminAllowOrigins, Mappings: maps})
	lam := lambda.NewHandler(maps, opts.Logger)
	lam.SetOriginCheck(api.AllowsOrigin)
	// The wire handler logs its own requests at Debug level (with their
	// table and error type); accessLog logs the admin API's and the
	// Lambda API's.
	e := &Emulator{engine: eng, log: opts.Logger, dataDir: opts.DataDir, admin: accessLog(opts.Logger, "admin request", adm),
		faults: inj, mappings: maps}
	from, err := e.loadStartData(opts)
	if err != nil {
		maps.Close()
		return nil, err
	}
	if from != "" {
		opts.Logger.Info("tables loaded", "from", from, "tables", len(eng.TableNames()))
	}
	lamLogged := accessLog(opts.Logger, "lambda request", lam)
	if opts.SeparateAdmin {
		e.handler = route(api, lamLogged, http.HandlerFunc(noAdmin))
	} else {
		e.handler = route(api, lamLogged, e.admin)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	if opts.TTLSweepInterval > 0 {
		e.start(ctx, opts.TTLSweepInterval, ttlSweeper(eng, opts.Logger))
	}
	e.wg.Go(func() { mem.run(ctx) })
	return e, nil
}

// Handler returns the HTTP handler serving the DynamoDB and Streams wire
// protocol on POST / and the admin API under /_admin/ (unless
// Options.SeparateAdmin).
func (e *Emulator) Handler() http.Handler { return e.handler }

// AdminHandler returns the admin API alone, for a listener of its own.
func (e *Emulator) AdminHandler() http.Handler { return e.admin }

// Faults returns the fault injector: its rules, seed and journal are the
// ones the admin API serves.
func (e *Emulator) Faults() *faults.Injector { return e.faults }

// Mappings returns the event source mappings and functions: the ones the
// Lambda API and the admin API serve.
func (e *Emulator) Mappings() *mapping.Manager { return e.mappings }

// newInjector builds the fault injector with the start rules.
func newInjector(opts Options) (*faults.Injector, error) {
	rules, err := startRules(opts)
	if err != nil {
		return nil, err
	}
	inj := faults.New(faults.Options{Seed: opts.Seed, Now: opts.Clock.Now, Logger: opts.Logger, JournalLimit: opts.JournalSize})
	if _, err := inj.Add(rules...); err != nil {
		return nil, fmt.Errorf("emulator: fault rules: %w", err)
	}
	return inj, nil
}

// noAdmin answers /_admin requests on the main handler when the admin API
// has a listener of its own.
func noAdmin(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte(`{"error":"not found: the admin API is served on its own address"}` + "\n"))
}

// Close stops background work and, with Options.DataDir, saves the tables
// there (its error is Close's). The Emulator must not be used afterwards.
// Close is idempotent.
func (e *Emulator) Close() error {
	var err error
	e.closeOnce.Do(func() {
		e.cancel()
		e.mappings.Close()
		e.wg.Wait()
		if e.dataDir != "" {
			path := filepath.Join(e.dataDir, SnapshotFile)
			if err = e.SaveSnapshotFile(path); err != nil {
				err = fmt.Errorf("emulator: saving the tables to %s: %w", path, err)
				return
			}
			e.log.Info("tables saved", "to", path, "tables", len(e.engine.TableNames()))
		}
	})
	return err
}

// start runs fn every interval (wall time) in a background loop that Close
// stops.
func (e *Emulator) start(ctx context.Context, interval time.Duration, fn func(context.Context)) {
	ticker := time.NewTicker(interval)
	e.wg.Go(func() {
		defer ticker.Stop()
		every(ctx, ticker.C, fn)
	})
}

// every runs fn at each tick until ctx is done.
func every(ctx context.Context, ticks <-chan time.Time, fn func(context.Context)) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			fn(ctx)
		}
	}
}

// ttlSweeper is the background TTL sweep: it deletes the expired items of
// every table with TTL enabled.
func ttlSweeper(eng *engine.Engine, log *slog.Logger) func(context.Context) {
	return func(ctx context.Context) {
		n, err := eng.SweepTTL(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("ttl sweep failed", "deleted", n, "error", err)
			return
		}
		if n > 0 {
			log.Debug("ttl sweep", "deleted", n)
		}
	}
}

// route sends /_admin and /_admin/... to adm, the Lambda API's paths to
// lam and everything else to api.
func route(api, lam, adm http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		switch {
		case strings.HasPrefix(p, admin.Prefix) && (len(p) == len(admin.Prefix) || p[len(admin.Prefix)] == '/'):
			adm.ServeHTTP(w, r)
		case len(p) > 1 && lambda.Serves(p):
			lam.ServeHTTP(w, r)
		default:
			api.ServeHTTP(w, r)
		}
	})
}
