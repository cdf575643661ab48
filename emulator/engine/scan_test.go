package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Validation texts are DynamoDB's as recorded in dynalite test/scan.js
// and moto's AWS-verified test_dynamodb_select.py.

func TestScanRequestMessages(t *testing.T) {
	t.Parallel()
	e := New(Options{})
	eq := Conditions{"a": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("a")}}}
	cases := []struct {
		name string
		in   ScanInput
		msg  string
	}{
		{"constraints", ScanInput{TableName: itemStr("abc;"), ReturnConsumedCapacity: itemStr("hi"), IndexName: itemStr("abc;"),
			Segment: qi32(-1), TotalSegments: qi32(-1), Select: itemStr("hi"), Limit: qi32(-1),
			ScanFilter: Conditions{"a": {}, "b": {ComparisonOperator: itemStr("")}}, ConditionalOperator: itemStr("AN")},
			"10 validation errors detected: " +
				"Value 'hi' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]; " +
				"Value 'abc;' at 'indexName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
				"Value '-1' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
				"Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; " +
				"Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
				"Value 'AN' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]; " +
				"Value null at 'scanFilter.a.member.comparisonOperator' failed to satisfy constraint: Member must not be null; " +
				"Value '' at 'scanFilter.b.member.comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]; " +
				"Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0; " +
				"Value '-1' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"segment limits", ScanInput{TotalSegments: qi32(1000001), Segment: qi32(1000000)},
			"2 validation errors detected: " +
				"Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000; " +
				"Value '1000000' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 999999"},
		{"mixing", ScanInput{ScanFilter: eq, Segment: qi32(1), AttributesToGet: []string{"a", "a"}, ConditionalOperator: itemStr("OR"),
			FilterExpression: itemStr(""), ProjectionExpression: itemStr(""), ExpressionAttributeNames: map[string]string{}},
			"Can not use both expression and non-expression parameters in the same request: " +
				"Non-expression parameters: {AttributesToGet, ScanFilter, ConditionalOperator} Expression parameters: {ProjectionExpression, FilterExpression}"},
		{"names without expression", ScanInput{ScanFilter: eq, ExpressionAttributeNames: map[string]string{}, ExpressionAttributeValues: ExpressionValues{}},
			"ExpressionAttributeNames can only be specified when using expressions"},
		{"values without expression", ScanInput{ScanFilter: eq, ExpressionAttributeValues: ExpressionValues{}},
			"ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null"},
		{"duplicates before filter", ScanInput{Segment: qi32(1), ScanFilter: Conditions{"a": {ComparisonOperator: itemStr("EQ")}}, AttributesToGet: []string{"a", "a"}},
			"One or more parameter values were invalid: Duplicate value in attribute name: a"},
		{"filter operand count", ScanInput{Segment: qi32(1), ScanFilter: Conditions{"a": {ComparisonOperator: itemStr("BETWEEN")}}},
			"One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator"},
		{"segment without total", ScanInput{Segment: qi32(1), FilterExpression: itemStr("")},
			"The TotalSegments parameter is required but was not present in the request when Segment parameter is present"},
		{"total without segment", ScanInput{TotalSegments: qi32(1), FilterExpression: itemStr("")},
			"The Segment parameter is required but was not present in the request when parameter TotalSegments is present"},
		{"segment too big", ScanInput{Segment: qi32(1), TotalSegments: qi32(1), FilterExpression: itemStr("")},
			"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 1 is not less than TotalSegments: 1"},
		{"empty filter", ScanInput{FilterExpression: itemStr(""), ProjectionExpression: itemStr(""), ExpressionAttributeValues: ExpressionValues{":0": itemS("b")}},
			"Invalid FilterExpression: The expression can not be empty;"},
		{"redundant parentheses", ScanInput{FilterExpression: itemStr("a=a and a > ((views))")},
			"Invalid FilterExpression: The expression has redundant parentheses;"},
		{"specific without projection", ScanInput{Select: itemStr("SPECIFIC_ATTRIBUTES")},
			"Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"},
		{"projected on table", ScanInput{Select: itemStr("ALL_PROJECTED_ATTRIBUTES")},
			"ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
		{"count with attributes", ScanInput{Select: itemStr("COUNT"), AttributesToGet: []string{"a"}, IndexName: itemStr("idx")},
			"Cannot specify the AttributesToGet when choosing to get only the Count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			if in.TableName == nil {
				in.TableName = itemStr("abc")
			}
			_, err := e.Scan(context.Background(), &in)
			wantValidation(t, err, c.msg)
		})
	}
	_, err := e.Scan(context.Background(), &ScanInput{TableName: itemStr("abc"), ExclusiveStartKey: StartKey{"b": itemS("a")}})
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")
}

func TestScanStartKeyMessages(t *testing.T) {
	t.Parallel()
	const tbl = "sstart"
	e := newReadEngine(t, tbl, 20)
	s, n := itemS("p"), itemN("1")
	cases := []struct {
		name string
		in   ScanInput
		msg  string
	}{
		{"no index", ScanInput{IndexName: itemStr("whatever"), ExclusiveStartKey: StartKey{}}, msgNoIndex + "whatever"},
		{"consistent GSI", ScanInput{IndexName: itemStr("gall"), ConsistentRead: itemBool(true)},
			"Consistent reads are not supported on global secondary indexes"},
		{"table count", ScanInput{ExclusiveStartKey: StartKey{"pk": s}}, msgStartKeyInvalid + ": " + msgKeySchema},
		{"table type", ScanInput{ExclusiveStartKey: StartKey{"pk": s, "sk": s}}, msgStartKeyInvalid + ": " + msgKeySchema},
		{"table names", ScanInput{ExclusiveStartKey: StartKey{"pk": s, "z": n}}, msgStartKeyInvalid + ": " + msgKeySchema},
		{"index count", ScanInput{IndexName: itemStr("lkeys"), ExclusiveStartKey: StartKey{"pk": s, "sk": n}}, msgStartKeyInvalid},
		{"index missing key", ScanInput{IndexName: itemStr("lkeys"), ExclusiveStartKey: StartKey{"pk": s, "sk": n, "z": s}}, msgStartKeyInvalid},
		{"index key type", ScanInput{IndexName: itemStr("lkeys"), ExclusiveStartKey: StartKey{"pk": s, "sk": n, "l": n}}, msgKeySchema},
		{"index table key type", ScanInput{IndexName: itemStr("gall"), ExclusiveStartKey: StartKey{"pk": n, "sk": n, "g": s}},
			msgStartKeyInvalid + ": " + msgKeySchema},
		{"select all on GSI", ScanInput{IndexName: itemStr("gincl"), Select: itemStr("ALL_ATTRIBUTES"),
			ExclusiveStartKey: StartKey{"x": n, "y": n, "g": s, "gr": n}},
			"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gincl because its projection type is not ALL"},
		{"nested key path", ScanInput{FilterExpression: itemStr("attribute_exists(#a.b.c)"), ExpressionAttributeNames: map[string]string{"#a": "pk"}},
			"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			in.TableName = itemStr(tbl)
			_, err := e.Scan(context.Background(), &in)
			wantValidation(t, err, c.msg)
		})
	}
	// A start key from another segment.
	for i := range 10 {
		mustPut(t, e, tbl, readItem("k"+strconv.Itoa(i), 0))
	}
	out := scan(t, e, tbl, &ScanInput{Segment: qi32(1), TotalSegments: qi32(2)})
	if out.Count == 0 {
		t.Fatal("segment 1 of 2 is empty")
	}
	_, err := e.Scan(context.Background(), &ScanInput{TableName: itemStr(tbl), Segment: qi32(0), TotalSegments: qi32(2),
		ExclusiveStartKey: StartKey(keyOf(readDef(tbl), out.Items[0].Item()))})
	wantValidation(t, err, msgStartKeyInvalid+": Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0")
}

// scanAll pages through one segment of a Scan and returns every item.
func scanAll(tb testing.TB, e *Engine, tbl string, base ScanInput) (items []attr.Item, pages int) {
	tb.Helper()
	for {
		in := base
		out := scan(tb, e, tbl, &in)
		items = append(items, Items(out.Items)...)
		pages++
		if out.LastEvaluatedKey == nil {
			return items, pages
		}
		base.ExclusiveStartKey = StartKey(out.LastEvaluatedKey)
	}
}

// itemID names an item of a readDef table by its key.
func itemID(it attr.Item) string { return it["pk"].S + "/" + it["sk"].S }

func TestScanSegmentsAndPaging(t *testing.T) {
	t.Parallel()
	const tbl = "ssegments"
	e := newItemEngine(t, readDef(tbl))
	want := map[string]bool{}
	for p := range 40 {
		for i := range 3 {
			it := readItem("p"+strconv.Itoa(p), i)
			mustPut(t, e, tbl, it)
			want[itemID(it)] = true
		}
	}
	for _, total := range []int32{1, 2, 7, 1000000} {
		seen := map[string]bool{}
		for seg := range min(total, 8) {
			items, _ := scanAll(t, e, tbl, ScanInput{Segment: qi32(seg), TotalSegments: qi32(total), Limit: qi32(5)})
			for _, it := range items {
				if seen[itemID(it)] {
					t.Fatalf("total %d: %s seen twice", total, itemID(it))
				}
				if got := store.SegmentOf(it["pk"], int(total)); got != int(seg) {
					t.Fatalf("total %d: %s in segment %d, belongs to %d", total, itemID(it), seg, got)
				}
				seen[itemID(it)] = true
			}
		}
		if total <= 8 && len(seen) != len(want) {
			t.Fatalf("total %d: %d items seen, want %d", total, len(seen), len(want))
		}
	}
	// Order is the storage order: paging with any Limit gives the same
	// sequence as one unlimited page.
	one, pages := scanAll(t, e, tbl, ScanInput{})
	if pages != 1 || len(one) != len(want) {
		t.Fatalf("one page: %d pages, %d items", pages, len(one))
	}
	for _, limit := range []int32{1, 4, 119, 120, 121} {
		items, _ := scanAll(t, e, tbl, ScanInput{Limit: qi32(limit), ProjectionExpression: itemStr("pk, sk")})
		got, wantIDs := make([]string, len(items)), make([]string, len(one))
		for i := range items {
			got[i] = itemID(items[i])
		}
		for i := range one {
			wantIDs[i] = itemID(one[i])
		}
		wantStrings(t, got, wantIDs)
	}
	// An index scan pages by the index key and the table key.
	items, pages := scanAll(t, e, tbl, ScanInput{IndexName: itemStr("gkeys"), Limit: qi32(7)})
	if len(items) != len(want) || pages != 18 {
		t.Fatalf("index scan: %d items in %d pages", len(items), pages)
	}
}

func TestScanPageSizeCapAndFilter(t *testing.T) {
	t.Parallel()
	const tbl = "sbig"
	e := newItemEngine(t, readDef(tbl))
	big := strings.Repeat("b", 200*1024)
	for i := range 12 {
		it := readItem("p"+strconv.Itoa(i), 0)
		it["big"] = itemS(big)
		mustPut(t, e, tbl, it)
	}
	// 200 KB items: a page reads 6 of them (the 6th crosses 1 MB); the
	// second page ends at the cap too, so a third, empty page follows.
	items, pages := scanAll(t, e, tbl, ScanInput{ProjectionExpression: itemStr("pk")})
	if len(items) != 12 || pages != 3 {
		t.Fatalf("%d items in %d pages", len(items), pages)
	}
	out := scan(t, e, tbl, &ScanInput{ScanFilter: Conditions{"pk": {ComparisonOperator: itemStr("EQ"), AttributeValueList: []attr.Value{itemS("p3")}}},
		Select: itemStr("COUNT"), ReturnConsumedCapacity: itemStr("TOTAL")})
	if out.Items != nil || out.ScannedCount != 6 || out.LastEvaluatedKey == nil {
		t.Fatalf("filtered page = %+v", out)
	}
	// Six items of about 200 KB: 300 units, halved.
	if cc := out.ConsumedCapacity; cc == nil || cc.CapacityUnits != 150.5 {
		t.Fatalf("capacity = %+v", out.ConsumedCapacity)
	}
	// A filter may name key attributes in a Scan.
	out = scan(t, e, tbl, &ScanInput{FilterExpression: itemStr("pk = :p"), ExpressionAttributeValues: ExpressionValues{":p": itemS("p3")},
		IndexName: itemStr("gkeys"), Limit: qi32(100)})
	if out.ScannedCount != 12 || out.Count != 1 || out.LastEvaluatedKey != nil {
		t.Fatalf("index scan = %+v", out)
	}
}
