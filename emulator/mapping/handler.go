package mapping

import (
	"context"
	"fmt"
	"reflect"
	"time"
)

// runHandler runs the in-process handler h on event within timeout,
// recovering a panic. It returns the handler's response, or the error
// type and message of its failure as aws-lambda-go reports them (the type
// name of the error or panic value, or of what a pointer points to); err is the
// context's error when the timeout (context.DeadlineExceeded) or ctx
// ended the run first. A handler that ignores its context is left running
// past the timeout; the run still ends then.
func runHandler(ctx context.Context, timeout time.Duration, h Handler, event []byte) (body []byte, errType, errMsg string, err error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type result struct {
		body []byte
		err  error
		pan  any
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{pan: p}
			}
		}()
		b, err := h(ctx, event)
		done <- result{body: b, err: err}
	}()
	select {
	case r := <-done:
		switch {
		case r.pan != nil:
			return nil, typeName(r.pan), fmt.Sprint(r.pan), nil
		case r.err != nil:
			return nil, typeName(r.err), r.err.Error(), nil
		}
		return r.body, "", "", nil
	case <-ctx.Done():
		return nil, "", "", ctx.Err()
	}
}

// typeName is the errorType of a Go error or panic value, as aws-lambda-go
// reports it (getErrorType): the name of its type, or of the type a
// pointer points to.
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}
