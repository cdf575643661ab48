package faults

import "testing"

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
	e := in.RecordStreamFollowUp("r1", ActionReorder, StreamEvent{Table: "T", EventID: "e1", Keys: Key{"pk": KeyS("a")}}, "swapped")
	p := in.Journal(JournalQuery{RuleID: "r1"})
	if len(p.Entries) != 1 || p.Entries[0].Seq != e.Seq || p.Entries[0].Target != TargetStream ||
		p.Entries[0].EventID != "e1" || p.Entries[0].Detail != "swapped" || p.Entries[0].Keys["pk"].Value != "a" {
		t.Fatalf("journal %+v", p.Entries)
	}
}
