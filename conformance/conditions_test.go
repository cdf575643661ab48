package conformance

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ConditionExpression semantics and errors. Every comparator and function is
// checked both passing and failing against one stored item; error texts are
// from dynalite's live-captured tests and grammar, or noted otherwise.

// condItem is the item every condition case is evaluated against.
func condItem() attrs {
	return attrs{
		"pk":   avS("cond"),
		"s":    avS("hello"),
		"n":    avN("5"),
		"b":    avB([]byte("abc")),
		"t":    avBool(true),
		"nul":  avNull(),
		"ss":   avSS("a", "b"),
		"ns":   avNS("1", "2"),
		"bs":   avBS([]byte("x"), []byte("y")),
		"l":    avL(avS("x"), avN("3"), avM(attrs{"k": avS("v")})),
		"m":    avM(attrs{"x": avS("y"), "n": avN("1"), "innr": avM(attrs{"deep": avS("v")})}),
		"a.b":  avS("dotted"),
		"name": avS("reserved"),
	}
}

type condCase struct {
	name   string
	expr   string
	values attrs
	names  map[string]string
	pass   bool
}

func condCases() []condCase {
	v := func(pairs ...any) attrs {
		out := attrs{}
		for i := 0; i < len(pairs); i += 2 {
			out[pairs[i].(string)] = pairs[i+1].(types.AttributeValue)
		}
		return out
	}
	return []condCase{
		{"= pass", "s = :v", v(":v", avS("hello")), nil, true},
		{"= fail", "s = :v", v(":v", avS("bye")), nil, false},
		{"= other type", "n = :v", v(":v", avS("5")), nil, false},
		{"= set order-insensitive", "ss = :v", v(":v", avSS("b", "a")), nil, true},
		{"= list", "l[2] = :v", v(":v", avM(attrs{"k": avS("v")})), nil, true},
		{"<> pass", "s <> :v", v(":v", avS("bye")), nil, true},
		{"<> fail", "s <> :v", v(":v", avS("hello")), nil, false},
		{"<> other type", "n <> :v", v(":v", avS("5")), nil, true},
		{"< pass", "n < :v", v(":v", avN("6")), nil, true},
		{"< fail", "n < :v", v(":v", avN("5")), nil, false},
		{"< numeric not lexical", "n < :v", v(":v", avN("10")), nil, true},
		{"<= pass", "n <= :v", v(":v", avN("5")), nil, true},
		{"<= fail", "n <= :v", v(":v", avN("4.99")), nil, false},
		{"> pass", "n > :v", v(":v", avN("-1e2")), nil, true},
		{"> fail", "n > :v", v(":v", avN("5.0")), nil, false},
		{">= pass", "n >= :v", v(":v", avN("5")), nil, true},
		{">= fail", "n >= :v", v(":v", avN("6")), nil, false},
		{"< string", "s < :v", v(":v", avS("help")), nil, true},
		{"> string fail", "s > :v", v(":v", avS("help")), nil, false},
		{"< binary", "b < :v", v(":v", avB([]byte("abd"))), nil, true},
		{"< other type", "n < :v", v(":v", avS("9")), nil, false},
		{"< missing", "ghost < :v", v(":v", avN("9")), nil, false},
		{"path < path", "m.n < n", nil, nil, true},
		{"BETWEEN pass", "n BETWEEN :lo AND :hi", v(":lo", avN("1"), ":hi", avN("5")), nil, true},
		{"BETWEEN fail", "n BETWEEN :lo AND :hi", v(":lo", avN("6"), ":hi", avN("9")), nil, false},
		{"BETWEEN string", "s BETWEEN :lo AND :hi", v(":lo", avS("h"), ":hi", avS("i")), nil, true},
		{"IN pass", "s IN (:a, :b)", v(":a", avS("x"), ":b", avS("hello")), nil, true},
		{"IN fail", "s IN (:a, :b)", v(":a", avS("x"), ":b", avS("y")), nil, false},
		{"IN single", "n IN (:a)", v(":a", avN("5")), nil, true},
		{"AND pass", "s = :s AND n = :n", v(":s", avS("hello"), ":n", avN("5")), nil, true},
		{"AND fail", "s = :s AND n = :n", v(":s", avS("hello"), ":n", avN("6")), nil, false},
		{"OR pass", "s = :s OR n = :n", v(":s", avS("x"), ":n", avN("5")), nil, true},
		{"OR fail", "s = :s OR n = :n", v(":s", avS("x"), ":n", avN("6")), nil, false},
		{"NOT pass", "NOT s = :s", v(":s", avS("x")), nil, true},
		{"NOT fail", "NOT (s = :s)", v(":s", avS("hello")), nil, false},
		{"AND binds tighter than OR", "s = :x AND n = :x OR t = :t", v(":x", avS("x"), ":t", avBool(true)), nil, true},
		{"parentheses", "s = :x AND (n = :x OR t = :t)", v(":x", avS("x"), ":t", avBool(true)), nil, false},
		{"lowercase keywords", "s = :s and not n = :x or s = :x", v(":s", avS("hello"), ":x", avS("x")), nil, true},
		{"attribute_exists pass", "attribute_exists(s)", nil, nil, true},
		{"attribute_exists fail", "attribute_exists(ghost)", nil, nil, false},
		{"attribute_exists NULL", "attribute_exists(nul)", nil, nil, true},
		{"attribute_not_exists pass", "attribute_not_exists(ghost)", nil, nil, true},
		{"attribute_not_exists fail", "attribute_not_exists(s)", nil, nil, false},
		{"attribute_exists nested", "attribute_exists(m.innr.deep)", nil, nil, true},
		{"attribute_exists list index", "attribute_exists(l[1])", nil, nil, true},
		{"attribute_not_exists past list end", "attribute_not_exists(l[9])", nil, nil, true},
		{"attribute_not_exists through scalar", "attribute_not_exists(s.x)", nil, nil, true},
		{"attribute_type S", "attribute_type(s, :t)", v(":t", avS("S")), nil, true},
		{"attribute_type S fail", "attribute_type(s, :t)", v(":t", avS("N")), nil, false},
		{"attribute_type N", "attribute_type(n, :t)", v(":t", avS("N")), nil, true},
		{"attribute_type B", "attribute_type(b, :t)", v(":t", avS("B")), nil, true},
		{"attribute_type BOOL", "attribute_type(t, :t)", v(":t", avS("BOOL")), nil, true},
		{"attribute_type NULL", "attribute_type(nul, :t)", v(":t", avS("NULL")), nil, true},
		{"attribute_type SS", "attribute_type(ss, :t)", v(":t", avS("SS")), nil, true},
		{"attribute_type NS", "attribute_type(ns, :t)", v(":t", avS("NS")), nil, true},
		{"attribute_type BS", "attribute_type(bs, :t)", v(":t", avS("BS")), nil, true},
		{"attribute_type L", "attribute_type(l, :t)", v(":t", avS("L")), nil, true},
		{"attribute_type M", "attribute_type(m, :t)", v(":t", avS("M")), nil, true},
		{"attribute_type missing", "attribute_type(ghost, :t)", v(":t", avS("S")), nil, false},
		{"begins_with pass", "begins_with(s, :p)", v(":p", avS("he")), nil, true},
		{"begins_with fail", "begins_with(s, :p)", v(":p", avS("lo")), nil, false},
		{"begins_with binary", "begins_with(b, :p)", v(":p", avB([]byte("ab"))), nil, true},
		{"begins_with on number", "begins_with(n, :p)", v(":p", avS("5")), nil, false},
		{"contains substring", "contains(s, :v)", v(":v", avS("ell")), nil, true},
		{"contains substring fail", "contains(s, :v)", v(":v", avS("xyz")), nil, false},
		{"contains binary", "contains(b, :v)", v(":v", avB([]byte("bc"))), nil, true},
		{"contains string set", "contains(ss, :v)", v(":v", avS("a")), nil, true},
		{"contains string set fail", "contains(ss, :v)", v(":v", avS("z")), nil, false},
		{"contains number set", "contains(ns, :v)", v(":v", avN("2")), nil, true},
		{"contains binary set", "contains(bs, :v)", v(":v", avB([]byte("y"))), nil, true},
		{"contains list string", "contains(l, :v)", v(":v", avS("x")), nil, true},
		{"contains list number", "contains(l, :v)", v(":v", avN("3")), nil, true},
		{"contains list map", "contains(l, :v)", v(":v", avM(attrs{"k": avS("v")})), nil, true},
		{"contains list fail", "contains(l, :v)", v(":v", avN("4")), nil, false},
		{"contains missing", "contains(ghost, :v)", v(":v", avS("x")), nil, false},
		{"size string", "size(s) = :v", v(":v", avN("5")), nil, true},
		{"size binary", "size(b) = :v", v(":v", avN("3")), nil, true},
		{"size set", "size(ss) = :v", v(":v", avN("2")), nil, true},
		{"size list", "size(l) = :v", v(":v", avN("3")), nil, true},
		{"size map", "size(m) > :v", v(":v", avN("2")), nil, true},
		{"size fail", "size(s) > :v", v(":v", avN("10")), nil, false},
		{"size of number", "size(n) = :v", v(":v", avN("1")), nil, false},
		{"size BETWEEN", "size(l) BETWEEN :a AND :b", v(":a", avN("1"), ":b", avN("3")), nil, true},
		{"size compares paths", "size(s) = n", nil, nil, true},
		{"nested map", "m.innr.deep = :v", v(":v", avS("v")), nil, true},
		{"nested map fail", "m.innr.deep = :v", v(":v", avS("w")), nil, false},
		{"list index", "l[0] = :v", v(":v", avS("x")), nil, true},
		{"map in list", "l[2].k = :v", v(":v", avS("v")), nil, true},
		{"list index out of range", "l[5] = :v", v(":v", avS("x")), nil, false},
		{"names", "#s = :v AND #m.#x = :y", v(":v", avS("hello"), ":y", avS("y")), map[string]string{"#s": "s", "#m": "m", "#x": "x"}, true},
		{"dotted name is one attribute", "#d = :v", v(":v", avS("dotted")), map[string]string{"#d": "a.b"}, true},
		{"reserved word via name", "#n = :v", v(":v", avS("reserved")), map[string]string{"#n": "name"}, true},
	}
}

func TestConditionOperators(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	item := condItem()
	putOK(t, table, item)
	for _, tc := range condCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := &dynamodb.PutItemInput{
				TableName:           aws.String(table),
				Item:                condItem(),
				ConditionExpression: aws.String(tc.expr),
			}
			if len(tc.values) > 0 {
				in.ExpressionAttributeValues = tc.values
			}
			if len(tc.names) > 0 {
				in.ExpressionAttributeNames = tc.names
			}
			_, err := ddb(t).PutItem(ctx(t), in)
			if tc.pass {
				if err != nil {
					t.Fatalf("%s: %v", tc.expr, err)
				}
				return
			}
			wantConditionFailed(t, err)
		})
	}
}

func TestConditionOnMissingItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{
		TableName: aws.String(table), Item: pk("new"), ConditionExpression: aws.String("attribute_exists(pk)"),
	})
	wantConditionFailed(t, err)
	_, err = c.PutItem(ctx(t), &dynamodb.PutItemInput{
		TableName: aws.String(table), Item: pk("new"), ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if err != nil {
		t.Fatalf("create-if-absent: %v", err)
	}
	_, err = c.PutItem(ctx(t), &dynamodb.PutItemInput{
		TableName: aws.String(table), Item: pk("new"), ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	wantConditionFailed(t, err)
	// UpdateItem and DeleteItem evaluate conditions against a missing item too.
	_, err = c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
		TableName: aws.String(table), Key: pk("other"), ConditionExpression: aws.String("a = :a"),
		UpdateExpression: aws.String("SET a = :a"), ExpressionAttributeValues: attrs{":a": avS("x")},
	})
	wantConditionFailed(t, err)
	wantAttrs(t, "not created", getOK(t, table, pk("other")), nil)
	_, err = c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
		TableName: aws.String(table), Key: pk("other"), ConditionExpression: aws.String("attribute_exists(pk)"),
	})
	wantConditionFailed(t, err)
}

func TestConditionFailureReturnsOldItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	old := attrs{"pk": avS("k"), "v": avN("1"), "m": avM(attrs{"x": avS("y")})}
	putOK(t, table, old)
	cond := aws.String("v = :two")
	vals := attrs{":two": avN("2")}

	t.Run("PutItem", func(t *testing.T) {
		_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{
			TableName: aws.String(table), Item: pk("k"), ConditionExpression: cond, ExpressionAttributeValues: vals,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		wantAttrs(t, "exception Item", wantConditionFailed(t, err).Item, old)
	})
	t.Run("UpdateItem", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk("k"), ConditionExpression: cond,
			UpdateExpression: aws.String("SET v = :two"), ExpressionAttributeValues: vals,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		wantAttrs(t, "exception Item", wantConditionFailed(t, err).Item, old)
	})
	t.Run("DeleteItem", func(t *testing.T) {
		_, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
			TableName: aws.String(table), Key: pk("k"), ConditionExpression: cond, ExpressionAttributeValues: vals,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		wantAttrs(t, "exception Item", wantConditionFailed(t, err).Item, old)
	})
	t.Run("NONE", func(t *testing.T) {
		_, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
			TableName: aws.String(table), Key: pk("k"), ConditionExpression: cond, ExpressionAttributeValues: vals,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureNone,
		})
		wantAttrs(t, "exception Item", wantConditionFailed(t, err).Item, nil)
	})
	t.Run("missing item", func(t *testing.T) {
		_, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{
			TableName: aws.String(table), Key: pk("absent"), ConditionExpression: aws.String("attribute_exists(pk)"),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		wantAttrs(t, "exception Item", wantConditionFailed(t, err).Item, nil)
	})
	wantAttrs(t, "item untouched", getOK(t, table, pk("k")), old)
}

func TestConditionExpressionErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, condItem())
	const p = "Invalid ConditionExpression: "
	cases := []struct {
		name   string
		expr   string
		values attrs
		msg    string // exact, unless prefix is set
		prefix bool
	}{
		// Verified against live DynamoDB (vincent-jacques/LowVoltage integration tests).
		{"bare path", "foo", nil, p + `Syntax error; token: "<EOF>", near: "foo"`, false},
		{"undefined value", "foo=:foo", nil, p + "An expression attribute value used in expression is not defined; attribute value: :foo", false},
		{"empty", "", nil, p + "The expression can not be empty;", false},
		{"dangling AND", "s = :v AND", attrs{":v": avS("x")}, p + "Syntax error; ", true},
		{"double equals", "s == :v", attrs{":v": avS("x")}, p + `Syntax error; token: "="`, true},
		{"unknown function", "foo(s)", nil, p + "Invalid function name; function: foo", false},
		{"size alone", "size(s)", nil, p + "The function is not allowed to be used this way in an expression; function: size", false},
		{"function as operand", "attribute_exists(s) = :v", attrs{":v": avBool(true)}, p + "The function is not allowed to be used this way in an expression; function: attribute_exists", false},
		{"operand count", "attribute_exists(s, n)", nil, p + "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2", false},
		{"needs path", "attribute_exists(:v)", attrs{":v": avS("x")}, p + "Operator or function requires a document path; operator or function: attribute_exists", false},
		{"begins_with number", "begins_with(s, :v)", attrs{":v": avN("1")}, p + "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N", false},
		{"size of number literal", "size(:v) = :v", attrs{":v": avN("1")}, p + "Incorrect operand type for operator or function; operator or function: size, operand type: N", false},
		// The order of the valid-type list differs between sources (a Java set), so
		// only the stable part is asserted.
		{"attribute_type bad name", "attribute_type(s, :v)", attrs{":v": avS("X")}, p + "Invalid attribute type name found; type: X, valid types: {", true},
		{"attribute_type non-string", "attribute_type(s, :v)", attrs{":v": avN("1")}, p + "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N", false},
		{"BETWEEN reversed", "n BETWEEN :hi AND :lo", attrs{":hi": avN("10"), ":lo": avN("1")}, p + "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}", false},
		{"BETWEEN types", "n BETWEEN :lo AND :hi", attrs{":hi": avS("x"), ":lo": avN("1")}, p + "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}", false},
		{"same operands", "s = s", nil, p + "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [s]", false},
		{"redundant parentheses", "((s = :v))", attrs{":v": avS("x")}, p + "The expression has redundant parentheses;", false},
		{"reserved word", "name = :v", attrs{":v": avS("x")}, p + "Attribute name is a reserved keyword; reserved keyword: name", false},
		{"reserved word nested", "m.inner = :v", attrs{":v": avS("x")}, p + "Attribute name is a reserved keyword; reserved keyword: inner", false},
		{"undefined name", "#x = :v", attrs{":v": avS("x")}, p + "An expression attribute name used in the document path is not defined; attribute name: #x", false},
		{"negative index", "l[-1] = :v", attrs{":v": avS("x")}, p + `Syntax error; token: "-", near: "[-1"`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := &dynamodb.PutItemInput{TableName: aws.String(table), Item: condItem(), ConditionExpression: aws.String(tc.expr)}
			if tc.values != nil {
				in.ExpressionAttributeValues = tc.values
			}
			_, err := ddb(t).PutItem(ctx(t), in)
			if tc.prefix {
				wantAPIErrorContains(t, err, "ValidationException", tc.msg)
				return
			}
			wantAPIError(t, err, "ValidationException", one(tc.msg))
		})
	}
}

func TestConditionInOperandLimit(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, condItem())
	in := func(n int) error {
		values := attrs{}
		names := make([]string, n)
		for i := range n {
			names[i] = ":v" + strconv.Itoa(i)
			values[names[i]] = avN(strconv.Itoa(i + 1000))
		}
		values[":v0"] = avS("hello") // the first operand matches s
		_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{
			TableName: aws.String(table), Item: condItem(),
			ConditionExpression:       aws.String("s IN (" + strings.Join(names, ", ") + ")"),
			ExpressionAttributeValues: values,
		})
		return err
	}
	// Up to 100 operands on the right of IN (awsdocs Limits.md, "Expression
	// parameters"). No recorded AWS text for 101 was found, so only the
	// error code and the expression prefix are asserted.
	if err := in(100); err != nil {
		t.Fatalf("IN with 100 operands: %v", err)
	}
	wantAPIErrorContains(t, in(101), "ValidationException", "Invalid ConditionExpression: ")
}
