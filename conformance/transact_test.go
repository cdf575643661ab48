package conformance

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TransactWriteItems and TransactGetItems. Behaviour is AWS-verified
// (scylladb test_transact.py runs against AWS); the cancellation message is
// from the LocalStack AWS snapshot test_transaction_write_canceled.

func txPut(table string, item attrs, cond string) types.TransactWriteItem {
	p := &types.Put{TableName: aws.String(table), Item: item}
	if cond != "" {
		p.ConditionExpression = aws.String(cond)
	}
	return types.TransactWriteItem{Put: p}
}

func txCheck(table string, key attrs, cond string) types.TransactWriteItem {
	return types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(table), Key: key, ConditionExpression: aws.String(cond),
	}}
}

func transactWrite(t testing.TB, token string, items ...types.TransactWriteItem) error {
	t.Helper()
	in := &dynamodb.TransactWriteItemsInput{TransactItems: items}
	if token != "" {
		in.ClientRequestToken = aws.String(token)
	}
	_, err := ddb(t).TransactWriteItems(ctx(t), in)
	return err
}

// wantCanceled checks a TransactionCanceledException: its message lists the
// codes, and CancellationReasons has one entry per action, in order, with
// a Message exactly when the code is not None.
func wantCanceled(t testing.TB, err error, codes ...string) *types.TransactionCanceledException {
	t.Helper()
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("error %v is not *types.TransactionCanceledException", err)
	}
	msg := "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]"
	wantAPIError(t, err, "TransactionCanceledException", msg)
	if len(tce.CancellationReasons) != len(codes) {
		t.Fatalf("%d CancellationReasons, want %d", len(tce.CancellationReasons), len(codes))
	}
	for i, r := range tce.CancellationReasons {
		if aws.ToString(r.Code) != codes[i] {
			t.Fatalf("reason %d Code = %q, want %q", i, aws.ToString(r.Code), codes[i])
		}
		if (r.Message != nil) != (codes[i] != "None") {
			t.Fatalf("reason %d (%s) Message = %v", i, codes[i], r.Message)
		}
	}
	return tce
}

// wantRawMatching fails unless r is an HTTP 400 error whose __type ends in
// "#"+code and whose message matches pattern.
func wantRawMatching(t testing.TB, r rawResponse, code, pattern string) {
	t.Helper()
	e := r.envelope()
	if r.Status != http.StatusBadRequest || !strings.HasSuffix(e.Type, "#"+code) || !regexp.MustCompile(pattern).MatchString(e.Message) {
		t.Fatalf("got %d %s %q, want 400 %s matching %q", r.Status, e.Type, e.Message, code, pattern)
	}
}

func TestTransactWriteActions(t *testing.T) {
	t.Parallel()
	a, b := hashTable(t), rangeTable(t, types.ScalarAttributeTypeN)
	putOK(t, a, attrs{"pk": avS("upd"), "n": avN("42")})
	putOK(t, a, pk("del"))
	err := transactWrite(t, "",
		txPut(a, attrs{"pk": avS("new"), "x": avS("dog")}, "attribute_not_exists(pk)"),
		types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(a), Key: pk("upd"),
			UpdateExpression: aws.String("SET n = n + :one"), ConditionExpression: aws.String("n = :v"),
			ExpressionAttributeValues: attrs{":one": avN("1"), ":v": avN("42")},
		}},
		types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(a), Key: pk("del"), ConditionExpression: aws.String("attribute_exists(pk)")}},
		txCheck(a, pk("absent"), "attribute_not_exists(pk)"),
		txPut(b, attrs{"pk": avS("p"), "sk": avN("1")}, ""),
	)
	if err != nil {
		t.Fatalf("TransactWriteItems: %v", err)
	}
	wantAttrs(t, "put", getOK(t, a, pk("new")), attrs{"pk": avS("new"), "x": avS("dog")})
	wantAttrs(t, "updated", getOK(t, a, pk("upd")), attrs{"pk": avS("upd"), "n": avN("43")})
	wantAttrs(t, "deleted", getOK(t, a, pk("del")), nil)
	wantAttrs(t, "condition check writes nothing", getOK(t, a, pk("absent")), nil)
	wantAttrs(t, "second table", getOK(t, b, attrs{"pk": avS("p"), "sk": avN("1")}), attrs{"pk": avS("p"), "sk": avN("1")})
}

func TestTransactWriteAllOrNothing(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	err := transactWrite(t, "",
		txPut(table, pk("p1"), ""),
		txPut(table, pk("p2"), "attribute_not_exists(pk)"),
		txCheck(table, pk("p3"), "attribute_exists(pk)"),
		txPut(table, pk("p4"), "attribute_exists(pk)"),
	)
	// Every failing condition is reported, not only the first.
	wantCanceled(t, err, "None", "None", "ConditionalCheckFailed", "ConditionalCheckFailed")
	for _, k := range []string{"p1", "p2", "p3", "p4"} {
		wantAttrs(t, k, getOK(t, table, pk(k)), nil)
	}
}

func TestTransactWriteReturnValuesOnConditionCheckFailure(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	item := attrs{"pk": avS("k"), "x": avN("42"), "y": avS("dog")}
	putOK(t, table, item)
	update := func(rv types.ReturnValuesOnConditionCheckFailure) error {
		return transactWrite(t, "", types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(table), Key: pk("k"), ReturnValuesOnConditionCheckFailure: rv,
			ConditionExpression: aws.String("x = :v"), UpdateExpression: aws.String("SET x = x + :one"),
			ExpressionAttributeValues: attrs{":v": avN("43"), ":one": avN("1")},
		}})
	}
	tce := wantCanceled(t, update(types.ReturnValuesOnConditionCheckFailureAllOld), "ConditionalCheckFailed")
	wantAttrs(t, "reason Item", tce.CancellationReasons[0].Item, item)
	tce = wantCanceled(t, update(types.ReturnValuesOnConditionCheckFailureNone), "ConditionalCheckFailed")
	wantAttrs(t, "reason Item with NONE", tce.CancellationReasons[0].Item, nil)
	wantAPIErrorMatching(t, update("dog"), "ValidationException", `[rR]eturnValuesOnConditionCheckFailure`)
	wantAttrs(t, "unchanged", getOK(t, table, pk("k")), item)
}

func TestTransactWriteValidationErrorReason(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	err := transactWrite(t, "",
		txPut(table, attrs{"pk": avN("7")}, ""),
		txPut(table, attrs{"pk": avN("8")}, ""),
		txPut(table, pk("p"), "attribute_exists(pk)"),
	)
	// Only the first invalid action is reported; the others say None.
	wantCanceled(t, err, "ValidationError", "None", "None")
}

func TestTransactWriteErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	t.Run("two actions on one item", func(t *testing.T) {
		err := transactWrite(t, "", txPut(table, pk("a"), ""), txCheck(table, pk("a"), "attribute_not_exists(pk)"))
		wantAPIErrorMatching(t, err, "ValidationException", `one item`)
	})
	// The SDK refuses these two before sending, so they go out raw.
	t.Run("condition check without condition", func(t *testing.T) {
		r := ddbCall(t, "TransactWriteItems", map[string]any{"TransactItems": []any{
			map[string]any{"ConditionCheck": map[string]any{"TableName": table, "Key": map[string]any{"pk": map[string]string{"S": "a"}}}},
		}})
		wantRawMatching(t, r, "ValidationException", `[cC]onditionExpression`)
	})
	t.Run("empty", func(t *testing.T) {
		wantRawMatching(t, ddbCall(t, "TransactWriteItems", map[string]any{"TransactItems": []any{}}), "ValidationException", `[tT]ransactItems`)
	})
	t.Run("101 actions", func(t *testing.T) {
		var items []types.TransactWriteItem
		for i := 0; i < 101; i++ {
			items = append(items, txPut(table, pk(fmt.Sprint(i)), ""))
		}
		wantAPIErrorMatching(t, transactWrite(t, "", items...), "ValidationException", `[tT]ransactItems.*100`)
	})
	t.Run("missing placeholder is a request error", func(t *testing.T) {
		err := transactWrite(t, "", txPut(table, pk("a"), "attribute_exists(#xyz)"))
		wantAPIErrorMatching(t, err, "ValidationException", `#xyz`)
	})
	t.Run("token too long", func(t *testing.T) {
		err := transactWrite(t, strings.Repeat("t", 37), txPut(table, pk("a"), ""))
		wantAPIErrorMatching(t, err, "ValidationException", `[cC]lientRequestToken`)
	})
	t.Run("missing table", func(t *testing.T) {
		err := transactWrite(t, "", txPut(uniqueName("absent"), pk("a"), ""))
		wantAPIError(t, err, "ResourceNotFoundException", "")
	})
}

func TestTransactWrite100Actions(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	var items []types.TransactWriteItem
	for i := 0; i < 100; i++ {
		items = append(items, txPut(table, attrs{"pk": avS(fmt.Sprint(i)), "i": avN(fmt.Sprint(i))}, ""))
	}
	if err := transactWrite(t, "", items...); err != nil {
		t.Fatalf("100 actions: %v", err)
	}
	wantAttrs(t, "item 99", getOK(t, table, pk("99")), attrs{"pk": avS("99"), "i": avN("99")})
}

func TestTransactWriteIdempotency(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, attrs{"pk": avS("c"), "x": avN("42")})
	inc := types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(table), Key: pk("c"),
		UpdateExpression: aws.String("SET x = x + :one"), ExpressionAttributeValues: attrs{":one": avN("1")},
	}}
	x := func() string { return scalar(getOK(t, table, pk("c"))["x"]) }
	for want, token := range []string{"", ""} {
		if err := transactWrite(t, token, inc); err != nil {
			t.Fatal(err)
		}
		if got := x(); got != fmt.Sprint(43+want) {
			t.Fatalf("without a token, x = %s, want %d", got, 43+want)
		}
	}
	token := uniqueName("tok")
	for i := 0; i < 2; i++ {
		if err := transactWrite(t, token, inc); err != nil {
			t.Fatalf("attempt %d with the same token: %v", i, err)
		}
		if got := x(); got != "45" {
			t.Fatalf("attempt %d with the same token: x = %s, want 45", i, got)
		}
	}
	err := transactWrite(t, token, txPut(table, pk("other"), ""))
	wantAPIError(t, err, "IdempotentParameterMismatchException", "")
	wantAttrs(t, "mismatched request not applied", getOK(t, table, pk("other")), nil)
}

func TestTransactGetItems(t *testing.T) {
	t.Parallel()
	a, b := hashTable(t), rangeTable(t, types.ScalarAttributeTypeN)
	itemA := attrs{"pk": avS("a"), "x": avN("1"), "y": avN("2"), "z": avN("3")}
	itemB := attrs{"pk": avS("b"), "sk": avN("1"), "v": avS("v")}
	seed(t, a, itemA)
	seed(t, b, itemB)
	get := func(table string, key attrs, proj string, names map[string]string) types.TransactGetItem {
		g := &types.Get{TableName: aws.String(table), Key: key, ExpressionAttributeNames: names}
		if proj != "" {
			g.ProjectionExpression = aws.String(proj)
		}
		return types.TransactGetItem{Get: g}
	}
	out, err := ddb(t).TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		get(b, attrs{"pk": avS("b"), "sk": avN("1")}, "", nil),
		get(a, pk("missing"), "", nil),
		get(a, pk("a"), "#x, z", map[string]string{"#x": "x"}),
	}})
	if err != nil {
		t.Fatalf("TransactGetItems: %v", err)
	}
	if len(out.Responses) != 3 {
		t.Fatalf("%d Responses, want 3 in request order", len(out.Responses))
	}
	wantAttrs(t, "response 0", out.Responses[0].Item, itemB)
	wantAttrs(t, "response 1 (missing)", out.Responses[1].Item, nil)
	wantAttrs(t, "response 2 (projected)", out.Responses[2].Item, attrs{"x": avN("1"), "z": avN("3")})

	t.Run("101 actions", func(t *testing.T) {
		var many []types.TransactGetItem
		for i := 0; i < 101; i++ {
			many = append(many, get(a, pk(fmt.Sprint(i)), "", nil))
		}
		_, err := ddb(t).TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: many})
		wantAPIErrorMatching(t, err, "ValidationException", `[tT]ransactItems.*100`)
	})
	t.Run("unused name", func(t *testing.T) {
		_, err := ddb(t).TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
			get(a, pk("a"), "#x", map[string]string{"#x": "x", "#q": "q"}),
		}})
		wantAPIErrorMatching(t, err, "ValidationException", `unused.*#q`)
	})
}

// TestTransactFourMB: the aggregate size of a transaction's items is
// limited to 4 MB (API reference). No response from AWS records the words;
// the texts are DynamoDB Local's (3.3.1), which counts a write
// transaction's payload (for Puts, exactly the size of the items) and names
// the size, and refuses a read transaction whose items add up to more.
func TestTransactFourMB(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	big := avS(strings.Repeat("x", 390*1024))
	var puts []types.TransactWriteItem
	var gets []types.TransactGetItem
	total := 0
	for i := range 11 {
		k := fmt.Sprint("big", i)
		puts = append(puts, txPut(table, attrs{"pk": avS(k), "v": big}, ""))
		gets = append(gets, types.TransactGetItem{Get: &types.Get{TableName: aws.String(table), Key: pk(k)}})
		total += len("pk") + len(k) + len("v") + 390*1024
	}
	err := transactWrite(t, "", puts...)
	wantAPIError(t, err, "ValidationException", fmt.Sprint("Transaction payload size cannot exceed 4MB. Payload Size: ", total))
	wantAttrs(t, "nothing written", getOK(t, table, pk("big0")), nil)

	// Written in two transactions, the items are too many to read in one.
	if err := transactWrite(t, "", puts[:6]...); err != nil {
		t.Fatalf("first half: %v", err)
	}
	if err := transactWrite(t, "", puts[6:]...); err != nil {
		t.Fatalf("second half: %v", err)
	}
	_, err = ddb(t).TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: gets})
	wantAPIErrorContains(t, err, "ValidationException", "Payload in response is too large.")
	out, err := ddb(t).TransactGetItems(ctx(t), &dynamodb.TransactGetItemsInput{TransactItems: gets[:10]})
	if err != nil || len(out.Responses) != 10 {
		t.Fatalf("10 items under 4 MB: %v", err)
	}
}

// TestTransactWriteCapacityOfChecksAndReplays: a ConditionCheck is billed as
// a transactional write, and a request repeated with its ClientRequestToken
// as a transactional read of each item as stored: an item of 1.5 KB is
// written for 4 write units and replayed for 2 read units (paritysuite's
// transaction capacity tests, recorded against DynamoDB in eu-west-2 in
// 2026).
func TestTransactWriteCapacityOfChecksAndReplays(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, pk("checked"))
	c := ddb(t)
	out, err := c.TransactWriteItems(ctx(t), &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		TransactItems: []types.TransactWriteItem{txCheck(table, pk("checked"), "attribute_exists(pk)")}})
	if err != nil {
		t.Fatal(err)
	}
	if cc := out.ConsumedCapacity; len(cc) != 1 || aws.ToFloat64(cc[0].CapacityUnits) != 2 ||
		aws.ToFloat64(cc[0].WriteCapacityUnits) != 2 || aws.ToFloat64(cc[0].ReadCapacityUnits) != 0 {
		t.Errorf("ConditionCheck capacity = %s, want 2 write units", capacityString(cc))
	}
	in := &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		ClientRequestToken: aws.String(uniqueName("replay")),
		TransactItems:      []types.TransactWriteItem{txPut(table, attrs{"pk": avS("big"), "v": avS(strings.Repeat("x", 1500))}, "")}}
	first, err := c.TransactWriteItems(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if cc := first.ConsumedCapacity; len(cc) != 1 || aws.ToFloat64(cc[0].WriteCapacityUnits) != 4 || aws.ToFloat64(cc[0].ReadCapacityUnits) != 0 {
		t.Errorf("first call capacity = %s, want 4 write units", capacityString(cc))
	}
	again, err := c.TransactWriteItems(ctx(t), in)
	if err != nil {
		t.Fatal(err)
	}
	if cc := again.ConsumedCapacity; len(cc) != 1 || aws.ToFloat64(cc[0].ReadCapacityUnits) != 2 || aws.ToFloat64(cc[0].WriteCapacityUnits) != 0 ||
		aws.ToFloat64(cc[0].CapacityUnits) != 2 {
		t.Errorf("replay capacity = %s, want 2 read units", capacityString(cc))
	}
}

// capacityString renders consumed capacities for a failure message.
func capacityString(cc []types.ConsumedCapacity) string {
	parts := make([]string, len(cc))
	for i, c := range cc {
		parts[i] = fmt.Sprintf("%s: %v units (%v read, %v write)", aws.ToString(c.TableName),
			aws.ToFloat64(c.CapacityUnits), aws.ToFloat64(c.ReadCapacityUnits), aws.ToFloat64(c.WriteCapacityUnits))
	}
	return "[" + strings.Join(parts, "; ") + "]"
}
