package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
	"github.com/dynafault/dynafault/emulator/store"
)

// mustJSONInto decodes a DynamoDB-shaped request into v.
func mustJSONInto(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
}

// snapshotFixture builds an engine whose tables cover every index kind
// (LSI, GSIs with ALL, KEYS_ONLY and INCLUDE projections), every table
// setting (provisioned and on-demand billing with GSI throughput, a stream,
// a disabled stream, TTL, tags, deletion protection, table class) and every
// attribute type.
func snapshotFixture(t *testing.T) *Engine {
	t.Helper()
	ctx := context.Background()
	e := New(Options{Clock: clock.NewFrozen(time.Date(2030, 5, 6, 7, 8, 9, 0, time.UTC))})
	var everything CreateTableInput
	mustJSONInto(t, `{"TableName":"everything",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},
			{"AttributeName":"lsk","AttributeType":"S"},{"AttributeName":"gpk","AttributeType":"B"},
			{"AttributeName":"gs","AttributeType":"S"},{"AttributeName":"g2","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
		"LocalSecondaryIndexes":[{"IndexName":"by-lsk","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"lsk","KeyType":"RANGE"}],
			"Projection":{"ProjectionType":"ALL"}}],
		"GlobalSecondaryIndexes":[
			{"IndexName":"by-gpk","KeySchema":[{"AttributeName":"gpk","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},
			 "ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}},
			{"IndexName":"by-gs","KeySchema":[{"AttributeName":"gs","KeyType":"HASH"},{"AttributeName":"g2","KeyType":"RANGE"}],
			 "Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["m","l"]},
			 "ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6}}],
		"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":8},
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},
		"Tags":[{"Key":"team","Value":"payments"},{"Key":"env","Value":"test"}],
		"TableClass":"STANDARD_INFREQUENT_ACCESS","DeletionProtectionEnabled":true,
		"SSESpecification":{"Enabled":true,"SSEType":"KMS","KMSMasterKeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"}}`, &everything)
	if _, err := e.CreateTable(ctx, &everything); err != nil {
		t.Fatal(err)
	}
	// A global index with a multi-attribute key (two HASH, two RANGE).
	var multi CreateTableInput
	mustJSONInto(t, `{"TableName":"multi-key","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"h","AttributeType":"S"},
			{"AttributeName":"n","AttributeType":"N"},{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"GlobalSecondaryIndexes":[{"IndexName":"by-hn-ab","Projection":{"ProjectionType":"ALL"},
			"KeySchema":[{"AttributeName":"h","KeyType":"HASH"},{"AttributeName":"n","KeyType":"HASH"},
				{"AttributeName":"a","KeyType":"RANGE"},{"AttributeName":"b","KeyType":"RANGE"}]}]}`, &multi)
	if _, err := e.CreateTable(ctx, &multi); err != nil {
		t.Fatal(err)
	}
	for i, it := range []string{`{"id":{"S":"1"},"h":{"S":"H"},"n":{"N":"7"},"a":{"S":"x"},"b":{"N":"1"}}`,
		`{"id":{"S":"2"},"h":{"S":"H"},"n":{"N":"7"},"a":{"S":"x"}}`} {
		var item attr.Item
		mustJSONInto(t, it, &item)
		if _, err := e.PutItem(ctx, &PutItemInput{TableName: sp("multi-key"), Item: item}); err != nil {
			t.Fatalf("multi-key item %d: %v", i, err)
		}
	}
	var onDemand CreateTableInput
	mustJSONInto(t, `{"TableName":"on-demand","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"B"}],
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"KEYS_ONLY"}}`, &onDemand)
	if _, err := e.CreateTable(ctx, &onDemand); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	var upd UpdateTableInput
	mustJSONInto(t, `{"TableName":"on-demand","StreamSpecification":{"StreamEnabled":false}}`, &upd)
	if _, err := e.UpdateTable(ctx, &upd); err != nil {
		t.Fatal(err)
	}
	var ttl UpdateTimeToLiveInput
	mustJSONInto(t, `{"TableName":"everything","TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}`, &ttl)
	if _, err := e.UpdateTimeToLive(ctx, &ttl); err != nil {
		t.Fatal(err)
	}
	items := []string{
		`{"pk":{"S":"every-type"},"sk":{"N":"1"},"lsk":{"S":"l1"},"gpk":{"B":"AAEC/w=="},"gs":{"S":"g"},"g2":{"N":"-1.5e-10"},
		  "s":{"S":"héllo \"quoted\" \u2603"},"empty":{"S":""},"n":{"N":"12345678901234567890123456789012345678"},
		  "b":{"B":"AA=="},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5","-3"]},"bs":{"BS":["AQ==","Ag=="]},
		  "m":{"M":{"deep":{"L":[{"NULL":true},{"BOOL":false},{"M":{"x":{"N":"0"}}}]}}},"l":{"L":[]},
		  "null":{"NULL":true},"t":{"BOOL":true},"exp":{"N":"4102444800"}}`,
		`{"pk":{"S":"every-type"},"sk":{"N":"2"},"gs":{"S":"g"},"g2":{"N":"2"},"m":{"M":{}}}`,
		`{"pk":{"S":"other"},"sk":{"N":"-7"}}`,
	}
	for _, it := range items {
		var item attr.Item
		mustJSONInto(t, it, &item)
		if _, err := e.PutItem(ctx, &PutItemInput{TableName: sp("everything"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{"AQID", ""} {
		if _, err := e.PutItem(ctx, &PutItemInput{TableName: sp("on-demand"),
			Item: attr.Item{"id": {Type: attr.B, S: id + "x"}, "v": attr.Str(id)}}); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// tableView is everything a client can read about a table.
func tableView(t *testing.T, e *Engine, name string) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	add := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		j, _ := json.Marshal(v)
		b.Write(j)
		b.WriteByte('\n')
	}
	d, err := e.DescribeTable(ctx, &DescribeTableInput{TableName: sp(name)})
	add(d, err)
	add(e.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: sp(name)}))
	add(e.ListTagsOfResource(ctx, &ListTagsOfResourceInput{ResourceArn: sp(d.Table.TableArn)}))
	add(e.Scan(ctx, &ScanInput{TableName: sp(name)}))
	for _, ix := range d.Table.LocalSecondaryIndexes {
		add(e.Scan(ctx, &ScanInput{TableName: sp(name), IndexName: sp(ix.IndexName)}))
	}
	for _, ix := range d.Table.GlobalSecondaryIndexes {
		add(e.Scan(ctx, &ScanInput{TableName: sp(name), IndexName: sp(ix.IndexName)}))
	}
	return b.String()
}

// snapshotOf writes e's snapshot.
func snapshotOf(t *testing.T, e *Engine) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := e.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// loadInto reads and loads a snapshot into e.
func loadInto(t *testing.T, e *Engine, data []byte) {
	t.Helper()
	s, err := e.ReadSnapshot(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.LoadSnapshot(s); err != nil {
		t.Fatal(err)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	src := snapshotFixture(t)
	data := snapshotOf(t, src)
	dst := New(Options{Clock: clock.NewFrozen(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))})
	var prev CreateTableInput
	mustJSONInto(t, `{"TableName":"leftover","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`, &prev)
	if _, err := dst.CreateTable(context.Background(), &prev); err != nil {
		t.Fatal(err)
	}
	loadInto(t, dst, data)

	if got := dst.catalog.Names(); !slices.Equal(got, []string{"everything", "multi-key", "on-demand"}) {
		t.Fatalf("tables after load %v, want the snapshot's only", got)
	}
	for _, name := range []string{"everything", "multi-key", "on-demand"} {
		if want, got := tableView(t, src, name), tableView(t, dst, name); got != want {
			t.Errorf("table %s differs after the round trip:\n got %s\nwant %s", name, got, want)
		}
	}
	// A second snapshot says the same, but for the time it was taken.
	savedAt := regexp.MustCompile(`"savedAt":"[^"]*"`)
	if a, b := savedAt.ReplaceAll(data, nil), savedAt.ReplaceAll(snapshotOf(t, dst), nil); !bytes.Equal(a, b) {
		t.Errorf("snapshot of the loaded state differs:\n%s\n---\n%s", b, a)
	}
	// The stream is there under its ARN, without records; new writes appear.
	arn := src.tableMetaOfName(t, "everything").Stream.ARN
	if got := dst.tableMetaOfName(t, "everything").Stream.ARN; got != arn || arn == "" {
		t.Fatalf("stream ARN %q after load, want %q", got, arn)
	}
	if recs := readStream(t, dst, arn); len(recs) != 0 {
		t.Errorf("loaded stream has %d records, want none", len(recs))
	}
	mustPut(t, dst, "everything", attr.Item{"pk": attr.Str("new"), "sk": {Type: attr.N, S: "1"}})
	if recs := readStream(t, dst, arn); len(recs) != 1 || recs[0].EventName != "INSERT" {
		t.Errorf("after a write: %v", eventNames(recs))
	}
}

// tableMetaOfName returns the metadata of the named table.
func (e *Engine) tableMetaOfName(t *testing.T, name string) *tableMeta {
	t.Helper()
	tb := e.catalog.Table(name)
	if tb == nil {
		t.Fatalf("no table %s", name)
	}
	var m *tableMeta
	_ = tb.View(func(tx *store.Tx) error { m = e.tableMetaOf(tx); return nil })
	return m
}

func TestSnapshotInAnotherRegion(t *testing.T) {
	data := snapshotOf(t, snapshotFixture(t))
	dst := New(Options{Region: "eu-west-1", AccountID: "123456789012", Clock: clock.NewFrozen(time.Now())})
	loadInto(t, dst, data)
	d, err := dst.DescribeTable(context.Background(), &DescribeTableInput{TableName: sp("everything")})
	if err != nil {
		t.Fatal(err)
	}
	if arn := d.Table.TableArn; arn != "arn:aws:dynamodb:eu-west-1:123456789012:table/everything" ||
		!strings.HasPrefix(d.Table.LatestStreamArn, arn+"/stream/") {
		t.Errorf("ARNs after loading in another region: %s, %s", arn, d.Table.LatestStreamArn)
	}
}

func TestSnapshotRefused(t *testing.T) {
	data := string(snapshotOf(t, snapshotFixture(t)))
	cases := []struct {
		name, data, want string
	}{
		{"empty", "", "not a dynafault snapshot, or a corrupt one"},
		{"not JSON", "hello", "not a dynafault snapshot, or a corrupt one"},
		{"truncated", data[:len(data)/2], "not a dynafault snapshot, or a corrupt one"},
		{"other format", `{"format":"something","version":1}`, `not a dynafault snapshot (format "something"`},
		{"newer version", strings.Replace(data, `"version":1`, `"version":2`, 1), "format version 2 is newer than this dynafault reads (1)"},
		{"version 0", strings.Replace(data, `"version":1`, `"version":0`, 1), "unknown format version 0"},
		{"unknown field", strings.Replace(data, `"savedAt"`, `"colour":"red","savedAt"`, 1), `unknown field "colour"`},
		{"unknown setting", strings.Replace(data, `"Billing"`, `"Fancy":1,"Billing"`, 1), `unknown field "Fancy"`},
		{"bad type", strings.Replace(data, `"HashType":"S"`, `"HashType":"X"`, 1), `unknown attribute type "X"`},
		{"item without its key", strings.Replace(data, `{"pk":{"S":"other"},"sk":{"N":"-7"}}`, `{"pk":{"S":"other"}}`, 1),
			`table "everything": item 1: One or more parameter values were invalid: Missing the key sk in the item`},
		{"duplicate item", strings.Replace(data, `{"pk":{"S":"other"},"sk":{"N":"-7"}}`, `{"pk":{"S":"other"},"sk":{"N":"2"}},{"pk":{"S":"other"},"sk":{"N":"2"}}`, 1),
			`a second item with the key`},
		{"bad value", strings.Replace(data, `{"N":"-7"}`, `{"N":"seven"}`, 1), "corrupt:"},
		{"index key of the wrong type", strings.Replace(data, `{"g2":{"N":"2"},"gs":{"S":"g"}`, `{"g2":{"N":"2"},"gs":{"N":"1"}`, 1),
			"item 3: One or more parameter values were invalid: Type mismatch for Index Key gs"},
		{"bad table name", strings.Replace(data, `"name":"on-demand"`, `"name":"x"`, 1), `table "x": its definition names table "on-demand"`},
		{"trailing data", data + "{}", "corrupt one: invalid character '{' after top-level value"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := snapshotFixture(t)
			before := tableView(t, e, "everything")
			_, err := e.ReadSnapshot(strings.NewReader(c.data))
			if !errors.Is(err, ErrSnapshot) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if after := tableView(t, e, "everything"); after != before {
				t.Error("a refused snapshot changed the state")
			}
		})
	}
}

func TestSnapshotFixtureWithCreateTable(t *testing.T) {
	const fixture = `{"format":"dynafault-snapshot","version":1,"tables":[
		{"createTable":{"TableName":"orders",
			"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"status","AttributeType":"S"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
			"GlobalSecondaryIndexes":[{"IndexName":"by-status","KeySchema":[{"AttributeName":"status","KeyType":"HASH"}],
				"Projection":{"ProjectionType":"ALL"}}],
			"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"},
			"Tags":[{"Key":"team","Value":"orders"}]},
		 "timeToLive":{"AttributeName":"expires","Enabled":true},
		 "items":[{"pk":{"S":"ORDER#1"},"status":{"S":"OPEN"}},{"pk":{"S":"ORDER#2"},"status":{"S":"SHIPPED"}}]}]}`
	e := New(Options{Clock: clock.NewFrozen(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))})
	loadInto(t, e, []byte(fixture))
	ctx := context.Background()
	d, err := e.DescribeTable(ctx, &DescribeTableInput{TableName: sp("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if d.Table.ItemCount != 2 || len(d.Table.GlobalSecondaryIndexes) != 1 || d.Table.LatestStreamArn == "" {
		t.Errorf("orders from a fixture: %+v", d.Table)
	}
	ttl, err := e.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: sp("orders")})
	if err != nil || ttl.TimeToLiveDescription.TimeToLiveStatus != "ENABLED" || ttl.TimeToLiveDescription.AttributeName != "expires" {
		t.Errorf("TTL from a fixture: %+v, %v", ttl, err)
	}
	q := &QueryInput{TableName: sp("orders"), IndexName: sp("by-status"), KeyConditionExpression: sp("#s = :s"),
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: ExpressionValues{":s": attr.Str("SHIPPED")}}
	if out, err := e.Query(ctx, q); err != nil || out.Count != 1 {
		t.Errorf("query of the fixture's index: %+v, %v", out, err)
	}
	// It saves as a regular snapshot, which loads back the same.
	again := New(Options{Clock: clock.NewFrozen(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))})
	loadInto(t, again, snapshotOf(t, e))
	if a, b := tableView(t, e, "orders"), tableView(t, again, "orders"); a != b {
		t.Errorf("fixture table after a save and a load:\n%s\nwant\n%s", b, a)
	}

	bad := []struct{ data, want string }{
		{strings.Replace(fixture, `"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],`, ``, 1), `table "orders": createTable:`},
		{strings.Replace(fixture, `"timeToLive":{"AttributeName":"expires","Enabled":true}`, `"timeToLive":{"Enabled":true}`, 1), "timeToLive needs AttributeName and Enabled"},
		{strings.Replace(fixture, `{"createTable"`, `{"name":"other","createTable"`, 1), `table "other": its createTable names table "orders"`},
		{strings.Replace(fixture, `{"pk":{"S":"ORDER#1"},"status":{"S":"OPEN"}}`, `{"pk":{"S":"ORDER#1"},"status":{"N":"1"}}`, 1), "Type mismatch for Index Key status"},
	}
	for _, b := range bad {
		if _, err := e.ReadSnapshot(strings.NewReader(b.data)); !errors.Is(err, ErrSnapshot) || !strings.Contains(err.Error(), b.want) {
			t.Errorf("err = %v, want %q", err, b.want)
		}
	}
}
