package faults

import (
	"reflect"
	"strconv"
	"testing"
	"time"
)

// scenario is a mix of rules exercising every source of randomness.
func scenario() []Rule {
	return []Rule{
		dropRule("lossy", "orders", When{Probability: 0.3}),
		{ID: "dup", Target: TargetStream, Match: Match{Table: "orders", EventName: []string{"INSERT"}},
			Action: Action{Type: ActionDuplicate}, When: When{Skip: 2, EveryNth: 3, Probability: 0.5}},
		{ID: "slow", Target: TargetAPI, Action: Action{Type: ActionLatency, Latency: Duration(time.Millisecond),
			Jitter: Duration(time.Second)}, When: When{Probability: 0.5}},
		errorRule("flaky", "orders", "ThrottlingException", When{Probability: 0.2}),
	}
}

// run feeds a fixed event sequence through a fresh injector and returns its
// decisions and journal.
func run(t *testing.T, seed uint64, rules []Rule) ([]any, []Entry) {
	t.Helper()
	ti := newTestInjector(t, seed)
	ti.mustAdd(t, rules...)
	var decisions []any
	for i := range 500 {
		ev := record("orders", i)
		if i%3 == 0 {
			ev.EventName = "INSERT"
		}
		decisions = append(decisions, ti.DecideStream(ev))
		decisions = append(decisions, ti.DecideAPI(APIEvent{Operation: "PutItem", Table: "orders", RequestID: strconv.Itoa(i)}))
	}
	return decisions, ti.allEntries(JournalQuery{})
}

func TestDeterminismSameSeed(t *testing.T) {
	t.Parallel()
	d1, j1 := run(t, 42, scenario())
	d2, j2 := run(t, 42, scenario())
	if !reflect.DeepEqual(d1, d2) {
		t.Error("same seed, same events: different decisions")
	}
	if !reflect.DeepEqual(j1, j2) {
		t.Error("same seed, same events: different journals")
	}
	if len(j1) < 100 {
		t.Errorf("only %d firings; the scenario is too quiet to prove anything", len(j1))
	}
}

func TestDeterminismOtherSeed(t *testing.T) {
	t.Parallel()
	ti1, ti2 := newTestInjector(t, 1), newTestInjector(t, 2)
	ti1.mustAdd(t, dropRule("p", "t", When{Probability: 0.5}))
	ti2.mustAdd(t, dropRule("p", "t", When{Probability: 0.5}))
	if reflect.DeepEqual(firedAt(ti1.Injector, "t", 200), firedAt(ti2.Injector, "t", 200)) {
		t.Error("different seeds gave the same probability decisions")
	}
}

// TestDeterminismIndependentRules checks that another rule, before or after,
// on the same or other events, does not change a rule's decisions.
func TestDeterminismIndependentRules(t *testing.T) {
	t.Parallel()
	subject := dropRule("subject", "orders", When{Probability: 0.4})
	want := firingsOf(t, []Rule{subject}, "subject")
	others := map[string][]Rule{
		"after, same events":  {subject, dropRule("other", "orders", When{Probability: 0.5})},
		"before, other table": {dropRule("other", "users", When{Probability: 0.5}), subject},
		"api rule before": {{ID: "other", Target: TargetAPI, Action: Action{Type: ActionLatency,
			Latency: Duration(time.Millisecond)}, When: When{Probability: 0.5}}, subject},
	}
	for name, rules := range others {
		if got := firingsOf(t, rules, "subject"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: subject fired on %v, alone on %v", name, got, want)
		}
	}
}

// firingsOf returns the event ids the rule id fired on.
func firingsOf(t *testing.T, rules []Rule, id string) []string {
	t.Helper()
	_, journal := run(t, 9, rules)
	var out []string
	for _, e := range journal {
		if e.RuleID == id {
			out = append(out, e.EventID)
		}
	}
	return out
}

// TestRuleSeedsDiffer checks that two rules with the same trigger but
// different ids do not decide in lockstep.
func TestRuleSeedsDiffer(t *testing.T) {
	t.Parallel()
	a := firingsOf(t, []Rule{dropRule("a", "orders", When{Probability: 0.5})}, "a")
	b := firingsOf(t, []Rule{dropRule("b", "orders", When{Probability: 0.5})}, "b")
	if reflect.DeepEqual(a, b) {
		t.Error("rules a and b made identical decisions")
	}
}
