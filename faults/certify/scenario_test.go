package certify

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The built-in battery parses, validates, has unique names and covers the
// failures the battery is about.
func TestBuiltinScenarios(t *testing.T) {
	ss := Builtin()
	var names []string
	for _, s := range ss {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
		if s.Description == "" {
			t.Errorf("%s: no description", s.Name)
		}
		names = append(names, s.Name)
	}
	for _, want := range []string{"baseline", "shard-rollover", "shard-split", "parent-child-order", "iterators-expired",
		"paused-past-retention", "trim-live-iterator", "getrecords-throttled", "getrecords-failing",
		"describestream-throttled", "duplicate-record", "reordered-record", "dropped-record",
		"restart-after-day-down", "write-burst"} {
		if !slices.Contains(names, want) {
			t.Errorf("no built-in scenario %s (have %v)", want, names)
		}
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(names) {
		t.Errorf("repeated names: %v", names)
	}
}

// A scenario file with a mistake is rejected with the field named.
func TestParseScenariosRejects(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`{"name":"x","workload":{},"expect":{},"extra":1}`, `unknown field "extra"`},
		{`{"name":"bad name","workload":{}}`, "name:"},
		{`{"name":"x","workload":{"writes":-1}}`, "workload.writes"},
		{`{"name":"x","workload":{"deleteRatio":1.5}}`, "workload.deleteRatio"},
		{`{"name":"x","kinds":["lambda"],"workload":{}}`, "kinds:"},
		{`{"name":"x","workload":{"writes":10},"steps":[{"at":11,"do":"rollover"}]}`, "steps[0].at"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"explode"}]}`, `steps[0].do: "explode"`},
		{`{"name":"x","workload":{},"steps":[{"at":5,"do":"pause"},{"at":1,"do":"resume"}]}`, "steps[1].at: 1 comes before"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"addRule"}]}`, "steps[0].rule: required"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"addRule","rule":{"target":"stream","action":{"type":"drop"}}}]}`, "rule.id: required"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"addRule","rule":{"id":"a","target":"stream","action":{"type":"error"}}}]}`, "steps[0].rule.action.type"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"removeRule","ruleId":"a"}]}`, "not added by an earlier step"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"waitFired","ruleId":"a"}]}`, "not added"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"advanceClock"}]}`, "duration: required"},
		{`{"name":"x","workload":{},"steps":[{"at":1,"do":"trim","shard":0}]}`, "shard: only for"},
		{`{"name":"x","workload":{"keys":4},"steps":[{"at":1,"do":"pause","key":4}]}`, "key: 4"},
		{`{"name":"x","workload":{},"expect":{"allowMissed":["pending"]}}`, "expect.allowMissed"},
		{`{"name":"x","workload":{},"expect":{"maxCrashes":-1}}`, "expect.maxCrashes"},
		{`[{"name":"x","workload":{}},{"name":"y","workload":{"keys":-2}}]`, "[1]: scenario y: workload.keys"},
	} {
		_, err := ParseScenarios([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one with %q", c.json, err, c.want)
		}
	}
}

// A directory of scenario files adds to the battery and replaces the
// scenario of the same name; Select keeps the names a pattern matches.
func TestLoadMergeSelect(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("a.json", `{"name":"baseline","description":"mine","workload":{"writes":10}}`)
	write("b.json", `[{"name":"team-one","workload":{}},{"name":"team-two","workload":{},"expect":{"report":true}}]`)
	write("notes.txt", "not a scenario")
	extra, err := LoadScenarios(dir)
	if err != nil {
		t.Fatal(err)
	}
	all, err := Merge(Builtin(), extra)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(Builtin())+2 || all[0].Name != "baseline" || all[0].Description != "mine" {
		t.Errorf("merged: %d scenarios, first %+v", len(all), all[0])
	}
	got := Select(all, regexp.MustCompile(`^team-`))
	if len(got) != 2 || got[1].Name != "team-two" || !got[1].Expect.Report {
		t.Errorf("selected %+v", got)
	}
	if _, err := Merge(nil, append(extra, extra[1])); err == nil {
		t.Error("a name defined twice merged")
	}
	if _, err := LoadScenarios(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file loaded")
	}
	one, err := LoadScenarios(filepath.Join(dir, "a.json"))
	if err != nil || len(one) != 1 {
		t.Errorf("one file: %v %v", one, err)
	}
}

// A rule's empty table is the scenario's table and $CONSUMER the
// consumer's access key id.
func TestStepRulePlaceholders(t *testing.T) {
	st := Step{Do: DoAddRule, Rule: []byte(`{"id":"t","target":"api","match":{"operation":["GetRecords"],"accessKeyId":"$CONSUMER"},"action":{"type":"error","code":"LimitExceededException"}}`)}
	r, err := st.rule("orders", "AKID1")
	if err != nil {
		t.Fatal(err)
	}
	if r.Match.Table != "orders" || r.Match.AccessKeyID != "AKID1" {
		t.Errorf("match %+v", r.Match)
	}
	st.Rule = []byte(`{"id":"t","target":"stream","match":{"table":"other"},"action":{"type":"drop"}}`)
	if r, _ := st.rule("orders", "AKID1"); r.Match.Table != "other" {
		t.Errorf("an explicit table was replaced: %q", r.Match.Table)
	}
}
