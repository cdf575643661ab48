package faults

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzParseRules checks that any body gives rules or a *FieldError, never a
// panic, and that accepted rules survive a JSON round trip.
func FuzzParseRules(f *testing.F) {
	for _, seed := range []string{
		`{"id":"a","target":"stream","match":{"table":"o*","eventName":["INSERT"],"key":{"pk":{"prefix":"X"}}},` +
			`"action":{"type":"delay","for":"PT1M","holdShard":true},"when":{"skip":1,"times":2,"everyNth":3,"probability":0.5},"ttl":"10m"}`,
		`[{"target":"api","match":{"operation":["PutItem"],"accessKeyId":"K"},"action":{"type":"error","code":"ThrottlingException"}}]`,
		`{"target":"api","action":{"type":"commitThenFail","then":{"type":"drop"}}}`,
		`{"target":"api","action":{"type":"partialBatch","fraction":0.5},"match":{"key":{"pk":{"equals":"1"}}}}`,
		`{"target":"api","action":{"type":"latency","latency":"1s","jitter":"PT0.5S"},"enabled":false}`,
		`{"target":"api","action":{"type":"error","code":"TransactionCanceledException","cancellationReasons":[{"code":"None"}]}}`,
		`{"x":null}`, `[]`, `null`, `{"match":{"key":{"a":null}}}`, `{"when":{"times":1e3}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := ParseRules(data)
		if err != nil {
			if _, ok := err.(*FieldError); !ok { //nolint:errorlint // must be the bare type
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		for _, r := range rules {
			if err := r.Validate(); err != nil {
				t.Fatalf("accepted an invalid rule: %v", err)
			}
		}
		out, err := json.Marshal(rules)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseRules(out)
		if err != nil || !reflect.DeepEqual(normalize(back), normalize(rules)) {
			t.Fatalf("round trip of %s via %s: %+v, %v", data, out, back, err)
		}
	})
}

// normalize maps empty slices and maps to nil, which JSON cannot tell apart.
func normalize(rules []Rule) []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		if len(r.Match.Operation) == 0 {
			r.Match.Operation = nil
		}
		if len(r.Match.EventName) == 0 {
			r.Match.EventName = nil
		}
		if len(r.Match.Key) == 0 {
			r.Match.Key = nil
		}
		if len(r.Action.CancellationReasons) == 0 {
			r.Action.CancellationReasons = nil
		}
		if len(r.Action.ThrottlingReasons) == 0 {
			r.Action.ThrottlingReasons = nil
		}
		out[i] = r
	}
	return out
}
