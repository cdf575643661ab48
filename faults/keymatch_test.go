package faults

import (
	"encoding/json"
	"testing"
)

func TestKeyMatchConstructors(t *testing.T) {
	t.Parallel()
	in := New(Options{})
	_, err := in.Add(
		Rule{ID: "one-order", Target: TargetStream, Match: Match{Key: KeyEquals("pk", "ORDER#7")}, Action: Action{Type: ActionDrop}},
		Rule{ID: "vip-items", Target: TargetStream, Match: Match{Key: KeyPrefix("pk", "VIP#").Prefix("sk", "ITEM#")}, Action: Action{Type: ActionDuplicate}},
		Rule{ID: "exact-and-prefix", Target: TargetStream, Match: Match{Key: KeyEquals("pk", "C#1").Prefix("pk", "C#")}, Action: Action{Type: ActionReorder}},
	)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		key  Key
		want string
	}{
		{Key{"pk": KeyS("ORDER#7")}, ActionDrop},
		{Key{"pk": KeyS("ORDER#70")}, ""},
		{Key{"pk": KeyS("VIP#1"), "sk": KeyS("ITEM#2")}, ActionDuplicate},
		{Key{"pk": KeyS("VIP#1"), "sk": KeyS("NOTE#2")}, ""},
		{Key{"pk": KeyS("C#1")}, ActionReorder},
	}
	for _, c := range cases {
		d := in.DecideStream(StreamEvent{Table: "t", EventName: "INSERT", Keys: c.key, SequenceNumber: "1", ShardID: "s"})
		if d.Action != c.want {
			t.Errorf("%v: action %q, want %q", c.key, d.Action, c.want)
		}
	}
	base := KeyEquals("pk", "a")
	more := base.Prefix("sk", "b")
	if len(base) != 1 || len(more) != 2 || *more["pk"].Equals != "a" || *more["sk"].Prefix != "b" {
		t.Errorf("Prefix changed its receiver or lost a predicate: %v, %v", base, more)
	}
	m := Match{Key: KeyEquals("pk", "x").Prefix("sk", "y")}
	if b, err := json.Marshal(m); err != nil || string(b) != `{"key":{"pk":{"equals":"x"},"sk":{"prefix":"y"}}}` {
		t.Errorf("JSON %s, %v", b, err)
	}
}

func TestCompareSequenceNumbers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want int
	}{
		{"400000000000000000001", "400000000000000000002", -1},
		{"99", "100", -1},
		{"100", "99", 1},
		{"0100", "100", 0},
		{"49600000000000000000000000000000000000000000000000000", "400000000000000000002", 1},
		{"", "1", 1},
		{"x", "1", 1},
		{"1", "x", -1},
		{"a", "b", -1},
		{"7", "7", 0},
	}
	for _, c := range cases {
		if got := CompareSequenceNumbers(c.a, c.b); got != c.want {
			t.Errorf("CompareSequenceNumbers(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := SequenceNumberLess(c.a, c.b); got != (c.want < 0) {
			t.Errorf("SequenceNumberLess(%q, %q) = %t", c.a, c.b, got)
		}
	}
}
