package handlerrun

import (
	"context"
	"errors"
	"testing"
	"time"
)

type poisonError struct{}

func (*poisonError) Error() string { return "poison" }

func TestRun(t *testing.T) {
	ok := func(context.Context, []byte) ([]byte, error) { return []byte(`{"a":1}`), nil }
	fails := func(context.Context, []byte) ([]byte, error) { return nil, &poisonError{} }
	panics := func(context.Context, []byte) ([]byte, error) { panic(&poisonError{}) }
	hangs := func(ctx context.Context, _ []byte) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() }
	if body, typ, _, err := Run(context.Background(), time.Second, ok, nil); string(body) != `{"a":1}` || typ != "" || err != nil {
		t.Errorf("ok: %s %q %v", body, typ, err)
	}
	if _, typ, msg, err := Run(context.Background(), time.Second, fails, nil); typ != "poisonError" || msg != "poison" || err != nil {
		t.Errorf("error: %q %q %v", typ, msg, err)
	}
	if _, typ, _, err := Run(context.Background(), time.Second, panics, nil); typ != "poisonError" || err != nil {
		t.Errorf("pointer panic: %q %v", typ, err)
	}
	if _, _, _, err := Run(context.Background(), 10*time.Millisecond, hangs, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeout: %v", err)
	}
	for v, want := range map[any]string{"boom": "string", errors.New("x"): "errorString", 7: "int"} {
		if got := ErrorType(v); got != want {
			t.Errorf("ErrorType(%T) = %q, want %q", v, got, want)
		}
	}
}
