package conformance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Capacity enforcement, as DynamoDB throttles: provisioned tables with
// burst capacity, on-demand tables with their per-partition limits and
// maximums, GSI back-pressure, batches and transactions. Texts and reason
// codes: conformance/README.md, "Throttling".

func pt(r, w int64) *types.ProvisionedThroughput {
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(r), WriteCapacityUnits: aws.Int64(w)}
}

func seq(prefix string) func(int) string {
	return func(i int) string { return fmt.Sprint(prefix, i) }
}

// A provisioned table at 5 WCU keeping 10 s of burst accepts 50 writes at
// once, then throttles; each second of clock refills 5.
func TestThrottleProvisionedBurstThenRefill(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(pt(5, 5), nil)
	if _, err := e.db.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: pk("before")}); err != nil {
		t.Fatalf("a write before enforcement: %v", err)
	}
	s := e.enforce(table, 10)
	if !s.Enforced || s.Mode != "PROVISIONED" || s.Resources[0].Write.Available != 50 || s.Resources[0].Partitions != 1 {
		t.Fatalf("enforced status: %+v", s)
	}
	n, err := e.putUntilThrottled(table, 100, seq("a"))
	if n != 50 {
		t.Fatalf("burst: %d writes accepted, want 50 (err %v)", n, err)
	}
	wantThrottled(t, "51st write", err, "PTEE", "TableWriteProvisionedThroughputExceeded "+arnOf(table))
	if e.get(table, pk("a50")) != nil {
		t.Fatal("the throttled write was applied")
	}
	_, _, msg := throttleReasons(t, err)
	if msg != "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API." {
		t.Fatalf("message %q", msg)
	}
	e.step(time.Second)
	if n, _ = e.putUntilThrottled(table, 100, seq("b")); n != 5 {
		t.Fatalf("after 1 s: %d writes accepted, want 5", n)
	}
	e.step(600 * time.Millisecond)
	if n, _ = e.putUntilThrottled(table, 100, seq("c")); n != 3 {
		t.Fatalf("after 600 ms: %d writes accepted, want 3", n)
	}
	e.step(time.Hour)
	if n, _ = e.putUntilThrottled(table, 100, seq("d")); n != 50 {
		t.Fatalf("after an hour: %d writes accepted, want the full burst of 50", n)
	}
	// Reads draw from their own bucket: 5 RCU, 10 s, eventually
	// consistent reads of small items cost half a unit.
	for i := range 101 {
		_, err := e.db.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk("a1")})
		switch {
		case i < 100 && err != nil:
			t.Fatalf("read %d: %v", i, err)
		case i == 100:
			wantThrottled(t, "101st read", err, "PTEE", "TableReadProvisionedThroughputExceeded "+arnOf(table))
		}
	}
	st := e.status(table)
	if r := st.Resources[0].Read; r.Consumed != 51 || r.ThrottleEvents != 1 { // and the consistent read of a50
		t.Fatalf("read usage %+v, want 51 units consumed (1 + 100 reads at 0.5) and one throttle event", r)
	}
}

// With DynamoDB's 300 s of burst, a 5 WCU table still serves at most
// 1,000 WCU per second from its one partition.
func TestThrottlePartitionCapsBurst(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(pt(5, 5), nil)
	e.enforce(table, 0)
	n, err := e.putUntilThrottled(table, 2000, seq("k"))
	if n != 1000 {
		t.Fatalf("first second: %d writes accepted, want 1000", n)
	}
	wantThrottled(t, "1001st write", err, "PTEE", "TableWriteKeyRangeThroughputExceeded "+arnOf(table))
	e.step(time.Second)
	// 1,500 burst - 1,000 + 5 refilled = 505 left in the table's bucket.
	n, err = e.putUntilThrottled(table, 2000, seq("l"))
	if n != 505 {
		t.Fatalf("second second: %d writes accepted, want 505", n)
	}
	wantThrottled(t, "then", err, "PTEE", "TableWriteProvisionedThroughputExceeded "+arnOf(table))
}

// A hot key on an on-demand table is throttled at 1,000 WCU per second;
// in the same second, keys on the table's other partitions are written.
func TestThrottleOnDemandHotKey(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(nil, nil)
	if s := e.enforce(table, 0); s.Mode != "PAY_PER_REQUEST" || s.Resources[0].Partitions != 4 {
		t.Fatalf("on-demand status: %+v", s)
	}
	n, err := e.putUntilThrottled(table, 2000, func(int) string { return "hot" })
	if n != 1000 {
		t.Fatalf("hot key: %d writes accepted, want 1000", n)
	}
	wantThrottled(t, "hot key", err, "TE", "TableWriteKeyRangeThroughputExceeded "+arnOf(table))
	if _, _, msg := throttleReasons(t, err); !strings.HasPrefix(msg, "Throughput exceeds the current capacity of your table or index.") {
		t.Fatalf("message %q", msg)
	}
	ok := map[string]bool{}
	for i := range 40 {
		k := fmt.Sprint("other", i)
		ok[k] = e.putKey(table, k) == nil
	}
	keys, err := e.adm.HotKeys(ctx(t), table, -1)
	if err != nil {
		t.Fatal(err)
	}
	partition := map[string]int{}
	for _, k := range keys {
		partition[k.Key] = k.Partition
	}
	if keys[0].Key != "hot" || keys[0].WriteUnits != 1000 || keys[0].Throttled != 1 || keys[0].WriteUnitsPerSecond != 1000 {
		t.Fatalf("hottest key: %+v", keys[0])
	}
	written := 0
	for k, passed := range ok {
		p, tracked := partition[k]
		if !tracked {
			t.Fatalf("key %s not tracked", k)
		}
		if same := p == partition["hot"]; same == passed {
			t.Fatalf("key %s on partition %d (hot key's %d): written=%v", k, p, partition["hot"], passed)
		}
		if passed {
			written++
		}
	}
	if written < 20 {
		t.Fatalf("only %d of 40 other keys written in the hot second", written)
	}
	e.step(time.Second)
	if err := e.putKey(table, "hot"); err != nil {
		t.Fatalf("the hot key a second later: %v", err)
	}
}

// OnDemandThroughput's maximum caps an on-demand table.
func TestThrottleOnDemandMaximum(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(nil, &types.OnDemandThroughput{MaxReadRequestUnits: aws.Int64(-1), MaxWriteRequestUnits: aws.Int64(10)})
	d, err := e.db.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	if o := d.Table.OnDemandThroughput; o == nil || aws.ToInt64(o.MaxWriteRequestUnits) != 10 || aws.ToInt64(o.MaxReadRequestUnits) != -1 {
		t.Fatalf("described OnDemandThroughput %+v", o)
	}
	e.enforce(table, 0)
	n, err := e.putUntilThrottled(table, 100, seq("k"))
	if n != 10 {
		t.Fatalf("%d writes accepted, want 10", n)
	}
	wantThrottled(t, "11th write", err, "TE", "TableWriteMaxOnDemandThroughputExceeded "+arnOf(table))
	// UpdateTable raises the maximum: the bucket grows at once.
	_, err = e.db.UpdateTable(ctx(t), &dynamodb.UpdateTableInput{TableName: aws.String(table),
		OnDemandThroughput: &types.OnDemandThroughput{MaxWriteRequestUnits: aws.Int64(20)}})
	if err != nil {
		t.Fatal(err)
	}
	e.step(time.Second)
	if n, _ = e.putUntilThrottled(table, 100, seq("l")); n != 20 {
		t.Fatalf("after raising the maximum: %d writes accepted, want 20", n)
	}
}

// UpdateTable changing the provisioned rate changes the buckets.
func TestThrottleUpdateTableRate(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(pt(1, 1), nil)
	e.enforce(table, 1)
	if n, _ := e.putUntilThrottled(table, 100, seq("a")); n != 1 {
		t.Fatalf("at 1 WCU: %d accepted", n)
	}
	if _, err := e.db.UpdateTable(ctx(t), &dynamodb.UpdateTableInput{TableName: aws.String(table), ProvisionedThroughput: pt(1, 8)}); err != nil {
		t.Fatal(err)
	}
	e.step(time.Second)
	if n, _ := e.putUntilThrottled(table, 100, seq("b")); n != 8 {
		t.Fatalf("at 8 WCU: %d accepted, want 8", n)
	}
	if _, err := e.db.UpdateTable(ctx(t), &dynamodb.UpdateTableInput{TableName: aws.String(table), BillingMode: types.BillingModePayPerRequest}); err != nil {
		t.Fatal(err)
	}
	// On-demand: the table's 4 partitions serve 1,000 WCU each.
	if n, _ := e.putUntilThrottled(table, 200, seq("c")); n != 200 {
		t.Fatalf("on-demand: %d accepted, want every write", n)
	}
	if s := e.status(table); s.Mode != "PAY_PER_REQUEST" || s.Resources[0].Partitions != 4 || s.Resources[0].Write.UnitsPerSecond != 40000 {
		t.Fatalf("after the switch to on-demand: %+v", s.Resources[0])
	}
}

// A batch write returns the items it could not serve in UnprocessedItems,
// and fails whole when it can serve none.
func TestThrottleBatchUnprocessed(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(pt(2, 1), nil)
	e.enforce(table, 5)
	batch := func(prefix string, n int) []types.WriteRequest {
		var reqs []types.WriteRequest
		for i := range n {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: pk(fmt.Sprint(prefix, i))}})
		}
		return reqs
	}
	out, err := e.db.BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: batch("a", 8)}})
	if err != nil {
		t.Fatal(err)
	}
	left := out.UnprocessedItems[table]
	if len(left) != 3 || scalar(left[0].PutRequest.Item["pk"]) != "a5" {
		t.Fatalf("unprocessed %d items (first %v), want a5, a6, a7", len(left), left)
	}
	_, err = e.db.BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: batch("b", 2)}})
	wantThrottled(t, "a batch with no capacity left", err, "PTEE", "TableWriteProvisionedThroughputExceeded "+arnOf(table))
	if got := e.get(table, pk("b0")); got != nil {
		t.Fatalf("a failed batch wrote %v", got)
	}
	// Reads: 10 units of burst, strongly consistent reads cost one each
	// (a missing item too); the check above read one.
	var keys []attrs
	for i := range 12 {
		keys = append(keys, pk(fmt.Sprint("a", i)))
	}
	got, err := e.db.BatchGetItem(ctx(t), &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		table: {Keys: keys, ConsistentRead: aws.Bool(true)}}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.UnprocessedKeys[table].Keys); n != 3 || len(got.Responses[table]) != 5 {
		t.Fatalf("batch get: %d unprocessed keys, %d items; want 3 unprocessed and the 5 stored of the 9 read", n, len(got.Responses[table]))
	}
}

// A write whose GSI cannot serve it is throttled, naming the index.
func TestThrottleGSIBackPressure(t *testing.T) {
	e := newThrottleEnv(t)
	gsi := types.GlobalSecondaryIndex{
		IndexName:             aws.String("byG"),
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
		Projection:            &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		ProvisionedThroughput: pt(1, 1),
	}
	table := e.table(pt(100, 100), nil, gsi)
	e.enforce(table, 3)
	put := func(i int, withG bool) error {
		item := pk(fmt.Sprint("k", i))
		if withG {
			item["g"] = avS("group")
		}
		_, err := e.db.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item})
		return err
	}
	for i := range 3 {
		if err := put(i, true); err != nil {
			t.Fatalf("write %d within the GSI's burst: %v", i, err)
		}
	}
	err := put(3, true)
	wantThrottled(t, "GSI out of capacity", err, "PTEE", "IndexWriteProvisionedThroughputExceeded "+arnOf(table)+"/index/byG")
	if _, _, msg := throttleReasons(t, err); !strings.Contains(msg, "one or more global secondary indexes") {
		t.Fatalf("message %q", msg)
	}
	if got := e.get(table, pk("k3")); got != nil {
		t.Fatal("the throttled write was applied")
	}
	if err := put(4, false); err != nil {
		t.Fatalf("a write the GSI does not index: %v", err)
	}
	s := e.status(table)
	if g := s.Resources[1]; g.Index != "byG" || g.Write.Consumed != 3 || g.Write.ThrottleEvents != 1 {
		t.Fatalf("GSI usage %+v", g)
	}
}

// A transaction whose writes exceed the capacity is cancelled with a
// throttling reason on the action that did not fit.
func TestThrottleTransactionCancelled(t *testing.T) {
	for _, mode := range []string{"provisioned", "on-demand"} {
		t.Run(mode, func(t *testing.T) {
			e := newThrottleEnv(t)
			var table, code string
			if mode == "provisioned" {
				table, code = e.table(pt(1, 1), nil), "ProvisionedThroughputExceeded"
				e.enforce(table, 3)
			} else {
				table, code = e.table(nil, &types.OnDemandThroughput{MaxWriteRequestUnits: aws.Int64(3)}), "ThrottlingError"
				e.enforce(table, 0)
			}
			if err := e.putKey(table, "first"); err != nil {
				t.Fatal(err)
			}
			tx := []types.TransactWriteItem{
				{Put: &types.Put{TableName: aws.String(table), Item: pk("x")}},
				{Put: &types.Put{TableName: aws.String(table), Item: pk("y")}},
			}
			_, err := e.db.TransactWriteItems(ctx(t), &dynamodb.TransactWriteItemsInput{TransactItems: tx})
			reasons := wantCancelled(t, err)
			if len(reasons) != 2 || aws.ToString(reasons[0].Code) != "None" || aws.ToString(reasons[1].Code) != code {
				t.Fatalf("cancellation reasons %s", renderReasons(reasons))
			}
			if e.get(table, pk("x")) != nil {
				t.Fatal("a cancelled transaction wrote")
			}
			e.step(time.Second) // refills 1 (provisioned) or 3 (on-demand) units
			e.step(time.Second)
			if _, err := e.db.TransactWriteItems(ctx(t), &dynamodb.TransactWriteItemsInput{TransactItems: tx[:1]}); err != nil {
				t.Fatalf("a transaction within the capacity: %v", err)
			}
		})
	}
}

// WarmThroughput raised by UpdateTable gives an on-demand table more
// partitions at once; a lower value keeps the current one.
func TestThrottleWarmThroughput(t *testing.T) {
	e := newThrottleEnv(t)
	table := e.table(nil, nil)
	e.enforce(table, 0)
	warm := func() *types.TableWarmThroughputDescription {
		d, err := e.db.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
		if err != nil {
			t.Fatal(err)
		}
		return d.Table.WarmThroughput
	}
	if w := warm(); aws.ToInt64(w.ReadUnitsPerSecond) != 12000 || aws.ToInt64(w.WriteUnitsPerSecond) != 4000 {
		t.Fatalf("a new on-demand table's warm throughput: %+v", w)
	}
	update := func(r, w int64) {
		t.Helper()
		_, err := e.db.UpdateTable(ctx(t), &dynamodb.UpdateTableInput{TableName: aws.String(table),
			WarmThroughput: &types.WarmThroughput{ReadUnitsPerSecond: aws.Int64(r), WriteUnitsPerSecond: aws.Int64(w)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	update(12000, 10000)
	if w := warm(); aws.ToInt64(w.WriteUnitsPerSecond) != 10000 {
		t.Fatalf("after raising it: %+v", w)
	}
	if p := e.status(table).Resources[0].Partitions; p != 10 {
		t.Fatalf("%d partitions for 10,000 warm writes per second, want 10", p)
	}
	update(12000, 5000)
	if w := warm(); aws.ToInt64(w.WriteUnitsPerSecond) != 10000 {
		t.Fatalf("a lower value lowered it: %+v", w)
	}
}
