package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func txGet(table string, key attr.Item) TransactGetItem {
	return TransactGetItem{Get: &TransactGet{TableName: itemStr(table), Key: key}}
}

func TestTransactGetItemsValidation(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("tg1"))
	cases := []struct {
		name  string
		items []TransactGetItem
		code  Code
		want  string
	}{
		{"empty", []TransactGetItem{}, Validation, "1 validation error detected: Value '[]' at 'transactItems' " +
			"failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"null get", []TransactGetItem{{}}, Validation, "1 validation error detected: Value null at " +
			"'transactItems.1.member.get' failed to satisfy constraint: Member must not be null"},
		{"bad projection", []TransactGetItem{{Get: &TransactGet{TableName: itemStr("tg1"), Key: pk("a"),
			ProjectionExpression: itemStr("!!!")}}}, Validation,
			`Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"`},
		{"missing table", []TransactGetItem{txGet("tg1", pk("a")), txGet("nope", pk("a"))}, ResourceNotFound,
			"Requested resource not found"},
		{"same item twice", []TransactGetItem{txGet("tg1", pk("a")), txGet("tg1", pk("a"))}, Validation, msgMultipleOps},
		{"empty key", []TransactGetItem{txGet("tg1", pk(""))}, Validation, "One or more parameter values are not " +
			"valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: c.items})
			wantItemErr(t, err, c.code, c.want)
		})
	}
	_, err := e.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: []TransactGetItem{
		txGet("tg1", pk("a")), txGet("tg1", attr.Item{})}})
	wantCancelled(t, err, []string{"None", "ValidationError"}, "", msgKeySchema)
}

func TestTransactGetItemsReads(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("tga"), itemRangeDef("tgb"))
	a := attr.Item{"pk": itemS("a"), "x": itemS("1"), "y": itemS("2")}
	b := attr.Item{"pk": itemS("b"), "sk": itemN("1")}
	mustPut(t, e, "tga", a)
	mustPut(t, e, "tgb", b)
	proj := txGet("tga", pk("a"))
	proj.Get.ProjectionExpression, proj.Get.ExpressionAttributeNames = itemStr("#x"), map[string]string{"#x": "x"}
	out, err := e.TransactGetItems(context.Background(), &TransactGetItemsInput{
		ReturnConsumedCapacity: itemStr("TOTAL"),
		TransactItems: []TransactGetItem{
			txGet("tgb", attr.Item{"pk": itemS("b"), "sk": itemN("1")}), txGet("tga", pk("missing")), proj,
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Responses) != 3 {
		t.Fatalf("Responses = %+v", out.Responses)
	}
	wantItem(t, out.Responses[0].Item, b)
	wantItem(t, out.Responses[1].Item, nil)
	wantItem(t, out.Responses[2].Item, attr.Item{"x": itemS("1")})
	// Two transactional reads of tga (2 units each), one of tgb.
	if len(out.ConsumedCapacity) != 2 {
		t.Fatalf("ConsumedCapacity = %+v", out.ConsumedCapacity)
	}
	ca, cb := out.ConsumedCapacity[0], out.ConsumedCapacity[1]
	if ca.TableName != "tga" || ca.CapacityUnits != 4 || ca.ReadCapacityUnits != 4 || ca.WriteCapacityUnits != 0 ||
		cb.TableName != "tgb" || cb.CapacityUnits != 2 || cb.ReadCapacityUnits != 2 || ca.Table != nil {
		t.Fatalf("ConsumedCapacity = %+v %+v", ca, cb)
	}
}

// TestTransactGetItemsFourMB: a read transaction whose items add up to more
// than 4 MB is refused (and nothing is returned); 4 MB exactly is read.
func TestTransactGetItemsFourMB(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("tg4"))
	var gets []TransactGetItem
	total := 0
	for i := range 11 {
		item := attr.Item{"pk": itemS(strconv.Itoa(i)), "v": itemS(strings.Repeat("x", 380*1024))}
		mustPut(t, e, "tg4", item)
		gets = append(gets, txGet("tg4", pk(strconv.Itoa(i))))
		total += attr.ItemSize(item)
	}
	_, err := e.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: gets})
	wantItemErr(t, err, Validation, "Payload in response is too large."+strconv.Itoa(total))
	// Trim the last item so that the sum is exactly 4 MB.
	last := attr.Item{"pk": itemS("10"), "v": itemS(strings.Repeat("x", 380*1024-(total-maxTransactBytes)))}
	mustPut(t, e, "tg4", last)
	out, err := e.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: gets})
	if err != nil || len(out.Responses) != 11 || out.Responses[10].Item == nil {
		t.Fatalf("4 MB exactly: %v", err)
	}
}
