package conformance

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/emulator/mapping"
	"github.com/dynafault/dynafault/faults"
	"github.com/dynafault/dynafault/faults/client"
)

// Delivery faults (target "delivery"): decided per invocation of a
// function by an event source mapping, journaled with the mapping as the
// consumer. And the incident that motivates the consumer oracle, end to
// end through a mapping.

// deliveryRule adds a delivery rule through the admin API for the test.
func (e *lambdaEnv) deliveryRule(r faults.Rule) faults.Rule {
	e.t.Helper()
	r.Target = faults.TargetDelivery
	return client.AddRule(e.t, client.New(e.url), r)
}

// deliveryFirings reads the journal's delivery firings of rule.
func (e *lambdaEnv) deliveryFirings(rule string) []faults.Entry {
	e.t.Helper()
	return client.Journal(e.t, client.New(e.url), rule)
}

func TestDeliveryFunctionErrorOnAKeyDiscardsThatBatchOnly(t *testing.T) {
	h := &handler{}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{h.function("fn")}}})
	table, arn := e.streamTable()
	in := minimal("fn", arn)
	in.BatchSize, in.MaximumRetryAttempts = aws.Int32(1), aws.Int32(1)
	id := aws.ToString(e.createMapping(in).UUID)
	e.deliveryRule(faults.Rule{ID: "poison", Match: faults.Match{Mapping: id,
		Key: map[string]faults.KeyPredicate{"pk": {Equals: aws.String("BAD")}}},
		Action: faults.Action{Type: faults.ActionFunctionError, ErrorType: "PoisonError", Message: "cannot parse"}})
	e.putPK(table, "A", 1)
	e.putPK(table, "BAD", 1)
	e.putPK(table, "C", 1)
	waitFor(t, "A and C delivered", func() bool { return len(h.got()) == 2 })
	if got := pks(t, h.got()); len(got) != 2 || got[0][0] != "A" || got[1][0] != "C" {
		t.Errorf("the function got %v: the poisoned batch must never reach it", got)
	}
	fired := e.deliveryFirings("poison")
	if len(fired) != 2 { // the first attempt and the one retry
		t.Fatalf("journal: %s\nwant 2 firings", entriesString(fired))
	}
	x := fired[0]
	if x.Kind != faults.KindFiring || x.Target != faults.TargetDelivery || x.Consumer != id || x.Table != table ||
		x.Keys.String() != "pk=S:BAD" || !strings.Contains(x.Detail, "functionError PoisonError: function fn, batch of 1 records") {
		t.Errorf("entry %s", entriesString(fired[:1]))
	}
	waitFor(t, "the failure record", func() bool { return len(e.failures(id)) == 1 })
	rc := e.failures(id)[0]["responseContext"].(map[string]any)
	if rc["functionError"] != "Unhandled" {
		t.Errorf("responseContext %v", rc)
	}
	m, err := client.New(e.url).MissedAll(ctx(t), id, client.MissedQuery{})
	if err != nil || len(m) != 1 || m[0].Reason != client.MissedDiscarded || m[0].Keys.String() != "pk=BAD" {
		t.Errorf("missed %+v %v", m, err)
	}
}

func TestDeliveryThrottleIsNoRetryAttempt(t *testing.T) {
	h := &handler{}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{h.function("fn")}}})
	table, arn := e.streamTable()
	in := minimal("fn", arn)
	in.MaximumRetryAttempts = aws.Int32(0) // a throttle must not use up the (zero) retries
	e.createMapping(in)
	e.deliveryRule(faults.Rule{ID: "throttle", Match: faults.Match{Function: "fn"},
		Action: faults.Action{Type: faults.ActionThrottle}, When: faults.When{Times: 3}})
	e.putPK(table, "A", 1)
	waitFor(t, "A delivered after 3 throttles", func() bool { return len(h.got()) == 1 })
	if n := len(e.deliveryFirings("throttle")); n != 3 {
		t.Errorf("%d throttles journaled, want 3", n)
	}
}

func TestDeliveryTimeoutIsAFunctionError(t *testing.T) {
	h := &handler{}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{
		{Name: "fn", Handler: h.fn, Timeout: 3 * time.Second}}}})
	table, arn := e.streamTable()
	in := minimal("fn", arn)
	in.MaximumRetryAttempts = aws.Int32(0)
	id := aws.ToString(e.createMapping(in).UUID)
	e.deliveryRule(faults.Rule{ID: "slow", Match: faults.Match{Table: table}, Action: faults.Action{Type: faults.ActionTimeout},
		When: faults.When{Times: 1}})
	e.putPK(table, "A", 1)
	waitFor(t, "the failure record", func() bool { return len(e.failures(id)) == 1 })
	f := e.failures(id)[0]
	if f["requestContext"].(map[string]any)["condition"] != "RetryAttemptsExhausted" {
		t.Errorf("failure %v", f)
	}
	if len(h.got()) != 0 {
		t.Errorf("the function was called %d times", len(h.got()))
	}
}

func TestDeliveryDuplicateCallsTheFunctionTwice(t *testing.T) {
	h := &handler{}
	e := newLambdaEnv(t, emulator.Options{Mappings: emulator.MappingOptions{Functions: []mapping.Function{h.function("fn")}}})
	table, arn := e.streamTable()
	e.createMapping(minimal("fn", arn))
	e.deliveryRule(faults.Rule{ID: "twice", Match: faults.Match{Key: map[string]faults.KeyPredicate{"pk": {Prefix: aws.String("D")}}},
		Action: faults.Action{Type: faults.ActionDuplicate}, When: faults.When{Times: 1}})
	e.putPK(table, "D1", 1)
	waitFor(t, "two deliveries", func() bool { return len(h.got()) == 2 })
	e.putPK(table, "E", 1)
	waitFor(t, "E", func() bool { return len(h.got()) == 3 })
	if got := pks(t, h.got()); got[0][0] != "D1" || got[1][0] != "D1" || got[2][0] != "E" {
		t.Errorf("deliveries %v", got)
	}
	var a, b ddbEvent
	_ = json.Unmarshal(h.got()[0], &a)
	_ = json.Unmarshal(h.got()[1], &b)
	if a.Records[0].EventID != b.Records[0].EventID {
		t.Errorf("the duplicate is not the same record")
	}
}

func TestDeliveryRuleValidation(t *testing.T) {
	e := newLambdaEnv(t, emulator.Options{})
	_, err := client.New(e.url).AddRules(ctx(t), faults.Rule{Target: faults.TargetDelivery,
		Action: faults.Action{Type: faults.ActionDrop}})
	if err == nil || !strings.Contains(err.Error(), "action.type") {
		t.Errorf("a drop delivery rule: %v", err)
	}
}

// The incident the oracle exists for: table -> stream -> a mapping whose
// handler fails on one record. The shard blocks behind it (retries never
// run out: MaximumRetryAttempts -1), the lag climbs, and when the clock
// moves 25 h every record still waiting in the shard ages out of
// retention. The report names each lost change, the lag gauge climbs
// before the loss, and the missed counter (report and gauge) stays after
// it.
func TestMotivatingIncidentBlockedShardLosesItsRecordsAndTheReportSaysWhich(t *testing.T) {
	poisoned := &handler{respond: func(_ int, event []byte) ([]byte, error) {
		if strings.Contains(string(event), `"POISON"`) {
			return nil, errors.New("cannot process POISON")
		}
		return []byte("null"), nil
	}}
	e := newLambdaEnv(t, emulator.Options{StreamShards: 1, Mappings: emulator.MappingOptions{
		Functions: []mapping.Function{poisoned.function("orders-handler")}}})
	adm := client.New(e.url)
	table, arn := e.streamTable()
	in := minimal("orders-handler", arn)
	in.BatchSize = aws.Int32(1)
	id := aws.ToString(e.createMapping(in).UUID)
	if err := adm.NameConsumer(ctx(t), id, "orders-pipeline"); err != nil {
		t.Fatal(err)
	}
	e.putPK(table, "OK#1", 1)
	waitFor(t, "OK#1 delivered", func() bool { return len(poisoned.got()) == 1 })
	e.putPK(table, "POISON", 1)
	for i := 2; i <= 4; i++ {
		e.putPK(table, "OK#"+itoa(i), 1)
	}
	waitFor(t, "the poison record retried", func() bool { return len(poisoned.got()) >= 3 })
	// The Prometheus series an alert would watch: the lag climbs while the
	// shard is blocked, and nothing is lost yet.
	labels := `consumer="` + id + `",name="orders-pipeline",`
	lagSeries := "dynafault_consumer_lag_seconds{" + labels + `table="` + table + `"}`
	trimmedSeries := "dynafault_consumer_missed_records{" + labels + `reason="trimmed",table="` + table + `"}`
	var lags []float64
	for range 2 {
		if _, err := adm.AdvanceClock(ctx(t), time.Hour); err != nil {
			t.Fatal(err)
		}
		lags = append(lags, scrapeMetric(t, e.url, lagSeries))
	}
	if lags[0] < 3600 || lags[1] < 7200 || lags[1] <= lags[0] {
		t.Errorf("%s after 1 h and 2 h blocked: %v, want it climbing past 3600 then 7200", lagSeries, lags)
	}
	if v := scrapeMetric(t, e.url, trimmedSeries); v != 0 {
		t.Errorf("%s = %v before the loss, want 0", trimmedSeries, v)
	}
	before, err := adm.Consumer(ctx(t), "orders-pipeline")
	if err != nil {
		t.Fatal(err)
	}
	if before.LagSeconds < 7200 || before.Missed[client.MissedPending] != 4 || before.Lost() != 0 {
		t.Errorf("while blocked: lag %.0fs, missed %v: want the lag climbing and 4 pending", before.LagSeconds, before.Missed)
	}
	if _, err := adm.AdvanceClock(ctx(t), 23*time.Hour); err != nil {
		t.Fatal(err)
	}
	missed, err := adm.MissedAll(ctx(t), "orders-pipeline", client.MissedQuery{Reasons: []string{client.MissedTrimmed}})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range missed {
		keys = append(keys, m.Keys.String()+" "+m.EventName)
	}
	want := []string{"pk=POISON INSERT", "pk=OK#2 INSERT", "pk=OK#3 INSERT", "pk=OK#4 INSERT"}
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("trimmed changes %q, want %q", keys, want)
	}
	after, err := adm.Consumer(ctx(t), "orders-pipeline")
	if err != nil {
		t.Fatal(err)
	}
	if after.Missed[client.MissedTrimmed] != 4 {
		t.Errorf("after the loss: missed %v, want 4 trimmed that stay", after.Missed)
	}
	if v := scrapeMetric(t, e.url, trimmedSeries); v != 4 {
		t.Errorf("%s = %v after the loss, want 4", trimmedSeries, v)
	}
	lost, err := adm.JournalAll(ctx(t), faults.JournalQuery{Kind: faults.KindLoss, Reason: "trimmed", Consumer: id})
	if err != nil || len(lost) != 4 {
		t.Errorf("journal loss entries for the mapping: %d (%v)", len(lost), err)
	}
	// The records written after the loss flow again.
	e.putPK(table, "OK#5", 1)
	waitFor(t, "OK#5 delivered after the loss", func() bool {
		for _, ev := range pks(t, poisoned.got()) {
			if len(ev) == 1 && ev[0] == "OK#5" {
				return true
			}
		}
		return false
	})
	// The mapping runs again; the loss stays counted.
	if v := scrapeMetric(t, e.url, trimmedSeries); v != 4 {
		t.Errorf("%s = %v once records flow again, want the 4 that stay", trimmedSeries, v)
	}
}
