package engine

import (
	"context"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func TestDeleteItem(t *testing.T) {
	t.Parallel()
	const tbl = "del"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	key := attr.Item{"pk": itemS("a")}
	item := attr.Item{"pk": itemS("a"), "v": itemN("1")}

	// Deleting a missing item succeeds and returns nothing.
	out, err := e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr(tbl), Key: key, ReturnValues: itemStr("ALL_OLD")})
	if err != nil || out.Attributes != nil {
		t.Fatalf("delete missing = %v, %v", out, err)
	}

	mustPut(t, e, tbl, item)
	in := &DeleteItemInput{TableName: itemStr(tbl), Key: key, ConditionExpression: itemStr("v = :two"),
		ExpressionAttributeValues: map[string]attr.Value{":two": itemN("2")}, ReturnValuesOnConditionCheckFailure: itemStr("ALL_OLD")}
	_, err = e.DeleteItem(ctx, in)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
	wantItem(t, err.(*Error).Item, item)
	wantItem(t, mustGet(t, e, tbl, key), item)

	in.ExpressionAttributeValues[":two"] = itemN("1")
	in.ReturnValues = itemStr("ALL_OLD")
	out, err = e.DeleteItem(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	wantItem(t, out.Attributes, item)
	if got := mustGet(t, e, tbl, key); got != nil {
		t.Fatalf("item still there: %v", got)
	}

	// A condition on a missing item sees no attributes.
	_, err = e.DeleteItem(ctx, &DeleteItemInput{TableName: itemStr(tbl), Key: key, ConditionExpression: itemStr("attribute_exists(pk)")})
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
}
