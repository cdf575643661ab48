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
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults/certify"
)

// certifyFlags are the flags of the certify command.
type certifyFlags struct {
	endpoint, adminToken, region  string
	consumerCmd, consumerKey      string
	table                         string
	scenarios, run, reportPattern string
	jsonFile, junitFile, logFile  string
	seed                          uint64
	deadline, ready               time.Duration
	maxRestarts                   int
	keep, list, verbose           bool
}

// parseCertifyFlags parses the certify command's flags.
func parseCertifyFlags(args []string, stderr io.Writer) (certifyFlags, error) {
	var f certifyFlags
	fs := newFlagSet("certify", stderr)
	fs.StringVar(&f.consumerCmd, "consumer-cmd", "", "the consumer: a shell command the battery starts per scenario (endpoint, table, stream ARN and credentials in its environment)")
	fs.StringVar(&f.consumerKey, "consumer-key", "", "the consumer: one already running, by the access key id it signs with (with --table)")
	fs.StringVar(&f.table, "table", "", "the table a --consumer-key consumer reads (partition key of type S, no sort key, a stream)")
	fs.StringVar(&f.endpoint, "endpoint", "", "a running dynafault server to use (default: one started in this process); the battery moves its clock")
	fs.StringVar(&f.adminToken, "admin-token", "", "bearer token of the --endpoint server's admin API")
	fs.StringVar(&f.region, "region", "us-east-1", "region the battery and the consumer sign for")
	fs.StringVar(&f.scenarios, "scenarios", "", "a scenario file or a directory of *.json files: added to the built-in battery, replacing scenarios of the same name")
	fs.StringVar(&f.run, "run", "", "run only the scenarios whose name matches this regular expression")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the workloads (and of the fault rules of the in-process server)")
	fs.DurationVar(&f.deadline, "deadline", 0, "time the consumer has to catch up after each scenario's last write (default: each scenario's own, 30s unless it says otherwise)")
	fs.DurationVar(&f.ready, "ready", 30*time.Second, "time the consumer has after its start to read every shard before the workload begins anyway")
	fs.IntVar(&f.maxRestarts, "max-restarts", 5, "restarts after crashes per scenario (0: none)")
	fs.StringVar(&f.reportPattern, "report-pattern", certify.DefaultReportPattern.String(), "regular expression that marks a consumer's output line as its report of a loss")
	fs.StringVar(&f.jsonFile, "json", "", "write the report card as JSON to this file (- for stdout)")
	fs.StringVar(&f.junitFile, "junit", "", "write the report card as JUnit XML to this file (- for stdout)")
	fs.StringVar(&f.logFile, "consumer-log", "", "write every line of the consumer's output, prefixed with the scenario, to this file (- for stderr)")
	fs.BoolVar(&f.verbose, "v", false, "print each scenario's result as soon as it is known (to stderr)")
	fs.BoolVar(&f.keep, "keep", false, "keep each scenario's table and the oracle's record of its consumer")
	fs.BoolVar(&f.list, "list", false, "list the scenarios (built-in and --scenarios) and exit")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected arguments: %s (quote the --consumer-cmd)", strings.Join(fs.Args(), " "))
	}
	if f.endpoint != "" {
		var err error
		if f.endpoint, err = checkEndpoint("--endpoint", f.endpoint); err != nil {
			return f, err
		}
	}
	return f, f.check()
}

// check reports flags that do not go together.
func (f certifyFlags) check() error {
	switch {
	case f.list:
		return nil
	case f.consumerCmd == "" && f.consumerKey == "":
		return errors.New("name the consumer: --consumer-cmd 'COMMAND' (or --consumer-key ID --table NAME)")
	case f.consumerCmd != "" && f.consumerKey != "":
		return errors.New("--consumer-cmd and --consumer-key exclude each other")
	case f.consumerKey != "" && f.table == "":
		return errors.New("--consumer-key needs --table: the table that consumer reads")
	case f.consumerKey != "" && f.endpoint == "":
		return errors.New("--consumer-key needs --endpoint: the server the running consumer reads")
	case f.table != "" && f.consumerKey == "":
		return errors.New("--table goes with --consumer-key (a --consumer-cmd consumer gets a fresh table per scenario)")
	case f.maxRestarts < 0:
		return fmt.Errorf("invalid --max-restarts %d", f.maxRestarts)
	}
	return nil
}

// certifyCmd runs "dynafault certify": the battery against a consumer,
// printing the report card; it fails when a scenario failed.
func certifyCmd(ctx context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	f, err := parseCertifyFlags(args, stderr)
	if err != nil {
		return err
	}
	cfg, closeLog, err := f.config(stderr)
	if err != nil {
		return err
	}
	defer closeLog()
	if f.list {
		return listScenarios(stdout, certify.Select(cfg.Scenarios, cfg.Run))
	}
	if cfg.Endpoint == "" {
		stop, url, err := startInProcess(f.seed, f.region)
		if err != nil {
			return err
		}
		defer stop()
		cfg.Endpoint = url
	}
	if f.verbose {
		cfg.OnResult = func(r certify.Result) { fmt.Fprintf(stderr, "%-28s %s\n", r.Name, strings.ToUpper(r.Status)) }
	}
	rep, runErr := certify.Run(ctx, cfg)
	if rep == nil {
		return runErr
	}
	if err := rep.WriteTable(stdout); err != nil {
		return err
	}
	if err := writeReport(f.jsonFile, stdout, rep.WriteJSON); err != nil {
		return err
	}
	if err := writeReport(f.junitFile, stdout, rep.WriteJUnit); err != nil {
		return err
	}
	switch {
	case runErr != nil:
		return runErr
	case !rep.OK():
		return fmt.Errorf("certify: %d of %d scenarios failed, %d could not run", rep.Failed, len(rep.Results), rep.Errors)
	}
	return nil
}

// config turns the flags into the battery's configuration; closeLog
// closes the --consumer-log file.
func (f certifyFlags) config(stderr io.Writer) (cfg certify.Config, closeLog func(), err error) {
	closeLog = func() {}
	cfg = certify.Config{Endpoint: f.endpoint, AdminToken: f.adminToken, Region: f.region, Seed: f.seed, CatchUpWithin: f.deadline,
		ReadyWithin: f.ready, MaxRestarts: f.maxRestarts, Keep: f.keep, Scenarios: certify.Builtin()}
	if f.maxRestarts == 0 {
		cfg.MaxRestarts = -1
	}
	switch {
	case f.consumerCmd != "":
		cfg.Consumer = certify.Shell(f.consumerCmd)
	case f.consumerKey != "":
		cfg.Consumer = certify.Running(f.consumerKey, f.table)
	}
	if f.scenarios != "" {
		extra, err := certify.LoadScenarios(f.scenarios)
		if err != nil {
			return cfg, closeLog, fmt.Errorf("--scenarios: %w", err)
		}
		if cfg.Scenarios, err = certify.Merge(cfg.Scenarios, extra); err != nil {
			return cfg, closeLog, fmt.Errorf("--scenarios: %w", err)
		}
	}
	if f.run != "" {
		if cfg.Run, err = regexp.Compile(f.run); err != nil {
			return cfg, closeLog, fmt.Errorf("invalid --run %q: %w", f.run, err)
		}
		if len(certify.Select(cfg.Scenarios, cfg.Run)) == 0 {
			return cfg, closeLog, fmt.Errorf("--run %q selects no scenario (see dynafault certify --list)", f.run)
		}
	}
	if cfg.ReportPattern, err = regexp.Compile(f.reportPattern); err != nil {
		return cfg, closeLog, fmt.Errorf("invalid --report-pattern %q: %w", f.reportPattern, err)
	}
	switch f.logFile {
	case "":
	case "-":
		cfg.ConsumerOutput = stderr
	default:
		file, err := os.Create(f.logFile)
		if err != nil {
			return cfg, closeLog, fmt.Errorf("--consumer-log: %w", err)
		}
		cfg.ConsumerOutput = file
		closeLog = func() { _ = file.Close() }
	}
	return cfg, closeLog, nil
}

// listScenarios prints the scenarios' names and descriptions.
func listScenarios(w io.Writer, ss []certify.Scenario) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range ss {
		kinds := ""
		if len(s.Kinds) > 0 {
			kinds = " [" + strings.Join(s.Kinds, ", ") + " only]"
		}
		fmt.Fprintf(tw, "%s\t%s%s\n", s.Name, s.Description, kinds)
	}
	return tw.Flush()
}

// writeReport writes a report with write to the file name ("-": stdout,
// "": nowhere).
func writeReport(name string, stdout io.Writer, write func(io.Writer) error) error {
	switch name {
	case "":
		return nil
	case "-":
		return write(stdout)
	}
	file, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := write(file); err != nil {
		_ = file.Close()
		return err
	}
	return file.Close()
}

// startInProcess starts an emulator of the battery's own on a loopback
// port, with the seed for its fault rules; stop shuts it down.
func startInProcess(seed uint64, region string) (stop func(), url string, err error) {
	log := slog.New(slog.DiscardHandler)
	// Shards roll over every 4 hours, as the command line's default and
	// DynamoDB's cadence: scenarios that move the clock by a day count on it.
	emu, err := emulator.New(emulator.Options{Seed: seed, Region: region, Logger: log, StreamRollover: 4 * time.Hour})
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = emu.Close()
		return nil, "", err
	}
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout,
		MaxHeaderBytes: maxHeaderBytes}
	go func() { _ = srv.Serve(ln) }()
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), defaultShutdownGrace)
		defer cancel()
		_ = srv.Shutdown(ctx)
		_ = emu.Close()
	}
	return stop, "http://" + ln.Addr().String(), nil
}
