package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Query: key conditions, sort-key order, legacy KeyConditions and
// QueryFilter, FilterExpression, Select, projections, Limit, paging and
// ScanIndexForward. Texts are AWS-captured (dynalite test/query.js,
// captured against live DynamoDB) or AWS-verified behaviour (scylladb
// test_query.py, test_key_condition_expression.py) unless a comment says
// otherwise.

// qIn builds a Query input with a key condition and its values (":s", ":n",
// ... as given in pairs name, value).
func qIn(table, kce string, vals attrs) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName: aws.String(table), KeyConditionExpression: aws.String(kce), ExpressionAttributeValues: vals,
	}
}

// numberKeys are sort keys in ascending order as they are returned; each is
// written in another (exponent) form first. AWS-verified ordering (scylladb
// test_query_sort_order_number) plus dynalite's negative/fraction cases.
func numberKeys() [][2]string {
	return [][2]string{
		{"-2e10", "-20000000000"}, {"-7.1e2", "-710"}, {"-99.1", "-99.1"}, {"-10.1", "-10.1"},
		{"-9.9", "-9.9"}, {"-9", "-9"}, {"-4.1", "-4.1"}, {"-1.01", "-1.01"}, {"-1", "-1"},
		{"-0.9", "-0.9"}, {"-0.1", "-0.1"}, {"-0.09", "-0.09"}, {"-0.01", "-0.01"}, {"-1e-5", "-0.00001"},
		{"0", "0"}, {"2e-5", "0.00002"}, {"0.01", "0.01"}, {"0.15", "0.15"}, {"1", "1"},
		{"1.00000000000000000000000001", "1.00000000000000000000000001"}, {"1.1", "1.1"},
		{"3.14159", "3.14159"}, {"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
		{"9.1", "9.1"}, {"10.1", "10.1"}, {"31.4", "31.4"}, {"99.1", "99.1"}, {"1.4e10", "14000000000"},
	}
}

func TestQueryNumberSortKeyOrder(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	keys := numberKeys()
	want := make([]string, len(keys))
	for i, k := range keys {
		want[i] = k[1]
	}
	// Insert in a scrambled order.
	for i := range keys {
		k := keys[(i*11)%len(keys)]
		putOK(t, table, attrs{"pk": avS("p"), "sk": avN(k[0])})
	}
	putOK(t, table, attrs{"pk": avS("other"), "sk": avN("5")})
	items, _, _ := queryAll(t, qIn(table, "pk = :p", attrs{":p": avS("p")}))
	wantColumn(t, "forward", items, "sk", strings.Join(want, " "))
	in := qIn(table, "pk = :p", attrs{":p": avS("p")})
	in.ScanIndexForward = aws.Bool(false)
	items, _, _ = queryAll(t, in)
	for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
		want[i], want[j] = want[j], want[i]
	}
	wantColumn(t, "backward", items, "sk", strings.Join(want, " "))
}

func TestQuerySortKeyOperators(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	for _, n := range []string{"-10", "-2.5", "-1", "-0.5", "0", "0.25", "1", "2", "10", "100"} {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avN(n), "v": avS("x")})
	}
	putOK(t, table, attrs{"pk": avS("q"), "sk": avN("0")})
	cases := []struct {
		kce  string
		vals attrs
		want string
	}{
		{"pk = :p AND sk = :a", attrs{":a": avN("-0.50")}, "-0.5"},
		{"pk = :p AND sk < :a", attrs{":a": avN("0")}, "-10 -2.5 -1 -0.5"},
		{"pk = :p AND sk <= :a", attrs{":a": avN("0")}, "-10 -2.5 -1 -0.5 0"},
		{"pk = :p AND sk > :a", attrs{":a": avN("1")}, "2 10 100"},
		{"pk = :p AND sk >= :a", attrs{":a": avN("1e0")}, "1 2 10 100"},
		{"pk = :p AND sk BETWEEN :a AND :b", attrs{":a": avN("-1"), ":b": avN("1")}, "-1 -0.5 0 0.25 1"},
		{"pk = :p AND sk BETWEEN :a AND :b", attrs{":a": avN("3"), ":b": avN("3")}, ""},
		{"sk > :a AND pk = :p", attrs{":a": avN("9")}, "10 100"},
		{":a < sk AND pk = :p", attrs{":a": avN("9")}, "10 100"},
		{"(pk = :p) AND (sk = :a)", attrs{":a": avN("1E2")}, "100"},
		{"#k = :p AND #s < :a", attrs{":a": avN("-2")}, "-10 -2.5"},
	}
	for _, tc := range cases {
		t.Run(tc.kce+fmt.Sprint(len(tc.vals)), func(t *testing.T) {
			vals := attrs{":p": avS("p")}
			for k, v := range tc.vals {
				vals[k] = v
			}
			in := qIn(table, tc.kce, vals)
			if strings.Contains(tc.kce, "#") {
				in.ExpressionAttributeNames = map[string]string{"#k": "pk", "#s": "sk"}
			}
			items, _, _ := queryAll(t, in)
			wantColumn(t, tc.kce, items, "sk", tc.want)
		})
	}
}

func TestQueryStringSortKey(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeS)
	// Byte order of UTF-8: U+FFFD (EF BF BD) sorts before U+1F600 (F0 ...),
	// the opposite of UTF-16 order.
	for _, s := range []string{"1", "2", "10", "a", "b", "aa", "ab", "A", "B", "\U0001F600", "\uFFFD", "é", "z"} {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avS(s)})
	}
	items, _, _ := queryAll(t, qIn(table, "pk = :p", attrs{":p": avS("p")}))
	wantColumn(t, "order", items, "sk", "1 10 2 A B a aa ab b z é \uFFFD \U0001F600")

	in := qIn(table, "pk = :p AND begins_with(sk, :b)", attrs{":p": avS("p"), ":b": avS("a")})
	items, _, _ = queryAll(t, in)
	wantColumn(t, "begins_with a", items, "sk", "a aa ab")
	in = qIn(table, "pk = :p AND sk BETWEEN :a AND :b", attrs{":p": avS("p"), ":a": avS("ab"), ":b": avS("z")})
	items, _, _ = queryAll(t, in)
	wantColumn(t, "between", items, "sk", "ab b z")
}

func TestQueryBinarySortKey(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeB)
	for _, b := range [][]byte{{0xff}, {0x01, 0x02}, {0x80}, {0x00}, {0x01}, {0x7f}, {0x01, 0xff}} {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avB(b)})
	}
	items, _, _ := queryAll(t, qIn(table, "pk = :p", attrs{":p": avS("p")}))
	// Unsigned byte order: 0x80 and 0xff sort after 0x7f.
	wantColumn(t, "order", items, "sk", "00 01 0102 01ff 7f 80 ff")
	in := qIn(table, "pk = :p AND begins_with(sk, :b)", attrs{":p": avS("p"), ":b": avB([]byte{0x01})})
	items, _, _ = queryAll(t, in)
	wantColumn(t, "begins_with 01", items, "sk", "01 0102 01ff")
	in = qIn(table, "pk = :p AND sk > :b", attrs{":p": avS("p"), ":b": avB([]byte{0x7f})})
	items, _, _ = queryAll(t, in)
	wantColumn(t, "> 7f", items, "sk", "80 ff")
}

func TestQueryEqualNumberKeys(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	putOK(t, table, attrs{"pk": avS("p"), "sk": avN("1e3"), "v": avS("first")})
	putOK(t, table, attrs{"pk": avS("p"), "sk": avN("1000"), "v": avS("second")})
	items, _, _ := queryAll(t, qIn(table, "pk = :p AND sk = :n", attrs{":p": avS("p"), ":n": avN("1000.000")}))
	wantItems(t, "1e3 and 1000 are one key", items, []attrs{{"pk": avS("p"), "sk": avN("1000"), "v": avS("second")}})
}

func TestQueryLegacyKeyConditions(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeS)
	for _, s := range []string{"aaa", "aab", "abc", "b", "c"} {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avS(s), "f": avS("x" + s)})
	}
	eq := types.Condition{ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{avS("p")}}
	cases := []struct {
		op   types.ComparisonOperator
		vals []types.AttributeValue
		want string
	}{
		{types.ComparisonOperatorEq, []types.AttributeValue{avS("b")}, "b"},
		{types.ComparisonOperatorLt, []types.AttributeValue{avS("b")}, "aaa aab abc"},
		{types.ComparisonOperatorLe, []types.AttributeValue{avS("b")}, "aaa aab abc b"},
		{types.ComparisonOperatorGt, []types.AttributeValue{avS("abc")}, "b c"},
		{types.ComparisonOperatorGe, []types.AttributeValue{avS("abc")}, "abc b c"},
		{types.ComparisonOperatorBetween, []types.AttributeValue{avS("aab"), avS("b")}, "aab abc b"},
		{types.ComparisonOperatorBeginsWith, []types.AttributeValue{avS("aa")}, "aaa aab"},
	}
	for _, tc := range cases {
		t.Run(string(tc.op), func(t *testing.T) {
			in := &dynamodb.QueryInput{TableName: aws.String(table), KeyConditions: map[string]types.Condition{
				"pk": eq, "sk": {ComparisonOperator: tc.op, AttributeValueList: tc.vals},
			}}
			items, _, _ := queryAll(t, in)
			wantColumn(t, string(tc.op), items, "sk", tc.want)
		})
	}
	t.Run("QueryFilter and AttributesToGet", func(t *testing.T) {
		in := &dynamodb.QueryInput{
			TableName:     aws.String(table),
			KeyConditions: map[string]types.Condition{"pk": eq},
			QueryFilter: map[string]types.Condition{"f": {
				ComparisonOperator: types.ComparisonOperatorBeginsWith, AttributeValueList: []types.AttributeValue{avS("xa")},
			}},
			AttributesToGet: []string{"sk"},
		}
		out := queryOK(t, in)
		wantItems(t, "Items", out.Items, []attrs{{"sk": avS("aaa")}, {"sk": avS("aab")}, {"sk": avS("abc")}})
		if out.Count != 3 || out.ScannedCount != 5 {
			t.Fatalf("Count/ScannedCount = %d/%d, want 3/5", out.Count, out.ScannedCount)
		}
	})
}

func TestQueryFilterExpression(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	for i := 1; i <= 10; i++ {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avN(fmt.Sprint(i)), "odd": avBool(i%2 == 1), "n": avN(fmt.Sprint(i * 10))})
	}
	in := qIn(table, "pk = :p", attrs{":p": avS("p"), ":t": avBool(true), ":m": avN("50")})
	in.FilterExpression = aws.String("#o = :t AND n > :m")
	in.ExpressionAttributeNames = map[string]string{"#o": "odd"}
	out := queryOK(t, in)
	wantColumn(t, "filtered", out.Items, "sk", "7 9")
	if out.Count != 2 || out.ScannedCount != 10 {
		t.Fatalf("Count/ScannedCount = %d/%d, want 2/10", out.Count, out.ScannedCount)
	}

	// Limit caps the items evaluated, before the filter.
	in.Limit = aws.Int32(4)
	out = queryOK(t, in)
	if out.Count != 0 || out.ScannedCount != 4 || len(out.Items) != 0 {
		t.Fatalf("Limit 4: Count/ScannedCount/Items = %d/%d/%d, want 0/4/0", out.Count, out.ScannedCount, len(out.Items))
	}
	wantAttrs(t, "LastEvaluatedKey", out.LastEvaluatedKey, attrs{"pk": avS("p"), "sk": avN("4")})
	items, pages, scanned := queryAll(t, in)
	wantColumn(t, "paged filtered", items, "sk", "7 9")
	if pages != 3 || scanned != 10 {
		t.Fatalf("pages/scanned = %d/%d, want 3/10", pages, scanned)
	}
}

func TestQuerySelect(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	var all []attrs
	for i := 0; i < 5; i++ {
		it := attrs{"pk": avS("p"), "sk": avN(fmt.Sprint(i)), "x": avN(fmt.Sprint(i * 2)), "m": avM(attrs{"a": avS("A"), "b": avS("B")})}
		putOK(t, table, it)
		all = append(all, it)
	}
	base := func() *dynamodb.QueryInput { return qIn(table, "pk = :p", attrs{":p": avS("p")}) }

	in := base()
	in.Select = types.SelectAllAttributes
	wantItems(t, "ALL_ATTRIBUTES", queryOK(t, in).Items, all)

	in = base()
	in.Select = types.SelectCount
	out := queryOK(t, in)
	if out.Items != nil || out.Count != 5 || out.ScannedCount != 5 {
		t.Fatalf("COUNT: Items %v Count %d ScannedCount %d, want no Items, 5, 5", out.Items, out.Count, out.ScannedCount)
	}
	in.Limit = aws.Int32(2)
	out = queryOK(t, in)
	if out.Count != 2 || out.LastEvaluatedKey == nil {
		t.Fatalf("COUNT with Limit 2: Count %d LastEvaluatedKey %v, want 2 and a key", out.Count, out.LastEvaluatedKey)
	}

	in = base()
	in.Select = types.SelectSpecificAttributes
	in.ProjectionExpression = aws.String("x, m.b")
	want := make([]attrs, len(all))
	for i, it := range all {
		want[i] = attrs{"x": it["x"], "m": avM(attrs{"b": avS("B")})}
	}
	wantItems(t, "SPECIFIC_ATTRIBUTES", queryOK(t, in).Items, want)
	in.Select = ""
	wantItems(t, "ProjectionExpression alone", queryOK(t, in).Items, want)
	in.ProjectionExpression = aws.String("nothere")
	wantItems(t, "projection of a missing attribute", queryOK(t, in).Items, []attrs{{}, {}, {}, {}, {}})

	// AWS rejects these (scylladb test_query_select, AWS-verified); the
	// texts are not pinned by an AWS capture, so only the code is checked.
	for name, mod := range map[string]func(*dynamodb.QueryInput){
		"ALL_PROJECTED_ATTRIBUTES on a table":    func(in *dynamodb.QueryInput) { in.Select = types.SelectAllProjectedAttributes },
		"SPECIFIC_ATTRIBUTES without projection": func(in *dynamodb.QueryInput) { in.Select = types.SelectSpecificAttributes },
		"COUNT with a projection": func(in *dynamodb.QueryInput) {
			in.Select, in.ProjectionExpression = types.SelectCount, aws.String("x")
		},
	} {
		t.Run(name, func(t *testing.T) {
			in := base()
			mod(in)
			_, err := ddb(t).Query(ctx(t), in)
			wantAPIError(t, err, "ValidationException", "")
		})
	}
	t.Run("unknown Select", func(t *testing.T) {
		in := base()
		in.Select = "hi"
		_, err := ddb(t).Query(ctx(t), in)
		wantAPIError(t, err, "ValidationException", "1 validation error detected: Value 'hi' at 'select' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
	})
}

func TestQueryPagingManyPages(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	const n = 250
	want := make([]string, n)
	for i := 0; i < n; i++ {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avN(fmt.Sprint(i))})
		want[i] = fmt.Sprint(i)
	}
	putOK(t, table, attrs{"pk": avS("p2"), "sk": avN("1")})
	for _, limit := range []int32{1, 7, 100, 250, 1000} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			in := qIn(table, "pk = :p", attrs{":p": avS("p")})
			in.Limit = aws.Int32(limit)
			items, pages, _ := queryAll(t, in)
			wantColumn(t, "forward", items, "sk", strings.Join(want, " "))
			// A page that fills Limit exactly carries a LastEvaluatedKey, so
			// the last page may be empty.
			if lo, hi := (n+int(limit)-1)/int(limit), n/int(limit)+1; pages < lo || pages > hi {
				t.Fatalf("pages = %d, want %d..%d", pages, lo, hi)
			}
			in = qIn(table, "pk = :p", attrs{":p": avS("p")})
			in.Limit, in.ScanIndexForward = aws.Int32(limit), aws.Bool(false)
			items, _, _ = queryAll(t, in)
			rev := make([]string, n)
			for i := range want {
				rev[n-1-i] = want[i]
			}
			wantColumn(t, "backward", items, "sk", strings.Join(rev, " "))
		})
	}
}

func TestQueryPagesOfOneMegabyte(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	const n, size = 30, 100 * 1024 // 3 MB in one partition
	for i := 0; i < n; i++ {
		putOK(t, table, attrs{"pk": avS("p"), "sk": avN(fmt.Sprint(i)), "big": avS(strings.Repeat("x", size))})
	}
	in := qIn(table, "pk = :p", attrs{":p": avS("p")})
	in.ProjectionExpression = aws.String("sk")
	var got []attrs
	pages := 0
	for {
		out := queryOK(t, in)
		pages++
		// The 1 MB cap applies to data read, whatever the projection: about
		// ten 100 KB items per page.
		if out.Count > 11 {
			t.Fatalf("page %d holds %d items of 100 KB, more than 1 MB", pages, out.Count)
		}
		got = append(got, out.Items...)
		if out.LastEvaluatedKey == nil || pages > n {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if pages < 3 {
		t.Fatalf("pages = %d, want at least 3 for 3 MB", pages)
	}
	if len(got) != n {
		t.Fatalf("got %d items over %d pages, want %d", len(got), pages, n)
	}
}

// queryErr runs a Query expected to fail and returns its error.
func queryErr(t testing.TB, in *dynamodb.QueryInput) error {
	t.Helper()
	_, err := ddb(t).Query(ctx(t), in)
	return err
}

func TestQueryKeyConditionErrors(t *testing.T) {
	t.Parallel()
	comp := rangeTable(t, types.ScalarAttributeTypeN)
	hash := hashTable(t)
	s, n := avS("a"), avN("1")
	cases := []struct {
		name, table, kce string
		vals             attrs
		msg              string
	}{
		{"missing hash", comp, "sk = :n", attrs{":n": n}, "Query condition missed key schema element: pk"},
		{"non-key instead of range", comp, "pk = :s AND x = :n", attrs{":s": s, ":n": n}, "Query condition missed key schema element: sk"},
		{"OR", comp, "pk = :s OR sk = :n", attrs{":s": s, ":n": n}, "Invalid operator used in KeyConditionExpression: OR"},
		{"NOT", comp, "NOT pk = :s", attrs{":s": s}, "Invalid operator used in KeyConditionExpression: NOT"},
		{"<>", comp, "pk <> :s", attrs{":s": s}, "Invalid operator used in KeyConditionExpression: <>"},
		{"IN", comp, "pk IN (:s)", attrs{":s": s}, "Invalid operator used in KeyConditionExpression: IN"},
		{"attribute_exists", comp, "attribute_exists(pk)", nil, "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{"attribute_not_exists", comp, "attribute_not_exists(pk)", nil, "Invalid operator used in KeyConditionExpression: attribute_not_exists"},
		{"contains", comp, "contains(pk, :s)", attrs{":s": s}, "Invalid operator used in KeyConditionExpression: contains"},
		{"two on one key", comp, "pk = :s AND pk = :s", attrs{":s": s}, "KeyConditionExpressions must only contain one condition per key"},
		{"nested map", comp, "pk.x = :s", attrs{":s": s}, "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"nested list", comp, "pk[0] = :s", attrs{":s": s}, "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"size", comp, "size(pk) > :n", attrs{":n": n}, "KeyConditionExpressions cannot contain nested operations"},
		{"no key attribute", comp, ":n > :s AND pk < :s", attrs{":s": s, ":n": n}, "Invalid condition in KeyConditionExpression: No key attribute specified"},
		{"two attribute names", comp, "sk > pk", nil, "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"begins_with operand order", comp, "begins_with(:s, sk) AND pk > :s", attrs{":s": s},
			"Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"},
		{"range op on hash", hash, "pk > :s", attrs{":s": s}, "Query key condition not supported"},
		{"begins_with on hash", hash, "begins_with(pk, :s)", attrs{":s": s}, "Query key condition not supported"},
		{"BETWEEN on hash", hash, "pk BETWEEN :s AND :s", attrs{":s": s}, "Query key condition not supported"},
		{"non-key on hash table", hash, "pk = :s AND x = :s", attrs{":s": s}, "Query key condition not supported"},
		{"value type", hash, "pk = :n", attrs{":n": n}, "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"range value type", comp, "pk = :s AND sk = :s", attrs{":s": s}, "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"BETWEEN types", comp, "pk = :s AND sk BETWEEN :n AND :s", attrs{":s": s, ":n": n},
			"Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; " +
				"lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"},
		{"BETWEEN order", comp, "pk = :s AND sk BETWEEN :hi AND :lo", attrs{":s": s, ":hi": avN("5"), ":lo": n},
			"Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " +
				"lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
		{"empty", comp, "", nil, "Invalid KeyConditionExpression: The expression can not be empty;"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantAPIError(t, queryErr(t, qIn(tc.table, tc.kce, tc.vals)), "ValidationException", tc.msg)
		})
	}
	t.Run("syntax", func(t *testing.T) {
		err := queryErr(t, qIn(comp, "pk ==", nil))
		wantAPIErrorContains(t, err, "ValidationException", "Invalid KeyConditionExpression: Syntax error; ")
	})
	t.Run("begins_with on N", func(t *testing.T) {
		err := queryErr(t, qIn(comp, "pk = :s AND begins_with(sk, :n)", attrs{":s": s, ":n": n}))
		wantAPIErrorMatching(t, err, "ValidationException", `begins_with`)
	})
	t.Run("neither parameter", func(t *testing.T) {
		err := queryErr(t, &dynamodb.QueryInput{TableName: aws.String(comp)})
		wantAPIError(t, err, "ValidationException", "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	})
	t.Run("missing index", func(t *testing.T) {
		in := qIn(comp, "pk = :s", attrs{":s": s})
		in.IndexName = aws.String("nope")
		wantAPIError(t, queryErr(t, in), "ValidationException", "The table does not have the specified index: nope")
	})
	t.Run("missing table", func(t *testing.T) {
		err := queryErr(t, qIn(uniqueName("absent"), "pk = :s", attrs{":s": s}))
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
	})
}

func TestQueryLegacyErrors(t *testing.T) {
	t.Parallel()
	comp := rangeTable(t, types.ScalarAttributeTypeS)
	hash := hashTable(t)
	cond := func(op types.ComparisonOperator, v ...types.AttributeValue) types.Condition {
		return types.Condition{ComparisonOperator: op, AttributeValueList: v}
	}
	eq := cond(types.ComparisonOperatorEq, avS("a"))
	cases := []struct {
		name  string
		table string
		kc    map[string]types.Condition
		msg   string
	}{
		{"NULL", hash, map[string]types.Condition{"pk": cond(types.ComparisonOperatorNull)}, "Attempted conditional constraint is not an indexable operation"},
		{"CONTAINS", hash, map[string]types.Condition{"pk": cond(types.ComparisonOperatorContains, avS("a"))}, "Attempted conditional constraint is not an indexable operation"},
		{"NOT_NULL on range", comp, map[string]types.Condition{"pk": eq, "sk": cond(types.ComparisonOperatorNotNull)}, "Attempted conditional constraint is not an indexable operation"},
		{"LE on hash", hash, map[string]types.Condition{"pk": cond(types.ComparisonOperatorLe, avS("a"))}, "Query key condition not supported"},
		{"missing hash", comp, map[string]types.Condition{"sk": eq}, "Query condition missed key schema element: pk"},
		{"three conditions", comp, map[string]types.Condition{"pk": eq, "sk": eq, "x": eq}, "Conditions can be of length 1 or 2 only"},
		{"argument count", comp, map[string]types.Condition{"pk": cond(types.ComparisonOperatorEq)},
			"One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"},
		{"BEGINS_WITH on N", comp, map[string]types.Condition{"pk": eq, "sk": cond(types.ComparisonOperatorBeginsWith, avN("1"))},
			"One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"},
		{"BETWEEN order", comp, map[string]types.Condition{"pk": eq, "sk": cond(types.ComparisonOperatorBetween, avS("b"), avS("a"))},
			"The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := queryErr(t, &dynamodb.QueryInput{TableName: aws.String(tc.table), KeyConditions: tc.kc})
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
	t.Run("KeyConditions with FilterExpression is accepted", func(t *testing.T) {
		// KeyConditions is left out of the style-mixing check when no
		// KeyConditionExpression is given: dynalite's AWS-recorded suite and
		// DynamoDB Local both accept this combination.
		_, err := ddb(t).Query(ctx(t), &dynamodb.QueryInput{
			TableName: aws.String(comp), KeyConditions: map[string]types.Condition{"pk": eq},
			FilterExpression: aws.String("x = :x"), ExpressionAttributeValues: attrs{":x": avS("x")},
		})
		if err != nil {
			t.Fatalf("Query with KeyConditions and FilterExpression: %v", err)
		}
	})
}

func TestQueryFilterOnKeyRejected(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeS)
	for _, tc := range []struct{ filter, key string }{
		{"pk = :b", "pk"}, {"attribute_exists(pk.b) AND x = :b", "pk"}, {"sk = :b", "sk"}, {"sk[1] = :b", "sk"},
	} {
		t.Run(tc.filter, func(t *testing.T) {
			in := qIn(table, "pk = :a", attrs{":a": avS("1"), ":b": avS("1")})
			in.FilterExpression = aws.String(tc.filter)
			wantAPIError(t, queryErr(t, in), "ValidationException",
				"Filter Expression can only contain non-primary key attributes: Primary key attribute: "+tc.key)
		})
	}
	t.Run("QueryFilter", func(t *testing.T) {
		err := queryErr(t, &dynamodb.QueryInput{
			TableName: aws.String(table),
			KeyConditions: map[string]types.Condition{"pk": {
				ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{avS("a")},
			}},
			QueryFilter: map[string]types.Condition{"sk": {
				ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{avS("a")},
			}},
		})
		wantAPIError(t, err, "ValidationException", "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk")
	})
}

func TestQueryExclusiveStartKeyErrors(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	putOK(t, table, attrs{"pk": avS("a"), "sk": avN("1")})
	const invalid = "The provided starting key is invalid"
	cases := []struct {
		name  string
		kce   string
		start attrs
		msg   string
		exact bool
	}{
		{"missing range", "pk = :a", attrs{"pk": avS("a")}, invalid, false},
		{"empty", "pk = :a", attrs{}, invalid, false},
		{"extra attribute", "pk = :a", attrs{"pk": avS("a"), "sk": avN("1"), "x": avS("x")}, invalid, false},
		{"range type", "pk = :a", attrs{"pk": avS("a"), "sk": avS("1")}, keyMismatch, true},
		{"other partition", "pk = :a", attrs{"pk": avS("b"), "sk": avN("1")},
			"The provided starting key is outside query boundaries based on provided conditions", true},
		{"outside range predicate", "pk = :a AND sk > :five", attrs{"pk": avS("a"), "sk": avN("1")},
			"The provided starting key does not match the range key predicate", true},
		{"single row", "pk = :a AND sk = :one", attrs{"pk": avS("a"), "sk": avN("1")},
			"The query can return at most one row and cannot be restarted", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vals := attrs{":a": avS("a")}
			if strings.Contains(tc.kce, ":five") {
				vals[":five"] = avN("5")
			}
			if strings.Contains(tc.kce, ":one") {
				vals[":one"] = avN("1")
			}
			in := qIn(table, tc.kce, vals)
			in.ExclusiveStartKey = tc.start
			err := queryErr(t, in)
			if tc.exact {
				wantAPIError(t, err, "ValidationException", tc.msg)
			} else {
				wantAPIErrorContains(t, err, "ValidationException", tc.msg)
			}
		})
	}
}
