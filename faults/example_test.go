package faults_test

import (
	"fmt"
	"time"

	"github.com/dynafault/dynafault/faults"
)

// The stream hook asks DecideStream for each appended record and applies the
// answer; the test reads the journal to learn exactly what was dropped.
func Example() {
	in := faults.New(faults.Options{Seed: 42})
	rules, err := faults.ParseRules([]byte(`{"id":"lose-one","target":"stream",
		"match":{"table":"orders","eventName":["MODIFY"],"key":{"pk":{"prefix":"ORDER#"}}},
		"action":{"type":"drop"},"when":{"skip":3,"times":1},"ttl":"PT10M"}`))
	if err != nil {
		panic(err)
	}
	if _, err := in.Add(rules...); err != nil {
		panic(err)
	}
	for i := 1; i <= 6; i++ {
		d := in.DecideStream(faults.StreamEvent{
			Table: "orders", EventName: "MODIFY", Keys: faults.Key{"pk": faults.KeyS(fmt.Sprint("ORDER#", i))},
			EventID: fmt.Sprint("event-", i), SequenceNumber: fmt.Sprint(100 + i), ShardID: "shardId-1",
		})
		fmt.Printf("record %d: %q\n", i, d.Action)
	}
	for _, e := range in.Journal(faults.JournalQuery{RuleID: "lose-one"}).Entries {
		fmt.Println(e.Seq, e.RuleID, e.Action, e.Table, e.Keys, e.EventID, e.SequenceNumber)
	}
	// Output:
	// record 1: ""
	// record 2: ""
	// record 3: ""
	// record 4: "drop"
	// record 5: ""
	// record 6: ""
	// 1 lose-one drop orders pk=S:ORDER#4 event-4 104
}

// The api hook asks DecideAPI around each operation.
func ExampleInjector_DecideAPI() {
	in := faults.New(faults.Options{})
	_, err := in.Add(faults.Rule{
		Target: faults.TargetAPI,
		Match:  faults.Match{Table: "orders", Operation: []string{"PutItem"}},
		Action: faults.Action{Type: faults.ActionError, Code: "ThrottlingException"},
		When:   faults.When{Times: 1},
	})
	if err != nil {
		panic(err)
	}
	for range 2 {
		d := in.DecideAPI(faults.APIEvent{Operation: "PutItem", Table: "orders", RequestID: "R1"})
		if d.Error != nil {
			fmt.Println(d.Error.HTTPStatus, d.Error.Type, d.Error.Message)
			continue
		}
		fmt.Println("run the operation; latency", d.Latency == 0*time.Second)
	}
	// Output:
	// 400 com.amazon.coral.availability#ThrottlingException Rate of requests exceeds the allowed throughput.
	// run the operation; latency true
}

// KeyEquals and KeyPrefix build the key part of a rule's match.
func ExampleKeyEquals() {
	rule := faults.Rule{
		ID:     "lose-order-7",
		Target: faults.TargetStream,
		Match:  faults.Match{Table: "orders", EventName: []string{"MODIFY"}, Key: faults.KeyEquals("pk", "ORDER#7")},
		Action: faults.Action{Type: faults.ActionDrop},
		When:   faults.When{Times: 2},
	}
	fmt.Println(*rule.Match.Key["pk"].Equals, rule.Validate())
	vip := faults.KeyPrefix("pk", "CUSTOMER#").Equals("sk", "PROFILE")
	fmt.Println(*vip["pk"].Prefix, *vip["sk"].Equals)
	// Output:
	// ORDER#7 <nil>
	// CUSTOMER# PROFILE
}

// Sequence numbers are decimal strings of any length; compare them as
// numbers.
func ExampleCompareSequenceNumbers() {
	fmt.Println(faults.CompareSequenceNumbers("99", "100"))
	fmt.Println(faults.CompareSequenceNumbers("400000000000000000007", "400000000000000000007"))
	fmt.Println(faults.SequenceNumberLess("49600000000000000000000000000000000000000000000000000", "400000000000000000002"))
	// Output:
	// -1
	// 0
	// false
}
