package certify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynafault/dynafault/emulator/sdkhttp"
	"github.com/dynafault/dynafault/faults/client"
)

// Config is one run of the battery.
type Config struct {
	// Endpoint is the URL of the dynafault server (required). The battery
	// moves its clock: run it against a server of its own.
	Endpoint string
	// AdminToken is the bearer token of a server started with
	// --admin-token.
	AdminToken string
	// Region signs the requests (default us-east-1).
	Region string
	// Consumer is the consumer under test (required).
	Consumer Consumer
	// Scenarios is the battery (nil: Builtin()).
	Scenarios []Scenario
	// Run selects the scenarios whose name matches (nil: all).
	Run *regexp.Regexp
	// Seed derives each scenario's workload seed (default 1).
	Seed uint64
	// CatchUpWithin, when set, replaces every scenario's catch-up
	// deadline.
	CatchUpWithin time.Duration
	// ReadyWithin is how long the consumer has, after its start, to read
	// every shard before the workload begins anyway (default 30s).
	ReadyWithin time.Duration
	// ReportPattern matches the consumer's output lines that report a
	// loss (default DefaultReportPattern).
	ReportPattern *regexp.Regexp
	// MaxRestarts bounds the restarts after crashes in one scenario
	// (default 5; -1 for none).
	MaxRestarts int
	// RestartBackoff is the pause before the first restart after a crash;
	// it doubles with each (default 200ms).
	RestartBackoff time.Duration
	// Keep keeps each scenario's table and the oracle's record of its
	// consumer for inspection (default: deleted after the scenario).
	Keep bool
	// TablePrefix starts every table name (default "certify").
	TablePrefix string
	// ConsumerOutput, when set, receives a copy of every line of the
	// consumer's output, prefixed with "[scenario] ".
	ConsumerOutput io.Writer
	// Log receives the battery's progress (default: discarded).
	Log *slog.Logger
	// OnResult is called with each result as soon as it is known.
	OnResult func(Result)
	// HTTPClient is the battery's HTTP client (default: a new one).
	HTTPClient *http.Client
}

// DefaultReportPattern matches a consumer's output line that reports a
// lost, missing or misordered change, or the trim that caused one.
var DefaultReportPattern = regexp.MustCompile(`(?i)(\bgaps?\b|\blost\b|\bloss\b|\bmissing\b|\bmissed\b|trimmed|out of order|\breorder)`) //nolint:gochecknoglobals // constant

// Battery defaults.
const (
	defaultSeed        = 1
	defaultReadyWithin = 30 * time.Second
	defaultMaxRestarts = 5
	defaultBackoff     = 200 * time.Millisecond
	defaultPrefix      = "certify"
	batteryAccessKey   = "dynafault-certify"
	consumerSecret     = "dynafault-certify-secret"
)

// battery is a configured run.
type battery struct {
	cfg      Config
	adm      *client.Client
	db       *dynamodb.Client
	runID    string
	attached *running
	log      *slog.Logger
}

// Run runs the selected scenarios one after the other against the
// consumer and returns the report card. It returns an error when the
// configuration is invalid or the endpoint does not answer; a scenario
// that cannot run is a result with status error. When ctx ends, the
// scenarios not run yet are left out and Run returns ctx.Err() with the
// report so far.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	b, err := newBattery(cfg)
	if err != nil {
		return nil, err
	}
	if err := b.adm.Health(ctx); err != nil {
		return nil, fmt.Errorf("certify: the endpoint %s does not answer dynafault's admin API: %w", cfg.Endpoint, err)
	}
	scenarios := b.scenarios()
	if len(scenarios) == 0 {
		return nil, errors.New("certify: no scenario selected")
	}
	rep := b.newReport()
	for i, sc := range scenarios {
		if ctx.Err() != nil {
			break
		}
		res := b.scenario(ctx, sc, i)
		rep.add(res)
		if cfg.OnResult != nil {
			cfg.OnResult(res)
		}
	}
	rep.DurationSeconds = time.Since(rep.Started).Seconds()
	return rep, ctx.Err()
}

// newReport starts the report card of the run.
func (b *battery) newReport() *Report {
	return &Report{Consumer: b.cfg.Consumer.String(), Kind: b.cfg.Consumer.Kind(), Endpoint: b.cfg.Endpoint,
		Seed: b.cfg.Seed, Started: time.Now().UTC()}
}

// newBattery checks cfg and fills in its defaults.
func newBattery(cfg Config) (*battery, error) {
	if cfg.Endpoint == "" {
		return nil, errors.New("certify: Config.Endpoint is required")
	}
	if cfg.Consumer == nil {
		return nil, errors.New("certify: Config.Consumer is required")
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Seed == 0 {
		cfg.Seed = defaultSeed
	}
	if cfg.ReadyWithin <= 0 {
		cfg.ReadyWithin = defaultReadyWithin
	}
	switch {
	case cfg.MaxRestarts == 0:
		cfg.MaxRestarts = defaultMaxRestarts
	case cfg.MaxRestarts < 0:
		cfg.MaxRestarts = 0
	}
	if cfg.RestartBackoff <= 0 {
		cfg.RestartBackoff = defaultBackoff
	}
	if cfg.TablePrefix == "" {
		cfg.TablePrefix = defaultPrefix
	}
	if cfg.ReportPattern == nil {
		cfg.ReportPattern = DefaultReportPattern
	}
	if cfg.Scenarios == nil {
		cfg.Scenarios = Builtin()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	b := &battery{cfg: cfg, runID: runID(), log: cfg.Log}
	if b.log == nil {
		b.log = slog.New(slog.DiscardHandler)
	}
	if r, ok := cfg.Consumer.(running); ok {
		b.attached = &r
	}
	opts := []client.Option{client.WithHTTPClient(cfg.HTTPClient)}
	if cfg.AdminToken != "" {
		opts = append(opts, client.WithToken(cfg.AdminToken))
	}
	b.adm = client.New(cfg.Endpoint, opts...)
	b.db = dynamodb.NewFromConfig(aws.Config{
		Region:       cfg.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(batteryAccessKey, consumerSecret, ""),
		BaseEndpoint: aws.String(cfg.Endpoint),
		HTTPClient:   &http.Client{Timeout: 60 * time.Second, Transport: sdkhttp.Transport(nil)},
	})
	return b, nil
}

// scenarios returns the selected scenarios.
func (b *battery) scenarios() []Scenario {
	return Select(b.cfg.Scenarios, b.cfg.Run)
}

// runID is six random upper-case letters and digits that tell this run's
// tables and consumers apart from those of other runs.
func runID() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	var b [6]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}

// stateRoot is the directory under which each scenario's state directory
// is made.
func stateRoot() string { return os.TempDir() }
