package lambda

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// createInput is a CreateEventSourceMapping request; pointers tell absent
// from zero.
type createInput struct {
	FunctionName                   *string            `json:"FunctionName"`
	EventSourceArn                 *string            `json:"EventSourceArn"`
	Enabled                        *bool              `json:"Enabled"`
	BatchSize                      *int64             `json:"BatchSize"`
	FilterCriteria                 *filterCriteria    `json:"FilterCriteria"`
	MaximumBatchingWindowInSeconds *int64             `json:"MaximumBatchingWindowInSeconds"`
	ParallelizationFactor          *int64             `json:"ParallelizationFactor"`
	StartingPosition               *string            `json:"StartingPosition"`
	StartingPositionTimestamp      json.RawMessage    `json:"StartingPositionTimestamp"`
	DestinationConfig              *destinationConfig `json:"DestinationConfig"`
	MaximumRecordAgeInSeconds      *int64             `json:"MaximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError     *bool              `json:"BisectBatchOnFunctionError"`
	MaximumRetryAttempts           *int64             `json:"MaximumRetryAttempts"`
	TumblingWindowInSeconds        *int64             `json:"TumblingWindowInSeconds"`
	FunctionResponseTypes          *[]string          `json:"FunctionResponseTypes"`
	MetricsConfig                  *metricsConfig     `json:"MetricsConfig"`
	Tags                           map[string]string  `json:"Tags"`
	KMSKeyArn                      *string            `json:"KMSKeyArn"`
	// Settings of other source types, refused for a DynamoDB stream.
	Topics                              json.RawMessage `json:"Topics"`
	Queues                              json.RawMessage `json:"Queues"`
	SourceAccessConfigurations          json.RawMessage `json:"SourceAccessConfigurations"`
	SelfManagedEventSource              json.RawMessage `json:"SelfManagedEventSource"`
	AmazonManagedKafkaEventSourceConfig json.RawMessage `json:"AmazonManagedKafkaEventSourceConfig"`
	SelfManagedKafkaEventSourceConfig   json.RawMessage `json:"SelfManagedKafkaEventSourceConfig"`
	ScalingConfig                       json.RawMessage `json:"ScalingConfig"`
	DocumentDBEventSourceConfig         json.RawMessage `json:"DocumentDBEventSourceConfig"`
	ProvisionedPollerConfig             json.RawMessage `json:"ProvisionedPollerConfig"`
}

type filterCriteria struct {
	Filters []struct {
		Pattern *string `json:"Pattern"`
	} `json:"Filters"`
}

type destinationConfig struct {
	OnSuccess *destination `json:"OnSuccess"`
	OnFailure *destination `json:"OnFailure"`
}

type destination struct {
	Destination *string `json:"Destination"`
}

type metricsConfig struct {
	Metrics []string `json:"Metrics"`
}

// maxFilters is the number of filters a mapping may have (Lambda's
// default quota).
const maxFilters = 5

// validator collects Lambda's "N validation errors detected" items.
type validator struct{ msgs []string }

func (v *validator) add(format string, args ...any) {
	v.msgs = append(v.msgs, fmt.Sprintf(format, args...))
}

// rangeOf checks an optional number against [lo, hi].
func (v *validator) rangeOf(name string, n *int64, lo, hi int64) {
	switch {
	case n == nil:
	case *n < lo:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *n, name, lo)
	case *n > hi:
		v.add("Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *n, name, hi)
	}
}

func (v *validator) err() error {
	switch len(v.msgs) {
	case 0:
		return nil
	case 1:
		return apiError{codeValidation, "1 validation error detected: " + v.msgs[0]}
	}
	return apiError{codeValidation, fmt.Sprintf("%d validation errors detected: %s", len(v.msgs), strings.Join(v.msgs, "; "))}
}

// common validates the settings Create and Update share.
func (v *validator) common(fn *string, batch, window, par, age, retries, tumbling *int64, frt *[]string, fc *filterCriteria) {
	switch {
	case fn != nil && len(*fn) < 1:
		v.add("Value '%s' at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1", *fn)
	case fn != nil && len(*fn) > 140:
		v.add("Value '%s' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 140", *fn)
	}
	v.rangeOf("batchSize", batch, 1, 10000)
	v.rangeOf("maximumBatchingWindowInSeconds", window, 0, 300)
	v.rangeOf("parallelizationFactor", par, 1, 10)
	v.rangeOf("maximumRecordAgeInSeconds", age, -1, 604800)
	v.rangeOf("maximumRetryAttempts", retries, -1, 10000)
	v.rangeOf("tumblingWindowInSeconds", tumbling, 0, 900)
	if frt != nil {
		for _, t := range *frt {
			if t != mapping.ReportBatchItemFailures {
				v.add("Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]", strings.Join(*frt, ", "))
				break
			}
		}
		if len(*frt) > 1 {
			v.add("Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must have length less than or equal to 1", strings.Join(*frt, ", "))
		}
	}
	if fc != nil {
		for i, f := range fc.Filters {
			if f.Pattern != nil && len(*f.Pattern) > 4096 {
				v.add("Value '%s' at 'filterCriteria.filters.%d.member.pattern' failed to satisfy constraint: Member must have length less than or equal to 4096", *f.Pattern, i+1)
			}
		}
	}
}

// semantic checks what Lambda answers with InvalidParameterValueException
// after the shape checks.
func semantic(age *int64, dc *destinationConfig, fc *filterCriteria, mc *metricsConfig) error {
	if age != nil && *age >= 0 && *age < 60 {
		return &mapping.Error{Code: mapping.CodeInvalidValue,
			Message: "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 (inclusive)"}
	}
	if dc != nil && dc.OnSuccess != nil && dc.OnSuccess.Destination != nil && *dc.OnSuccess.Destination != "" {
		return &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Unsupported DestinationConfig parameter for given event source mapping type."}
	}
	if fc != nil {
		if len(fc.Filters) > maxFilters {
			return &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Invalid filter pattern definition."}
		}
		for _, f := range fc.Filters {
			if f.Pattern == nil {
				return &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Invalid filter pattern definition."}
			}
		}
	}
	if mc != nil {
		for _, m := range mc.Metrics {
			if m != "EventCount" {
				return &mapping.Error{Code: mapping.CodeInvalidValue, Message: "Unsupported MetricsConfig metric for given event source mapping type: " + m}
			}
		}
	}
	return nil
}

// foreign reports a setting of another source type given for a DynamoDB
// stream.
func (in *createInput) foreign() string {
	for name, raw := range map[string]json.RawMessage{
		"Topics": in.Topics, "Queues": in.Queues, "SourceAccessConfigurations": in.SourceAccessConfigurations,
		"SelfManagedEventSource": in.SelfManagedEventSource, "AmazonManagedKafkaEventSourceConfig": in.AmazonManagedKafkaEventSourceConfig,
		"SelfManagedKafkaEventSourceConfig": in.SelfManagedKafkaEventSourceConfig, "ScalingConfig": in.ScalingConfig,
		"DocumentDBEventSourceConfig": in.DocumentDBEventSourceConfig, "ProvisionedPollerConfig": in.ProvisionedPollerConfig,
		"StartingPositionTimestamp": in.StartingPositionTimestamp,
	} {
		if len(raw) > 0 && string(raw) != "null" {
			return name
		}
	}
	return ""
}

// config turns a validated request into a mapping.Config.
func (in *createInput) config() mapping.Config {
	c := mapping.Defaults()
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	num := func(dst *int, p *int64) {
		if p != nil {
			*dst = int(*p)
		}
	}
	c.FunctionName, c.EventSourceArn, c.StartingPosition = str(in.FunctionName), str(in.EventSourceArn), str(in.StartingPosition)
	num(&c.BatchSize, in.BatchSize)
	num(&c.MaximumBatchingWindowInSeconds, in.MaximumBatchingWindowInSeconds)
	num(&c.ParallelizationFactor, in.ParallelizationFactor)
	num(&c.MaximumRecordAgeInSeconds, in.MaximumRecordAgeInSeconds)
	num(&c.MaximumRetryAttempts, in.MaximumRetryAttempts)
	num(&c.TumblingWindowInSeconds, in.TumblingWindowInSeconds)
	if in.Enabled != nil {
		c.Enabled = *in.Enabled
	}
	if in.BisectBatchOnFunctionError != nil {
		c.BisectBatchOnFunctionError = *in.BisectBatchOnFunctionError
	}
	if in.FunctionResponseTypes != nil {
		c.FunctionResponseTypes = append([]string{}, *in.FunctionResponseTypes...)
	}
	c.OnFailure = onFailure(in.DestinationConfig)
	c.Filters = patterns(in.FilterCriteria)
	c.MetricsEventCount = in.MetricsConfig != nil && len(in.MetricsConfig.Metrics) > 0
	c.Tags = in.Tags
	c.KMSKeyArn = str(in.KMSKeyArn)
	return c
}

func onFailure(dc *destinationConfig) string {
	if dc == nil || dc.OnFailure == nil || dc.OnFailure.Destination == nil {
		return ""
	}
	return *dc.OnFailure.Destination
}

func patterns(fc *filterCriteria) []string {
	if fc == nil {
		return nil
	}
	var out []string
	for _, f := range fc.Filters {
		if f.Pattern != nil {
			out = append(out, *f.Pattern)
		}
	}
	return out
}

// updateInput is an UpdateEventSourceMapping request.
type updateInput struct {
	FunctionName                   *string            `json:"FunctionName"`
	Enabled                        *bool              `json:"Enabled"`
	BatchSize                      *int64             `json:"BatchSize"`
	FilterCriteria                 *filterCriteria    `json:"FilterCriteria"`
	MaximumBatchingWindowInSeconds *int64             `json:"MaximumBatchingWindowInSeconds"`
	DestinationConfig              *destinationConfig `json:"DestinationConfig"`
	MaximumRecordAgeInSeconds      *int64             `json:"MaximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError     *bool              `json:"BisectBatchOnFunctionError"`
	MaximumRetryAttempts           *int64             `json:"MaximumRetryAttempts"`
	ParallelizationFactor          *int64             `json:"ParallelizationFactor"`
	TumblingWindowInSeconds        *int64             `json:"TumblingWindowInSeconds"`
	FunctionResponseTypes          *[]string          `json:"FunctionResponseTypes"`
	MetricsConfig                  *metricsConfig     `json:"MetricsConfig"`
	KMSKeyArn                      *string            `json:"KMSKeyArn"`
}

// patch turns a validated update into a mapping.Patch.
func (in *updateInput) patch() mapping.Patch {
	p := mapping.Patch{
		FunctionName: in.FunctionName, Enabled: in.Enabled, BisectBatchOnFunctionError: in.BisectBatchOnFunctionError,
		FunctionResponseTypes: in.FunctionResponseTypes, KMSKeyArn: in.KMSKeyArn,
	}
	conv := func(v *int64) *int {
		if v == nil {
			return nil
		}
		n := int(*v)
		return &n
	}
	p.BatchSize, p.MaximumBatchingWindowInSeconds = conv(in.BatchSize), conv(in.MaximumBatchingWindowInSeconds)
	p.MaximumRecordAgeInSeconds, p.MaximumRetryAttempts = conv(in.MaximumRecordAgeInSeconds), conv(in.MaximumRetryAttempts)
	p.ParallelizationFactor, p.TumblingWindowInSeconds = conv(in.ParallelizationFactor), conv(in.TumblingWindowInSeconds)
	if in.DestinationConfig != nil {
		d := onFailure(in.DestinationConfig)
		p.OnFailure = &d
	}
	if in.FilterCriteria != nil {
		f := patterns(in.FilterCriteria)
		if f == nil {
			f = []string{}
		}
		p.Filters = &f
	}
	if in.MetricsConfig != nil {
		on := len(in.MetricsConfig.Metrics) > 0
		p.MetricsEventCount = &on
	}
	return p
}

// configuration is EventSourceMappingConfiguration as Lambda returns it
// for a DynamoDB stream: defaults materialised, Enabled never echoed,
// FilterCriteria and MetricsConfig only when set.
type configuration struct {
	UUID                           string         `json:"UUID"`
	StartingPosition               string         `json:"StartingPosition"`
	BatchSize                      int            `json:"BatchSize"`
	MaximumBatchingWindowInSeconds int            `json:"MaximumBatchingWindowInSeconds"`
	ParallelizationFactor          int            `json:"ParallelizationFactor"`
	EventSourceArn                 string         `json:"EventSourceArn"`
	FilterCriteria                 *filterOut     `json:"FilterCriteria,omitempty"`
	FunctionArn                    string         `json:"FunctionArn"`
	LastModified                   epochSeconds   `json:"LastModified"`
	LastProcessingResult           string         `json:"LastProcessingResult"`
	State                          string         `json:"State"`
	StateTransitionReason          string         `json:"StateTransitionReason"`
	DestinationConfig              destinationOut `json:"DestinationConfig"`
	MaximumRecordAgeInSeconds      int            `json:"MaximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError     bool           `json:"BisectBatchOnFunctionError"`
	MaximumRetryAttempts           int            `json:"MaximumRetryAttempts"`
	TumblingWindowInSeconds        int            `json:"TumblingWindowInSeconds"`
	FunctionResponseTypes          []string       `json:"FunctionResponseTypes"`
	EventSourceMappingArn          string         `json:"EventSourceMappingArn"`
	MetricsConfig                  *metricsConfig `json:"MetricsConfig,omitempty"`
	KMSKeyArn                      string         `json:"KMSKeyArn,omitempty"`
}

type filterOut struct {
	Filters []patternOut `json:"Filters"`
}

type patternOut struct {
	Pattern string `json:"Pattern"`
}

type destinationOut struct {
	OnFailure destinationValue `json:"OnFailure"`
}

type destinationValue struct {
	Destination string `json:"Destination,omitempty"`
}

// epochSeconds renders a time as Lambda's timestamps: epoch seconds with
// milliseconds, as a JSON number.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(fmt.Sprintf("%d.%03d", ms/1000, int64(math.Abs(float64(ms%1000))))), nil
}

// configurationOf renders a mapping.
func configurationOf(v mapping.View) configuration {
	c := v.Config
	out := configuration{
		UUID: v.UUID, StartingPosition: c.StartingPosition, BatchSize: c.BatchSize,
		MaximumBatchingWindowInSeconds: c.MaximumBatchingWindowInSeconds, ParallelizationFactor: c.ParallelizationFactor,
		EventSourceArn: c.EventSourceArn, FunctionArn: v.FunctionArn, LastModified: epochSeconds(v.LastModified),
		LastProcessingResult: v.LastProcessingResult, State: v.State, StateTransitionReason: v.StateTransitionReason,
		DestinationConfig:         destinationOut{OnFailure: destinationValue{Destination: c.OnFailure}},
		MaximumRecordAgeInSeconds: c.MaximumRecordAgeInSeconds, BisectBatchOnFunctionError: c.BisectBatchOnFunctionError,
		MaximumRetryAttempts: c.MaximumRetryAttempts, TumblingWindowInSeconds: c.TumblingWindowInSeconds,
		FunctionResponseTypes: c.FunctionResponseTypes, EventSourceMappingArn: v.ARN,
	}
	if out.FunctionResponseTypes == nil {
		out.FunctionResponseTypes = []string{}
	}
	if len(c.Filters) > 0 {
		out.FilterCriteria = &filterOut{}
		for _, p := range c.Filters {
			out.FilterCriteria.Filters = append(out.FilterCriteria.Filters, patternOut{Pattern: p})
		}
	}
	out.KMSKeyArn = c.KMSKeyArn
	if c.MetricsEventCount {
		out.MetricsConfig = &metricsConfig{Metrics: []string{"EventCount"}}
	}
	return out
}
