package faults

import (
	"reflect"
	"testing"
	"time"
)

func deliveryOf(mapping, function, table string, pks ...string) DeliveryEvent {
	ev := DeliveryEvent{Mapping: mapping, Function: function, RequestID: "req-1", Table: table,
		StreamArn: "arn:s", ShardID: "shardId-1"}
	for i, pk := range pks {
		ev.Records = append(ev.Records, StreamEvent{Table: table, EventName: "INSERT", Keys: Key{"pk": KeyS(pk)},
			EventID: "e" + pk, SequenceNumber: "4000" + string(rune('0'+i)), ShardID: "shardId-1", StreamArn: "arn:s"})
	}
	return ev
}

func TestDecideDeliveryMatches(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	if ti.HasDeliveryRules() {
		t.Fatal("delivery rules before any was added")
	}
	ti.mustAdd(t,
		Rule{ID: "poison", Target: TargetDelivery, Match: Match{Mapping: "m1", Key: map[string]KeyPredicate{"pk": {Equals: ptr("BAD")}}},
			Action: Action{Type: ActionFunctionError, ErrorType: "Poison", Message: "no"}},
		Rule{ID: "slow", Target: TargetDelivery, Match: Match{Function: "fn"}, Action: Action{Type: ActionLatency, Latency: Duration(time.Second)}},
		Rule{ID: "throttle-orders", Target: TargetDelivery, Match: Match{Table: "orders-*"}, Action: Action{Type: ActionThrottle}},
	)
	if !ti.HasDeliveryRules() {
		t.Fatal("no delivery rules after adding them")
	}
	cases := []struct {
		ev   DeliveryEvent
		want DeliveryDecision
	}{
		{deliveryOf("m1", "fn", "t", "A", "BAD"), DeliveryDecision{Action: ActionFunctionError, ErrorType: "Poison", Message: "no", Latency: time.Second}},
		{deliveryOf("m2", "fn", "t", "BAD"), DeliveryDecision{Latency: time.Second}},
		{deliveryOf("m1", "other", "orders-eu", "A"), DeliveryDecision{Action: ActionThrottle}},
		{deliveryOf("m1", "other", "t"), DeliveryDecision{}}, // no record matches the key
	}
	for i, c := range cases {
		got := ti.DecideDelivery(c.ev)
		got.Fired = nil
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("case %d: %+v, want %+v", i, got, c.want)
		}
	}
	entries := ti.allEntries(JournalQuery{RuleID: "poison"})
	if len(entries) != 1 {
		t.Fatalf("poison entries %+v", entries)
	}
	e := entries[0]
	if e.Kind != KindFiring || e.Target != TargetDelivery || e.Consumer != "m1" || e.Keys.String() != "pk=S:BAD" ||
		e.EventID != "eBAD" || e.RequestID != "req-1" || e.Detail != "functionError Poison: function fn, batch of 2 records 40000 to 40001" {
		t.Errorf("entry %+v", e)
	}
}

func TestDecideDeliveryFirstActionWinsAndDefaults(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t,
		Rule{ID: "a", Target: TargetDelivery, Action: Action{Type: ActionFunctionError}},
		Rule{ID: "b", Target: TargetDelivery, Action: Action{Type: ActionTimeout}},
	)
	d := ti.DecideDelivery(deliveryOf("m", "f", "t", "A"))
	if d.Action != ActionFunctionError || d.ErrorType != "Error" || len(d.Fired) != 1 || d.Fired[0].RuleID != "a" {
		t.Errorf("decision %+v", d)
	}
	if n := len(ti.allEntries(JournalQuery{RuleID: "b"})); n != 0 {
		t.Errorf("the shadowed rule journaled %d entries", n)
	}
}
