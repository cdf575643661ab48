package mapping

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/mapping/handlerrun"
	"github.com/dynafault/dynafault/emulator/stream"
)

// Outcome kinds of an invocation.
const (
	// OK: the function ran and returned (its body may still report
	// partial batch failures).
	OK = "ok"
	// FunctionError: the function ran and failed (error, timeout, crash):
	// counts as a retry attempt.
	FunctionError = "functionError"
	// Throttled: the invoke was throttled (429): the batch never reached
	// the function and no retry attempt is counted.
	Throttled = "throttled"
	// InvokeError: the invoke failed before the function ran (unknown
	// function, connection refused, service error): no retry attempt.
	InvokeError = "invokeError"
)

// Invocation is one call of a function with a batch.
type Invocation struct {
	MappingUUID  string
	StreamARN    string
	ShardID      string
	FunctionName string // the registered name
	FunctionARN  string // as the mapping shows it
	RequestID    string
	Payload      []byte
	// Records are the batch's records in shard order (none for an
	// OnFailure delivery or the final invocation of a tumbling window).
	Records []stream.Record
	// Timeout is the function's registered timeout (0 when unknown).
	Timeout time.Duration
}

// Outcome is what an invocation returned.
type Outcome struct {
	Kind       string
	StatusCode int    // HTTP status (200 for in-process handlers)
	Body       []byte // the response payload (function errors: the error document)
	// FunctionError is "Unhandled" for function errors (the value of
	// X-Amz-Function-Error), "" otherwise.
	FunctionError string
	ErrorType     string // errorType of a function error, or the invoke error's code
	ErrorMessage  string
}

// InvokeFunc performs one invocation. Every invocation of every mapping
// goes through the Manager's InvokeFunc, which Options.WrapInvoke may wrap.
type InvokeFunc func(ctx context.Context, inv Invocation) Outcome

// maxPayload is the largest request and response payload of a
// synchronous invoke: 6 MiB + 100 bytes, as the Runtime Interface
// Emulator and Lambda count it (6291556).
const maxPayload = 6<<20 + 100

// invoke is the Manager's InvokeFunc before wrapping: it finds the
// function, takes one of its slots (waiting while all are busy) and calls
// its target within its timeout.
func (m *Manager) invoke(ctx context.Context, inv Invocation) Outcome {
	f := m.funcs.get(inv.FunctionName)
	if f == nil {
		return Outcome{Kind: InvokeError, StatusCode: http.StatusNotFound, ErrorType: CodeNotFound,
			ErrorMessage: "Function not found: " + inv.FunctionARN}
	}
	select {
	case f.slots <- struct{}{}:
	case <-ctx.Done():
		return Outcome{Kind: InvokeError, ErrorType: "Canceled", ErrorMessage: ctx.Err().Error()}
	}
	defer func() { <-f.slots }()
	if f.Handler != nil {
		return callHandler(ctx, f, inv)
	}
	return m.callURL(ctx, f, inv)
}

// TimedOut is the function error of an invocation that outlived its
// timeout, as Lambda reports it.
func TimedOut(inv Invocation, timeout time.Duration) Outcome {
	msg := fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", inv.RequestID, timeout.Seconds())
	body, _ := json.Marshal(map[string]string{"errorType": "Sandbox.Timedout", "errorMessage": msg})
	return Outcome{Kind: FunctionError, StatusCode: http.StatusOK, Body: body, FunctionError: "Unhandled",
		ErrorType: "Sandbox.Timedout", ErrorMessage: msg}
}

// callHandler runs an in-process handler within the function timeout.
func callHandler(ctx context.Context, f *function, inv Invocation) Outcome {
	body, errType, errMsg, err := handlerrun.Run(ctx, f.Timeout, f.Handler, inv.Payload)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return TimedOut(inv, f.Timeout)
	case err != nil:
		return Outcome{Kind: InvokeError, ErrorType: "Canceled", ErrorMessage: err.Error()}
	case errType != "":
		return handlerError(errType, errMsg)
	case len(body) > maxPayload:
		return responseTooLarge()
	}
	return Outcome{Kind: OK, StatusCode: http.StatusOK, Body: body}
}

// handlerError is the function error of an in-process handler, with
// aws-lambda-go's document {"errorMessage", "errorType"}.
func handlerError(typ, msg string) Outcome {
	body, _ := json.Marshal(map[string]string{"errorMessage": msg, "errorType": typ})
	return Outcome{Kind: FunctionError, StatusCode: http.StatusOK, Body: body, FunctionError: "Unhandled",
		ErrorType: typ, ErrorMessage: msg}
}

func responseTooLarge() Outcome {
	msg := fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", maxPayload)
	body, _ := json.Marshal(map[string]string{"errorType": "Function.ResponseSizeTooLarge", "errorMessage": msg})
	return Outcome{Kind: FunctionError, StatusCode: http.StatusOK, Body: body, FunctionError: "Unhandled",
		ErrorType: "Function.ResponseSizeTooLarge", ErrorMessage: msg}
}

// rieInvocations is the Runtime Interface Emulator's invoke path, used
// when a function URL has no path.
const rieInvocations = "/2015-03-31/functions/function/invocations"

// invokeURL is where an invocation of f is posted: its URL as given, or
// the Runtime Interface Emulator's path on it when it has none.
func invokeURL(f *function) string {
	u := strings.TrimSuffix(f.URL, "/")
	if i := strings.Index(u, "://"); i >= 0 && !strings.Contains(u[i+3:], "/") {
		return u + rieInvocations
	}
	return u
}

// rieGrace is how much longer than the function timeout dynafault waits
// for an HTTP target, so that the Runtime Interface Emulator's own
// timeout answer (it is told the same timeout) normally comes first.
const rieGrace = time.Second

// callURL posts the payload to an HTTP target and classifies the answer:
// the Lambda Invoke API (X-Amz-Function-Error, 429 throttles, errors with
// X-Amzn-Errortype) or the Runtime Interface Emulator (which drops every
// header: a function error is a 200 whose body is an object with a string
// errorType, a timeout its "Task timed out" text, a crash a 5xx).
func (m *Manager) callURL(ctx context.Context, f *function, inv Invocation) Outcome {
	ctx, cancel := context.WithTimeout(ctx, f.Timeout+rieGrace)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, invokeURL(f), bytes.NewReader(inv.Payload))
	if err != nil {
		return Outcome{Kind: InvokeError, ErrorType: "InvalidURL", ErrorMessage: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Invocation-Type", "RequestResponse")
	resp, err := m.http.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return TimedOut(inv, f.Timeout)
		}
		return Outcome{Kind: InvokeError, ErrorType: "ConnectionError", ErrorMessage: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPayload+1))
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return TimedOut(inv, f.Timeout)
		}
		return Outcome{Kind: InvokeError, StatusCode: resp.StatusCode, ErrorType: "ConnectionError", ErrorMessage: err.Error()}
	}
	return classifyHTTP(resp.StatusCode, resp.Header, body)
}

// classifyHTTP turns an HTTP answer of an invoke target into an Outcome.
func classifyHTTP(status int, h http.Header, body []byte) Outcome {
	o := Outcome{StatusCode: status, Body: body}
	errType := h.Get("X-Amzn-Errortype")
	if i := strings.IndexByte(errType, ':'); i >= 0 {
		errType = errType[:i]
	}
	switch {
	case status == http.StatusTooManyRequests || errType == "TooManyRequestsException":
		o.Kind, o.ErrorType = Throttled, "TooManyRequestsException"
		o.ErrorMessage = jsonString(body, "message", "Message")
		return o
	case errType != "":
		o.Kind, o.ErrorType, o.ErrorMessage = InvokeError, errType, jsonString(body, "message", "Message")
		return o
	case len(body) > maxPayload:
		return responseTooLarge()
	case status >= 500:
		// The Runtime Interface Emulator answers a crash (panic, exit) with
		// a 5xx and the runtime's error document: a function error.
		o.Kind, o.FunctionError = FunctionError, "Unhandled"
		o.ErrorType, o.ErrorMessage = jsonString(body, "errorType"), jsonString(body, "errorMessage")
		if o.ErrorType == "" {
			o.ErrorType = "Runtime.ExitError"
		}
		return o
	case status >= 300:
		o.Kind, o.ErrorType = InvokeError, http.StatusText(status)
		o.ErrorMessage = strings.TrimSpace(string(body))
		return o
	}
	if fe := h.Get("X-Amz-Function-Error"); fe != "" {
		o.Kind, o.FunctionError = FunctionError, fe
		o.ErrorType, o.ErrorMessage = jsonString(body, "errorType"), jsonString(body, "errorMessage")
		return o
	}
	if t := jsonString(body, "errorType"); t != "" {
		o.Kind, o.FunctionError, o.ErrorType, o.ErrorMessage = FunctionError, "Unhandled", t, jsonString(body, "errorMessage")
		return o
	}
	if text := strings.TrimSpace(string(body)); strings.HasPrefix(text, "Task timed out after") {
		o.Kind, o.FunctionError, o.ErrorType, o.ErrorMessage = FunctionError, "Unhandled", "Sandbox.Timedout", text
		return o
	}
	o.Kind = OK
	return o
}

// jsonString returns the first of keys that body (a JSON object) holds as
// a string, or "".
func jsonString(body []byte, keys ...string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	for _, k := range keys {
		var s string
		if raw, ok := m[k]; ok && json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	return ""
}

// newRequestID returns a random UUID for an invocation.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
