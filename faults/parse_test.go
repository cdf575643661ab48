package faults

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseRulesExamples decodes the documented examples.
func TestParseRulesExamples(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"id":"lose-one","target":"stream",
		  "match":{"table":"orders","eventName":["MODIFY"],"key":{"pk":{"prefix":"ORDER#"}}},
		  "action":{"type":"drop"},"when":{"skip":3,"times":1}}`,
		`{"id":"lossy","target":"stream","match":{"table":"orders"},
		  "action":{"type":"drop"},"when":{"probability":0.01},"ttl":"PT30M"}`,
		`{"id":"every10","target":"stream","match":{"table":"orders","eventName":["INSERT"]},
		  "action":{"type":"drop"},"when":{"everyNth":10}}`,
		`{"id":"slow-vip","target":"stream","match":{"table":"orders","key":{"pk":{"prefix":"VIP#"}}},
		  "action":{"type":"delay","for":"PT10M","holdShard":true}}`,
		`{"id":"throttle-3","target":"api","match":{"table":"orders","operation":["PutItem"]},
		  "action":{"type":"error","code":"ProvisionedThroughputExceededException",
		    "throttlingReasons":[{"reason":"TableWriteProvisionedThroughputExceeded"}]},
		  "when":{"times":3}}`,
		`{"id":"ambiguous","target":"api","match":{"table":"orders","operation":["UpdateItem"]},
		  "action":{"type":"commitThenFail","then":{"type":"error","code":"InternalServerError"}},
		  "when":{"skip":4,"times":1}}`,
		`{"id":"unprocessed","target":"api","match":{"table":"orders","operation":["BatchWriteItem"]},
		  "action":{"type":"partialBatch","count":2},"when":{"times":1}}`,
		`{"id":"txconflict","target":"api","match":{"table":"orders","operation":["TransactWriteItems"]},
		  "action":{"type":"error","code":"TransactionCanceledException",
		    "cancellationReasons":[{"code":"TransactionConflict"},{"code":"None"}]},
		  "when":{"probability":0.2}}`,
		`{"target":"api","match":{"accessKeyId":"AKIDB"},"action":{"type":"latency","latency":"200ms","jitter":"50ms"},
		  "enabled":false,"description":"slow consumer B"}`,
		`{"target":"api","match":{"operation":["GetRecords"]},"action":{"type":"emptyRecords"},"ttl":null}`,
	} {
		if _, err := ParseRules([]byte(body)); err != nil {
			t.Errorf("ParseRules(%s): %v", body, err)
		}
	}
}

// TestParseRulesFields checks that every bad field is named.
func TestParseRulesFields(t *testing.T) {
	t.Parallel()
	const drop = `"target":"stream","action":{"type":"drop"}`
	const errRule = `"target":"api","action":{"type":"error","code":"ThrottlingException"`
	tests := []struct{ body, field, msg string }{
		{`not json`, "", "not valid JSON"},
		{`"a string"`, "", "must be an object"},
		{`{` + drop + `,"colour":"red"}`, "colour", "unknown field"},
		{`{` + drop + `,"match":{"tabel":"x"}}`, "match.tabel", "unknown field"},
		{`{` + drop + `,"when":{"Times":1}}`, "when.Times", "unknown field"},
		{`{` + drop + `,"match":{"key":{"pk":{"equal":"x"}}}}`, "match.key.pk.equal", "unknown field"},
		{`[{` + drop + `},{` + drop + `,"x":1}]`, "[1].x", "unknown field"},
		{`{"id":7,` + drop + `}`, "id", "must be a string"},
		{`{"id":"a/b",` + drop + `}`, "id", "letters, digits"},
		{`{"id":"` + strings.Repeat("a", 129) + `",` + drop + `}`, "id", "at most 128"},
		{`{"description":"` + strings.Repeat("a", 1025) + `",` + drop + `}`, "description", "at most 1024"},
		{`{"action":{"type":"drop"}}`, "target", `"stream", "api" or "delivery"`},
		{`{"target":"lambda","action":{"type":"drop"}}`, "target", `"stream", "api" or "delivery"`},
		{`{"target":"delivery","action":{"type":"drop"}}`, "action.type", "must be one of functionError, timeout, throttle, duplicate, latency for target delivery"},
		{`{"target":"delivery","action":{"type":"timeout","code":"ThrottlingException"}}`, "action.code", "is not allowed for action type timeout"},
		{`{"target":"delivery","action":{"type":"throttle"},"match":{"operation":["PutItem"]}}`, "match.operation", "only allowed in api rules"},
		{`{"target":"delivery","action":{"type":"throttle"},"match":{"accessKeyId":"a"}}`, "match.accessKeyId", "only allowed in api rules"},
		{`{"target":"stream","action":{"type":"drop"},"match":{"mapping":"u"}}`, "match.mapping", "only allowed in delivery rules"},
		{`{"target":"api","action":{"type":"emptyRecords"},"match":{"function":"f"}}`, "match.function", "only allowed in delivery rules"},
		{`{"target":"stream","action":{}}`, "action.type", "drop, delay, duplicate, reorder"},
		{`{"target":"stream","action":{"type":"error","code":"ThrottlingException"}}`, "action.type", "for target stream"},
		{`{"target":"api","action":{"type":"drop"}}`, "action.type", "error, latency, commitThenFail"},
		{`{"target":"stream","action":{"type":"drop","for":"1m"}}`, "action.for", "not allowed for action type drop"},
		{`{"target":"stream","action":{"type":"delay"}}`, "action.for", "greater than 0"},
		{`{"target":"stream","action":{"type":"delay","for":"ten"}}`, "action.for", "duration"},
		{`{"target":"stream","action":{"type":"delay","for":"-1m"}}`, "action.for", "duration"},
		{`{"target":"stream","action":{"type":"delay","for":"1m","holdShard":"yes"}}`, "action.holdShard", "boolean"},
		{`{"target":"api","action":{"type":"error"}}`, "action.code", "required"},
		{`{"target":"api","action":{"type":"error","code":"NoSuchException"}}`, "action.code", "catalogue"},
		{`{` + errRule + `,"httpStatus":200}}`, "action.httpStatus", "between 400 and 599"},
		{`{` + errRule + `,"latency":"1s"}}`, "action.latency", "not allowed for action type error"},
		{`{` + errRule + `,"cancellationReasons":[{"code":"None"}]}}`, "action.cancellationReasons", "only allowed with code"},
		{`{"target":"api","action":{"type":"error","code":"TransactionCanceledException","cancellationReasons":[{"code":"Bad"}]}}`,
			"action.cancellationReasons[0].code", "must be one of"},
		{`{"target":"api","action":{"type":"error","code":"InternalServerError","throttlingReasons":[{"reason":"x"}]}}`,
			"action.throttlingReasons", "only allowed with codes"},
		{`{` + errRule + `,"throttlingReasons":[{"resource":"x"}]}}`, "action.throttlingReasons[0].reason", "required"},
		{`{` + errRule + `,"throttlingReasons":[{"reason":"x","why":1}]}}`, "action.throttlingReasons[0].why", "unknown field"},
		{`{"target":"api","action":{"type":"latency"}}`, "action.latency", "greater than 0"},
		{`{"target":"api","action":{"type":"latency","latency":5}}`, "action.latency", "duration"},
		{`{"target":"api","action":{"type":"commitThenFail","then":{"type":"explode"}}}`, "action.then.type", `"error" or "drop"`},
		{`{"target":"api","action":{"type":"commitThenFail","then":{"type":"error","code":"Nope"}}}`, "action.then.code", "catalogue"},
		{`{"target":"api","action":{"type":"commitThenFail","then":{"type":"drop","code":"InternalServerError"}}}`,
			"action.then.code", "not allowed when type is drop"},
		{`{"target":"api","action":{"type":"partialBatch","count":-1}}`, "action.count", "negative"},
		{`{"target":"api","action":{"type":"partialBatch","fraction":1.5}}`, "action.fraction", "between 0 and 1"},
		{`{"target":"api","action":{"type":"partialBatch","count":1,"fraction":0.5}}`, "action.fraction", "cannot be combined"},
		{`{` + drop + `,"match":{"table":"orders["}}`, "match.table", "glob"},
		{`{` + drop + `,"match":{"operation":["PutItem"]}}`, "match.operation", "only allowed in api rules"},
		{`{` + errRule + `},"match":{"operation":["PutItem","PutItems"]}}`, "match.operation[1]", `operation: "PutItems"`},
		{`{"target":"api","action":{"type":"emptyRecords"},"match":{"operation":["Query"]}}`,
			"match.operation[0]", "applies only to GetRecords"},
		{`{"target":"api","action":{"type":"partialBatch"},"match":{"operation":["PutItem"]}}`,
			"match.operation[0]", "applies only to BatchWriteItem or BatchGetItem"},
		{`{"target":"api","action":{"type":"commitThenFail"},"match":{"operation":["GetItem"]}}`,
			"match.operation[0]", "applies only to a write operation"},
		{`{` + errRule + `},"match":{"eventName":["INSERT"]}}`, "match.eventName", "only allowed in stream and delivery rules"},
		{`{` + drop + `,"match":{"eventName":["UPSERT"]}}`, "match.eventName[0]", "INSERT, MODIFY or REMOVE"},
		{`{` + drop + `,"match":{"eventName":"INSERT"}}`, "match.eventName", "must be an array"},
		{`{` + errRule + `},"match":{"key":{"pk":{"equals":"a"}}}}`, "match.key", "only allowed in stream rules, delivery rules and partialBatch"},
		{`{` + drop + `,"match":{"key":{"pk":{}}}}`, "match.key.pk", "equals or prefix"},
		{`{` + drop + `,"match":{"key":{"pk":{"equals":1}}}}`, "match.key.pk.equals", "must be a string"},
		{`{` + drop + `,"match":{"key":{"":{"equals":"a"}}}}`, "match.key", "empty member name"},
		{`{` + drop + `,"match":{"accessKeyId":"AKID"}}`, "match.accessKeyId", "only allowed in api rules"},
		{`{` + drop + `,"match":[]}`, "match", "must be an object"},
		{`{` + drop + `,"when":{"skip":-1}}`, "when.skip", "negative"},
		{`{` + drop + `,"when":{"times":-1}}`, "when.times", "negative"},
		{`{` + drop + `,"when":{"times":1.5}}`, "when.times", "integer"},
		{`{` + drop + `,"when":{"times":"1"}}`, "when.times", "integer"},
		{`{` + drop + `,"when":{"everyNth":-2}}`, "when.everyNth", "negative"},
		{`{` + drop + `,"when":{"probability":1.01}}`, "when.probability", "between 0 and 1"},
		{`{` + drop + `,"when":{"probability":"half"}}`, "when.probability", "must be a number"},
		{`{` + drop + `,"ttl":"forever"}`, "ttl", "duration"},
		{`{` + drop + `,"ttl":"P1Y"}`, "ttl", "duration"},
		{`{` + drop + `,"enabled":"true"}`, "enabled", "boolean"},
	}
	for _, tt := range tests {
		_, err := ParseRules([]byte(tt.body))
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("ParseRules(%s) = %v, want a *FieldError", tt.body, err)
			continue
		}
		if fe.Field != tt.field || !strings.Contains(fe.Msg, tt.msg) {
			t.Errorf("ParseRules(%s) = %q %q, want field %q with %q", tt.body, fe.Field, fe.Msg, tt.field, tt.msg)
		}
	}
}

// TestParseRulesRoundTrip checks that a stored rule's JSON parses back to
// the same rule.
func TestParseRulesRoundTrip(t *testing.T) {
	t.Parallel()
	eq, enabled := "ORDER#7", true
	want := Rule{
		ID: "r", Description: "d", Target: TargetStream,
		Match:  Match{Table: "orders-*", EventName: []string{"MODIFY"}, Key: map[string]KeyPredicate{"pk": {Equals: &eq}}},
		Action: Action{Type: ActionDelay, For: Duration(90e9), HoldShard: true},
		When:   When{Skip: 1, Times: 2, EveryNth: 3, Probability: 0.5},
		TTL:    Duration(600e9), Enabled: &enabled,
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseRules(data)
	if err != nil {
		t.Fatalf("ParseRules(%s): %v", data, err)
	}
	if !reflect.DeepEqual(got, []Rule{want}) {
		t.Errorf("round trip of %s:\n got %+v\nwant %+v", data, got[0], want)
	}
}

func TestParseRulesArray(t *testing.T) {
	t.Parallel()
	rules, err := ParseRules([]byte(` [ {"target":"stream","action":{"type":"drop"}},
		{"target":"api","action":{"type":"emptyRecords"}} ] `))
	if err != nil || len(rules) != 2 || rules[1].Action.Type != ActionEmptyRecords {
		t.Fatalf("ParseRules = %+v, %v", rules, err)
	}
	rules, err = ParseRules([]byte(`[]`))
	if err != nil || len(rules) != 0 {
		t.Fatalf("ParseRules([]) = %+v, %v", rules, err)
	}
}

func TestParsePatch(t *testing.T) {
	t.Parallel()
	p, err := ParsePatch([]byte(`{"enabled":false,"times":3,"ttl":"PT1M","description":"x"}`))
	if err != nil || *p.Enabled || *p.Times != 3 || *p.TTL != Duration(60e9) || *p.Description != "x" {
		t.Fatalf("ParsePatch = %+v, %v", p, err)
	}
	for body, field := range map[string]string{
		`{"enable":false}`:                  "enable",
		`{"times":-1}`:                      "times",
		`{"when":{"probability":2}}`:        "when.probability",
		`{"when":{"skip":1},"times":1}`:     "times",
		`{"ttl":"soon"}`:                    "ttl",
		`{"when":{"times":1,"target":"x"}}`: "when.target",
	} {
		_, err := ParsePatch([]byte(body))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("ParsePatch(%s) = %v, want a *FieldError on %q", body, err, field)
		}
	}
}

// TestValidateGo checks rules built in Go, where JSON cannot help.
func TestValidateGo(t *testing.T) {
	t.Parallel()
	ok := Rule{Target: TargetStream, Action: Action{Type: ActionDrop}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("Validate(%+v) = %v", ok, err)
	}
	bad := ok
	bad.TTL = -1
	if err := bad.Validate(); err == nil || err.(*FieldError).Field != "ttl" {
		t.Errorf("negative TTL: %v", err)
	}
	bad = Rule{Target: TargetAPI, Action: Action{Type: ActionLatency, Latency: Duration(-5), Jitter: 10}}
	if err := bad.Validate(); err == nil {
		t.Error("negative latency accepted")
	}
}
