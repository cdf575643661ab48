package dynafaulttest

import (
	"context"
	"encoding/json"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/dynafault/dynafault/emulator/mapping"
)

// DynamoDBHandler adapts an aws-lambda-go DynamoDB stream handler, the
// function a team deploys, to an in-process function: the event Lambda's
// poller sends is decoded into events.DynamoDBEvent (a shape the handler
// cannot decode fails it, as in Lambda), the response is encoded as the
// handler's partial batch response and an error is a function error whose
// errorType is the error's Go type name, as aws-lambda-go reports it.
func DynamoDBHandler(h func(context.Context, events.DynamoDBEvent) (events.DynamoDBEventResponse, error)) mapping.Handler {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		resp, err := h(ctx, ev)
		if err != nil {
			return nil, err
		}
		return json.Marshal(resp)
	}
}

// DynamoDBErrorHandler adapts a handler that reports only an error (no
// partial batch response).
func DynamoDBErrorHandler(h func(context.Context, events.DynamoDBEvent) error) mapping.Handler {
	return func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev events.DynamoDBEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		if err := h(ctx, ev); err != nil {
			return nil, err
		}
		return []byte("null"), nil
	}
}

// Function is an in-process function to register with WithFunctions or
// Server.RegisterFunction: a name, a handler (see DynamoDBHandler), and
// optionally a timeout (default 3s, Lambda's) and a concurrency (default
// 1: one invocation at a time, as one Lambda execution environment).
type Function = mapping.Function

// WithFunctions registers in-process functions at start, so a mapping can
// name them as soon as the server runs.
func WithFunctions(fns ...Function) Option {
	return func(c *config) { c.emu.Mappings.Functions = append(c.emu.Mappings.Functions, fns...) }
}

// WithRetryBackoff sets the clock-time wait before retries of failed
// batches (Base doubled per retry, at most Max); tests usually make it
// small. Default 1s doubling to 1m.
func WithRetryBackoff(base, maxWait time.Duration) Option {
	return func(c *config) { c.emu.Mappings.RetryBackoff = mapping.Backoff{Base: base, Max: maxWait} }
}

// RegisterFunction registers (or replaces) a function on the running
// server.
func (s *Server) RegisterFunction(f Function) error {
	_, err := s.Emulator.Mappings().RegisterFunction(f)
	return err
}

// Lambda returns a Lambda client for the server: CreateEventSourceMapping
// and the other mapping operations.
func (s *Server) Lambda(optFns ...func(*lambda.Options)) *lambda.Client {
	return lambda.NewFromConfig(s.AWSConfig(), optFns...)
}
