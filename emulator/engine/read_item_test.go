package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// Both forms of a ReadItem encode as attr.Item does, alone and inside
// every read output; the zero ReadItem is null, and no Item member.
func TestReadItemJSON(t *testing.T) {
	it := readItem("p", 7)
	it["m"] = attr.Map(map[string]attr.Value{"b": attr.Bin([]byte{0, 0xff}), "a": attr.Null()})
	it["esc"] = itemS("\"\\\n\u2028<")
	want, _ := json.Marshal(it)
	packed := PackedItem(attr.PackString(it))
	for _, r := range []ReadItem{ItemOf(it), packed} {
		if got, err := json.Marshal(r); err != nil || string(got) != string(want) {
			t.Fatalf("ReadItem JSON %s (%v), want %s", got, err, want)
		}
		if got := r.Item(); !itemsEqual(got, it) {
			t.Fatalf("Item() = %v, want %v", got, it)
		}
	}
	if got, _ := json.Marshal(ReadItem{}); string(got) != "null" {
		t.Fatalf("zero ReadItem JSON %s", got)
	}
	for _, c := range []struct {
		out  any
		want string
	}{
		{&GetItemOutput{}, `{}`},
		{&GetItemOutput{Item: packed}, `{"Item":` + string(want) + `}`},
		{&GetItemOutput{Item: ItemOf(attr.Item{})}, `{"Item":{}}`},
		{&QueryOutput{Items: []ReadItem{packed, ItemOf(it)}, Count: 2},
			`{"Items":[` + string(want) + `,` + string(want) + `],"Count":2,"ScannedCount":0}`},
		{&ScanOutput{Items: []ReadItem{}}, `{"Items":[],"Count":0,"ScannedCount":0}`},
		{&BatchGetItemOutput{Responses: map[string][]ReadItem{"t": {packed}}},
			`{"Responses":{"t":[` + string(want) + `]},"UnprocessedKeys":null}`},
	} {
		if got, err := json.Marshal(c.out); err != nil || string(got) != c.want {
			t.Errorf("%T JSON:\n got %s (%v)\nwant %s", c.out, got, err, c.want)
		}
	}
}

// wantPacked fails unless every item is (or none is) in packed form.
func wantPacked(t *testing.T, what string, items []ReadItem, packed bool) {
	t.Helper()
	if len(items) == 0 {
		t.Fatalf("%s: no items", what)
	}
	for _, r := range items {
		if _, ok := r.Packed(); ok != packed {
			t.Fatalf("%s: packed %v, want %v", what, ok, packed)
		}
	}
}

// Reads return whole items packed, and unpack only to filter or project.
func TestReadsPackOnlyWholeItems(t *testing.T) {
	t.Parallel()
	const tbl = "rpack"
	e := newReadEngine(t, tbl, 3)
	g := func(in *QueryInput) *QueryInput {
		in.KeyConditionExpression = itemStr("g = :g")
		in.ExpressionAttributeValues = ExpressionValues{":g": itemS("g-p")}
		return in
	}
	for _, c := range []struct {
		name   string
		in     *QueryInput
		packed bool
	}{
		{"table", pkEq(&QueryInput{}), true},
		{"ALL_ATTRIBUTES", pkEq(&QueryInput{Select: itemStr(selectAll)}), true},
		{"ALL index", g(&QueryInput{IndexName: itemStr("gall")}), true},
		{"ALL LSI", pkEq(&QueryInput{IndexName: itemStr("lall"), Select: itemStr(selectProjected)}), true},
		{"filter", pkEq(&QueryInput{FilterExpression: itemStr("x <> :p")}), false},
		{"projection", pkEq(&QueryInput{ProjectionExpression: itemStr("x")}), false},
		{"AttributesToGet", &QueryInput{KeyConditions: Conditions{"pk": {ComparisonOperator: itemStr("EQ"),
			AttributeValueList: []attr.Value{itemS("p")}}}, AttributesToGet: []string{"x"}}, false},
		{"KEYS_ONLY index", g(&QueryInput{IndexName: itemStr("gkeys")}), false},
		{"LSI fetch", pkEq(&QueryInput{IndexName: itemStr("lkeys"), Select: itemStr(selectAll)}), false},
	} {
		out := query(t, e, tbl, c.in)
		wantPacked(t, "Query "+c.name, out.Items, c.packed)
	}
	wantPacked(t, "Scan", scan(t, e, tbl, &ScanInput{}).Items, true)
	wantPacked(t, "Scan gincl", scan(t, e, tbl, &ScanInput{IndexName: itemStr("gincl")}).Items, false)

	key := attr.Item{"pk": itemS("p"), "sk": itemN("1")}
	get := func(in *GetItemInput) ReadItem {
		t.Helper()
		in.TableName, in.Key = itemStr(tbl), key
		out, err := e.GetItem(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		return out.Item
	}
	wantPacked(t, "GetItem", []ReadItem{get(&GetItemInput{})}, true)
	wantPacked(t, "GetItem projected", []ReadItem{get(&GetItemInput{AttributesToGet: []string{"x"}})}, false)
	out, err := e.BatchGetItem(context.Background(), &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
		tbl: {Keys: []attr.Item{key}}}})
	if err != nil {
		t.Fatal(err)
	}
	wantPacked(t, "BatchGetItem", out.Responses[tbl], true)
	wantItem(t, out.Responses[tbl][0].Item(), readItem("p", 1))
}
