package mapping

import (
	"slices"
	"strings"

	"github.com/dynafault/dynafault/emulator/mapping/filter"
)

// Starting positions.
const (
	TrimHorizon = "TRIM_HORIZON"
	Latest      = "LATEST"
)

// ReportBatchItemFailures is the one FunctionResponseTypes value.
const ReportBatchItemFailures = "ReportBatchItemFailures"

// Defaults of the settings a CreateEventSourceMapping leaves out.
const (
	DefaultBatchSize             = 100
	DefaultParallelizationFactor = 1
	DefaultMaximumRetryAttempts  = -1
	DefaultMaximumRecordAge      = -1
)

// Config is what a mapping does: the fields of CreateEventSourceMapping
// that apply to a DynamoDB stream, with defaults materialised. The lambda
// package validates shapes and ranges; New and Update check what needs
// the server's state (the function, the stream, the filters).
type Config struct {
	FunctionName     string `json:"functionName"` // as given: name, ARN or partial ARN, maybe with a qualifier
	EventSourceArn   string `json:"eventSourceArn"`
	StartingPosition string `json:"startingPosition"` // TrimHorizon or Latest
	BatchSize        int    `json:"batchSize"`
	// MaximumBatchingWindowInSeconds: how long to gather records before
	// invoking (0: as soon as any is there).
	MaximumBatchingWindowInSeconds int      `json:"maximumBatchingWindowInSeconds"`
	ParallelizationFactor          int      `json:"parallelizationFactor"`
	MaximumRetryAttempts           int      `json:"maximumRetryAttempts"`      // -1: until the records expire
	MaximumRecordAgeInSeconds      int      `json:"maximumRecordAgeInSeconds"` // -1: no limit
	BisectBatchOnFunctionError     bool     `json:"bisectBatchOnFunctionError"`
	FunctionResponseTypes          []string `json:"functionResponseTypes"`
	// OnFailure is the destination of failure records: an ARN
	// (arn:aws:lambda:...:function:NAME delivers to a registered
	// function; SQS, SNS and S3 ARNs are kept and shown but have no
	// delivery target here) or an http(s) URL. "" for none.
	OnFailure string `json:"onFailure,omitempty"`
	// Filters are the FilterCriteria patterns; nil for none.
	Filters                 []string `json:"filters,omitempty"`
	TumblingWindowInSeconds int      `json:"tumblingWindowInSeconds"`
	Enabled                 bool     `json:"enabled"`
	// MetricsEventCount: MetricsConfig {"Metrics":["EventCount"]}.
	MetricsEventCount bool `json:"metricsEventCount"`
	// KMSKeyArn is the key Lambda would encrypt the filter criteria with:
	// kept and echoed, nothing is encrypted.
	KMSKeyArn string `json:"kmsKeyArn,omitempty"`
	// Tags given at create time (not echoed; ListTags shows them).
	Tags map[string]string `json:"-"`
}

// Defaults returns a Config with Lambda's defaults for a DynamoDB stream.
func Defaults() Config {
	return Config{
		BatchSize: DefaultBatchSize, ParallelizationFactor: DefaultParallelizationFactor,
		MaximumRetryAttempts: DefaultMaximumRetryAttempts, MaximumRecordAgeInSeconds: DefaultMaximumRecordAge,
		FunctionResponseTypes: []string{}, Enabled: true,
	}
}

// Patch is an UpdateEventSourceMapping: nil fields stay as they are.
type Patch struct {
	FunctionName                   *string
	BatchSize                      *int
	MaximumBatchingWindowInSeconds *int
	ParallelizationFactor          *int
	MaximumRetryAttempts           *int
	MaximumRecordAgeInSeconds      *int
	BisectBatchOnFunctionError     *bool
	FunctionResponseTypes          *[]string
	OnFailure                      *string
	// Filters: a non-nil empty slice removes the filters.
	Filters                 *[]string
	TumblingWindowInSeconds *int
	Enabled                 *bool
	MetricsEventCount       *bool
	KMSKeyArn               *string
}

// apply returns c with p applied.
func (p Patch) apply(c Config) Config {
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	if p.FunctionName != nil {
		c.FunctionName = *p.FunctionName
	}
	set(&c.BatchSize, p.BatchSize)
	set(&c.MaximumBatchingWindowInSeconds, p.MaximumBatchingWindowInSeconds)
	set(&c.ParallelizationFactor, p.ParallelizationFactor)
	set(&c.MaximumRetryAttempts, p.MaximumRetryAttempts)
	set(&c.MaximumRecordAgeInSeconds, p.MaximumRecordAgeInSeconds)
	set(&c.TumblingWindowInSeconds, p.TumblingWindowInSeconds)
	if p.BisectBatchOnFunctionError != nil {
		c.BisectBatchOnFunctionError = *p.BisectBatchOnFunctionError
	}
	if p.FunctionResponseTypes != nil {
		c.FunctionResponseTypes = slices.Clone(*p.FunctionResponseTypes)
	}
	if p.OnFailure != nil {
		c.OnFailure = *p.OnFailure
	}
	if p.Filters != nil {
		c.Filters = slices.Clone(*p.Filters)
		if len(c.Filters) == 0 {
			c.Filters = nil
		}
	}
	if p.Enabled != nil {
		c.Enabled = *p.Enabled
	}
	if p.MetricsEventCount != nil {
		c.MetricsEventCount = *p.MetricsEventCount
	}
	if p.KMSKeyArn != nil {
		c.KMSKeyArn = *p.KMSKeyArn
	}
	return c
}

// reportsItemFailures reports whether the function's partial batch
// responses are read.
func (c Config) reportsItemFailures() bool {
	return slices.Contains(c.FunctionResponseTypes, ReportBatchItemFailures)
}

// compileFilters compiles the filter patterns (nil when there are none).
func compileFilters(patterns []string) ([]*filter.Pattern, error) {
	var out []*filter.Pattern
	for _, p := range patterns {
		f, err := filter.Compile(p)
		if err != nil {
			return nil, &Error{Code: CodeInvalidValue, Message: msgInvalidFilter}
		}
		out = append(out, f)
	}
	return out, nil
}

// checkDestination validates an OnFailure destination: an ARN of a
// service Lambda delivers stream failures to, or an http(s) URL.
func checkDestination(d string) error {
	switch {
	case d == "":
		return nil
	case strings.HasPrefix(d, "http://"), strings.HasPrefix(d, "https://"):
		return nil
	case strings.HasPrefix(d, "arn:"):
		parts := strings.SplitN(d, ":", 6)
		if len(parts) == 6 {
			switch parts[2] {
			case "sqs", "sns", "s3", "lambda":
				return nil
			}
		}
	}
	return &Error{Code: CodeInvalidValue, Message: msgBadDestination}
}
