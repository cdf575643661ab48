package engine

import (
	"context"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestGetItemProjection(t *testing.T) {
	t.Parallel()
	const tbl = "get"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	key := attr.Item{"pk": itemS("a")}
	mustPut(t, e, tbl, attr.Item{"pk": itemS("a"), "x": itemN("1"), "y": itemS("y"),
		"m": attr.Map(map[string]attr.Value{"in": itemS("i"), "out": itemS("o")}), "l": attr.List(itemN("0"), itemN("1"))})

	get := func(in *GetItemInput) attr.Item {
		t.Helper()
		in.TableName, in.Key = itemStr(tbl), key
		out, err := e.GetItem(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out.Item.Item()
	}
	wantItem(t, get(&GetItemInput{AttributesToGet: []string{"x", "zz"}}), attr.Item{"x": itemN("1")})
	wantItem(t, get(&GetItemInput{ProjectionExpression: itemStr("x, m.#i, l[1]"), ExpressionAttributeNames: map[string]string{"#i": "in"}}),
		attr.Item{"x": itemN("1"), "m": attr.Map(map[string]attr.Value{"in": itemS("i")}), "l": attr.List(itemN("1"))})
	// A projection that matches nothing still returns an (empty) Item.
	got := get(&GetItemInput{ProjectionExpression: itemStr("zz")})
	if got == nil || len(got) != 0 {
		t.Fatalf("Item = %v, want empty", got)
	}

	out, err := e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS("missing")}})
	if err != nil || !out.Item.IsZero() {
		t.Fatalf("missing item = %v, %v", out, err)
	}
	_, err = e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: key, ProjectionExpression: itemStr("x"),
		ExpressionAttributeNames: map[string]string{"#u": "u"}})
	wantValidation(t, err, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}")
	_, err = e.GetItem(ctx, &GetItemInput{TableName: itemStr(tbl), Key: key, ProjectionExpression: itemStr("pk[0]")})
	wantValidation(t, err, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk")
}
