package certify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/dynafault/dynafault/emulator/sdkhttp"
)

// Env is what a consumer is told about one scenario. The battery gives
// every scenario a fresh table and access key id, so the oracle tells
// the runs apart.
type Env struct {
	// Scenario is the scenario's name.
	Scenario string
	// Endpoint is the URL of DynamoDB and DynamoDB Streams.
	Endpoint string
	// Region, AccessKeyID and SecretAccessKey sign the consumer's
	// requests; the access key id is how dynafault knows the consumer.
	Region, AccessKeyID, SecretAccessKey string
	// Table is the table written to and StreamARN its stream.
	Table, StreamARN string
	// StateDir is a directory for the consumer's checkpoints: empty at
	// the scenario's start, kept across its restarts, removed after.
	StateDir string
	// Start counts the consumer's starts in the scenario before this one
	// (0 for the first).
	Start int
	// Output receives the consumer's log lines: the report card shows
	// the last of them after a crash, and a scenario that requires a
	// loss report looks for it there. A command's standard output and
	// error go there.
	Output io.Writer
}

// Environ returns the environment variables a consumer command gets (on
// top of the battery's own environment, less AWS profile and session
// variables):
//
//	DYNAFAULT_ENDPOINT, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_DYNAMODB,
//	AWS_ENDPOINT_URL_DYNAMODB_STREAMS   the endpoint
//	AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_DEFAULT_REGION
//	DYNAFAULT_TABLE, DYNAFAULT_STREAM_ARN
//	DYNAFAULT_STATE_DIR, DYNAFAULT_SCENARIO, DYNAFAULT_START
func (e Env) Environ() []string {
	return []string{
		"DYNAFAULT_ENDPOINT=" + e.Endpoint,
		"AWS_ENDPOINT_URL=" + e.Endpoint,
		"AWS_ENDPOINT_URL_DYNAMODB=" + e.Endpoint,
		"AWS_ENDPOINT_URL_DYNAMODB_STREAMS=" + e.Endpoint,
		"AWS_ACCESS_KEY_ID=" + e.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + e.SecretAccessKey,
		"AWS_REGION=" + e.Region,
		"AWS_DEFAULT_REGION=" + e.Region,
		"DYNAFAULT_TABLE=" + e.Table,
		"DYNAFAULT_STREAM_ARN=" + e.StreamARN,
		"DYNAFAULT_STATE_DIR=" + e.StateDir,
		"DYNAFAULT_SCENARIO=" + e.Scenario,
		"DYNAFAULT_START=" + strconv.Itoa(e.Start),
	}
}

// EnvFromEnviron reads an Env from the variables Environ sets, through
// getenv (os.Getenv): a consumer command written in Go starts with it.
// Output is os.Stderr.
func EnvFromEnviron(getenv func(string) string) (Env, error) {
	e := Env{
		Scenario: getenv("DYNAFAULT_SCENARIO"), Endpoint: getenv("DYNAFAULT_ENDPOINT"),
		Region: getenv("AWS_REGION"), AccessKeyID: getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"), Table: getenv("DYNAFAULT_TABLE"),
		StreamARN: getenv("DYNAFAULT_STREAM_ARN"), StateDir: getenv("DYNAFAULT_STATE_DIR"), Output: os.Stderr,
	}
	e.Start, _ = strconv.Atoi(getenv("DYNAFAULT_START"))
	if e.Endpoint == "" || e.StreamARN == "" || e.AccessKeyID == "" {
		return e, errors.New("DYNAFAULT_ENDPOINT, DYNAFAULT_STREAM_ARN and AWS_ACCESS_KEY_ID must be set (dynafault certify sets them)")
	}
	return e, nil
}

// AWSConfig is an SDK configuration for the consumer: the endpoint, the
// region and the static credentials of e, the SDK's default retryer.
func (e Env) AWSConfig() aws.Config {
	return aws.Config{
		Region:       e.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(e.AccessKeyID, e.SecretAccessKey, ""),
		BaseEndpoint: aws.String(e.Endpoint),
		HTTPClient:   &http.Client{Transport: sdkhttp.Transport(nil)},
	}
}

// Consumer is the consumer under test: started for each scenario, stopped
// after it, and restarted when a scenario calls for it or after a crash.
type Consumer interface {
	// Kind is KindProcess or KindMapping.
	Kind() string
	// Start starts one run of the consumer for env.
	Start(env Env) (Instance, error)
	// String describes the consumer for the report card.
	String() string
}

// Instance is one run of a consumer.
type Instance interface {
	// Done is closed when the run has ended.
	Done() <-chan struct{}
	// Err describes how it ended once Done is closed: nil for a clean
	// exit (or a return after Stop).
	Err() error
	// Stop asks the run to end, waits for it until ctx is done, then
	// kills it; it returns once the run has ended.
	Stop(ctx context.Context)
}

// Func is a consumer written in Go: it reads env.StreamARN until ctx is
// cancelled (a stop), and returns. Returning earlier, with or without an
// error, or panicking is a crash. Checkpoints that must survive a restart
// belong in env.StateDir.
type Func func(ctx context.Context, env Env) error

// Kind implements Consumer.
func (Func) Kind() string { return KindProcess }

// String implements Consumer.
func (Func) String() string { return "Go function" }

// Start implements Consumer: f runs in a goroutine.
func (f Func) Start(env Env) (Instance, error) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &funcRun{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		defer func() {
			if p := recover(); p != nil {
				r.err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
			}
		}()
		err := f(ctx, env)
		if ctx.Err() != nil && (err == nil || errors.Is(err, context.Canceled)) {
			return // stopped
		}
		r.err = err
	}()
	return r, nil
}

// funcRun is one run of a Func.
type funcRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error
}

func (r *funcRun) Done() <-chan struct{} { return r.done }
func (r *funcRun) Err() error            { <-r.done; return r.err }

// Stop cancels the function's context and waits for it to return; a
// function that ignores ctx is waited for until ctx is done, then left
// running (a goroutine cannot be killed).
func (r *funcRun) Stop(ctx context.Context) {
	r.cancel()
	select {
	case <-r.done:
	case <-ctx.Done():
	}
}

// Command is a consumer run as a process: Args[0] with Args[1:], in Dir,
// with the battery's environment plus Env.Environ() and Extra. Its output
// goes to Env.Output. Stop sends SIGTERM (to its process group, so a
// shell's children get it too), waits, then sends SIGKILL.
type Command struct {
	Args  []string
	Dir   string
	Extra []string
}

// Shell is a Command that runs cmdline with /bin/sh -c.
func Shell(cmdline string) Command {
	return Command{Args: []string{"/bin/sh", "-c", cmdline}}
}

// Kind implements Consumer.
func (Command) Kind() string { return KindProcess }

// String implements Consumer.
func (c Command) String() string {
	if len(c.Args) == 3 && c.Args[0] == "/bin/sh" && c.Args[1] == "-c" {
		return c.Args[2]
	}
	return strings.Join(c.Args, " ")
}

// Start implements Consumer.
func (c Command) Start(env Env) (Instance, error) {
	if len(c.Args) == 0 {
		return nil, errors.New("certify: Command without arguments")
	}
	cmd := exec.Command(c.Args[0], c.Args[1:]...) //nolint:gosec // the user's consumer command
	cmd.Dir = c.Dir
	cmd.Env = append(append(baseEnviron(), env.Environ()...), c.Extra...)
	cmd.Stdout, cmd.Stderr = env.Output, env.Output
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &cmdRun{cmd: cmd, done: make(chan struct{})}
	go func() {
		r.err = cmd.Wait()
		close(r.done)
	}()
	return r, nil
}

// baseEnviron is the battery's environment without the variables that
// would point a consumer's SDK elsewhere (profiles, session tokens,
// endpoints).
func baseEnviron() []string {
	var out []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "AWS_PROFILE", name == "AWS_SESSION_TOKEN", name == "AWS_DEFAULT_PROFILE",
			name == "AWS_CONFIG_FILE", name == "AWS_SHARED_CREDENTIALS_FILE",
			strings.HasPrefix(name, "AWS_ENDPOINT_URL"):
			continue
		}
		out = append(out, kv)
	}
	return out
}

// cmdRun is one run of a Command.
type cmdRun struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func (r *cmdRun) Done() <-chan struct{} { return r.done }
func (r *cmdRun) Err() error            { <-r.done; return r.err }

// Stop sends SIGTERM, waits until ctx is done, then SIGKILL.
func (r *cmdRun) Stop(ctx context.Context) {
	terminate(r.cmd)
	select {
	case <-r.done:
		return
	case <-ctx.Done():
	}
	kill(r.cmd)
	<-r.done
}

// Running is a consumer that runs on its own: the battery neither starts
// nor stops it, and knows it by its access key id. It reads Table, which
// must exist with a stream whose partition key is a string attribute and
// no sort key; every scenario writes to it. Scenarios that restart the
// consumer are skipped, and crashes cannot be seen.
func Running(accessKeyID, table string) Consumer {
	return running{key: accessKeyID, table: table}
}

type running struct{ key, table string }

func (running) Kind() string     { return KindProcess }
func (r running) String() string { return "running consumer " + r.key + " on table " + r.table }
func (running) Start(Env) (Instance, error) {
	return &idle{done: make(chan struct{})}, nil
}

// idle stands for a consumer the battery does not run.
type idle struct {
	done chan struct{}
	once sync.Once
}

func (i *idle) Done() <-chan struct{} { return i.done } // closed by Stop only
func (i *idle) Err() error            { return nil }
func (i *idle) Stop(context.Context)  { i.once.Do(func() { close(i.done) }) }

// stopGrace is how long a planned stop waits before killing.
const stopGrace = 10 * time.Second
