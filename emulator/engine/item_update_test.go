package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
)

// updateCase runs UpdateItem on the item with key pk=a of table tbl.
type updateCase struct {
	expr   string
	values map[string]attr.Value
	names  map[string]string
}

func (c updateCase) input(tbl string) *UpdateItemInput {
	return &UpdateItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS("a")},
		UpdateExpression: itemStr(c.expr), ExpressionAttributeValues: c.values, ExpressionAttributeNames: c.names}
}

func TestUpdateItemSemantics(t *testing.T) {
	t.Parallel()
	base := func() attr.Item {
		return attr.Item{
			"pk": itemS("a"), "n": itemN("10"), "l": attr.List(itemN("0"), itemN("1"), itemN("2"), itemN("3")),
			"ss": itemSS("x", "y"), "ns": itemNS("1", "2"),
			"m": attr.Map(map[string]attr.Value{"k": itemS("v")}),
		}
	}
	cases := []struct {
		name string
		upd  updateCase
		want func(attr.Item)
	}{
		{"arithmetic", updateCase{expr: "SET n = n + :d, o = n - :d", values: map[string]attr.Value{":d": itemN("2.5")}},
			func(it attr.Item) { it["n"] = itemN("12.5"); it["o"] = itemN("7.5") }},
		{"if_not_exists existing", updateCase{expr: "SET n = if_not_exists(n, :z)", values: map[string]attr.Value{":z": itemN("0")}},
			func(attr.Item) {}},
		{"if_not_exists missing", updateCase{expr: "SET c = if_not_exists(c, :z) + :one",
			values: map[string]attr.Value{":z": itemN("0"), ":one": itemN("1")}},
			func(it attr.Item) { it["c"] = itemN("1") }},
		{"list_append", updateCase{expr: "SET l = list_append(:h, l), e = list_append(l, :h)",
			values: map[string]attr.Value{":h": attr.List(itemS("h"))}},
			func(it attr.Item) {
				it["l"] = attr.List(itemS("h"), itemN("0"), itemN("1"), itemN("2"), itemN("3"))
				it["e"] = attr.List(itemN("0"), itemN("1"), itemN("2"), itemN("3"), itemS("h"))
			}},
		{"remove list elements", updateCase{expr: "REMOVE l[1], l[3], m.k"},
			func(it attr.Item) {
				it["l"] = attr.List(itemN("0"), itemN("2"))
				it["m"] = attr.Map(nil)
			}},
		{"set nested", updateCase{expr: "SET m.#new = :v, l[1] = :v", names: map[string]string{"#new": "new"},
			values: map[string]attr.Value{":v": itemS("v2")}},
			func(it attr.Item) {
				it["m"] = attr.Map(map[string]attr.Value{"k": itemS("v"), "new": itemS("v2")})
				it["l"] = attr.List(itemN("0"), itemS("v2"), itemN("2"), itemN("3"))
			}},
		{"add number and sets", updateCase{expr: "ADD n :one, ss :xs, ns :ns, fresh :one",
			values: map[string]attr.Value{":one": itemN("1"), ":xs": itemSS("y", "z"), ":ns": itemNS("3")}},
			func(it attr.Item) {
				it["n"] = itemN("11")
				it["ss"] = itemSS("x", "y", "z")
				it["ns"] = itemNS("1", "2", "3")
				it["fresh"] = itemN("1")
			}},
		{"delete from sets", updateCase{expr: "DELETE ss :x, ns :all",
			values: map[string]attr.Value{":x": itemSS("x", "q"), ":all": itemNS("1", "2")}},
			func(it attr.Item) { it["ss"] = itemSS("y"); delete(it, "ns") }},
		{"remove attribute", updateCase{expr: "REMOVE n, gone"},
			func(it attr.Item) { delete(it, "n") }},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			tbl := "sem" + strings.Repeat("x", i)
			e := newItemEngine(t, itemHashDef(tbl))
			mustPut(t, e, tbl, base())
			if _, err := e.UpdateItem(context.Background(), c.upd.input(tbl)); err != nil {
				t.Fatal(err)
			}
			want := base()
			c.want(want)
			wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("a")}), want)
		})
	}
}

func TestUpdateItemFailuresLeaveItem(t *testing.T) {
	t.Parallel()
	const tbl = "updfail"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	item := attr.Item{"pk": itemS("a"), "s": itemS("str"), "n": itemN("1"), "l": attr.List(itemN("1"))}
	mustPut(t, e, tbl, item)
	cases := []struct {
		upd  updateCase
		want string
	}{
		{updateCase{expr: "SET n = :two, x = s + :two", values: map[string]attr.Value{":two": itemN("2")}},
			"An operand in the update expression has an incorrect data type"},
		{updateCase{expr: "SET n = :two, x = nope + :two", values: map[string]attr.Value{":two": itemN("2")}},
			"The provided expression refers to an attribute that does not exist in the item"},
		{updateCase{expr: "SET n = :two, nope.x = :two", values: map[string]attr.Value{":two": itemN("2")}},
			"The document path provided in the update expression is invalid for update"},
		{updateCase{expr: "SET n = :two ADD s :two", values: map[string]attr.Value{":two": itemN("2")}},
			"An operand in the update expression has an incorrect data type"},
		{updateCase{expr: "SET n = :two, x = list_append(n, :two)", values: map[string]attr.Value{":two": itemN("2")}},
			"1 validation error detected: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N"},
		{updateCase{expr: "SET n = :big", values: map[string]attr.Value{":big": itemS(strings.Repeat("b", maxItemSize))}},
			msgUpdateTooBig},
		{updateCase{expr: "SET pk = :two", values: map[string]attr.Value{":two": itemS("2")}},
			"One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
		{updateCase{expr: "REMOVE pk"},
			"One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
	}
	for _, c := range cases {
		_, err := e.UpdateItem(ctx, c.upd.input(tbl))
		wantValidation(t, err, c.want)
		wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("a")}), item)
	}
	in := updateCase{expr: "SET n = :two", values: map[string]attr.Value{":two": itemN("2")}}.input(tbl)
	in.ConditionExpression = itemStr("n = :two")
	in.ReturnValuesOnConditionCheckFailure = itemStr("ALL_OLD")
	_, err := e.UpdateItem(ctx, in)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
	wantItem(t, err.(*Error).Item, item)
	wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("a")}), item)
}

func TestUpdateItemUpsert(t *testing.T) {
	t.Parallel()
	const tbl = "upsert"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	key := func(pk string) attr.Item { return attr.Item{"pk": itemS(pk)} }

	// No action at all creates the bare key.
	if _, err := e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr(tbl), Key: key("bare")}); err != nil {
		t.Fatal(err)
	}
	wantItem(t, mustGet(t, e, tbl, key("bare")), key("bare"))

	// SET creates the item.
	in := updateCase{expr: "SET v = :v", values: map[string]attr.Value{":v": itemN("1")}}.input(tbl)
	in.Key = key("set")
	if _, err := e.UpdateItem(ctx, in); err != nil {
		t.Fatal(err)
	}
	wantItem(t, mustGet(t, e, tbl, key("set")), attr.Item{"pk": itemS("set"), "v": itemN("1")})

	// REMOVE and DELETE alone on a missing item create nothing.
	for i, upd := range []updateCase{
		{expr: "REMOVE v"},
		{expr: "DELETE s :s", values: map[string]attr.Value{":s": itemSS("x")}},
		{expr: "REMOVE v DELETE s :s", values: map[string]attr.Value{":s": itemSS("x")}},
	} {
		in := upd.input(tbl)
		in.Key = key("rm" + strings.Repeat("x", i))
		in.ReturnValues = itemStr("ALL_NEW")
		out, err := e.UpdateItem(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if out.Attributes != nil {
			t.Fatalf("%s: Attributes = %v, want none", upd.expr, out.Attributes)
		}
		if got := mustGet(t, e, tbl, in.Key); got != nil {
			t.Fatalf("%s created %v", upd.expr, got)
		}
	}
}

func TestUpdateItemReturnValues(t *testing.T) {
	t.Parallel()
	const tbl = "updrv"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	old := attr.Item{"pk": itemS("a"), "b": itemS("b0"), "c": itemN("1"), "d": itemS("keep")}
	upd := updateCase{expr: "SET b = :b ADD c :one REMOVE gone", values: map[string]attr.Value{":b": itemS("b1"), ":one": itemN("1")}}
	newItem := attr.Item{"pk": itemS("a"), "b": itemS("b1"), "c": itemN("2"), "d": itemS("keep")}
	cases := []struct {
		rv   string
		want attr.Item
	}{
		{"NONE", nil},
		{"ALL_OLD", old},
		{"UPDATED_OLD", attr.Item{"b": itemS("b0"), "c": itemN("1")}},
		{"ALL_NEW", newItem},
		{"UPDATED_NEW", attr.Item{"b": itemS("b1"), "c": itemN("2")}},
	}
	for _, c := range cases {
		mustPut(t, e, tbl, old)
		in := upd.input(tbl)
		in.ReturnValues = itemStr(c.rv)
		out, err := e.UpdateItem(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", c.rv, err)
		}
		wantItem(t, out.Attributes, c.want)
	}
	// Old values of an item that did not exist are absent.
	in := upd.input(tbl)
	in.Key = attr.Item{"pk": itemS("new")}
	in.ReturnValues = itemStr("UPDATED_OLD")
	out, err := e.UpdateItem(ctx, in)
	if err != nil || out.Attributes != nil {
		t.Fatalf("UPDATED_OLD on a new item = %v, %v", out, err)
	}
}

func TestUpdateItemIndexKeys(t *testing.T) {
	t.Parallel()
	const tbl = "updidx"
	e := newItemEngine(t, itemRangeDef(tbl))
	ctx := context.Background()
	key := attr.Item{"pk": itemS("a"), "sk": itemN("1")}
	in := func(ex string, v attr.Value) *UpdateItemInput {
		return &UpdateItemInput{TableName: itemStr(tbl), Key: key, UpdateExpression: itemStr(ex),
			ExpressionAttributeValues: map[string]attr.Value{":v": v}}
	}
	_, err := e.UpdateItem(ctx, in("SET g = :v", itemN("1")))
	wantValidation(t, err, "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: gsi")
	_, err = e.UpdateItem(ctx, in("SET x = :v", itemN("1")))
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr(tbl), Key: key, UpdateExpression: itemStr("SET g = x")})
	wantValidation(t, err, "The update expression attempted to update the secondary index key to unsupported type")
	_, err = e.UpdateItem(ctx, in("SET l = :v", itemS("")))
	wantValidation(t, err, "One or more parameter values are not valid. The update expression attempted to update a secondary "+
		"index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.")
	_, err = e.UpdateItem(ctx, in("SET g.x = :v", itemN("2")))
	wantValidation(t, err, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g")
	_, err = e.UpdateItem(ctx, in("SET sk = :v", itemN("2")))
	wantValidation(t, err, "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key")
	if _, err := e.UpdateItem(ctx, in("SET g = :v", itemS("x"))); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, e, tbl, key); got == nil {
		t.Fatalf("item not created")
	}
}

// TestUpdateItemKCLLease drives the conditional lease writes of the Kinesis
// Client Library's DynamoDB lease refresher: create the lease if absent,
// then take and renew it with Expected {leaseCounter: {Value: N}} and
// AttributeUpdates PUT/ADD.
func TestUpdateItemKCLLease(t *testing.T) {
	t.Parallel()
	const tbl = "kcl"
	def := itemHashDef(tbl)
	def.Key.Hash = "leaseKey"
	e := newItemEngine(t, def)
	ctx := context.Background()
	key := attr.Item{"leaseKey": itemS("shardId-000000000001")}
	lease := attr.Item{"leaseKey": itemS("shardId-000000000001"), "leaseCounter": itemN("0"),
		"checkpoint": itemS("TRIM_HORIZON"), "ownerSwitchesSinceCheckpoint": itemN("0")}

	// createLeaseIfNotExists: PutItem with Expected leaseKey Exists=false.
	create := &PutItemInput{TableName: itemStr(tbl), Item: lease,
		Expected: map[string]expr.ExpectedAttributeValue{"leaseKey": {Exists: itemBool(false)}}}
	if _, err := e.PutItem(ctx, create); err != nil {
		t.Fatal(err)
	}
	_, err := e.PutItem(ctx, create)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)

	put, add := itemStr("PUT"), itemStr("ADD")
	counter := func(n string) map[string]expr.ExpectedAttributeValue {
		v := itemN(n)
		return map[string]expr.ExpectedAttributeValue{"leaseCounter": {Value: &v}}
	}
	owner, one := itemS("worker-1"), itemN("1")
	take := &UpdateItemInput{TableName: itemStr(tbl), Key: key, Expected: counter("0"),
		AttributeUpdates: map[string]expr.AttributeValueUpdate{
			"leaseOwner":                   {Action: put, Value: &owner},
			"leaseCounter":                 {Action: add, Value: &one},
			"ownerSwitchesSinceCheckpoint": {Action: add, Value: &one},
		}, ReturnValues: itemStr("ALL_NEW")}
	out, err := e.UpdateItem(ctx, take)
	if err != nil {
		t.Fatal(err)
	}
	want := attr.Item{"leaseKey": key["leaseKey"], "leaseCounter": itemN("1"), "checkpoint": itemS("TRIM_HORIZON"),
		"ownerSwitchesSinceCheckpoint": itemN("1"), "leaseOwner": owner}
	wantItem(t, out.Attributes, want)

	// A second taker with the stale counter loses.
	_, err = e.UpdateItem(ctx, take)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)

	// renewLease: ADD leaseCounter 1 expecting the current counter.
	renew := &UpdateItemInput{TableName: itemStr(tbl), Key: key, Expected: counter("1"),
		AttributeUpdates: map[string]expr.AttributeValueUpdate{"leaseCounter": {Action: add, Value: &one}}}
	if _, err := e.UpdateItem(ctx, renew); err != nil {
		t.Fatal(err)
	}
	want["leaseCounter"] = itemN("2")
	wantItem(t, mustGet(t, e, tbl, key), want)

	// evictLease: PUT leaseOwner removal via DELETE without a value.
	evict := &UpdateItemInput{TableName: itemStr(tbl), Key: key, Expected: counter("2"),
		AttributeUpdates: map[string]expr.AttributeValueUpdate{
			"leaseOwner":   {Action: itemStr("DELETE")},
			"leaseCounter": {Action: add, Value: &one},
		}}
	if _, err := e.UpdateItem(ctx, evict); err != nil {
		t.Fatal(err)
	}
	delete(want, "leaseOwner")
	want["leaseCounter"] = itemN("3")
	wantItem(t, mustGet(t, e, tbl, key), want)
}
