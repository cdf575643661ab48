package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/emulator/stream"
	"github.com/dynafault/dynafault/faults"
)

// deliveryFaults wraps every invocation of a function by an event source
// mapping with the delivery fault rules: it asks DecideDelivery (one atomic
// load when no delivery rule is stored) and, when a rule fires, answers in
// the function's place (a function error, a timeout, a throttle), calls it
// twice (a duplicate delivery) or waits first (latency). Each firing is
// journaled by the injector with the mapping's UUID as its consumer.
func deliveryFaults(in *faults.Injector, next mapping.InvokeFunc) mapping.InvokeFunc {
	return func(ctx context.Context, inv mapping.Invocation) mapping.Outcome {
		if !in.HasDeliveryRules() {
			return next(ctx, inv)
		}
		d := in.DecideDelivery(deliveryEvent(inv))
		if d.Latency > 0 && !sleepCtx(ctx, d.Latency) {
			return mapping.Outcome{Kind: mapping.InvokeError, ErrorType: "Canceled", ErrorMessage: ctx.Err().Error()}
		}
		switch d.Action {
		case faults.ActionFunctionError:
			return injectedFunctionError(d.ErrorType, d.Message)
		case faults.ActionTimeout:
			return mapping.TimedOut(inv, max(inv.Timeout, time.Second))
		case faults.ActionThrottle:
			body := []byte(`{"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."}`)
			return mapping.Outcome{Kind: mapping.Throttled, StatusCode: http.StatusTooManyRequests, Body: body,
				ErrorType: "TooManyRequestsException", ErrorMessage: "Rate Exceeded."}
		case faults.ActionDuplicate:
			if first := next(ctx, inv); first.Kind == mapping.InvokeError || ctx.Err() != nil {
				return first
			}
		}
		return next(ctx, inv)
	}
}

// injectedFunctionError is the outcome of a function that failed with the
// error type and message, as Lambda reports an unhandled error.
func injectedFunctionError(errType, msg string) mapping.Outcome {
	if msg == "" {
		msg = "injected by a dynafault delivery fault rule"
	}
	body, _ := json.Marshal(map[string]string{"errorType": errType, "errorMessage": msg})
	return mapping.Outcome{Kind: mapping.FunctionError, StatusCode: http.StatusOK, Body: body,
		FunctionError: "Unhandled", ErrorType: errType, ErrorMessage: msg}
}

// deliveryEvent describes an invocation for the injector.
func deliveryEvent(inv mapping.Invocation) faults.DeliveryEvent {
	ev := faults.DeliveryEvent{
		Mapping: inv.MappingUUID, Function: inv.FunctionName, RequestID: inv.RequestID,
		Table: tableOfStreamARN(inv.StreamARN), StreamArn: inv.StreamARN, ShardID: inv.ShardID,
		Records: make([]faults.StreamEvent, len(inv.Records)),
	}
	for i, r := range inv.Records {
		ev.Records[i] = recordEvent(ev.Table, inv.StreamARN, r)
	}
	return ev
}

// recordEvent describes stream record r of the table's stream.
func recordEvent(table, arn string, r stream.Record) faults.StreamEvent {
	return faults.StreamEvent{
		Table: table, EventName: r.EventName, Keys: faultKey(r.KeysItem()), EventID: r.EventID,
		SequenceNumber: r.SequenceNumber, ShardID: r.ShardID, StreamArn: arn,
	}
}

// tableOfStreamARN is the table name in a stream ARN
// (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>).
func tableOfStreamARN(arn string) string {
	_, rest, ok := strings.Cut(arn, ":table/")
	if !ok {
		return ""
	}
	table, _, _ := strings.Cut(rest, "/stream/")
	return table
}

// sleepCtx waits d, or until ctx is done; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
