package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/expr"
)

func TestPutItemRoundTrip(t *testing.T) {
	t.Parallel()
	const tbl = "put"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	item := attr.Item{
		"pk": itemS("a"), "n": itemN("1"), "ss": itemSS("x", "y"), "b": attr.Boolean(true),
		"m": attr.Map(map[string]attr.Value{"k": itemS("")}), "l": attr.List(itemN("2"), attr.Null()),
	}
	out, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: item})
	if err != nil {
		t.Fatal(err)
	}
	if out.Attributes != nil || out.ConsumedCapacity != nil {
		t.Fatalf("output = %+v, want empty", out)
	}
	wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("a")}), item)

	out, err = e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": itemS("a")},
		ReturnValues: itemStr("ALL_OLD")})
	if err != nil {
		t.Fatal(err)
	}
	wantItem(t, out.Attributes, item)
	wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("a")}), attr.Item{"pk": itemS("a")})

	out, err = e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": itemS("new")},
		ReturnValues: itemStr("ALL_OLD")})
	if err != nil || out.Attributes != nil {
		t.Fatalf("ALL_OLD of a new item = %v, %v; want no Attributes", out, err)
	}
}

func TestPutItemItemChecks(t *testing.T) {
	t.Parallel()
	const tbl = "putchecks"
	e := newItemEngine(t, itemRangeDef(tbl))
	ctx := context.Background()
	cases := []struct {
		item attr.Item
		want string
	}{
		{attr.Item{"sk": itemN("1")}, "One or more parameter values were invalid: Missing the key pk in the item"},
		{attr.Item{"pk": itemS("a")}, "One or more parameter values were invalid: Missing the key sk in the item"},
		{attr.Item{"pk": itemN("1"), "sk": itemN("1")},
			"One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"},
		{attr.Item{"pk": itemS("a"), "sk": itemS("1")},
			"One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S"},
		{attr.Item{"pk": itemS("a"), "sk": itemN("1"), "g": itemN("1")},
			"One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: gsi"},
		{attr.Item{"pk": itemS("a"), "sk": itemN("1"), "l": attr.Null()},
			"One or more parameter values were invalid: Type mismatch for Index Key l Expected: S Actual: NULL IndexName: lsi"},
		{attr.Item{"pk": itemS("a"), "sk": itemN("1"), "g": itemS("")},
			"One or more parameter values are not valid. A value specified for a secondary index key is not supported. " +
				"The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi, IndexKey: g"},
	}
	for _, c := range cases {
		_, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: c.item})
		wantValidation(t, err, c.want)
	}
	big := attr.Item{"pk": itemS("a"), "sk": itemN("1"), "v": itemS(strings.Repeat("x", maxItemSize))}
	_, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: big})
	wantValidation(t, err, msgItemTooBig)
	// Index keys may be absent (sparse indexes).
	mustPut(t, e, tbl, attr.Item{"pk": itemS("a"), "sk": itemN("1")})
}

// conditionItem is the item the condition tests evaluate against.
func conditionItem() attr.Item {
	return attr.Item{
		"pk":  itemS("c"),
		"s":   itemS("hello"),
		"n":   itemN("5"),
		"b":   attr.Bin([]byte{1, 2, 3}),
		"ss":  itemSS("x", "y"),
		"ns":  itemNS("1", "2"),
		"l":   attr.List(itemS("e"), itemN("7")),
		"m":   attr.Map(map[string]attr.Value{"in": itemS("side"), "deep": attr.Map(map[string]attr.Value{"x": itemN("1")})}),
		"t":   attr.Boolean(true),
		"nul": attr.Null(),
	}
}

func TestPutItemConditionFunctions(t *testing.T) {
	t.Parallel()
	const tbl = "conds"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	values := map[string]attr.Value{
		":hello": itemS("hello"), ":he": itemS("he"), ":ell": itemS("ell"), ":five": itemN("5"),
		":four": itemN("4"), ":six": itemN("6"), ":x": itemS("x"), ":two": itemN("2"), ":S": itemS("S"),
		":SS": itemS("SS"), ":L": itemS("L"), ":M": itemS("M"), ":BOOL": itemS("BOOL"), ":NULL": itemS("NULL"),
		":b12": attr.Bin([]byte{1, 2}), ":e": itemS("e"), ":seven": itemN("7"),
		":side": itemS("side"),
	}
	cases := []struct {
		cond string
		want bool
	}{
		{"attribute_exists(s)", true}, {"attribute_exists(zz)", false},
		{"attribute_not_exists(zz)", true}, {"attribute_not_exists(s)", false},
		{"attribute_exists(m.#in)", true}, {"attribute_exists(m.deep.x)", true}, {"attribute_exists(l[1])", true},
		{"attribute_exists(l[2])", false},
		{"attribute_type(s, :S)", true}, {"attribute_type(s, :L)", false}, {"attribute_type(ss, :SS)", true},
		{"attribute_type(l, :L)", true}, {"attribute_type(m, :M)", true}, {"attribute_type(t, :BOOL)", true},
		{"attribute_type(nul, :NULL)", true},
		{"begins_with(s, :he)", true}, {"begins_with(s, :ell)", false}, {"begins_with(b, :b12)", true},
		{"contains(s, :ell)", true}, {"contains(ss, :x)", true}, {"contains(ns, :two)", true},
		{"contains(ns, :five)", false}, {"contains(l, :e)", true},
		{"size(s) = :five", true}, {"size(ss) = :two", true}, {"size(l) = :two", true}, {"size(m) = :two", true},
		{"size(b) < :four", true}, {"size(zz) = :two", false},
		{"s = :hello", true}, {"s <> :hello", false}, {"n = :five", true}, {"n < :six", true}, {"n <= :five", true},
		{"n > :four", true}, {"n >= :six", false}, {"s = :five", false}, {"zz <> :five", true},
		{"n BETWEEN :four AND :six", true}, {"n BETWEEN :six AND :seven", false},
		{"n IN (:four, :five)", true}, {"s IN (:he, :ell)", false},
		{"m.#in = :side", true}, {"l[0] = :e", true},
		{"s = :hello AND n = :six", false}, {"s = :hello OR n = :six", true}, {"NOT n = :six", true},
		{"(s = :he OR s = :hello) AND NOT attribute_exists(zz)", true},
	}
	mustPut(t, e, tbl, conditionItem())
	for _, c := range cases {
		used := usedValues(c.cond, values)
		var names map[string]string
		if strings.Contains(c.cond, "#in") {
			names = map[string]string{"#in": "in"}
		}
		_, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: conditionItem(),
			ConditionExpression: itemStr(c.cond), ExpressionAttributeNames: names, ExpressionAttributeValues: used})
		if c.want && err != nil {
			t.Errorf("%s: %v, want success", c.cond, err)
		}
		if !c.want {
			wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
		}
		// The same condition guards an UpdateItem (whose REMOVE of an
		// absent attribute leaves the item as it is).
		_, err = e.UpdateItem(ctx, &UpdateItemInput{TableName: itemStr(tbl), Key: attr.Item{"pk": itemS("c")},
			UpdateExpression: itemStr("REMOVE absent"), ConditionExpression: itemStr(c.cond),
			ExpressionAttributeNames: names, ExpressionAttributeValues: used})
		if c.want && err != nil {
			t.Errorf("update %s: %v, want success", c.cond, err)
		}
		if !c.want {
			wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
		}
	}
	wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("c")}), conditionItem())
}

// usedValues keeps the placeholders of values that occur in cond, so each
// request passes no unused value.
func usedValues(cond string, values map[string]attr.Value) map[string]attr.Value {
	var out map[string]attr.Value
	for k, v := range values {
		if containsToken(cond, k) {
			if out == nil {
				out = map[string]attr.Value{}
			}
			out[k] = v
		}
	}
	return out
}

// containsToken reports whether placeholder p occurs in s as a whole token.
func containsToken(s, p string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], p)
		if j < 0 {
			return false
		}
		end := i + j + len(p)
		if end == len(s) || !isPlaceholderByte(s[end]) {
			return true
		}
		i = end
	}
}

func isPlaceholderByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func TestPutItemConditionFailure(t *testing.T) {
	t.Parallel()
	const tbl = "condfail"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	old := attr.Item{"pk": itemS("a"), "v": itemN("1")}
	mustPut(t, e, tbl, old)
	in := &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": itemS("a"), "v": itemN("2")},
		ConditionExpression: itemStr("attribute_not_exists(pk)")}
	_, err := e.PutItem(ctx, in)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
	if err.(*Error).Item != nil {
		t.Fatalf("Item returned without ReturnValuesOnConditionCheckFailure")
	}
	in.ReturnValuesOnConditionCheckFailure = itemStr("ALL_OLD")
	_, err = e.PutItem(ctx, in)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
	wantItem(t, err.(*Error).Item, old)
	wantItem(t, mustGet(t, e, tbl, attr.Item{"pk": itemS("a")}), old)

	// A failed condition on a missing item carries no Item.
	in = &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": itemS("b")},
		ConditionExpression: itemStr("attribute_exists(pk)"), ReturnValuesOnConditionCheckFailure: itemStr("ALL_OLD")}
	_, err = e.PutItem(ctx, in)
	wantItemErr(t, err, ConditionalCheckFailed, msgConditionFailed)
	if err.(*Error).Item != nil {
		t.Fatalf("Item returned for a missing item")
	}
	if got := mustGet(t, e, tbl, attr.Item{"pk": itemS("b")}); got != nil {
		t.Fatalf("rejected put wrote %v", got)
	}
}

func TestPutItemPlaceholders(t *testing.T) {
	t.Parallel()
	const tbl = "placeholders"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	item := attr.Item{"pk": itemS("a")}
	put := func(cond string, names map[string]string, values map[string]attr.Value) error {
		_, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: item, ConditionExpression: itemStr(cond),
			ExpressionAttributeNames: names, ExpressionAttributeValues: values})
		return err
	}
	wantValidation(t, put("attribute_not_exists(#a)", map[string]string{}, nil), "1 validation error detected: ExpressionAttributeNames must not be empty")
	wantValidation(t, put("a = :a", nil, map[string]attr.Value{}), "1 validation error detected: ExpressionAttributeValues must not be empty")
	wantValidation(t, put("attribute_not_exists(#a)", map[string]string{"#a": "a", "#b": "b"}, nil),
		"1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}")
	wantValidation(t, put("a = :a", nil, map[string]attr.Value{":a": itemS("x"), ":b": itemS("y")}),
		"1 validation error detected: Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}")
	wantValidation(t, put("attribute_not_exists(#a)", nil, nil),
		"1 validation error detected: Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a")
	wantValidation(t, put("a = :a", nil, nil),
		"1 validation error detected: Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :a")
	wantValidation(t, put("", nil, nil), "1 validation error detected: Invalid ConditionExpression: The expression can not be empty;")
	if err := put("attribute_not_exists(#a)", map[string]string{"#a": "a"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestPutItemLegacyExpected(t *testing.T) {
	t.Parallel()
	const tbl = "expected"
	e := newItemEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	mustPut(t, e, tbl, attr.Item{"pk": itemS("a"), "v": itemN("1")})
	v1, v2 := itemN("1"), itemN("2")
	put := func(exp map[string]expr.ExpectedAttributeValue, op *string) error {
		_, err := e.PutItem(ctx, &PutItemInput{TableName: itemStr(tbl), Item: attr.Item{"pk": itemS("a"), "v": itemN("1")},
			Expected: exp, ConditionalOperator: op})
		return err
	}
	if err := put(map[string]expr.ExpectedAttributeValue{"v": {Value: &v1}}, nil); err != nil {
		t.Fatalf("Expected v = 1: %v", err)
	}
	wantItemErr(t, put(map[string]expr.ExpectedAttributeValue{"v": {Value: &v2}}, nil), ConditionalCheckFailed, msgConditionFailed)
	if err := put(map[string]expr.ExpectedAttributeValue{"zz": {Exists: itemBool(false)}}, nil); err != nil {
		t.Fatalf("Expected zz not exists: %v", err)
	}
	either := map[string]expr.ExpectedAttributeValue{"v": {Value: &v2}, "zz": {Exists: itemBool(false)}}
	wantItemErr(t, put(either, nil), ConditionalCheckFailed, msgConditionFailed)
	if err := put(either, itemStr("OR")); err != nil {
		t.Fatalf("Expected with OR: %v", err)
	}
	if err := put(map[string]expr.ExpectedAttributeValue{"v": {ComparisonOperator: itemStr("GT"),
		AttributeValueList: []attr.Value{itemN("0")}}}, nil); err != nil {
		t.Fatalf("Expected v GT 0: %v", err)
	}
	wantValidation(t, put(map[string]expr.ExpectedAttributeValue{"v": {}}, nil),
		"1 validation error detected: One or more parameter values were invalid: Value must be provided when Exists is null for Attribute: v")
	wantValidation(t, put(map[string]expr.ExpectedAttributeValue{"v": {ComparisonOperator: itemStr("XX")}}, nil),
		"1 validation error detected: Value 'XX' at 'expected.v.member.comparisonOperator' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]")
}
