package conformance

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// ProjectionExpression on GetItem. Texts are from dynalite test/getItem.js
// (captured against live DynamoDB).

func projectionItem() attrs {
	return attrs{
		"pk": avS("p"),
		"b":  avM(attrs{"a": avS("a"), "b": avS("b"), "c": avS("c")}),
		"c":  avL(avS("a"), avS("b"), avS("c")),
		"g":  avN("23"),
		"l":  avL(avM(attrs{"x": avN("1"), "y": avN("2")}), avM(attrs{"x": avN("3")})),
	}
}

func getProjected(t *testing.T, table, expr string, names map[string]string) (attrs, error) {
	t.Helper()
	in := &dynamodb.GetItemInput{
		TableName: aws.String(table), Key: pk("p"), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String(expr),
	}
	if names != nil {
		in.ExpressionAttributeNames = names
	}
	out, err := ddb(t).GetItem(ctx(t), in)
	if err != nil {
		return nil, err
	}
	return out.Item, nil
}

func TestProjection(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, projectionItem())
	cases := []struct {
		name  string
		expr  string
		names map[string]string
		want  attrs
	}{
		{"top level, key not added", "b, g", nil,
			attrs{"b": projectionItem()["b"], "g": avN("23")}},
		{"names", "#b, #g", map[string]string{"#b": "b", "#g": "g"},
			attrs{"b": projectionItem()["b"], "g": avN("23")}},
		{"nested and list indexes", "b.c,c[2],b.b,c[1],c[0].a", nil,
			attrs{"b": avM(attrs{"b": avS("b"), "c": avS("c")}), "c": avL(avS("b"), avS("c"))}},
		{"nested with names", "#b.#c,#c[2],#b.#b,#c[1],#c[0][1]", map[string]string{"#b": "b", "#c": "c"},
			attrs{"b": avM(attrs{"b": avS("b"), "c": avS("c")}), "c": avL(avS("b"), avS("c"))}},
		{"map inside list", "l[1].x, l[0].y", nil,
			attrs{"l": avL(avM(attrs{"y": avN("2")}), avM(attrs{"x": avN("3")}))}},
		{"missing attributes are skipped", "g, ghost, b.zz, c[7]", nil,
			attrs{"g": avN("23")}},
		{"key attribute", "pk", nil, attrs{"pk": avS("p")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := getProjected(t, table, tc.expr, tc.names)
			if err != nil {
				t.Fatalf("%s: %v", tc.expr, err)
			}
			wantAttrs(t, "projected Item", got, tc.want)
		})
	}
}

func TestProjectionErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	const p = "Invalid ProjectionExpression: "
	const overlap = p + "Two document paths overlap with each other; must remove or rewrite one of these paths; "
	const conflict = p + "Two document paths conflict with each other; must remove or rewrite one of these paths; "
	cases := []struct {
		name   string
		expr   string
		names  map[string]string
		msg    string
		prefix bool
	}{
		{"empty", "", nil, p + "The expression can not be empty;", false},
		{"same attribute twice", "a, a", nil, overlap + "path one: [a], path two: [a]", false},
		{"overlap parent after child", "b[1], b.a, #a.b, a", map[string]string{"#a": "a"}, overlap + "path one: [a, b], path two: [a]", false},
		{"overlap list index", "a, #a[1]", map[string]string{"#a": "a"}, overlap + "path one: [a], path two: [a, [1]]", false},
		{"conflict map and list", "a.b, #a[1], #b", map[string]string{"#a": "a", "#b": "[3]"}, conflict + "path one: [a, b], path two: [a, [1]]", false},
		{"conflict nested", "a.b[1], #a[1], #b", map[string]string{"#a": "a", "#b": "[3]"}, conflict + "path one: [a, b, [1]], path two: [a, [1]]", false},
		{"same path via name", "a[3].b, #a.#b.b", map[string]string{"#a": "a", "#b": "[3]"}, conflict + "path one: [a, [3], b], path two: [a, [3], b]", false},
		{"reserved word", "a.abORt", nil, p + "Attribute name is a reserved keyword; reserved keyword: abORt", false},
		{"reserved word top level", "#a,ABSoLUTE", map[string]string{"#a": "a"}, p + "Attribute name is a reserved keyword; reserved keyword: ABSoLUTE", false},
		{"undefined name", "a,b,#a", nil, p + "An expression attribute name used in the document path is not defined; attribute name: #a", false},
		{"syntax function", "whatever(stuff)", nil, p + "Syntax error; ", true},
		{"syntax value", ":a", nil, p + "Syntax error; ", true},
		{"syntax trailing comma", "a,", nil, p + "Syntax error; ", true},
		{"syntax double comma", "a,,b", nil, p + "Syntax error; ", true},
		{"syntax double dot", "a..b", nil, p + "Syntax error; ", true},
		{"syntax name index", "a[b]", nil, p + "Syntax error; ", true},
		{"syntax parentheses", "(a)", nil, p + "Syntax error; ", true},
		{"syntax minus", "a-b", nil, p + "Syntax error; ", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := getProjected(t, table, tc.expr, tc.names)
			if tc.prefix {
				wantAPIErrorContains(t, err, "ValidationException", tc.msg)
				return
			}
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}

func TestProjectionKeyMustBeScalar(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	for _, expr := range []string{"#a.b.c", "#a[0]"} {
		t.Run(expr, func(t *testing.T) {
			_, err := getProjected(t, table, expr, map[string]string{"#a": "pk"})
			wantAPIError(t, err, "ValidationException",
				"Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk")
		})
	}
}
