package certify

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// Mapping is a consumer that is a Lambda event source mapping: for each
// scenario the battery creates a mapping from the scenario's stream to a
// registered function through the Lambda API
// (CreateEventSourceMapping, StartingPosition TRIM_HORIZON unless
// Settings says otherwise), knows it in the oracle by its UUID, and
// deletes it after the scenario. A planned stop disables it and a start
// enables it again (the poller resumes from its checkpoints, as Lambda's
// does); a mapping does not crash: a failing handler shows as function
// errors, retries and discarded records.
//
// The function is one of:
//   - Handler (or HandlerFor): Go code in the battery's process. The
//     battery serves it on HandlerAddr in the Lambda Invoke API's protocol
//     and registers that URL as Function (default "certify-handler");
//   - URL: a Runtime Interface Emulator (http://host:port) or a Lambda
//     Invoke API URL, registered as Function for the run;
//   - neither: Function is registered on the server already.
//
// A function registered by the battery is forgotten after the run (one
// it replaced is registered again as it was).
type Mapping struct {
	// Function is the registered function name the mappings invoke.
	Function string
	// URL, when set, registers Function with this invoke target.
	URL string
	// Handler, when set, is the function: an in-process handler. The
	// battery does not see its output: a loss report a scenario requires
	// is a note.
	Handler HandlerFunc
	// HandlerFor, instead of Handler, makes the handler for each start of
	// the consumer in a scenario (a cold start): it may keep state for
	// the scenario and write its log lines to env.Output, where the card
	// shows them and a scenario that requires a loss report looks for
	// it. State that must survive a restart belongs in env.StateDir.
	HandlerFor func(env Env) HandlerFunc
	// HandlerAddr is where the battery serves Handler (default
	// 127.0.0.1:0, a free loopback port): the server must reach it.
	HandlerAddr string
	// Timeout and Concurrency of a function the battery registers
	// (defaults 3s, Lambda's default timeout, and 1: one invocation at a
	// time, as one execution environment or the Runtime Interface
	// Emulator takes them).
	Timeout     time.Duration
	Concurrency int
	// Settings are the mapping's settings as the Lambda API takes them
	// (BatchSize, MaximumRetryAttempts, MaximumRecordAgeInSeconds,
	// BisectBatchOnFunctionError, FunctionResponseTypes,
	// ParallelizationFactor, FilterCriteria, DestinationConfig…). The
	// battery sets FunctionName, EventSourceArn and Enabled, and
	// StartingPosition when it is empty.
	Settings lambda.CreateEventSourceMappingInput
}

// defaultHandlerFunction names the function of an in-process handler
// when Mapping.Function is empty.
const defaultHandlerFunction = "certify-handler"

// Kind implements Consumer.
func (Mapping) Kind() string { return KindMapping }

// functionName is the name the mappings invoke.
func (m Mapping) functionName() string {
	if m.Function == "" && m.inProcess() {
		return defaultHandlerFunction
	}
	return m.Function
}

// inProcess reports whether the function is a Go handler of this process.
func (m Mapping) inProcess() bool { return m.Handler != nil || m.HandlerFor != nil }

// String implements Consumer: the function and the settings that differ
// from Lambda's defaults.
func (m Mapping) String() string {
	s := "event source mapping to function " + m.functionName()
	switch {
	case m.inProcess():
		s += " (in-process handler)"
	case m.URL != "":
		s += " at " + m.URL
	}
	if set := m.settings(); len(set) > 0 {
		s += ": " + strings.Join(set, ", ")
	}
	return s
}

// settings lists the mapping's settings that are set, as "Name value".
func (m Mapping) settings() []string {
	in := m.Settings
	var out []string
	num := func(name string, v *int32) {
		if v != nil {
			out = append(out, name+" "+strconv.Itoa(int(*v)))
		}
	}
	num("BatchSize", in.BatchSize)
	num("MaximumBatchingWindowInSeconds", in.MaximumBatchingWindowInSeconds)
	num("ParallelizationFactor", in.ParallelizationFactor)
	num("MaximumRetryAttempts", in.MaximumRetryAttempts)
	num("MaximumRecordAgeInSeconds", in.MaximumRecordAgeInSeconds)
	if aws.ToBool(in.BisectBatchOnFunctionError) {
		out = append(out, "BisectBatchOnFunctionError")
	}
	for _, t := range in.FunctionResponseTypes {
		out = append(out, string(t))
	}
	num("TumblingWindowInSeconds", in.TumblingWindowInSeconds)
	if in.StartingPosition != "" {
		out = append(out, "StartingPosition "+string(in.StartingPosition))
	}
	if in.FilterCriteria != nil {
		out = append(out, "FilterCriteria")
	}
	if in.DestinationConfig != nil {
		out = append(out, "DestinationConfig")
	}
	return out
}

// Start implements Consumer: it enables the scenario's mapping
// (env.Mapping, which the battery created) unless it is enabled already,
// after handing the in-process handler its Env. It needs the Env of a
// scenario of the battery.
func (m Mapping) Start(env Env) (Instance, error) {
	h := env.host
	if h == nil || env.Mapping == "" {
		return nil, errors.New("certify: a Mapping consumer starts within the battery (Run, Test), which creates its mapping")
	}
	if h.srv != nil {
		handler := m.Handler
		if m.HandlerFor != nil {
			handler = m.HandlerFor(env)
		}
		h.srv.use(handler)
	}
	ctx, cancel := context.WithTimeout(context.Background(), mappingCallTimeout)
	defer cancel()
	if err := h.enable(ctx, env.Mapping); err != nil {
		return nil, err
	}
	return &mappingRun{host: h, uuid: env.Mapping, done: make(chan struct{})}, nil
}

// mappingCallTimeout bounds a start's Lambda API calls.
const mappingCallTimeout = 30 * time.Second

// mappingRun is one enabled spell of a scenario's mapping.
type mappingRun struct {
	host *mappingHost
	uuid string
	done chan struct{}
	once sync.Once
}

func (r *mappingRun) Done() <-chan struct{} { return r.done }
func (r *mappingRun) Err() error            { return nil }

// Stop disables the mapping and waits, until ctx is done, for its poller
// to stop (the invocation under way ends and is checkpointed).
func (r *mappingRun) Stop(ctx context.Context) {
	r.once.Do(func() {
		if err := r.host.disable(ctx, r.uuid); err != nil {
			r.host.log.Warn("disabling the scenario's mapping", "uuid", r.uuid, "err", err)
		}
		if r.host.srv != nil {
			r.host.srv.use(nil)
		}
		close(r.done)
	})
}
