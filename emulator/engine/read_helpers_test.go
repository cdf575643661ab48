package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Helpers of the Query and Scan tests.

// readDef is a table keyed by "pk" (S) and "sk" (N) with secondary
// indexes of every projection type:
//
//	gkeys  GSI g (S) / gr (N), KEYS_ONLY
//	gall   GSI g (S), ALL
//	gincl  GSI g (S) / gr (N), INCLUDE x
//	lkeys  LSI pk / l (S), KEYS_ONLY
//	lall   LSI pk / l (S), ALL
func readDef(name string) store.TableDef {
	return store.TableDef{
		Name: name,
		Key:  store.KeySchema{Hash: "pk", HashType: attr.S, Range: "sk", RangeType: attr.N},
		Indexes: []store.IndexDef{
			{Name: "gkeys", Key: store.KeySchema{Hash: "g", HashType: attr.S, Range: "gr", RangeType: attr.N},
				Projection: store.Projection{Type: store.ProjectKeysOnly}},
			{Name: "gall", Key: store.KeySchema{Hash: "g", HashType: attr.S},
				Projection: store.Projection{Type: store.ProjectAll}},
			{Name: "gincl", Key: store.KeySchema{Hash: "g", HashType: attr.S, Range: "gr", RangeType: attr.N},
				Projection: store.Projection{Type: store.ProjectInclude, NonKey: []string{"x"}}},
			{Name: "lkeys", Local: true, Key: store.KeySchema{Hash: "pk", HashType: attr.S, Range: "l", RangeType: attr.S},
				Projection: store.Projection{Type: store.ProjectKeysOnly}},
			{Name: "lall", Local: true, Key: store.KeySchema{Hash: "pk", HashType: attr.S, Range: "l", RangeType: attr.S},
				Projection: store.Projection{Type: store.ProjectAll}},
		},
	}
}

// readItem is item number i of partition pk in a readDef table: every
// index key set, x and y set.
func readItem(pk string, i int) attr.Item {
	n := strconv.Itoa(i)
	return attr.Item{
		"pk": itemS(pk), "sk": itemN(n),
		"g": itemS("g-" + pk), "gr": itemN(n), "l": itemS("l" + pad(i)),
		"x": itemS("x" + n), "y": itemS("y" + n),
	}
}

// pad renders i with leading zeros so that strings sort like numbers.
func pad(i int) string {
	s := strconv.Itoa(i)
	return strings.Repeat("0", 6-len(s)) + s
}

// newReadEngine returns an engine with a readDef table named tbl holding
// items 0..n-1 of partition "p".
func newReadEngine(tb testing.TB, tbl string, n int) *Engine {
	tb.Helper()
	e := newItemEngine(tb, readDef(tbl))
	for i := range n {
		mustPut(tb, e, tbl, readItem("p", i))
	}
	return e
}

// query runs a Query on tbl (set in the input) and fails on error.
func query(tb testing.TB, e *Engine, tbl string, in *QueryInput) *QueryOutput {
	tb.Helper()
	in.TableName = &tbl
	out, err := e.Query(context.Background(), in)
	if err != nil {
		tb.Fatalf("Query: %v", err)
	}
	return out
}

// scan runs a Scan on tbl (set in the input) and fails on error.
func scan(tb testing.TB, e *Engine, tbl string, in *ScanInput) *ScanOutput {
	tb.Helper()
	in.TableName = &tbl
	out, err := e.Scan(context.Background(), in)
	if err != nil {
		tb.Fatalf("Scan: %v", err)
	}
	return out
}

// pkEq is the KeyConditionExpression pk = :p with :p = "p".
func pkEq(in *QueryInput) *QueryInput {
	in.KeyConditionExpression = itemStr("pk = :p")
	if in.ExpressionAttributeValues == nil {
		in.ExpressionAttributeValues = ExpressionValues{}
	}
	in.ExpressionAttributeValues[":p"] = itemS("p")
	return in
}

// sks returns the sort keys ("sk") of items, in order.
func sks(items []attr.Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it["sk"].S
	}
	return out
}

// seq returns the decimal strings from..to (inclusive), ascending or
// descending.
func seq(from, to int) []string {
	var out []string
	for i := from; ; {
		out = append(out, strconv.Itoa(i))
		if i == to {
			return out
		}
		if from < to {
			i++
		} else {
			i--
		}
	}
}

// wantStrings fails unless got equals want.
func wantStrings(tb testing.TB, got, want []string) {
	tb.Helper()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		tb.Fatalf("got  %v\nwant %v", got, want)
	}
}

// qi32 returns a pointer to n.
func qi32(n int32) *int32 { return &n }
