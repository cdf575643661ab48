package faults

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestAddIDs(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	st := ti.mustAdd(t, dropRule("", "a", When{}), dropRule("rule-2", "b", When{}), dropRule("", "c", When{}))
	if ids := statusIDs(st); !reflect.DeepEqual(ids, []string{"rule-1", "rule-2", "rule-3"}) {
		t.Errorf("ids %v", ids)
	}
	if !*st[0].Enabled || st[0].Stats.Remaining != nil {
		t.Errorf("defaults %+v", st[0])
	}
	st = ti.mustAdd(t, dropRule("", "d", When{Times: 2}))
	if st[0].ID != "rule-4" || *st[0].Stats.Remaining != 2 {
		t.Errorf("fourth rule %+v", st[0])
	}
}

func TestAddDuplicate(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, dropRule("x", "a", When{}))
	for _, rules := range [][]Rule{
		{dropRule("y", "a", When{}), dropRule("x", "a", When{})},
		{dropRule("z", "a", When{}), dropRule("z", "a", When{})},
	} {
		if _, err := ti.Add(rules...); !errors.Is(err, ErrDuplicateID) {
			t.Errorf("Add = %v, want ErrDuplicateID", err)
		}
	}
	if _, err := ti.Replace([]Rule{dropRule("q", "a", When{}), dropRule("q", "b", When{})}); !errors.Is(err, ErrDuplicateID) {
		t.Errorf("Replace = %v, want ErrDuplicateID", err)
	}
	if ids := statusIDs(ti.List()); !reflect.DeepEqual(ids, []string{"x"}) {
		t.Errorf("a failed Add changed the rules: %v", ids)
	}
}

func TestAddInvalid(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	_, err := ti.Add(dropRule("a", "t", When{}), Rule{Target: TargetStream, Action: Action{Type: "explode"}})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "[1].action.type" {
		t.Errorf("Add = %v", err)
	}
	_, err = ti.Add(Rule{Target: TargetStream, Action: Action{Type: "explode"}})
	if !errors.As(err, &fe) || fe.Field != "action.type" {
		t.Errorf("Add = %v", err)
	}
	if len(ti.List()) != 0 {
		t.Error("an invalid Add stored rules")
	}
}

func TestGetPatchDelete(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	if _, err := ti.Get("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get = %v", err)
	}
	if _, err := ti.Patch("nope", RulePatch{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("Patch = %v", err)
	}
	if err := ti.Delete("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Delete = %v", err)
	}
	ti.mustAdd(t, dropRule("r", "t", When{Times: 1}), dropRule("s", "t", When{}))
	firedAt(ti.Injector, "t", 3)
	st, err := ti.Patch("r", RulePatch{Times: ptr(3), Description: ptr("more")})
	if err != nil || st.Stats.Exhausted || *st.Stats.Remaining != 2 || st.Description != "more" {
		t.Fatalf("Patch times = %+v, %v", st, err)
	}
	st, err = ti.Patch("r", RulePatch{When: &When{Skip: 1}})
	if err != nil || st.Stats.Matched != 0 || st.Stats.Fired != 0 || st.When != (When{Skip: 1}) {
		t.Fatalf("Patch when = %+v, %v", st, err)
	}
	if _, err := ti.Patch("r", RulePatch{Times: ptr(-1)}); err == nil {
		t.Error("Patch accepted times -1")
	}
	if err := ti.Delete("r"); err != nil {
		t.Fatal(err)
	}
	if ids := statusIDs(ti.List()); !reflect.DeepEqual(ids, []string{"s"}) {
		t.Errorf("after Delete: %v", ids)
	}
}

// TestStoredRulesAreCopies checks that neither the caller's rule nor a
// returned status aliases the stored rule.
func TestStoredRulesAreCopies(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	r := Rule{ID: "k", Target: TargetStream, Match: Match{EventName: []string{"INSERT"},
		Key: map[string]KeyPredicate{"pk": {Equals: ptr("a")}}}, Action: Action{Type: ActionDrop}}
	ti.mustAdd(t, r)
	r.Match.EventName[0] = "REMOVE"
	*r.Match.Key["pk"].Equals = "b"
	st, _ := ti.Get("k")
	st.Match.EventName[0] = "MODIFY"
	got, _ := ti.Get("k")
	if got.Match.EventName[0] != "INSERT" || *got.Match.Key["pk"].Equals != "a" {
		t.Errorf("stored rule changed: %+v", got.Match)
	}
}

func TestReplaceAndReset(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, dropRule("", "t", When{}))
	firedAt(ti.Injector, "t", 2)
	st, err := ti.Replace([]Rule{dropRule("n", "t", When{}), errorRule("", "t", "InternalServerError", When{})})
	if err != nil || !reflect.DeepEqual(statusIDs(st), []string{"n", "rule-2"}) {
		t.Fatalf("Replace = %v, %v", statusIDs(st), err)
	}
	if n := len(ti.allEntries(JournalQuery{})); n != 2 {
		t.Errorf("Replace dropped the journal: %d entries", n)
	}
	ti.Reset()
	if len(ti.List()) != 0 || len(ti.allEntries(JournalQuery{})) != 0 {
		t.Error("Reset kept rules or entries")
	}
	if d := ti.DecideAPI(APIEvent{Operation: "GetItem", Table: "t"}); d.Error != nil {
		t.Error("a rule fired after Reset")
	}
	st = ti.mustAdd(t, dropRule("", "t", When{}))
	firedAt(ti.Injector, "t", 1)
	if st[0].ID != "rule-1" || ti.allEntries(JournalQuery{})[0].Seq != 1 {
		t.Errorf("Reset did not restart ids and sequence numbers: %s", st[0].ID)
	}
}

func TestTTL(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	r := dropRule("short", "t", When{})
	r.TTL = Duration(10 * time.Minute)
	st := ti.mustAdd(t, r, dropRule("forever", "u", When{}))
	if want := ti.wall.Now().Add(10 * time.Minute); st[0].Stats.ExpiresAt == nil || !st[0].Stats.ExpiresAt.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v", st[0].Stats.ExpiresAt, want)
	}
	ti.wall.Advance(9 * time.Minute)
	ti.virtual.Advance(24 * time.Hour) // the virtual clock does not age rules
	if got := firedAt(ti.Injector, "t", 1); len(got) != 1 {
		t.Fatal("rule expired early")
	}
	ti.wall.Advance(time.Minute)
	if got := firedAt(ti.Injector, "t", 1); got != nil {
		t.Error("expired rule fired")
	}
	if ids := statusIDs(ti.List()); !reflect.DeepEqual(ids, []string{"forever"}) {
		t.Errorf("List after expiry: %v", ids)
	}
	if _, err := ti.Get("short"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after expiry: %v", err)
	}
}

func TestTTLPatch(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	r := dropRule("r", "t", When{})
	r.TTL = Duration(time.Minute)
	ti.mustAdd(t, r)
	ti.wall.Advance(50 * time.Second)
	if _, err := ti.Patch("r", RulePatch{TTL: ptr(Duration(time.Minute))}); err != nil {
		t.Fatal(err)
	}
	ti.wall.Advance(50 * time.Second)
	if len(ti.List()) != 1 {
		t.Fatal("the patched TTL did not restart")
	}
	st, err := ti.Patch("r", RulePatch{TTL: ptr(Duration(0))})
	if err != nil || st.Stats.ExpiresAt != nil || st.TTL != 0 {
		t.Fatalf("removing the TTL: %+v, %v", st, err)
	}
	ti.wall.Advance(time.Hour)
	if len(ti.List()) != 1 {
		t.Error("a rule without TTL expired")
	}
}

func TestSeed(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 5)
	if ti.Seed() != 5 {
		t.Errorf("Seed = %d", ti.Seed())
	}
	ti.mustAdd(t, dropRule("p", "t", When{Probability: 0.5}))
	first := firedAt(ti.Injector, "t", 64)
	ti.SetSeed(5)
	if again := firedAt(ti.Injector, "t", 64); !reflect.DeepEqual(first, again) {
		t.Errorf("SetSeed did not restart the generator: %v vs %v", first, again)
	}
}

func statusIDs(st []RuleStatus) []string {
	ids := []string{}
	for _, s := range st {
		ids = append(ids, s.ID)
	}
	return ids
}
