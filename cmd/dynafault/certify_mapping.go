package main

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/dynafault/dynafault/faults/certify"
)

// mappingFlags are the flags of certify's event source mapping consumer:
// the function, and the mapping's settings under the AWS CLI's names
// (aws lambda create-event-source-mapping).
type mappingFlags struct {
	function        string // NAME or NAME=URL
	functionTimeout string
	in              lambda.CreateEventSourceMappingInput
	set             []string // the settings given, as --names
}

// intRange is a Lambda setting's valid values: from lo to hi, or one of
// also.
type intRange struct {
	lo, hi int
	also   []int
	text   string
}

// register defines the mapping flags on fs.
func (f *mappingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.function, "function", "", "the consumer: an event source mapping per scenario to this function: NAME (registered on the --endpoint server) or NAME=URL (a Runtime Interface Emulator, http://host:port, or a Lambda Invoke API URL, registered for the run)")
	fs.StringVar(&f.functionTimeout, "function-timeout", "3s", "timeout of a --function NAME=URL, enforced on every invocation (start the Runtime Interface Emulator with the same AWS_LAMBDA_FUNCTION_TIMEOUT)")
	f.intFlag(fs, "batch-size", "BatchSize (default 100)", &f.in.BatchSize, intRange{1, 10000, nil, "1 to 10000"})
	f.intFlag(fs, "maximum-batching-window-in-seconds", "MaximumBatchingWindowInSeconds (default 0)", &f.in.MaximumBatchingWindowInSeconds, intRange{0, 300, nil, "0 to 300"})
	f.intFlag(fs, "parallelization-factor", "ParallelizationFactor (default 1)", &f.in.ParallelizationFactor, intRange{1, 10, nil, "1 to 10"})
	f.intFlag(fs, "maximum-retry-attempts", "MaximumRetryAttempts (default -1: until the records expire)", &f.in.MaximumRetryAttempts, intRange{-1, 10000, nil, "-1 to 10000"})
	f.intFlag(fs, "maximum-record-age-in-seconds", "MaximumRecordAgeInSeconds (default -1: no limit)", &f.in.MaximumRecordAgeInSeconds, intRange{60, 604800, []int{-1}, "-1 or 60 to 604800"})
	fs.BoolFunc("bisect-batch-on-function-error", "BisectBatchOnFunctionError: split a failing batch in halves", func(v string) error {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return err
		}
		f.in.BisectBatchOnFunctionError = aws.Bool(on)
		f.set = append(f.set, "--bisect-batch-on-function-error")
		return nil
	})
	fs.Func("function-response-types", "FunctionResponseTypes: ReportBatchItemFailures (the handler answers partial batch failures)", func(v string) error {
		if v != string(ltypes.FunctionResponseTypeReportBatchItemFailures) {
			return fmt.Errorf("%q is not ReportBatchItemFailures", v)
		}
		f.in.FunctionResponseTypes = []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures}
		f.set = append(f.set, "--function-response-types")
		return nil
	})
}

// intFlag defines an integer mapping setting with Lambda's valid range.
func (f *mappingFlags) intFlag(fs *flag.FlagSet, name, usage string, dst **int32, r intRange) {
	fs.Func(name, usage+"; "+r.text, func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || ((n < r.lo || n > r.hi) && !slices.Contains(r.also, n)) {
			return fmt.Errorf("%q: Lambda takes %s", v, r.text)
		}
		*dst = aws.Int32(int32(n)) //nolint:gosec // in range
		f.set = append(f.set, "--"+name)
		return nil
	})
}

// check reports mapping flags that do not go with the rest.
func (f mappingFlags) check(endpoint string) error {
	if f.function == "" {
		if len(f.set) > 0 {
			return fmt.Errorf("%s goes with --function (the settings of the event source mapping)", f.set[0])
		}
		return nil
	}
	name, url, hasURL := strings.Cut(f.function, "=")
	switch {
	case name == "" || (hasURL && url == ""):
		return fmt.Errorf("invalid --function %q: NAME or NAME=URL, e.g. orders=http://127.0.0.1:9000", f.function)
	case !hasURL && endpoint == "":
		return fmt.Errorf("--function %s needs --endpoint, the server %s is registered on (or give NAME=URL)", name, name)
	}
	if _, err := positiveDuration("--function-timeout", f.functionTimeout); err != nil {
		return err
	}
	return nil
}

// consumer is the Mapping consumer of the flags.
func (f mappingFlags) consumer() (certify.Mapping, error) {
	name, url, _ := strings.Cut(f.function, "=")
	timeout, err := positiveDuration("--function-timeout", f.functionTimeout)
	if err != nil {
		return certify.Mapping{}, err
	}
	if name == "" {
		return certify.Mapping{}, errors.New("--function: a name is required")
	}
	return certify.Mapping{Function: name, URL: url, Timeout: timeout, Settings: f.in}, nil
}
