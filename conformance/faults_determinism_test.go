package conformance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/faults"
)

// Determinism: the same seed and the same writes give the same journal;
// another seed gives another. The rules use every seeded draw there is (a
// stream probability, a partialBatch fraction, latency jitter) so that the
// seed decides what fires. Each run is a fresh emulator with a frozen clock
// at the same instant and the same table names, so that times, shard ids
// and sequence numbers are the same too.

// determinismRules fire by chance.
func determinismRules() []faults.Rule {
	return []faults.Rule{
		{ID: "drop-some", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDrop},
			Match: faults.Match{Table: "det-*", EventName: []string{"MODIFY"}}, When: faults.When{Probability: 0.3}},
		{ID: "dup-some", Target: faults.TargetStream, Action: faults.Action{Type: faults.ActionDuplicate},
			Match: faults.Match{Table: "det-*", EventName: []string{"INSERT"}}, When: faults.When{Probability: 0.2}},
		{ID: "half-batch", Target: faults.TargetAPI, Action: faults.Action{Type: faults.ActionPartialBatch, Fraction: 0.5},
			Match: faults.Match{Table: "det-*", Operation: []string{"BatchWriteItem"}}},
		{ID: "jitter", Target: faults.TargetAPI,
			Action: faults.Action{Type: faults.ActionLatency, Latency: faults.Duration(time.Millisecond), Jitter: faults.Duration(3 * time.Millisecond)},
			Match:  faults.Match{Table: "det-*", Operation: []string{"GetItem"}}, When: faults.When{Probability: 0.5}},
	}
}

// determinismRun runs the same workload against a fresh emulator seeded
// with seed and returns its journal in a canonical form: every field but
// the request ids, the per-stream random half of event ids and the wall
// time.
func determinismRun(t *testing.T, seed uint64) []string {
	t.Helper()
	at := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	e := newFaultEnv(t, emulator.Options{Seed: seed, Clock: clock.NewFrozen(at)})
	table := "det-orders"
	_, err := e.db.CreateTable(ctx(t), &dynamodb.CreateTableInput{
		TableName: aws.String(table), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)},
		KeySchema:            []types.KeySchemaElement{keyElem("pk", types.KeyTypeHash)},
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	e.waitActive(table)
	for _, r := range determinismRules() {
		e.addRule(r)
	}
	for i := range 30 {
		k := fmt.Sprintf("item-%02d", i)
		e.put(table, attrs{"pk": avS(k), "v": avN("1")})
		e.bump(table, k, "2")
		e.bump(table, k, "3")
		if _, err := e.db.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk(k)}); err != nil {
			t.Fatalf("GetItem: %v", err)
		}
	}
	var reqs []types.WriteRequest
	for i := range 20 {
		reqs = append(reqs, putReq(pk(fmt.Sprintf("batch-%02d", i))))
	}
	if _, err := e.db.BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}}); err != nil {
		t.Fatalf("BatchWriteItem: %v", err)
	}
	j := e.journal("")
	out := make([]string, len(j))
	for i, x := range j {
		id := x.EventID
		if len(id) > 16 {
			id = id[len(id)-16:]
		}
		out[i] = fmt.Sprintf("#%d %s %s %s %s %s %s ev=%s seq=%s shard=%s arn=%s op=%s t=%s %q",
			x.Seq, x.RuleID, x.Action, x.Target, x.Table, x.Keys, x.EventName, id, x.SequenceNumber, x.ShardID,
			x.StreamArn, x.Operation, x.Time.UTC().Format(time.RFC3339Nano), x.Detail)
	}
	return out
}

// kinds counts the entries per rule, for the failure message and to check
// that every rule took part.
func kinds(j []string) map[string]int {
	m := map[string]int{}
	for _, s := range j {
		m[strings.Fields(s)[1]]++
	}
	return m
}

func TestFaultDeterminism(t *testing.T) {
	t.Parallel()
	skipExternalFaults(t)
	a, b := determinismRun(t, 42), determinismRun(t, 42)
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Fatalf("same seed, different journals:\n%s\n---\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	k := kinds(a)
	for _, r := range determinismRules() {
		if k[r.ID] == 0 {
			t.Errorf("rule %s never fired with seed 42 (%v): the test would not show its determinism", r.ID, k)
		}
	}
	c := determinismRun(t, 43)
	if strings.Join(a, "\n") == strings.Join(c, "\n") {
		t.Fatalf("seeds 42 and 43 give the same journal:\n%s", strings.Join(a, "\n"))
	}
	t.Logf("seed 42: %d entries %v; seed 43: %d entries %v", len(a), k, len(c), kinds(c))
}
