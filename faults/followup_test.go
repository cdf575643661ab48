package faults

import (
	"reflect"
	"testing"
	"time"
)

func TestRecordStreamFollowUp(t *testing.T) {
	in := New(Options{})
	if in.HasAPIRules() {
		t.Fatal("HasAPIRules on an empty injector")
	}
	if _, err := in.Add(Rule{Target: TargetAPI, Action: Action{Type: ActionError, Code: "ThrottlingException"}}); err != nil {
		t.Fatal(err)
	}
	if !in.HasAPIRules() || in.HasStreamRules() {
		t.Fatal("HasAPIRules false or HasStreamRules true with one api rule")
	}
	e := in.RecordStreamFollowUp(StreamFollowUp{RuleID: "r1", Action: ActionReorder, Outcome: OutcomeSwapped,
		Event:                  StreamEvent{Table: "T", EventID: "e1", Keys: Key{"pk": KeyS("a")}, SequenceNumber: "2", ShardID: "s"},
		OriginalSequenceNumber: "1", OriginalShardID: "s", Detail: "swapped"})
	p := in.Journal(JournalQuery{RuleID: "r1"})
	want := Entry{Seq: e.Seq, Kind: KindFollowUp, RuleID: "r1", Action: ActionReorder, Target: TargetStream, Table: "T",
		Keys: Key{"pk": KeyS("a")}, EventID: "e1", SequenceNumber: "2", ShardID: "s", Detail: "swapped",
		Outcome: OutcomeSwapped, OriginalSequenceNumber: "1", OriginalShardID: "s"}
	if len(p.Entries) != 1 {
		t.Fatalf("journal %+v", p.Entries)
	}
	got := p.Entries[0]
	got.Time, got.WallTime = time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("entry\n got %+v\nwant %+v", got, want)
	}
}
