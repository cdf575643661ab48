package certify

import (
	"slices"
	"testing"
)

// The same seed gives the same writes; another seed other writes.
func TestPlanIsDeterministic(t *testing.T) {
	w := Workload{Keys: 16, Writes: 500}.withDefaults()
	a, b := plan(w, 42), plan(w, 42)
	if !slices.Equal(a, b) {
		t.Fatal("two plans of one seed differ")
	}
	if slices.Equal(a, plan(w, 43)) {
		t.Error("seeds 42 and 43 gave the same plan")
	}
	s := Scenario{Name: "x"}
	if scenarioSeed(s, 1) == scenarioSeed(Scenario{Name: "y"}, 1) || scenarioSeed(s, 1) == scenarioSeed(s, 2) {
		t.Error("scenario seeds do not depend on the name and the battery's seed")
	}
	s.Workload.Seed = 7
	if scenarioSeed(s, 1) != 7 {
		t.Error("a scenario's own seed is not used")
	}
}

// Each item's writes carry consecutive versions: an insert starts at one
// more than the last version (1 for a new item), an update adds one, a
// delete carries the deleted version and consumes the next one.
func TestPlanVersions(t *testing.T) {
	w := Workload{Keys: 8, Writes: 2000, DeleteRatio: 0.3}.withDefaults()
	last := map[int]int{}
	exists := map[int]bool{}
	kinds := map[string]int{}
	for _, o := range plan(w, 1) {
		kinds[o.kind]++
		switch o.kind {
		case opInsert:
			if exists[o.key] || o.version != last[o.key]+1 {
				t.Fatalf("write %d: insert of %d v%d after v%d (exists %v)", o.n, o.key, o.version, last[o.key], exists[o.key])
			}
			exists[o.key] = true
		case opUpdate:
			if !exists[o.key] || o.version != last[o.key]+1 {
				t.Fatalf("write %d: update of %d v%d after v%d", o.n, o.key, o.version, last[o.key])
			}
		case opDelete:
			if !exists[o.key] || o.version != last[o.key] {
				t.Fatalf("write %d: delete of %d v%d after v%d", o.n, o.key, o.version, last[o.key])
			}
			exists[o.key] = false
			last[o.key] = o.version + 1
			continue
		}
		last[o.key] = o.version
	}
	if kinds[opInsert] == 0 || kinds[opUpdate] == 0 || kinds[opDelete] == 0 {
		t.Errorf("kinds %v: want inserts, updates and deletes", kinds)
	}
	noDeletes := Workload{Writes: 300, DeleteRatio: -1}.withDefaults()
	for _, o := range plan(noDeletes, 1) {
		if o.kind == opDelete {
			t.Fatal("deleteRatio -1 deleted")
		}
	}
}
