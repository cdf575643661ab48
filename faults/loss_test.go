package faults

import "testing"

func TestRecordDiscard(t *testing.T) {
	in := New(Options{})
	ev := StreamEvent{Table: "T", EventName: "INSERT", Keys: Key{"pk": KeyS("a")}, EventID: "e1",
		SequenceNumber: "000000000000000000042", ShardID: "shardId-1", StreamArn: "arn:s"}
	e := in.RecordDiscard("uuid-1", ev, "RetryAttemptsExhausted after 3 invocation(s)")
	page := in.Journal(JournalQuery{Kind: KindLoss})
	if len(page.Entries) != 1 || page.Entries[0].Seq != e.Seq {
		t.Fatalf("journal = %+v", page)
	}
	got := page.Entries[0]
	if got.Reason != "discarded" || got.Consumer != "uuid-1" || got.SequenceNumber != ev.SequenceNumber ||
		got.EventID != "e1" || got.Keys.String() != "pk=S:a" || got.Target != TargetStream || got.RuleID != "" ||
		got.Detail != "RetryAttemptsExhausted after 3 invocation(s)" {
		t.Fatalf("entry = %+v", got)
	}
}
