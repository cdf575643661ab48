package faults

import (
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"
)

func TestDecideAPIError(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, Rule{ID: "t", Target: TargetAPI, Match: Match{Table: "orders", Operation: []string{"PutItem"}},
		Action: Action{Type: ActionError, Code: "ProvisionedThroughputExceededException",
			ThrottlingReasons: []ThrottlingReason{{Reason: "TableWriteProvisionedThroughputExceeded"}}},
		When: When{Times: 1}})
	if d := ti.DecideAPI(APIEvent{Operation: "GetItem", Table: "orders"}); d.Error != nil {
		t.Fatalf("GetItem: %+v", d)
	}
	d := ti.DecideAPI(APIEvent{Operation: "PutItem", Table: "orders", RequestID: "REQ1", AccessKeyID: "AKID"})
	want := &ErrorSpec{
		Code: "ProvisionedThroughputExceededException", HTTPStatus: http.StatusBadRequest,
		Type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
		Message: "The level of configured provisioned throughput for the table was exceeded. " +
			"Consider increasing your provisioning level with the UpdateTable API.",
		ThrottlingReasons: []ThrottlingReason{{Reason: "TableWriteProvisionedThroughputExceeded"}},
	}
	if !reflect.DeepEqual(d.Error, want) {
		t.Errorf("Error = %+v\nwant %+v", d.Error, want)
	}
	if len(d.Fired) != 1 || d.Fired[0].RuleID != "t" || d.Fired[0].Seq != 1 {
		t.Errorf("Fired = %+v", d.Fired)
	}
	e := ti.allEntries(JournalQuery{})
	wantEntry := Entry{Seq: 1, Kind: KindFiring, RuleID: "t", Action: ActionError, Target: TargetAPI, Table: "orders",
		Operation: "PutItem", RequestID: "REQ1", AccessKeyID: "AKID", Time: ti.virtual.Now(),
		WallTime: ti.wall.Now(), Detail: "ProvisionedThroughputExceededException"}
	if len(e) != 1 || !reflect.DeepEqual(e[0], wantEntry) {
		t.Errorf("journal = %+v\nwant %+v", e, wantEntry)
	}
	if d := ti.DecideAPI(APIEvent{Operation: "PutItem", Table: "orders"}); d.Error != nil {
		t.Errorf("an exhausted rule fired: %+v", d)
	}
}

func TestDecideAPIOverrides(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t,
		Rule{Target: TargetAPI, Match: Match{Operation: []string{"Scan"}},
			Action: Action{Type: ActionError, Code: "ThrottlingException", Message: "slow down", HTTPStatus: 429}},
		Rule{Target: TargetAPI, Match: Match{Operation: []string{"TransactWriteItems"}},
			Action: Action{Type: ActionError, Code: "TransactionCanceledException",
				CancellationReasons: []CancellationReason{{Code: "None"}, {Code: "TransactionConflict"}}}},
	)
	d := ti.DecideAPI(APIEvent{Operation: "Scan"})
	if e := d.Error; e.Type != "com.amazon.coral.availability#ThrottlingException" || e.HTTPStatus != 429 || e.Message != "slow down" {
		t.Errorf("Scan: %+v", e)
	}
	d = ti.DecideAPI(APIEvent{Operation: "TransactWriteItems"})
	wantReasons := []CancellationReason{{Code: "None"}, {Code: "TransactionConflict", Message: "Transaction is ongoing for the item"}}
	if e := d.Error; !reflect.DeepEqual(e.CancellationReasons, wantReasons) ||
		e.Message != "Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]" {
		t.Errorf("TransactWriteItems: %+v", e)
	}
}

// TestDecideAPIStacking checks that latency stacks and the first firing
// terminal rule wins, shadowing later ones without using their budget.
func TestDecideAPIStacking(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t,
		Rule{ID: "lat1", Target: TargetAPI, Action: Action{Type: ActionLatency, Latency: Duration(100 * time.Millisecond)}},
		errorRule("first", "orders", "InternalServerError", When{Times: 1}),
		errorRule("second", "orders", "ServiceUnavailable", When{Times: 1}),
		Rule{ID: "lat2", Target: TargetAPI, Action: Action{Type: ActionLatency, Latency: Duration(time.Second),
			Jitter: Duration(time.Millisecond)}},
	)
	d := ti.DecideAPI(APIEvent{Operation: "GetItem", Table: "orders"})
	if d.Error == nil || d.Error.Code != "InternalServerError" || d.Error.HTTPStatus != 500 {
		t.Fatalf("first decision: %+v", d)
	}
	if d.Latency < 1100*time.Millisecond || d.Latency > 1101*time.Millisecond {
		t.Errorf("Latency = %v", d.Latency)
	}
	if ids := firingIDs(d.Fired); !reflect.DeepEqual(ids, []string{"lat1", "first", "lat2"}) {
		t.Errorf("Fired = %v", ids)
	}
	d = ti.DecideAPI(APIEvent{Operation: "GetItem", Table: "orders"})
	if d.Error == nil || d.Error.Code != "ServiceUnavailable" || d.Error.HTTPStatus != 503 {
		t.Fatalf("second decision: %+v", d)
	}
	st, _ := ti.Get("second")
	if st.Stats.Matched != 2 || st.Stats.Fired != 1 {
		t.Errorf("shadowed rule stats %+v", st.Stats)
	}
}

func firingIDs(fs []Firing) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.RuleID)
	}
	return ids
}

func TestDecideAPIMatch(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, Rule{Target: TargetAPI, Match: Match{Table: "orders-*", AccessKeyID: "AKIDB"},
		Action: Action{Type: ActionError, Code: "InternalServerError"}})
	tests := []struct {
		ev   APIEvent
		want bool
	}{
		{APIEvent{Operation: "GetItem", Table: "orders-1", AccessKeyID: "AKIDB"}, true},
		{APIEvent{Operation: "GetItem", Table: "orders-1", AccessKeyID: "AKIDA"}, false},
		{APIEvent{Operation: "GetItem", Table: "orders", AccessKeyID: "AKIDB"}, false},
		{APIEvent{Operation: "ListTables", AccessKeyID: "AKIDB"}, false},
		{APIEvent{Operation: "BatchGetItem", Tables: []string{"users", "orders-2"}, AccessKeyID: "AKIDB"}, true},
		{APIEvent{Operation: "BatchGetItem", Tables: []string{"users"}, AccessKeyID: "AKIDB"}, false},
	}
	for _, tt := range tests {
		if got := ti.DecideAPI(tt.ev).Error != nil; got != tt.want {
			t.Errorf("%+v: fired %v, want %v", tt.ev, got, tt.want)
		}
	}
}

func TestDecideAPICommitThenFail(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t,
		Rule{Target: TargetAPI, Match: Match{Table: "a"}, Action: Action{Type: ActionCommitThenFail}},
		Rule{Target: TargetAPI, Match: Match{Table: "b"}, Action: Action{Type: ActionCommitThenFail, Then: &Then{Type: ThenDrop}}},
		Rule{Target: TargetAPI, Match: Match{Table: "c"},
			Action: Action{Type: ActionCommitThenFail, Then: &Then{Type: ThenError, Code: "ServiceUnavailable"}}},
	)
	if d := ti.DecideAPI(APIEvent{Operation: "GetItem", Table: "a"}); d.CommitThenFail != nil {
		t.Errorf("commitThenFail on a read: %+v", d)
	}
	d := ti.DecideAPI(APIEvent{Operation: "UpdateItem", Table: "a"})
	if c := d.CommitThenFail; c == nil || c.Drop || c.Error.Code != "InternalServerError" || c.Error.HTTPStatus != 500 {
		t.Errorf("default: %+v", c)
	}
	if c := ti.DecideAPI(APIEvent{Operation: "PutItem", Table: "b"}).CommitThenFail; c == nil || !c.Drop {
		t.Errorf("drop: %+v", c)
	}
	if c := ti.DecideAPI(APIEvent{Operation: "TransactWriteItems", Tables: []string{"c"}}).CommitThenFail; c == nil ||
		c.Error.HTTPStatus != 503 {
		t.Errorf("ServiceUnavailable: %+v", c)
	}
}

func TestDecideAPIEmptyRecords(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, Rule{Target: TargetAPI, Match: Match{Table: "orders"}, Action: Action{Type: ActionEmptyRecords},
		When: When{Times: 2}})
	if d := ti.DecideAPI(APIEvent{Operation: "GetShardIterator", Table: "orders"}); d.EmptyRecords {
		t.Error("emptyRecords on GetShardIterator")
	}
	for i := range 3 {
		d := ti.DecideAPI(APIEvent{Operation: "GetRecords", Table: "orders"})
		if d.EmptyRecords != (i < 2) {
			t.Errorf("GetRecords %d: %+v", i, d)
		}
	}
}

func TestDecideAPIPartialBatch(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t,
		Rule{ID: "count", Target: TargetAPI, Match: Match{Table: "a", Key: map[string]KeyPredicate{"pk": {Prefix: ptr("X")}}},
			Action: Action{Type: ActionPartialBatch, Count: 2}},
		Rule{ID: "frac", Target: TargetAPI, Match: Match{Table: "b"}, Action: Action{Type: ActionPartialBatch, Fraction: 0.5}},
	)
	if d := ti.DecideAPI(APIEvent{Operation: "Query", Table: "a"}); d.PartialBatch != nil {
		t.Fatal("partialBatch on Query")
	}
	d := ti.DecideAPI(APIEvent{Operation: OpBatchWriteItem, Tables: []string{"a", "z"}, RequestID: "R"})
	p := d.PartialBatch
	if p == nil {
		t.Fatalf("no partialBatch: %+v", d)
	}
	var left []string
	for _, k := range []string{"Y1", "X1", "X2", "X3"} {
		if p.Unprocessed("a", Key{"pk": KeyS(k)}) {
			left = append(left, k)
		}
	}
	if p.Unprocessed("z", Key{"pk": KeyS("X9")}) {
		t.Error("an item of another table was left unprocessed")
	}
	if !reflect.DeepEqual(left, []string{"X1", "X2"}) {
		t.Errorf("unprocessed %v, want [X1 X2]", left)
	}
	e := ti.allEntries(JournalQuery{RuleID: "count"})
	if len(e) != 3 || e[0].Detail != "up to 2 matching items unprocessed" || e[2].Keys["pk"] != KeyS("X2") ||
		e[2].RequestID != "R" || e[2].Table != "a" {
		t.Errorf("journal %+v", e)
	}

	// Fraction: about half, and the same items whatever the order.
	var keys []Key
	for i := range 400 {
		keys = append(keys, Key{"pk": KeyN(strconv.Itoa(i % 10)), "sk": KeyN(strconv.Itoa(i))})
	}
	pick := func(order []Key) map[string]bool {
		_, _ = ti.Replace([]Rule{{ID: "frac", Target: TargetAPI, Match: Match{Table: "b"},
			Action: Action{Type: ActionPartialBatch, Fraction: 0.5}}})
		p := ti.DecideAPI(APIEvent{Operation: OpBatchGetItem, Table: "b"}).PartialBatch
		out := map[string]bool{}
		for _, k := range order {
			if p.Unprocessed("b", k) {
				out[k.String()] = true
			}
		}
		return out
	}
	fwd := pick(keys)
	rev := make([]Key, len(keys))
	for i, k := range keys {
		rev[len(keys)-1-i] = k
	}
	if n := len(fwd); n < 150 || n > 250 {
		t.Errorf("fraction 0.5 left %d of 400", n)
	}
	if !reflect.DeepEqual(fwd, pick(rev)) {
		t.Error("fraction decisions depend on item order")
	}
}

func TestDecideStream(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t,
		Rule{ID: "vip", Target: TargetStream, Match: Match{Table: "orders", Key: map[string]KeyPredicate{"pk": {Prefix: ptr("VIP#")}}},
			Action: Action{Type: ActionDelay, For: Duration(10 * time.Minute), HoldShard: true}},
		Rule{ID: "ins", Target: TargetStream, Match: Match{Table: "orders", EventName: []string{"INSERT"}},
			Action: Action{Type: ActionDuplicate}},
		Rule{ID: "seven", Target: TargetStream, Match: Match{Key: map[string]KeyPredicate{"pk": {Equals: ptr("ORDER#7")}}},
			Action: Action{Type: ActionReorder}},
	)
	ev := StreamEvent{Table: "orders", EventName: "MODIFY", Keys: Key{"pk": KeyS("VIP#1")}, EventID: "e1",
		SequenceNumber: "400000000000000001732", ShardID: "shardId-00000001-000000000001", StreamArn: "arn:s"}
	d := ti.DecideStream(ev)
	if d != (StreamDecision{Action: ActionDelay, Delay: 10 * time.Minute, HoldShard: true, RuleID: "vip", Seq: 1}) {
		t.Errorf("delay: %+v", d)
	}
	want := Entry{Seq: 1, Kind: KindFiring, RuleID: "vip", Action: ActionDelay, Target: TargetStream, Table: "orders",
		Keys: Key{"pk": KeyS("VIP#1")}, EventName: "MODIFY", EventID: "e1", SequenceNumber: "400000000000000001732",
		ShardID: "shardId-00000001-000000000001", StreamArn: "arn:s", Time: ti.virtual.Now(), WallTime: ti.wall.Now(),
		Detail: "delayed 10m0s, holding the shard"}
	if got := ti.allEntries(JournalQuery{}); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("journal %+v\nwant %+v", got, want)
	}
	ev.Keys["pk"] = KeyS("VIP#2") // the journal must not alias the caller's map
	if got := ti.allEntries(JournalQuery{}); got[0].Keys["pk"] != KeyS("VIP#1") {
		t.Error("the journal aliases the event's keys")
	}
	ev.EventName = "INSERT"
	if d := ti.DecideStream(ev); d.Action != ActionDelay {
		t.Errorf("first rule should win: %+v", d)
	}
	ev.Keys = Key{"pk": KeyS("A")}
	if d := ti.DecideStream(ev); d.Action != ActionDuplicate {
		t.Errorf("duplicate: %+v", d)
	}
	ev.EventName, ev.Table, ev.Keys = "REMOVE", "users", Key{"pk": KeyS("ORDER#7")}
	if d := ti.DecideStream(ev); d.Action != ActionReorder {
		t.Errorf("reorder: %+v", d)
	}
	ev.Keys = Key{"sk": KeyS("ORDER#7")}
	if d := ti.DecideStream(ev); d.Action != "" {
		t.Errorf("missing key attribute matched: %+v", d)
	}
	if e := ti.allEntries(JournalQuery{RuleID: "seven"}); len(e) != 1 || e[0].Detail == "" {
		t.Errorf("reorder journal %+v", e)
	}
}

// TestNoRules checks the zero decisions.
func TestNoRules(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	ti.mustAdd(t, dropRule("s", "", When{}))
	if d := ti.DecideAPI(APIEvent{Operation: "PutItem", Table: "x"}); !reflect.DeepEqual(d, APIDecision{}) {
		t.Errorf("api decision with only stream rules: %+v", d)
	}
	if err := ti.Delete("s"); err != nil {
		t.Fatal(err)
	}
	if d := ti.DecideStream(record("x", 1)); d != (StreamDecision{}) {
		t.Errorf("stream decision with no rules: %+v", d)
	}
}

func TestRecordShardAction(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	e := ti.RecordShardAction(ShardPause, "orders", "shardId-1")
	want := Entry{Seq: 1, Kind: KindShard, Action: ShardPause, Target: TargetShard, Table: "orders", ShardID: "shardId-1",
		Time: ti.virtual.Now(), WallTime: ti.wall.Now()}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("entry %+v", e)
	}
	if got := ti.allEntries(JournalQuery{Table: "orders"}); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("journal %+v", got)
	}
	e = ti.RecordShardActionDetail(ShardTrim, "orders", "", "records older than 1h0m0s")
	want = Entry{Seq: 2, Kind: KindShard, Action: ShardTrim, Target: TargetShard, Table: "orders",
		Detail: "records older than 1h0m0s", Time: ti.virtual.Now(), WallTime: ti.wall.Now()}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("trim entry %+v", e)
	}
}

func TestRecordPeriodicRollover(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	at := time.Date(2030, 1, 1, 4, 0, 0, 0, time.UTC)
	e := ti.RecordPeriodicRollover(PeriodicRollover{Table: "orders", StreamArn: "arn:s", ShardID: "shardId-1", Child: "shardId-2",
		At: at, Records: 2, First: "400000000000000000002", Last: "400000000000000000003"})
	want := Entry{Seq: 1, Kind: KindShard, Action: ShardRollover, Target: TargetShard, Table: "orders", ShardID: "shardId-1",
		StreamArn: "arn:s", Detail: "child shardId-2; periodic, at the rollover age (2030-01-01T04:00:00Z); closed with 2 readable records " +
			"(400000000000000000002 to 400000000000000000003)", Time: ti.virtual.Now(), WallTime: ti.wall.Now()}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("entry %+v, want %+v", e, want)
	}
	if got := ti.allEntries(JournalQuery{Kind: KindShard, Table: "orders"}); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("journal %+v", got)
	}
}

func TestRecordClockChange(t *testing.T) {
	t.Parallel()
	ti := newTestInjector(t, 1)
	from := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	e := ti.RecordClockChange(ClockChange{Action: ClockAdvance, From: from, To: from.Add(25 * time.Hour),
		Mode: "frozen", Offset: 25 * time.Hour})
	want := Entry{Seq: 1, Kind: KindClock, Action: ClockAdvance, Target: TargetClock,
		Detail: "from 2030-01-01T00:00:00Z to 2030-01-02T01:00:00Z (frozen, offset 25h0m0s)",
		Time:   ti.virtual.Now(), WallTime: ti.wall.Now()}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("entry %+v, want %+v", e, want)
	}
	if got := ti.allEntries(JournalQuery{Kind: KindClock}); len(got) != 1 || !reflect.DeepEqual(got[0], want) {
		t.Errorf("journal %+v", got)
	}
	if got := ti.allEntries(JournalQuery{Table: "orders"}); len(got) != 0 {
		t.Errorf("a clock entry has no table, yet a table filter kept %+v", got)
	}
}
