package mapping

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestTumblingWindowTerminatedEarly(t *testing.T) {
	f := newFixture(t, 1, true)
	var mu sync.Mutex
	var events []map[string]any
	big := `{"state":{"blob":"` + strings.Repeat("x", maxWindowState) + `"}}`
	h := func(_ context.Context, payload []byte) ([]byte, error) {
		var ev map[string]any
		_ = json.Unmarshal(payload, &ev)
		mu.Lock()
		events = append(events, ev)
		n := len(events)
		mu.Unlock()
		if n == 1 {
			return []byte(big), nil
		}
		return []byte(`{"state":{"n":"1"}}`), nil
	}
	if _, err := f.m.RegisterFunction(Function{Name: "fn", Handler: h}); err != nil {
		t.Fatal(err)
	}
	f.put("a", 1)
	cfg := Defaults()
	cfg.FunctionName, cfg.EventSourceArn, cfg.StartingPosition, cfg.TumblingWindowInSeconds = "fn", streamARN, TrimHorizon, 60
	if _, err := f.m.Create(cfg); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the early termination", func() bool { mu.Lock(); defer mu.Unlock(); return len(events) >= 2 })
	f.put("b", 2)
	eventually(t, "the next batch of the same window", func() bool { mu.Lock(); defer mu.Unlock(); return len(events) >= 3 })
	mu.Lock()
	defer mu.Unlock()
	early, next := events[1], events[2]
	if early["isWindowTerminatedEarly"] != true || early["isFinalInvokeForWindow"] != true || len(early["Records"].([]any)) != 0 {
		t.Fatalf("second invocation %v, want the early termination", early["isWindowTerminatedEarly"])
	}
	if st := next["state"].(map[string]any); len(st) != 0 || next["isWindowTerminatedEarly"] != false ||
		next["window"].(map[string]any)["start"] != events[0]["window"].(map[string]any)["start"] {
		t.Fatalf("after the early end: state %v, window %v (first %v)", st, next["window"], events[0]["window"])
	}
}
