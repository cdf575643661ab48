package faults

import (
	"reflect"
	"testing"
)

func TestTriggers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		when When
		want []int
	}{
		{"always", When{}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"skip", When{Skip: 7}, []int{8, 9, 10}},
		{"times", When{Times: 2}, []int{1, 2}},
		{"skip and times", When{Skip: 3, Times: 1}, []int{4}},
		{"everyNth", When{EveryNth: 3}, []int{3, 6, 9}},
		{"everyNth 1", When{EveryNth: 1}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"skip and everyNth", When{Skip: 2, EveryNth: 3}, []int{5, 8}},
		{"skip, everyNth and times", When{Skip: 1, EveryNth: 2, Times: 2}, []int{3, 5}},
		{"probability 1", When{Probability: 1}, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
	}
	for _, tt := range tests {
		ti := newTestInjector(t, 1)
		ti.mustAdd(t, dropRule("r", "orders", tt.when))
		if got := firedAt(ti.Injector, "orders", 10); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: fired at %v, want %v", tt.name, got, tt.want)
		}
		st, _ := ti.Get("r")
		if st.Stats.Matched != 10 || st.Stats.Fired != uint64(len(tt.want)) {
			t.Errorf("%s: stats %+v", tt.name, st.Stats)
		}
		if n := len(ti.allEntries(JournalQuery{})); n != len(tt.want) {
			t.Errorf("%s: %d journal entries, want %d", tt.name, n, len(tt.want))
		}
	}
}

func TestTriggerProbability(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 42)
	ti.mustAdd(t, dropRule("p", "orders", When{Probability: 0.25}))
	got := len(firedAt(ti.Injector, "orders", 10000))
	if got < 2300 || got > 2700 {
		t.Errorf("probability 0.25 fired %d of 10000", got)
	}
}

// TestTriggerComposition checks that probability draws only after skip and
// everyNth, and that times caps the result.
func TestTriggerComposition(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 7)
	ti.mustAdd(t, dropRule("c", "orders", When{Skip: 10, EveryNth: 2, Probability: 0.5, Times: 5}))
	got := firedAt(ti.Injector, "orders", 200)
	if len(got) != 5 {
		t.Fatalf("fired %v, want 5 firings", got)
	}
	for _, n := range got {
		if n <= 10 || n%2 != 0 {
			t.Errorf("fired at %d: inside skip or off the everyNth grid", n)
		}
	}
	st, _ := ti.Get("c")
	if !st.Stats.Exhausted || *st.Stats.Remaining != 0 || st.Stats.Matched != 200 {
		t.Errorf("stats %+v", st.Stats)
	}
}

func TestTriggerDisabled(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	r := dropRule("off", "orders", When{})
	r.Enabled = ptr(false)
	ti.mustAdd(t, r)
	if got := firedAt(ti.Injector, "orders", 5); got != nil {
		t.Errorf("disabled rule fired at %v", got)
	}
	if _, err := ti.Patch("off", RulePatch{Enabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if got := firedAt(ti.Injector, "orders", 2); len(got) != 2 {
		t.Errorf("enabled rule fired at %v", got)
	}
	st, _ := ti.Get("off")
	if st.Stats.Matched != 2 {
		t.Errorf("a disabled rule counted matches: %+v", st.Stats)
	}
}
