package wire

import (
	"bytes"
	"math"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/engine"
)

// sampleItems are items with every value type and strings that need
// escaping (quotes, control characters, HTML characters, U+2028, invalid
// UTF-8).
func sampleItems() []attr.Item {
	return []attr.Item{
		{"pk": attr.Str("a"), "n": attr.Num("-1.5E+3")},
		{"pk": attr.Str("q\"\\\n\t\x01<>&\u2028\u2029 é \xff"), "b": attr.Bin([]byte{0, 1, 0xfe}),
			"ss": {Type: attr.SS, Set: []string{"x", "<y>"}}, "ns": {Type: attr.NS, Set: []string{"1", "2.5"}},
			"bs": {Type: attr.BS, Set: []string{"\x00", "ab"}}, "t": attr.Boolean(true), "f": attr.Boolean(false),
			"z": attr.Null(), "l": attr.List(attr.Str("e"), attr.List(), attr.Map(nil)),
			"m":    attr.Map(map[string]attr.Value{"k\"": attr.Num("7"), "a": attr.Map(map[string]attr.Value{"b": attr.Str("")})}),
			"none": {}},
		{},
	}
}

func sampleCapacities() []*engine.ConsumedCapacity {
	return []*engine.ConsumedCapacity{
		nil,
		{TableName: "t", CapacityUnits: 0.5},
		{TableName: "t.x-1", CapacityUnits: 3, ReadCapacityUnits: 1.5, WriteCapacityUnits: 1e21,
			Table:                  &engine.Capacity{CapacityUnits: 1},
			LocalSecondaryIndexes:  map[string]engine.Capacity{"l": {CapacityUnits: 0.5}, "a": {}},
			GlobalSecondaryIndexes: map[string]engine.Capacity{"g": {CapacityUnits: 2, ReadCapacityUnits: 1e-7}}},
	}
}

// checkFast compares the fast encoder of Out with encode for each output.
func checkFast[Out any](t *testing.T, outs []*Out) {
	t.Helper()
	enc := fastEncoder[Out]()
	if enc == nil {
		t.Fatalf("no fast encoder for %T", (*Out)(nil))
	}
	for i, o := range outs {
		var want bytes.Buffer
		if err := encode(&want, o); err != nil {
			t.Fatal(err)
		}
		got, err := enc([]byte("prefix"), o)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "prefix"+want.String() {
			t.Errorf("%T #%d:\n got %s\nwant prefix%s", o, i, got, want.String())
		}
	}
}

func TestFastEncodersMatchEncodingJSON(t *testing.T) {
	items := append(sampleItems(), nil)
	var gets []*engine.GetItemOutput
	var puts []*engine.PutItemOutput
	var updates []*engine.UpdateItemOutput
	var deletes []*engine.DeleteItemOutput
	var queries []*engine.QueryOutput
	var scans []*engine.ScanOutput
	icms := []*engine.ItemCollectionMetrics{nil, {ItemCollectionKey: attr.Item{"pk": attr.Str("a")}, SizeEstimateRangeGB: []float64{0, 1}}, {}}
	pages := [][]engine.ReadItem{nil, {}, engine.ReadItems(items[:1]), engine.ReadItems(items), packedItems(items)}
	for _, cc := range sampleCapacities() {
		for _, it := range items {
			gets = append(gets, &engine.GetItemOutput{Item: engine.ItemOf(it), ConsumedCapacity: cc})
			if it != nil {
				gets = append(gets, &engine.GetItemOutput{Item: engine.PackedItem(attr.PackString(it)), ConsumedCapacity: cc})
			}
			for _, icm := range icms {
				puts = append(puts, &engine.PutItemOutput{Attributes: it, ConsumedCapacity: cc, ItemCollectionMetrics: icm})
				updates = append(updates, &engine.UpdateItemOutput{Attributes: it, ConsumedCapacity: cc, ItemCollectionMetrics: icm})
				deletes = append(deletes, &engine.DeleteItemOutput{Attributes: it, ConsumedCapacity: cc, ItemCollectionMetrics: icm})
			}
			for _, page := range pages {
				queries = append(queries, &engine.QueryOutput{Items: page, Count: len(page), ScannedCount: 7, LastEvaluatedKey: it, ConsumedCapacity: cc})
				scans = append(scans, &engine.ScanOutput{Items: page, Count: -1, ScannedCount: len(page), LastEvaluatedKey: it, ConsumedCapacity: cc})
			}
		}
	}
	checkFast(t, gets)
	checkFast(t, puts)
	checkFast(t, updates)
	checkFast(t, deletes)
	checkFast(t, queries)
	checkFast(t, scans)
}

func TestNoFastEncoderForOtherOutputs(t *testing.T) {
	if fastEncoder[engine.DescribeTableOutput]() != nil {
		t.Error("DescribeTableOutput has a fast encoder")
	}
}

func TestFastEncoderErrorsLikeEncode(t *testing.T) {
	o := &engine.QueryOutput{Items: []engine.ReadItem{}, ConsumedCapacity: &engine.ConsumedCapacity{CapacityUnits: math.NaN()}}
	if err := encode(new(bytes.Buffer), o); err == nil {
		t.Fatal("encode: no error for NaN")
	}
	if _, err := fastEncoder[engine.QueryOutput]()(nil, o); err == nil {
		t.Fatal("fast encoder: no error for NaN")
	}
}

// packedItems returns the non-nil items in the packed form reads return.
func packedItems(items []attr.Item) []engine.ReadItem {
	var out []engine.ReadItem
	for _, it := range items {
		if it != nil {
			out = append(out, engine.PackedItem(attr.PackString(it)))
		}
	}
	return out
}
