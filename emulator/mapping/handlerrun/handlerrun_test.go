package handlerrun

import (
	"context"
	"errors"
	"sync"
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

// A run whose context ends before the handler started never starts it:
// an invocation abandoned (a mapping reset, a shutdown) does not reach the
// handler later.
func TestRunEndedBeforeStartNeverStartsTheHandler(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var mu sync.Mutex
	started := 0
	h := func(context.Context, []byte) ([]byte, error) {
		mu.Lock()
		started++
		mu.Unlock()
		return nil, nil
	}
	for range 1000 {
		if _, _, _, err := Run(ctx, time.Second, h, nil); !errors.Is(err, context.Canceled) {
			t.Fatalf("run with an ended context: %v", err)
		}
	}
	time.Sleep(20 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if started != 0 {
		t.Errorf("%d of 1000 handlers started after their run ended", started)
	}
}
