package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/mapping"
)

// functionFlags are the event source mapping settings of the serve
// command: the functions to register at start and the retry schedule.
type functionFlags struct {
	functions             []string // NAME=URL, from --function (repeatable) or DYNAFAULT_FUNCTIONS
	timeout               string
	retryBase, retryMax   string
	transition            string
	envFunctions          string
	functionsFromFlagSeen bool
}

// register defines the function flags on fs with env fallbacks.
func (f *functionFlags) register(fs *flag.FlagSet, env func(key, def string) string) {
	f.envFunctions = env("DYNAFAULT_FUNCTIONS", "")
	fs.Func("function", "register a function for event source mappings: NAME=URL, URL the Runtime Interface Emulator (http://host:port) or a Lambda Invoke API URL; repeatable (env DYNAFAULT_FUNCTIONS: NAME=URL,NAME=URL)", func(v string) error {
		f.functions = append(f.functions, v)
		f.functionsFromFlagSeen = true
		return nil
	})
	fs.StringVar(&f.timeout, "function-timeout", env("DYNAFAULT_FUNCTION_TIMEOUT", "3s"), "timeout of the functions of --function, enforced on every invocation (env DYNAFAULT_FUNCTION_TIMEOUT)")
	fs.StringVar(&f.retryBase, "mapping-retry-base", env("DYNAFAULT_MAPPING_RETRY_BASE", "1s"), "clock-time wait before the first retry of a failed batch; doubled per retry (env DYNAFAULT_MAPPING_RETRY_BASE)")
	fs.StringVar(&f.retryMax, "mapping-retry-max", env("DYNAFAULT_MAPPING_RETRY_MAX", "1m"), "longest clock-time wait between retries of a failed batch (env DYNAFAULT_MAPPING_RETRY_MAX)")
	fs.StringVar(&f.transition, "mapping-transition", env("DYNAFAULT_MAPPING_TRANSITION", "0s"), "how long, in clock time, an event source mapping stays Creating, Enabling, Updating, Disabling or Deleting; 0 = settled at the next call (env DYNAFAULT_MAPPING_TRANSITION)")
}

// apply parses the function flags into o.
func (f functionFlags) apply(o *emulator.Options) error {
	timeout, err := positiveDuration("--function-timeout", f.timeout)
	if err != nil {
		return err
	}
	specs, source := f.functions, "--function"
	if !f.functionsFromFlagSeen && f.envFunctions != "" {
		specs, source = strings.Split(f.envFunctions, ","), "environment variable DYNAFAULT_FUNCTIONS"
	}
	for _, s := range specs {
		name, url, ok := strings.Cut(strings.TrimSpace(s), "=")
		if !ok || name == "" || url == "" {
			return fmt.Errorf("invalid %s %q (NAME=URL, e.g. orders=http://127.0.0.1:9000)", source, s)
		}
		o.Mappings.Functions = append(o.Mappings.Functions, mapping.Function{Name: name, URL: url, Timeout: timeout})
	}
	base, err := positiveDuration("--mapping-retry-base", f.retryBase)
	if err != nil {
		return err
	}
	maxWait, err := positiveDuration("--mapping-retry-max", f.retryMax)
	if err != nil {
		return err
	}
	if maxWait < base {
		return fmt.Errorf("invalid --mapping-retry-max %s: shorter than --mapping-retry-base %s", maxWait, base)
	}
	o.Mappings.RetryBackoff = mapping.Backoff{Base: base, Max: maxWait}
	if f.transition != "" {
		if o.Mappings.Transition, err = time.ParseDuration(f.transition); err != nil || o.Mappings.Transition < 0 {
			return fmt.Errorf("invalid --mapping-transition %q (a duration such as 2s; 0 = settled at the next call)", f.transition)
		}
	}
	return nil
}

// timeoutOf parses a function timeout flag ("" keeps the default).
func timeoutOf(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return positiveDuration("--timeout", s)
}
