package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// sized returns an item with key pk=name whose attr.ItemSize is size bytes.
func sized(name string, size int) attr.Item {
	it := attr.Item{"pk": itemS(name)}
	pad := size - attr.ItemSize(it) - len("v")
	it["v"] = itemS(strings.Repeat("x", pad))
	return it
}

func TestCapacityUnits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n, size int
		want    float64
	}{
		{0, 1024, 1}, {1, 1024, 1}, {1024, 1024, 1}, {1025, 1024, 2}, {4096, 4096, 1}, {4097, 4096, 2},
	}
	for _, c := range cases {
		if got := units(c.n, c.size); got != c.want {
			t.Errorf("units(%d, %d) = %v, want %v", c.n, c.size, got, c.want)
		}
	}
}

func TestConsumedCapacityWrites(t *testing.T) {
	t.Parallel()
	const tbl = "wcu"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	total, indexes := itemStr("TOTAL"), itemStr("INDEXES")

	out, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: sized("a", 1024), ReturnConsumedCapacity: total})
	if err != nil {
		t.Fatal(err)
	}
	wantCapacity(t, out.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 1})
	out, _ = e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: sized("b", 1025), ReturnConsumedCapacity: total})
	wantCapacity(t, out.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 2})
	// Replacing a 2049-byte item by a small one costs the larger size.
	mustPut(t, e, tbl, sized("c", 2049))
	out, _ = e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: sized("c", 10), ReturnConsumedCapacity: indexes})
	wantCapacity(t, out.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 3, Table: &Capacity{CapacityUnits: 3}})

	mustPut(t, e, tbl, sized("d", 2049))
	del, _ := e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS("d")}, ReturnConsumedCapacity: total})
	wantCapacity(t, del.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 3})
	del, _ = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS("d")}, ReturnConsumedCapacity: total})
	wantCapacity(t, del.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 1})

	upd, err := e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS("e")},
		UpdateExpression: itemStr("SET v = :v"), ExpressionAttributeValues: map[string]attr.Value{":v": itemS("small")},
		ReturnConsumedCapacity: total})
	if err != nil {
		t.Fatal(err)
	}
	wantCapacity(t, upd.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 1})
}

func TestConsumedCapacityReads(t *testing.T) {
	t.Parallel()
	const tbl = "rcu"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	mustPut(t, e, tbl, sized("a", 4096))
	mustPut(t, e, tbl, sized("b", 4097))
	get := func(pk string, consistent bool, mode string) *ConsumedCapacity {
		t.Helper()
		out, err := e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS(pk)},
			ConsistentRead: itemBool(consistent), ReturnConsumedCapacity: itemStr(mode), ProjectionExpression: itemStr("pk")})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	wantCapacity(t, get("a", true, "TOTAL"), &ConsumedCapacity{TableName: tbl, CapacityUnits: 1})
	wantCapacity(t, get("a", false, "TOTAL"), &ConsumedCapacity{TableName: tbl, CapacityUnits: 0.5})
	wantCapacity(t, get("b", true, "TOTAL"), &ConsumedCapacity{TableName: tbl, CapacityUnits: 2})
	wantCapacity(t, get("b", false, "INDEXES"), &ConsumedCapacity{TableName: tbl, CapacityUnits: 1, Table: &Capacity{CapacityUnits: 1}})
	wantCapacity(t, get("missing", true, "TOTAL"), &ConsumedCapacity{TableName: tbl, CapacityUnits: 1})
	wantCapacity(t, get("missing", false, "TOTAL"), &ConsumedCapacity{TableName: tbl, CapacityUnits: 0.5})
	if cc := get("a", true, "NONE"); cc != nil {
		t.Fatalf("NONE reported %+v", cc)
	}
}

func TestConsumedCapacityIndexes(t *testing.T) {
	t.Parallel()
	const tbl = "icu"
	e := newItemEngine(t, itemRangeDef(tbl))
	ctx := context.Background()
	put := func(item attr.Item) *ConsumedCapacity {
		t.Helper()
		out, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: item, ReturnConsumedCapacity: itemStr("INDEXES")})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	base := attr.Item{"pk": itemS("a"), "sk": itemN("1")}
	with := func(kv ...any) attr.Item {
		it := base.Clone()
		for i := 0; i < len(kv); i += 2 {
			it[kv[i].(string)] = kv[i+1].(attr.Value)
		}
		return it
	}
	// Not in any index: only the table write.
	wantCapacity(t, put(base), &ConsumedCapacity{TableName: tbl, CapacityUnits: 1, Table: &Capacity{CapacityUnits: 1}})
	// Entering both indexes: one write each.
	wantCapacity(t, put(with("g", itemS("g1"), "l", itemS("l1"))), &ConsumedCapacity{TableName: tbl, CapacityUnits: 3,
		Table:                  &Capacity{CapacityUnits: 1},
		GlobalSecondaryIndexes: map[string]Capacity{"gsi": {CapacityUnits: 1}},
		LocalSecondaryIndexes:  map[string]Capacity{"lsi": {CapacityUnits: 1}}})
	// Changing the GSI key: delete plus put there; the LSI (projecting ALL)
	// rewrites its entry once.
	wantCapacity(t, put(with("g", itemS("g2"), "l", itemS("l1"), "x", itemN("1"))), &ConsumedCapacity{TableName: tbl, CapacityUnits: 4,
		Table:                  &Capacity{CapacityUnits: 1},
		GlobalSecondaryIndexes: map[string]Capacity{"gsi": {CapacityUnits: 2}},
		LocalSecondaryIndexes:  map[string]Capacity{"lsi": {CapacityUnits: 1}}})
	// A change to an attribute the KEYS_ONLY GSI does not project costs it nothing.
	wantCapacity(t, put(with("g", itemS("g2"), "l", itemS("l1"), "x", itemN("2"))), &ConsumedCapacity{TableName: tbl, CapacityUnits: 2,
		Table:                 &Capacity{CapacityUnits: 1},
		LocalSecondaryIndexes: map[string]Capacity{"lsi": {CapacityUnits: 1}}})
	// TOTAL folds the index writes into CapacityUnits.
	out, err := e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr(tbl), Key: base, ReturnConsumedCapacity: itemStr("TOTAL")})
	if err != nil {
		t.Fatal(err)
	}
	wantCapacity(t, out.ConsumedCapacity, &ConsumedCapacity{TableName: tbl, CapacityUnits: 3})
}

// wantCapacity compares two ConsumedCapacity reports.
func wantCapacity(tb testing.TB, got, want *ConsumedCapacity) {
	tb.Helper()
	if got == nil {
		tb.Fatalf("ConsumedCapacity = nil, want %+v", want)
	}
	same := got.TableName == want.TableName && got.CapacityUnits == want.CapacityUnits &&
		(got.Table == nil) == (want.Table == nil) && (got.Table == nil || *got.Table == *want.Table) &&
		sameCapacities(got.GlobalSecondaryIndexes, want.GlobalSecondaryIndexes) &&
		sameCapacities(got.LocalSecondaryIndexes, want.LocalSecondaryIndexes)
	if !same {
		tb.Fatalf("ConsumedCapacity = %+v (table %+v)\nwant %+v (table %+v)", got, got.Table, want, want.Table)
	}
}

func sameCapacities(a, b map[string]Capacity) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestItemCollectionMetrics(t *testing.T) {
	t.Parallel()
	const tbl = "icm"
	e := newItemEngine(t, itemRangeDef(tbl))
	ctx := context.Background()
	item := attr.Item{"pk": itemS("a"), "sk": itemN("1"), "l": itemS("x")}
	out, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: item, ReturnItemCollectionMetrics: itemStr("SIZE")})
	if err != nil {
		t.Fatal(err)
	}
	m := out.ItemCollectionMetrics
	if m == nil || !itemsEqual(m.ItemCollectionKey, attr.Item{"pk": itemS("a")}) ||
		len(m.SizeEstimateRangeGB) != 2 || m.SizeEstimateRangeGB[0] != 0 || m.SizeEstimateRangeGB[1] != 1 {
		t.Fatalf("ItemCollectionMetrics = %+v", m)
	}
	out, _ = e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: item})
	if out.ItemCollectionMetrics != nil {
		t.Fatalf("metrics without SIZE: %+v", out.ItemCollectionMetrics)
	}
	// Tables without local secondary indexes report none.
	e2 := newItemEngine(t, itemHashDef(tbl))
	out, _ = e2.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": itemS("a")}, ReturnItemCollectionMetrics: itemStr("SIZE")})
	if out.ItemCollectionMetrics != nil {
		t.Fatalf("metrics on a table without LSIs: %+v", out.ItemCollectionMetrics)
	}
}
