package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestQueryKeyConditions(t *testing.T) {
	t.Parallel()
	const tbl = "qconds"
	e := newReadEngine(t, tbl, 10)
	mustPut(t, e, tbl, readItem("other", 1))
	cases := []struct {
		cond string
		vals ExpressionValues
		want []string
	}{
		{"pk = :p", nil, seq(0, 9)},
		{"pk = :p AND sk = :n", ExpressionValues{":n": itemN("3")}, seq(3, 3)},
		{"pk = :p AND sk < :n", ExpressionValues{":n": itemN("3")}, seq(0, 2)},
		{"pk = :p AND sk <= :n", ExpressionValues{":n": itemN("3")}, seq(0, 3)},
		{"pk = :p AND :n < sk", ExpressionValues{":n": itemN("7")}, seq(8, 9)},
		{"pk = :p AND sk >= :n", ExpressionValues{":n": itemN("7")}, seq(7, 9)},
		{"pk = :p AND sk BETWEEN :a AND :b", ExpressionValues{":a": itemN("2"), ":b": itemN("4")}, seq(2, 4)},
		{"pk = :q", ExpressionValues{":q": itemS("none")}, nil},
	}
	for _, c := range cases {
		t.Run(c.cond, func(t *testing.T) {
			vals := ExpressionValues{":p": itemS("p")}
			for k, v := range c.vals {
				vals[k] = v
			}
			if strings.Contains(c.cond, ":q") {
				delete(vals, ":p")
			}
			out := query(t, e, tbl, &QueryInput{KeyConditionExpression: &c.cond, ExpressionAttributeValues: vals})
			wantStrings(t, sks(Items(out.Items)), c.want)
			if out.Count != len(c.want) || out.ScannedCount != len(c.want) || out.LastEvaluatedKey != nil {
				t.Fatalf("Count %d ScannedCount %d LastEvaluatedKey %v", out.Count, out.ScannedCount, out.LastEvaluatedKey)
			}
			if out.Items == nil {
				t.Fatal("Items is nil, want an empty list")
			}
		})
	}
	// begins_with on a string sort key, through an LSI, newest first.
	out := query(t, e, tbl, &QueryInput{IndexName: itemStr("lall"), ScanIndexForward: itemBool(false),
		KeyConditionExpression:    itemStr("pk = :p AND begins_with(l, :l)"),
		ExpressionAttributeValues: ExpressionValues{":p": itemS("p"), ":l": itemS("l00000")}})
	wantStrings(t, sks(Items(out.Items)), seq(9, 0))
	// The legacy KeyConditions.
	out = query(t, e, tbl, &QueryInput{KeyConditions: Conditions{
		"pk": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("p")}},
		"sk": {ComparisonOperator: itemStr("GT"), AttributeValueList: []attr.Value{itemN("7")}},
	}})
	wantStrings(t, sks(Items(out.Items)), seq(8, 9))
}

func TestQueryFilterAndCount(t *testing.T) {
	t.Parallel()
	const tbl = "qfilter"
	e := newReadEngine(t, tbl, 10)
	// Limit counts items evaluated before the filter.
	out := query(t, e, tbl, pkEq(&QueryInput{Limit: qi32(4), FilterExpression: itemStr("x IN (:a, :b)"),
		ExpressionAttributeValues: ExpressionValues{":a": itemS("x1"), ":b": itemS("x8")}}))
	wantStrings(t, sks(Items(out.Items)), []string{"1"})
	if out.Count != 1 || out.ScannedCount != 4 {
		t.Fatalf("Count %d ScannedCount %d", out.Count, out.ScannedCount)
	}
	wantItem(t, out.LastEvaluatedKey, attr.Item{"pk": itemS("p"), "sk": itemN("3")})
	// A page can hold no item at all and still go on.
	out = query(t, e, tbl, pkEq(&QueryInput{Limit: qi32(2), ExclusiveStartKey: StartKey{"pk": itemS("p"), "sk": itemN("3")},
		FilterExpression: itemStr("x = :a"), ExpressionAttributeValues: ExpressionValues{":a": itemS("x8")}}))
	if len(out.Items) != 0 || out.Count != 0 || out.ScannedCount != 2 {
		t.Fatalf("page = %+v", out)
	}
	wantItem(t, out.LastEvaluatedKey, attr.Item{"pk": itemS("p"), "sk": itemN("5")})
	// Legacy QueryFilter with OR, and COUNT.
	out = query(t, e, tbl, &QueryInput{Select: itemStr("COUNT"), ConditionalOperator: itemStr("OR"),
		KeyConditions: Conditions{"pk": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("p")}}},
		QueryFilter: Conditions{
			"x": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("x2")}},
			"y": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("y5")}},
		}})
	if out.Items != nil || out.Count != 2 || out.ScannedCount != 10 {
		t.Fatalf("COUNT page = %+v", out)
	}
	// KeyConditions may go with FilterExpression (dynalite
	// validations/index.js validateExpressionParams).
	out = query(t, e, tbl, &QueryInput{FilterExpression: itemStr("x = :x"), ExpressionAttributeValues: ExpressionValues{":x": itemS("x4")},
		KeyConditions: Conditions{"pk": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("p")}}}})
	wantStrings(t, sks(Items(out.Items)), []string{"4"})
	// Limit reached on the last item still reports a LastEvaluatedKey;
	// the next page is empty and has none.
	out = query(t, e, tbl, pkEq(&QueryInput{Limit: qi32(10)}))
	if out.LastEvaluatedKey == nil {
		t.Fatal("no LastEvaluatedKey when Limit was reached")
	}
	out = query(t, e, tbl, pkEq(&QueryInput{Limit: qi32(10), ExclusiveStartKey: StartKey(out.LastEvaluatedKey)}))
	if len(out.Items) != 0 || out.LastEvaluatedKey != nil {
		t.Fatalf("last page = %+v", out)
	}
}

func TestQueryIndexProjections(t *testing.T) {
	t.Parallel()
	const tbl = "qproj"
	e := newReadEngine(t, tbl, 3)
	g := func(in *QueryInput) *QueryInput {
		in.KeyConditionExpression = itemStr("g = :g")
		in.ExpressionAttributeValues = ExpressionValues{":g": itemS("g-p")}
		return in
	}
	full := readItem("p", 0)
	keys := attr.Item{"pk": full["pk"], "sk": full["sk"], "g": full["g"], "gr": full["gr"]}
	first := func(out *QueryOutput) attr.Item {
		t.Helper()
		if len(out.Items) != 3 {
			t.Fatalf("%d items, want 3", len(out.Items))
		}
		return out.Items[0].Item()
	}
	wantItem(t, first(query(t, e, tbl, g(&QueryInput{IndexName: itemStr("gkeys")}))), keys)
	incl := keys.Clone()
	incl["x"] = full["x"]
	wantItem(t, first(query(t, e, tbl, g(&QueryInput{IndexName: itemStr("gincl")}))), incl)
	wantItem(t, first(query(t, e, tbl, g(&QueryInput{IndexName: itemStr("gall")}))), full)
	// A projection on a GSI sees only what the index stores.
	wantItem(t, first(query(t, e, tbl, g(&QueryInput{IndexName: itemStr("gkeys"), ProjectionExpression: itemStr("x, gr")}))),
		attr.Item{"gr": full["gr"]})
	// An LSI fetches from the table: ALL_ATTRIBUTES, or unprojected names.
	lsi := func(in *QueryInput) *QueryInput { in.IndexName = itemStr("lkeys"); return pkEq(in) }
	wantItem(t, first(query(t, e, tbl, lsi(&QueryInput{Select: itemStr("ALL_ATTRIBUTES")}))), full)
	wantItem(t, first(query(t, e, tbl, lsi(&QueryInput{}))),
		attr.Item{"pk": full["pk"], "sk": full["sk"], "l": full["l"]})
	wantItem(t, first(query(t, e, tbl, lsi(&QueryInput{ProjectionExpression: itemStr("y")}))), attr.Item{"y": full["y"]})
	// LastEvaluatedKey of an index read: table key and index key.
	out := query(t, e, tbl, g(&QueryInput{IndexName: itemStr("gkeys"), Limit: qi32(1)}))
	wantItem(t, out.LastEvaluatedKey, keys)
	out = query(t, e, tbl, g(&QueryInput{IndexName: itemStr("gall"), Limit: qi32(1)}))
	wantItem(t, out.LastEvaluatedKey, attr.Item{"pk": full["pk"], "sk": full["sk"], "g": full["g"]})
}

func TestQueryPaging(t *testing.T) {
	t.Parallel()
	const tbl = "qpages"
	e := newReadEngine(t, tbl, 25)
	for _, forward := range []bool{true, false} {
		for _, limit := range []int32{1, 3, 7, 25, 100} {
			t.Run(strconv.FormatBool(forward)+"/"+strconv.Itoa(int(limit)), func(t *testing.T) {
				var got []string
				var start StartKey
				for pages := 0; ; pages++ {
					if pages > 30 {
						t.Fatal("too many pages")
					}
					out := query(t, e, tbl, pkEq(&QueryInput{Limit: &limit, ScanIndexForward: &forward, ExclusiveStartKey: start}))
					got = append(got, sks(Items(out.Items))...)
					if out.LastEvaluatedKey == nil {
						break
					}
					start = StartKey(out.LastEvaluatedKey)
				}
				want := seq(0, 24)
				if !forward {
					want = seq(24, 0)
				}
				wantStrings(t, got, want)
			})
		}
	}
	// The same through a GSI, whose start keys carry the index key.
	var got []string
	var start StartKey
	for {
		out := query(t, e, tbl, &QueryInput{IndexName: itemStr("gincl"), Limit: qi32(4), ExclusiveStartKey: start,
			KeyConditionExpression: itemStr("g = :g AND gr >= :n"), ExpressionAttributeValues: ExpressionValues{":g": itemS("g-p"), ":n": itemN("5")}})
		got = append(got, sks(Items(out.Items))...)
		if out.LastEvaluatedKey == nil {
			break
		}
		start = StartKey(out.LastEvaluatedKey)
	}
	wantStrings(t, got, seq(5, 24))
}

func TestQueryPageSizeCap(t *testing.T) {
	t.Parallel()
	const tbl = "qbig"
	e := newItemEngine(t, readDef(tbl))
	big := strings.Repeat("b", 300*1024)
	for i := range 10 {
		it := readItem("p", i)
		it["big"] = itemS(big)
		mustPut(t, e, tbl, it)
	}
	// 300 KB items: the page that crosses 1 MB ends after the 4th item.
	var pages [][]string
	var start StartKey
	for {
		out := query(t, e, tbl, pkEq(&QueryInput{ExclusiveStartKey: start, ProjectionExpression: itemStr("sk")}))
		pages = append(pages, sks(Items(out.Items)))
		if out.LastEvaluatedKey == nil {
			break
		}
		start = StartKey(out.LastEvaluatedKey)
	}
	if len(pages) != 3 || len(pages[0]) != 4 || len(pages[1]) != 4 || len(pages[2]) != 2 {
		t.Fatalf("pages = %v", pages)
	}
	var all []string
	for _, p := range pages {
		all = append(all, p...)
	}
	wantStrings(t, all, seq(0, 9))
	// The cap counts data read before the filter.
	out := query(t, e, tbl, pkEq(&QueryInput{FilterExpression: itemStr("x = :x"), ExpressionAttributeValues: ExpressionValues{":x": itemS("none")}}))
	if out.Count != 0 || out.ScannedCount != 4 || out.LastEvaluatedKey == nil {
		t.Fatalf("filtered page = %+v", out)
	}
	// A KEYS_ONLY index reads only the projected entries: one page.
	out = query(t, e, tbl, &QueryInput{IndexName: itemStr("gkeys"), KeyConditionExpression: itemStr("g = :g"),
		ExpressionAttributeValues: ExpressionValues{":g": itemS("g-p")}})
	if out.Count != 10 || out.LastEvaluatedKey != nil {
		t.Fatalf("index page = Count %d, LastEvaluatedKey %v", out.Count, out.LastEvaluatedKey)
	}
}

func TestQueryCapacity(t *testing.T) {
	t.Parallel()
	const tbl = "qcap"
	e := newItemEngine(t, readDef(tbl))
	for i := range 3 {
		it := readItem("p", i)
		it["big"] = itemS(strings.Repeat("b", 3000))
		mustPut(t, e, tbl, it)
	}
	// About 9 KB read: 3 units consistent, 1.5 eventually consistent.
	out := query(t, e, tbl, pkEq(&QueryInput{ReturnConsumedCapacity: itemStr("TOTAL"), ConsistentRead: itemBool(true)}))
	if cc := out.ConsumedCapacity; cc == nil || cc.TableName != tbl || cc.CapacityUnits != 3 || cc.Table != nil {
		t.Fatalf("consistent capacity = %+v", cc)
	}
	out = query(t, e, tbl, pkEq(&QueryInput{ReturnConsumedCapacity: itemStr("INDEXES")}))
	if cc := out.ConsumedCapacity; cc == nil || cc.CapacityUnits != 1.5 || cc.Table == nil || cc.Table.CapacityUnits != 1.5 {
		t.Fatalf("eventual capacity = %+v", cc)
	}
	// A KEYS_ONLY GSI read is small: half a unit, charged to the index.
	out = query(t, e, tbl, &QueryInput{IndexName: itemStr("gkeys"), ReturnConsumedCapacity: itemStr("INDEXES"),
		KeyConditionExpression: itemStr("g = :g"), ExpressionAttributeValues: ExpressionValues{":g": itemS("g-p")}})
	cc := out.ConsumedCapacity
	if cc == nil || cc.CapacityUnits != 0.5 || cc.Table == nil || cc.Table.CapacityUnits != 0 ||
		cc.GlobalSecondaryIndexes["gkeys"].CapacityUnits != 0.5 {
		t.Fatalf("index capacity = %+v", cc)
	}
	// An LSI read that fetches from the table pays for both.
	out = query(t, e, tbl, pkEq(&QueryInput{IndexName: itemStr("lkeys"), Select: itemStr("ALL_ATTRIBUTES"), ReturnConsumedCapacity: itemStr("INDEXES")}))
	cc = out.ConsumedCapacity
	if cc == nil || cc.CapacityUnits != 2 || cc.Table.CapacityUnits != 1.5 || cc.LocalSecondaryIndexes["lkeys"].CapacityUnits != 0.5 {
		t.Fatalf("LSI fetch capacity = %+v", cc)
	}
}

func TestQueryBackfillingIndex(t *testing.T) {
	t.Parallel()
	const tbl = "qbackfill"
	e := New(Options{IndexTransition: time.Minute})
	if _, err := e.CreateTable(context.Background(), createInputOf(itemHashDef(tbl))); err != nil {
		t.Fatal(err)
	}
	_, err := e.UpdateTable(context.Background(), &UpdateTableInput{TableName: itemStr(tbl),
		AttributeDefinitions: []AttributeDefinition{{AttributeName: itemStr("g"), AttributeType: itemStr("S")}},
		GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{Create: &CreateGlobalSecondaryIndexAction{
			IndexName: itemStr("late"), KeySchema: []KeySchemaElement{{AttributeName: itemStr("g"), KeyType: itemStr("HASH")}},
			Projection: &Projection{ProjectionType: itemStr("ALL")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Query(context.Background(), &QueryInput{TableName: itemStr(tbl), IndexName: itemStr("late"),
		KeyConditionExpression: itemStr("g = :g"), ExpressionAttributeValues: ExpressionValues{":g": itemS("a")}})
	wantValidation(t, err, "Cannot read from backfilling global secondary index: late")
	if _, err := e.Clock().Advance(61 * time.Second); err != nil {
		t.Fatal(err)
	}
	_, err = e.Query(context.Background(), &QueryInput{TableName: itemStr(tbl), IndexName: itemStr("late"),
		KeyConditionExpression: itemStr("g = :g"), ExpressionAttributeValues: ExpressionValues{":g": itemS("a")}})
	if err != nil {
		t.Fatal(err)
	}
}
