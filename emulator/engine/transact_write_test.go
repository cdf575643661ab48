package engine

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
)

// Builders of transaction actions.
func common(table string) transactCommon { return transactCommon{TableName: itemStr(table)} }

func txPut(table string, item attr.Item, cond string) TransactWriteItem {
	p := &TransactPut{transactCommon: common(table), Item: item}
	if cond != "" {
		p.ConditionExpression = &cond
	}
	return TransactWriteItem{Put: p}
}

func txUpdate(table string, key attr.Item, upd string, values map[string]attr.Value) TransactWriteItem {
	return TransactWriteItem{Update: &TransactUpdate{transactCommon: transactCommon{TableName: itemStr(table),
		ExpressionAttributeValues: values}, Key: key, UpdateExpression: &upd}}
}

func txDelete(table string, key attr.Item) TransactWriteItem {
	return TransactWriteItem{Delete: &TransactDelete{transactCommon: common(table), Key: key}}
}

func txCheck(table string, key attr.Item, cond string) TransactWriteItem {
	c := &ConditionCheck{transactCommon: common(table), Key: key}
	c.ConditionExpression = &cond
	return TransactWriteItem{ConditionCheck: c}
}

func transact(items ...TransactWriteItem) *TransactWriteItemsInput {
	return &TransactWriteItemsInput{TransactItems: items}
}

// wantCancelled fails unless err is a TransactionCanceledException whose
// reasons have codes (and, when set, the messages).
func wantCancelled(tb testing.TB, err error, codes []string, messages ...string) []CancellationReason {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != TransactionCanceled {
		tb.Fatalf("error = %v, want TransactionCanceledException", err)
	}
	want := msgCancelledPrefix + strings.Join(codes, ", ") + "]"
	if e.Message != want || len(e.CancellationReasons) != len(codes) {
		tb.Fatalf("error = %q with %d reasons, want %q", e.Message, len(e.CancellationReasons), want)
	}
	for i, r := range e.CancellationReasons {
		if r.Code != codes[i] || (r.Code == "None" && (r.Message != "" || r.Item != nil)) {
			tb.Fatalf("reason %d = %+v, want code %s", i, r, codes[i])
		}
		if i < len(messages) && messages[i] != "" && r.Message != messages[i] {
			tb.Fatalf("reason %d message = %q, want %q", i, r.Message, messages[i])
		}
	}
	return e.CancellationReasons
}

func TestTransactWriteItemsValidation(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("tw1"), itemRangeDef("tw2"))
	many := make([]TransactWriteItem, 101)
	for i := range many {
		many[i] = txPut("tw1", pk(strconv.Itoa(i)), "")
	}
	bigVal := itemS(strings.Repeat("x", 300*1024))
	bigPuts := make([]TransactWriteItem, 14)
	for i := range bigPuts {
		bigPuts[i] = txPut("tw1", attr.Item{"pk": itemS(strconv.Itoa(i)), "v": bigVal}, "")
	}
	// The payload of a Put is its item; of an Update its key, expression and
	// values: 14 updates of 2+1 (or 2) bytes of key, 10 of expression and
	// 300 KB of value.
	bigUpdates := make([]TransactWriteItem, 14)
	for i := range bigUpdates {
		bigUpdates[i] = txUpdate("tw1", pk(strconv.Itoa(i)), "SET v = :v", map[string]attr.Value{":v": bigVal})
	}
	putPayload := 10*(2+1+1+300*1024) + 4*(2+2+1+300*1024)
	updatePayload := 10*(2+1+10+300*1024) + 4*(2+2+10+300*1024)
	nullUpdate := TransactWriteItem{Update: &TransactUpdate{transactCommon: transactCommon{
		ReturnValuesOnConditionCheckFailure: itemStr("ALL")}}}
	cases := []struct {
		name string
		in   *TransactWriteItemsInput
		code Code
		want string
	}{
		{"null", &TransactWriteItemsInput{}, Validation, "1 validation error detected: Value null at " +
			"'transactItems' failed to satisfy constraint: Member must not be null"},
		{"empty", &TransactWriteItemsInput{TransactItems: []TransactWriteItem{}}, Validation, "1 validation error detected: Value '[]' at 'transactItems' failed to " +
			"satisfy constraint: Member must have length greater than or equal to 1"},
		{"101", transact(many...), Validation, "1 validation error detected: Value at 'TransactItems' failed to " +
			"satisfy constraint: Member must have length less than or equal to 100"},
		{"members", &TransactWriteItemsInput{TransactItems: []TransactWriteItem{nullUpdate},
			ClientRequestToken: itemStr(strings.Repeat("t", 37)), ReturnConsumedCapacity: itemStr("BOGUS")},
			Validation, "6 validation errors detected: Value '" + strings.Repeat("t", 37) + "' at " +
				"'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36; " +
				"Value 'BOGUS' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum " +
				"value set: [INDEXES, TOTAL, NONE]; Value null at 'transactItems.1.member.update.tableName' failed to " +
				"satisfy constraint: Member must not be null; Value 'ALL' at " +
				"'transactItems.1.member.update.returnValuesOnConditionCheckFailure' failed to satisfy constraint: " +
				"Member must satisfy enum value set: [ALL_OLD, NONE]; Value null at 'transactItems.1.member.update.key' " +
				"failed to satisfy constraint: Member must not be null; Value null at " +
				"'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null"},
		{"no action", transact(TransactWriteItem{}), Validation, msgOneTransactWrite},
		{"two actions", transact(TransactWriteItem{Put: txPut("tw1", pk("a"), "").Put,
			Delete: txDelete("tw1", pk("a")).Delete}), Validation, msgOneTransactWrite},
		{"syntax error before missing table", transact(txPut("nope", pk("a"), ""),
			txCheck("tw1", pk("a"), "attribute_not_exists(")), Validation,
			`Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("`},
		{"unused value before missing table", transact(txPut("nope", pk("a"), ""),
			TransactWriteItem{ConditionCheck: &ConditionCheck{Key: pk("a"), transactCommon: transactCommon{
				TableName: itemStr("tw1"), ConditionExpression: itemStr("attribute_not_exists(pk)"),
				ExpressionAttributeValues: map[string]attr.Value{":v": itemS("x")}}}}), Validation,
			"Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"},
		{"item too big", transact(txPut("tw1", attr.Item{"pk": itemS("a"), "v": itemS(strings.Repeat("x", maxItemSize))}, "")),
			Validation, msgItemTooBig},
		{"4 MB of items", transact(bigPuts...), Validation,
			"Transaction payload size cannot exceed 4MB. Payload Size: " + strconv.Itoa(putPayload)},
		{"4 MB of update values", transact(bigUpdates...), Validation,
			"Transaction payload size cannot exceed 4MB. Payload Size: " + strconv.Itoa(updatePayload)},
		{"missing table", transact(txPut("tw1", pk("a"), ""), txDelete("nope", pk("a"))), ResourceNotFound,
			"Requested resource not found"},
		{"same item twice", transact(txPut("tw1", pk("a"), ""), txDelete("tw1", pk("a"))), Validation, msgMultipleOps},
		{"same number key twice", transact(txCheck("tw2", attr.Item{"pk": itemS("a"), "sk": itemN("1")}, "attribute_exists(pk)"),
			txDelete("tw2", attr.Item{"pk": itemS("a"), "sk": itemN("1.00")})), Validation, msgMultipleOps},
		{"empty key", transact(txDelete("tw1", pk(""))), Validation, "One or more parameter values are not valid. " +
			"The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"empty index key", transact(txPut("tw2", attr.Item{"pk": itemS("a"), "sk": itemN("1"), "g": itemS("")}, "")),
			Validation, "One or more parameter values are not valid. A value specified for a secondary index key is " +
				"not supported. The AttributeValue for a key attribute cannot contain an empty string value. " +
				"IndexName: gsi, IndexKey: g"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.TransactWriteItems(context.Background(), c.in)
			wantItemErr(t, err, c.code, c.want)
		})
	}
	if got := mustGet(t, e, "tw1", pk("a")); got != nil {
		t.Fatalf("a rejected transaction wrote %v", got)
	}
}

func TestTransactWriteItemsCancellation(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("twc"))
	ctx := context.Background()
	old := attr.Item{"pk": itemS("exists"), "v": itemN("1"), "s": itemS("str")}
	mustPut(t, e, "twc", old)

	failing := txPut("twc", pk("exists"), "attribute_not_exists(pk)")
	failing.Put.ReturnValuesOnConditionCheckFailure = itemStr("ALL_OLD")
	_, err := e.TransactWriteItems(ctx, transact(txPut("twc", pk("new"), "attribute_not_exists(pk)"), failing,
		txCheck("twc", pk("missing"), "attribute_exists(pk)")))
	reasons := wantCancelled(t, err, []string{"None", "ConditionalCheckFailed", "ConditionalCheckFailed"},
		"", msgConditionFailed, msgConditionFailed)
	wantItem(t, reasons[1].Item, old)
	if reasons[2].Item != nil {
		t.Fatalf("reason without ALL_OLD carries %v", reasons[2].Item)
	}

	// Per-action validation failures are reasons, not exceptions; the first
	// one ends the evaluation and the later actions are reported as None.
	validationFailures := []struct {
		action TransactWriteItem
		msg    string
	}{
		{txPut("twc", attr.Item{"pk": itemN("5")}, ""),
			"One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{txUpdate("twc", attr.Item{"pk": itemN("5")}, "SET v = :v", map[string]attr.Value{":v": itemN("1")}), msgKeySchema},
		{txUpdate("twc", pk("exists"), "SET s = s + :one", map[string]attr.Value{":one": itemN("1")}),
			"An operand in the update expression has an incorrect data type"},
		{txUpdate("twc", pk("other"), "SET pk = :s", map[string]attr.Value{":s": itemS("x")}),
			"One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key"},
	}
	for _, vf := range validationFailures {
		_, err = e.TransactWriteItems(ctx, transact(vf.action, txPut("twc", pk("new"), ""),
			txCheck("twc", pk("missing"), "attribute_exists(pk)")))
		wantCancelled(t, err, []string{"ValidationError", "None", "None"}, vf.msg)
	}
	wantItem(t, mustGet(t, e, "twc", pk("exists")), old)
	wantItem(t, mustGet(t, e, "twc", pk("new")), nil)
}

func TestTransactWriteItemsApplies(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("twa"), itemRangeDef("twb"))
	ctx := context.Background()
	mustPut(t, e, "twa", attr.Item{"pk": itemS("counter"), "n": itemN("1")})
	mustPut(t, e, "twa", attr.Item{"pk": itemS("gone"), "v": itemS(strings.Repeat("x", 1500))})
	rangeKey := attr.Item{"pk": itemS("p"), "sk": itemN("1")}
	in := transact(
		txUpdate("twa", pk("counter"), "SET n = n + :one", map[string]attr.Value{":one": itemN("1")}),
		txDelete("twa", pk("gone")),
		txCheck("twa", pk("counter2"), "attribute_not_exists(pk)"),
		txPut("twb", attr.Item{"pk": itemS("p"), "sk": itemN("1"), "l": itemS("x")}, ""),
	)
	in.ReturnConsumedCapacity, in.ReturnItemCollectionMetrics = itemStr("INDEXES"), itemStr("SIZE")
	out, err := e.TransactWriteItems(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	wantItem(t, mustGet(t, e, "twa", pk("counter")), attr.Item{"pk": itemS("counter"), "n": itemN("2")})
	wantItem(t, mustGet(t, e, "twa", pk("gone")), nil)
	wantItem(t, mustGet(t, e, "twb", rangeKey), attr.Item{"pk": itemS("p"), "sk": itemN("1"), "l": itemS("x")})
	// twa: update 1 + delete 2 (1.5 KB) + the check of a missing item 1,
	// doubled, all writes. twb: put 1 + LSI 1, doubled.
	if len(out.ConsumedCapacity) != 2 {
		t.Fatalf("ConsumedCapacity = %+v", out.ConsumedCapacity)
	}
	a, b := out.ConsumedCapacity[0], out.ConsumedCapacity[1]
	if a.TableName != "twa" || a.CapacityUnits != 8 || a.WriteCapacityUnits != 8 || a.ReadCapacityUnits != 0 ||
		*a.Table != (Capacity{CapacityUnits: 8, WriteCapacityUnits: 8}) {
		t.Fatalf("twa capacity = %+v %+v", a, a.Table)
	}
	if b.TableName != "twb" || b.CapacityUnits != 4 || b.WriteCapacityUnits != 4 ||
		b.LocalSecondaryIndexes["lsi"] != (Capacity{CapacityUnits: 2, WriteCapacityUnits: 2}) {
		t.Fatalf("twb capacity = %+v %+v", b, b.LocalSecondaryIndexes)
	}
	if m := out.ItemCollectionMetrics["twb"]; len(m) != 1 || len(out.ItemCollectionMetrics) != 1 {
		t.Fatalf("ItemCollectionMetrics = %+v", out.ItemCollectionMetrics)
	}
}

func TestTransactWriteItemsIdempotency(t *testing.T) {
	t.Parallel()
	clk := clock.NewFrozen(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	e := New(Options{Clock: clk})
	if _, err := e.CreateTable(context.Background(), createInputOf(itemHashDef("twi"))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	incr := func(token string, by string) (*TransactWriteItemsOutput, error) {
		in := transact(txUpdate("twi", pk("c"), "ADD n :d", map[string]attr.Value{":d": itemN(by)}))
		in.ClientRequestToken = &token
		return e.TransactWriteItems(ctx, in)
	}
	wantN := func(n string) {
		t.Helper()
		wantItem(t, mustGet(t, e, "twi", pk("c")), attr.Item{"pk": itemS("c"), "n": itemN(n)})
	}
	if _, err := incr("tok", "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := incr("tok", "1"); err != nil {
		t.Fatal(err)
	}
	wantN("1")
	_, err := incr("tok", "2")
	wantItemErr(t, err, IdempotentParameterMismatch, msgTokenMismatch)
	wantN("1")
	clk.Set(clk.Now().Add(idempotencyWindow))
	if _, err := incr("tok", "2"); err != nil {
		t.Fatalf("token reused after 10 minutes: %v", err)
	}
	wantN("3")

	// A cancelled request is not remembered: its token can be retried.
	in := transact(txCheck("twi", pk("c"), "n > :big"))
	in.TransactItems[0].ConditionCheck.ExpressionAttributeValues = map[string]attr.Value{":big": itemN("100")}
	in.ClientRequestToken = itemStr("tok2")
	_, err = e.TransactWriteItems(ctx, in)
	wantCancelled(t, err, []string{"ConditionalCheckFailed"})
	if _, err := incr("tok2", "1"); err != nil {
		t.Fatalf("token of a cancelled request: %v", err)
	}
	wantN("4")
}

// TestTransactWriteItemsReplayCapacity: a request repeated with its token
// reports a transactional read of each item as stored, in the repeat's
// mode: 2 read units for an item of 1.5 KB written for 4 write units.
func TestTransactWriteItemsReplayCapacity(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("twr"))
	ctx := context.Background()
	in := transact(txPut("twr", attr.Item{"pk": itemS("big"), "v": itemS(strings.Repeat("x", 1500))}, ""),
		txCheck("twr", pk("none"), "attribute_not_exists(pk)"))
	in.ClientRequestToken, in.ReturnConsumedCapacity = itemStr("replay"), itemStr("TOTAL")
	first, err := e.TransactWriteItems(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if c := first.ConsumedCapacity; len(c) != 1 || c[0].CapacityUnits != 6 || c[0].WriteCapacityUnits != 6 || c[0].ReadCapacityUnits != 0 {
		t.Fatalf("first call = %+v", c[0])
	}
	again, err := e.TransactWriteItems(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if c := again.ConsumedCapacity; len(c) != 1 || c[0].CapacityUnits != 4 || c[0].ReadCapacityUnits != 4 || c[0].WriteCapacityUnits != 0 {
		t.Fatalf("replay = %+v", c[0])
	}
	if c := first.ConsumedCapacity[0]; c.WriteCapacityUnits != 6 {
		t.Fatalf("the remembered output changed: %+v", c)
	}
}

func BenchmarkTransactWrite10(b *testing.B) {
	e := newBatchEngine(b, itemHashDef("bench"))
	ctx := context.Background()
	items := make([]TransactWriteItem, 10)
	for i := range items {
		items[i] = txUpdate("bench", pk(strconv.Itoa(i)), "ADD n :one", map[string]attr.Value{":one": itemN("1")})
		items[i].Update.ConditionExpression = itemStr("attribute_not_exists(n) OR n >= :zero")
		items[i].Update.ExpressionAttributeValues[":zero"] = itemN("0")
	}
	in := transact(items...)
	for b.Loop() {
		if _, err := e.TransactWriteItems(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
