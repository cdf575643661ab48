package wire

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// outcomes records what an Observer is told.
type outcomes struct {
	mu       sync.Mutex
	resolved []string
	calls    []string // "op code"
}

func (o *outcomes) observer(op string) func(string, time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.resolved = append(o.resolved, op)
	return func(code string, elapsed time.Duration) {
		o.mu.Lock()
		defer o.mu.Unlock()
		if elapsed < 0 {
			code += " negative"
		}
		o.calls = append(o.calls, op+" "+code)
	}
}

func TestObserverSeesEveryCall(t *testing.T) {
	h, _ := newTestHandler(t)
	var o outcomes
	h.SetObserver(o.observer)
	for _, op := range []string{"PutItem", "GetRecords", "ListTables"} {
		if !slices.Contains(o.resolved, op) {
			t.Errorf("operation %s not resolved at SetObserver", op)
		}
	}
	serve(t, h, signedRequest(prefixDynamoDB+".ListTables", `{}`))
	serve(t, h, signedRequest(prefixDynamoDB+".GetItem", `{"TableName":"missing","Key":{"pk":{"S":"a"}}}`))
	serve(t, h, signedRequest(prefixDynamoDB+".NoSuchOperation", `{}`)) // not an operation: not observed
	want := []string{"ListTables ", "GetItem ResourceNotFoundException"}
	if !slices.Equal(o.calls, want) {
		t.Fatalf("observed %q, want %q", o.calls, want)
	}
	h.SetObserver(nil)
	serve(t, h, signedRequest(prefixDynamoDB+".ListTables", `{}`))
	if len(o.calls) != 2 {
		t.Fatalf("observed after detaching: %q", o.calls)
	}
}
