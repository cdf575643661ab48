// Package handlerrun runs an in-process Lambda handler as the Lambda
// runtime would: within its timeout, a panic recovered, a failure named as
// aws-lambda-go names it. Event source mappings and the certify battery's
// handler server both run handlers through it.
package handlerrun

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"time"
)

// Handler is an in-process handler: the event JSON in, the response JSON
// out.
type Handler = func(ctx context.Context, event []byte) ([]byte, error)

// Run runs h on event within timeout, recovering a panic. It returns the
// handler's response, or the error type and message of its failure as
// aws-lambda-go reports them (ErrorType); err is the context's error when
// the timeout (context.DeadlineExceeded) or ctx ended the run first. A
// handler that ignores its context is left running past the timeout; the
// run still ends then. A run that ends before its handler started (ctx
// already done, or the goroutine not yet scheduled) never starts it.
func Run(ctx context.Context, timeout time.Duration, h Handler, event []byte) (body []byte, errType, errMsg string, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		body []byte
		err  error
		pan  any
	}
	done := make(chan result, 1)
	// gate orders the handler's start with the run's end: a run that ends
	// (timeout, ctx) before its goroutine got to start the handler never
	// starts it, so no handler begins after Run returned; nor does one
	// whose context ended before it started.
	var gate sync.Mutex
	ended := false
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{pan: p}
			}
		}()
		gate.Lock()
		if ended || ctx.Err() != nil {
			gate.Unlock()
			return
		}
		gate.Unlock()
		b, err := h(ctx, event)
		done <- result{body: b, err: err}
	}()
	select {
	case r := <-done:
		switch {
		case r.pan != nil:
			return nil, ErrorType(r.pan), fmt.Sprint(r.pan), nil
		case r.err != nil:
			return nil, ErrorType(r.err), r.err.Error(), nil
		}
		return r.body, "", "", nil
	case <-ctx.Done():
		gate.Lock()
		ended = true
		gate.Unlock()
		return nil, "", "", ctx.Err()
	}
}

// ErrorType is the errorType of a Go error or panic value, as aws-lambda-go
// reports it (getErrorType): the name of its type, or of the type a
// pointer points to.
func ErrorType(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}
