package client

import (
	"context"
	"net/http"
	"time"
)

// Functions and event source mappings: GET|PUT|DELETE
// /_admin/functions[/{name}] and GET /_admin/mappings[/{uuid}[/failures]].
// Mappings themselves are created through the Lambda API (any Lambda
// client, or the AWS CLI's "lambda create-event-source-mapping").

// Function is a registered function.
type Function struct {
	Name        string `json:"name"`
	ARN         string `json:"arn"`
	URL         string `json:"url,omitempty"`
	InProcess   bool   `json:"inProcess,omitempty"`
	Timeout     string `json:"timeout"`
	Concurrency int    `json:"concurrency"`
}

// FunctionSpec registers a function: URL is the Runtime Interface
// Emulator's base URL (http://host:port, invoked at
// /2015-03-31/functions/function/invocations) or a full Lambda Invoke API
// URL; Timeout defaults to 3s; Concurrency to 1.
type FunctionSpec struct {
	URL         string        `json:"url"`
	Timeout     time.Duration `json:"-"`
	Concurrency int           `json:"concurrency,omitempty"`
}

// PutFunction registers (or replaces) the function name.
func (c *Client) PutFunction(ctx context.Context, name string, spec FunctionSpec) (Function, error) {
	body := struct {
		URL         string `json:"url"`
		Timeout     string `json:"timeout,omitempty"`
		Concurrency int    `json:"concurrency,omitempty"`
	}{URL: spec.URL, Concurrency: spec.Concurrency}
	if spec.Timeout > 0 {
		body.Timeout = spec.Timeout.String()
	}
	var f Function
	err := c.do(ctx, http.MethodPut, "/functions/"+pathEscape(name), nil, body, &f)
	return f, err
}

// Function returns a registered function (IsNotFound when there is none).
func (c *Client) Function(ctx context.Context, name string) (Function, error) {
	var f Function
	err := c.do(ctx, http.MethodGet, "/functions/"+pathEscape(name), nil, nil, &f)
	return f, err
}

// Functions lists the registered functions by name.
func (c *Client) Functions(ctx context.Context) ([]Function, error) {
	var out struct {
		Functions []Function `json:"functions"`
	}
	err := c.do(ctx, http.MethodGet, "/functions", nil, nil, &out)
	return out.Functions, err
}

// DeleteFunction forgets a function; mappings to it stay and retry.
func (c *Client) DeleteFunction(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, "/functions/"+pathEscape(name), nil, nil, nil)
}

// Mapping is the admin view of an event source mapping and its poller.
type Mapping struct {
	UUID                  string         `json:"uuid"`
	ARN                   string         `json:"eventSourceMappingArn"`
	FunctionArn           string         `json:"functionArn"`
	FunctionName          string         `json:"functionName"`
	Table                 string         `json:"table"`
	Config                MappingConfig  `json:"config"`
	State                 string         `json:"state"`
	StateTransitionReason string         `json:"stateTransitionReason"`
	LastModified          time.Time      `json:"lastModified"`
	LastProcessingResult  string         `json:"lastProcessingResult"`
	Polling               bool           `json:"polling"`
	Failures              int            `json:"failures"`
	Stats                 MappingStats   `json:"stats"`
	Shards                []MappingShard `json:"shards"`
}

// MappingConfig is what the mapping was created or updated with.
type MappingConfig struct {
	FunctionName                   string   `json:"functionName"`
	EventSourceArn                 string   `json:"eventSourceArn"`
	StartingPosition               string   `json:"startingPosition"`
	BatchSize                      int      `json:"batchSize"`
	MaximumBatchingWindowInSeconds int      `json:"maximumBatchingWindowInSeconds"`
	ParallelizationFactor          int      `json:"parallelizationFactor"`
	MaximumRetryAttempts           int      `json:"maximumRetryAttempts"`
	MaximumRecordAgeInSeconds      int      `json:"maximumRecordAgeInSeconds"`
	BisectBatchOnFunctionError     bool     `json:"bisectBatchOnFunctionError"`
	FunctionResponseTypes          []string `json:"functionResponseTypes"`
	OnFailure                      string   `json:"onFailure,omitempty"`
	Filters                        []string `json:"filters,omitempty"`
	TumblingWindowInSeconds        int      `json:"tumblingWindowInSeconds"`
	Enabled                        bool     `json:"enabled"`
	MetricsEventCount              bool     `json:"metricsEventCount"`
}

// MappingStats are a mapping's counters, named after Lambda's CloudWatch
// metrics.
type MappingStats struct {
	Invocations                             uint64
	Errors                                  uint64
	Throttles                               uint64
	InvokeErrors                            uint64
	IteratorAgeMs                           int64
	PolledEventCount                        uint64
	FilteredOutEventCount                   uint64
	InvokedEventCount                       uint64
	FailedInvokeEventCount                  uint64
	DroppedEventCount                       uint64
	OnFailureDestinationDeliveredEventCount uint64
	DestinationDeliveryFailures             uint64
}

// MappingShard is a mapping's progress in one shard.
type MappingShard struct {
	ShardID string `json:"shardId"`
	// Checkpoint is the sequence number of the last record the mapping is
	// done with.
	Checkpoint    string         `json:"checkpoint"`
	Batches       []MappingBatch `json:"batchesInFlight"`
	Delivered     uint64         `json:"delivered"`
	Filtered      uint64         `json:"filtered"`
	Discarded     uint64         `json:"discarded"`
	Lost          uint64         `json:"lostToRetention"`
	IteratorAgeMs int64          `json:"iteratorAgeMs"`
	Finished      bool           `json:"finished"`
}

// MappingBatch is a batch a shard is delivering or retrying.
type MappingBatch struct {
	Lane        int    `json:"lane"`
	First       string `json:"firstSequenceNumber,omitempty"`
	Last        string `json:"lastSequenceNumber,omitempty"`
	Records     int    `json:"records"`
	Attempt     int    `json:"attempt"`
	Invoking    bool   `json:"invoking"`
	LastOutcome string `json:"lastOutcome,omitempty"`
}

// Mappings lists every mapping.
func (c *Client) Mappings(ctx context.Context) ([]Mapping, error) {
	var out struct {
		Mappings []Mapping `json:"mappings"`
	}
	err := c.do(ctx, http.MethodGet, "/mappings", nil, nil, &out)
	return out.Mappings, err
}

// Mapping returns one mapping (IsNotFound for an unknown UUID).
func (c *Client) Mapping(ctx context.Context, uuid string) (Mapping, error) {
	var m Mapping
	err := c.do(ctx, http.MethodGet, "/mappings/"+pathEscape(uuid), nil, nil, &m)
	return m, err
}

// Failure is the failure record of a discarded batch, in Lambda's shape
// for stream sources.
type Failure struct {
	RequestContext struct {
		RequestID              string `json:"requestId"`
		FunctionArn            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	ResponseContext struct {
		StatusCode      int     `json:"statusCode"`
		ExecutedVersion string  `json:"executedVersion"`
		FunctionError   *string `json:"functionError"`
	} `json:"responseContext"`
	Version   string `json:"version"`
	Timestamp string `json:"timestamp"`
	BatchInfo struct {
		ShardID                         string `json:"shardId"`
		StartSequenceNumber             string `json:"startSequenceNumber"`
		EndSequenceNumber               string `json:"endSequenceNumber"`
		ApproximateArrivalOfFirstRecord string `json:"approximateArrivalOfFirstRecord"`
		ApproximateArrivalOfLastRecord  string `json:"approximateArrivalOfLastRecord"`
		BatchSize                       int    `json:"batchSize"`
		StreamArn                       string `json:"streamArn"`
	} `json:"DDBStreamBatchInfo"`
}

// MappingFailures returns the failure records of a mapping, oldest first.
func (c *Client) MappingFailures(ctx context.Context, uuid string) ([]Failure, error) {
	var out struct {
		Failures []Failure `json:"failures"`
	}
	err := c.do(ctx, http.MethodGet, "/mappings/"+pathEscape(uuid)+"/failures", nil, nil, &out)
	return out.Failures, err
}
