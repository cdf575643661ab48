package conformance

import (
	"time"

	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Multi-attribute GSI keys (DynamoDB, November 2025): up to four HASH and
// four RANGE attributes. Rules and the RANGE-prefix text are AWS-verified
// (paritysuite/dynamodb-conformance tests/tier1/query/multiAttributeGsiKey,
// tests/tier3/error-messages/partiqlMultiAttributeIndex); the other texts
// are DynamoDB Local 3.3.1's, which implements the feature (see README).

func keyElems(hash []string, rng ...string) []types.KeySchemaElement {
	var out []types.KeySchemaElement
	for _, n := range hash {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(n), KeyType: types.KeyTypeHash})
	}
	for _, n := range rng {
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(n), KeyType: types.KeyTypeRange})
	}
	return out
}

// multiKeyTable creates a table keyed by id (S) with GSI "gsi" on
// HASH (h S, n N) and RANGE (a S, b N, c S).
func multiKeyTable(t testing.TB) string {
	t.Helper()
	return createTable(t, &dynamodb.CreateTableInput{
		TableName: aws.String("mk"),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("id", types.ScalarAttributeTypeS), attrDef("h", types.ScalarAttributeTypeS), attrDef("n", types.ScalarAttributeTypeN),
			attrDef("a", types.ScalarAttributeTypeS), attrDef("b", types.ScalarAttributeTypeN), attrDef("c", types.ScalarAttributeTypeS),
		},
		KeySchema: hashKey("id"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("gsi"),
			KeySchema:  keyElems([]string{"h", "n"}, "a", "b", "c"),
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	})
}

// multiKeyItems: i1..i6 are indexed under (h=H, n=1); i7 is in another
// partition (n=2); i8 lacks c and i9 lacks n, so neither is indexed.
func multiKeyItems() []attrs {
	item := func(id, a, b, c string) attrs {
		return attrs{"id": avS(id), "h": avS("H"), "n": avN("1"), "a": avS(a), "b": avN(b), "c": avS(c), "x": avS("x" + id)}
	}
	it := []attrs{
		item("i1", "T", "2", "r1"), item("i2", "T", "10", "r2"), item("i3", "T", "2", "r0"),
		item("i4", "S", "5", "r1"), item("i5", "T", "-1", "q"), item("i6", "U", "2", "r1"),
		item("i7", "T", "2", "r1"), item("i8", "T", "2", ""), item("i9", "T", "2", "r1"),
	}
	it[6]["n"] = avN("2")
	delete(it[7], "c")
	delete(it[8], "n")
	return it
}

func multiQuery(table, kce string, vals attrs) *dynamodb.QueryInput {
	in := indexQuery(table, "gsi", kce, vals)
	return in
}

var multiVals = attrs{":h": avS("H"), ":n": avN("1")}

func withVals(extra attrs) attrs {
	out := attrs{}
	for k, v := range multiVals {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func TestIndexMultiKeyCreateAndDescribe(t *testing.T) {
	t.Parallel()
	table := multiKeyTable(t)
	out, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	g := out.Table.GlobalSecondaryIndexes[0]
	var got []string
	for _, k := range g.KeySchema {
		got = append(got, aws.ToString(k.AttributeName)+":"+string(k.KeyType))
	}
	if want := "h:HASH n:HASH a:RANGE b:RANGE c:RANGE"; strings.Join(got, " ") != want {
		t.Fatalf("KeySchema %v, want %s", got, want)
	}
	if len(out.Table.AttributeDefinitions) != 6 {
		t.Fatalf("AttributeDefinitions %d, want 6", len(out.Table.AttributeDefinitions))
	}
}

func TestIndexMultiKeyQuery(t *testing.T) {
	t.Parallel()
	table := multiKeyTable(t)
	seed(t, table, multiKeyItems()...)
	cases := []struct {
		kce   string
		extra attrs
		want  string
	}{
		{"h = :h AND n = :n", nil, "i4 i5 i3 i1 i2 i6"},
		{"n = :n AND h = :h", nil, "i4 i5 i3 i1 i2 i6"},
		{"h = :h AND n = :n AND a = :a", attrs{":a": avS("T")}, "i5 i3 i1 i2"},
		{"h = :h AND n = :n AND a = :a AND b = :b", attrs{":a": avS("T"), ":b": avN("2")}, "i3 i1"},
		{"h = :h AND n = :n AND a = :a AND b > :b", attrs{":a": avS("T"), ":b": avN("2")}, "i2"},
		{"h = :h AND n = :n AND a = :a AND b <= :b", attrs{":a": avS("T"), ":b": avN("2")}, "i5 i3 i1"},
		{"h = :h AND n = :n AND a = :a AND b = :b AND begins_with(c, :c)", attrs{":a": avS("T"), ":b": avN("2"), ":c": avS("r")}, "i3 i1"},
		{"h = :h AND n = :n AND a = :a AND b = :b AND c BETWEEN :c AND :d", attrs{":a": avS("T"), ":b": avN("2"), ":c": avS("r1"), ":d": avS("r9")}, "i1"},
		{"h = :h AND n = :n AND a BETWEEN :a AND :b", attrs{":a": avS("S"), ":b": avS("T")}, "i4 i5 i3 i1 i2"},
		{"h = :h AND n = :n AND a > :a", attrs{":a": avS("T")}, "i6"},
		{"h = :h AND n = :n AND begins_with(a, :a)", attrs{":a": avS("U")}, "i6"},
	}
	for _, c := range cases {
		items, _, _ := queryAll(t, multiQuery(table, c.kce, withVals(c.extra)))
		wantColumn(t, c.kce, items, "id", c.want)
	}
	in := multiQuery(table, "h = :h AND n = :n AND a = :a", withVals(attrs{":a": avS("T")}))
	in.ScanIndexForward = aws.Bool(false)
	items, _, _ := queryAll(t, in)
	wantColumn(t, "backward", items, "id", "i2 i1 i3 i5")
	wantItems(t, "KEYS_ONLY projection", items[:1], []attrs{{"id": avS("i2"), "h": avS("H"), "n": avN("1"), "a": avS("T"), "b": avN("10"), "c": avS("r2")}})

	// Pages carry the table key and every index key attribute.
	in = multiQuery(table, "h = :h AND n = :n AND a = :a", withVals(attrs{":a": avS("T")}))
	in.Limit = aws.Int32(2)
	out := queryOK(t, in)
	wantAttrs(t, "LastEvaluatedKey", out.LastEvaluatedKey, attrs{"id": avS("i3"), "h": avS("H"), "n": avN("1"), "a": avS("T"), "b": avN("2"), "c": avS("r0")})
	paged, pages, _ := queryAll(t, in)
	wantColumn(t, "paged", paged, "id", "i5 i3 i1 i2")
	if pages < 2 {
		t.Fatalf("%d pages, want at least 2", pages)
	}

	scanned, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table), IndexName: aws.String("gsi")})
	if len(scanned) != 7 {
		t.Fatalf("Scan of the index: %d items, want 7 (i8 and i9 lack a key attribute)", len(scanned))
	}
}

func TestIndexMultiKeyQueryErrors(t *testing.T) {
	t.Parallel()
	table := multiKeyTable(t)
	rangeMsg := func(missing, at string) string {
		return "RANGE key attributes " + missing + " must have equality conditions specified in the query because a condition is present on key attribute " + at
	}
	cases := []struct {
		name, kce string
		vals      attrs
		msg       string
	}{
		{"one HASH attribute missing", "h = :h", attrs{":h": avS("H")}, "HASH key attributes n must have equality conditions specified in the query"},
		{"no HASH attribute", "a = :a", attrs{":a": avS("T")}, "HASH key attributes h, n must have equality conditions specified in the query"},
		{"HASH range condition", "h = :h AND n > :n", multiVals, "HASH key attributes n must have equality conditions specified in the query"},
		{"gap", "h = :h AND n = :n AND b = :b", withVals(attrs{":b": avN("1")}), rangeMsg("a", "b")},
		{"two missing", "h = :h AND n = :n AND c = :c", withVals(attrs{":c": avS("r")}), rangeMsg("a, b", "c")},
		{"range before the last", "h = :h AND n = :n AND a > :a AND b = :b", withVals(attrs{":a": avS("T"), ":b": avN("1")}), rangeMsg("a", "b")},
		{"begins_with before the last", "h = :h AND n = :n AND begins_with(a, :a) AND b = :b", withVals(attrs{":a": avS("T"), ":b": avN("1")}), rangeMsg("a", "b")},
		{"non-key attribute", "h = :h AND n = :n AND x = :x", withVals(attrs{":x": avS("x")}), "Query condition missed key schema element"},
		{"HASH value type", "h = :h AND n = :x", attrs{":h": avS("H"), ":x": avS("1")}, "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"RANGE value type", "h = :h AND n = :n AND a = :a AND b = :b", withVals(attrs{":a": avS("T"), ":b": avS("1")}), "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"two conditions on one attribute", "h = :h AND n = :n AND h = :h", multiVals, "KeyConditionExpressions must only contain one condition per key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ddb(t).Query(ctx(t), multiQuery(table, c.kce, c.vals))
			wantAPIError(t, err, "ValidationException", c.msg)
		})
	}
	// PartiQL does not read such an index (AWS-verified text).
	_, err := ddb(t).ExecuteStatement(ctx(t), &dynamodb.ExecuteStatementInput{
		Statement: aws.String(`SELECT * FROM "` + table + `"."gsi" WHERE h = 'H' AND n = 1`),
	})
	wantAPIError(t, err, "ValidationException", "PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.")
}

func TestIndexMultiKeyExclusiveStartKey(t *testing.T) {
	t.Parallel()
	table := multiKeyTable(t)
	seed(t, table, multiKeyItems()...)
	start := attrs{"id": avS("i3"), "h": avS("H"), "n": avN("1"), "a": avS("T"), "b": avN("2"), "c": avS("r0")}
	in := multiQuery(table, "h = :h AND n = :n AND a = :a", withVals(attrs{":a": avS("T")}))
	in.ExclusiveStartKey = start
	items, _, _ := queryAll(t, in)
	wantColumn(t, "after i3", items, "id", "i1 i2")

	missing := attrs{"id": avS("i3"), "h": avS("H"), "n": avN("1"), "a": avS("T"), "b": avN("2")}
	in.ExclusiveStartKey = missing
	_, err := ddb(t).Query(ctx(t), in)
	wantAPIErrorContains(t, err, "ValidationException", "The provided starting key is invalid")

	other := attrs{"id": avS("i4"), "h": avS("H"), "n": avN("1"), "a": avS("S"), "b": avN("5"), "c": avS("r1")}
	in.ExclusiveStartKey = other
	_, err = ddb(t).Query(ctx(t), in)
	wantAPIError(t, err, "ValidationException", "The provided starting key does not match the range key predicate")

	otherPartition := attrs{"id": avS("i7"), "h": avS("H"), "n": avN("2"), "a": avS("T"), "b": avN("2"), "c": avS("r1")}
	in.ExclusiveStartKey = otherPartition
	_, err = ddb(t).Query(ctx(t), in)
	wantAPIError(t, err, "ValidationException", "The provided starting key is outside query boundaries based on provided conditions")
}

func TestIndexMultiKeyWrites(t *testing.T) {
	t.Parallel()
	table := multiKeyTable(t)
	put := func(item attrs) error {
		_, err := ddb(t).PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item})
		return err
	}
	err := put(attrs{"id": avS("1"), "h": avS("H"), "n": avS("1")})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key n Expected: N Actual: S IndexName: gsi")
	err = put(attrs{"id": avS("1"), "h": avS(""), "n": avN("1")})
	wantAPIError(t, err, "ValidationException", "One or more parameter values are not valid. A value specified for a secondary index key is not supported. "+
		"The AttributeValue for a key attribute cannot contain an empty string value. IndexName: gsi, IndexKey: h")
	big := strings.Repeat("x", 600)
	err = put(attrs{"id": avS("1"), "h": avS("H"), "n": avN("1"), "a": avS(big), "b": avN("1"), "c": avS(big)})
	wantAPIError(t, err, "ValidationException", "Aggregate size for RANGE key attributes a, b, c of index gsi has exceeded limit 1024 bytes, with actual size 1202 bytes")
	// Two partition-key attributes of 1,500 bytes each are within the limit.
	if err := put(attrs{"id": avS("1"), "h": avS(strings.Repeat("h", 1500)), "n": avN("1")}); err != nil {
		t.Fatal(err)
	}
}

func TestIndexMultiKeyCreateErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		ks   []types.KeySchemaElement
		msg  string
	}{
		{"five HASH", keyElems([]string{"a", "b", "c", "d", "e"}), "Too many partition keys. GSI can have at most 4 partition keys"},
		{"five RANGE", keyElems([]string{"id"}, "a", "b", "c", "d", "e"), "Too many sort keys. GSI can have at most 4 sort keys"},
		{"HASH after RANGE", append(keyElems([]string{"a"}, "b"), keyElems([]string{"c"})...), "Invalid key order. Hash Key must be specified first in key schema, Range Key must be specifed second"},
		{"repeated attribute", keyElems([]string{"a", "b"}, "a"), "Two keys can not have the same name"},
		{"first is RANGE", keyElems(nil, "a", "b"), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
	}
	for _, c := range cases {
		defs := []types.AttributeDefinition{attrDef("id", types.ScalarAttributeTypeS)}
		seen := map[string]bool{"id": true}
		for _, k := range c.ks {
			if n := aws.ToString(k.AttributeName); !seen[n] {
				seen[n] = true
				defs = append(defs, attrDef(n, types.ScalarAttributeTypeS))
			}
		}
		t.Run(c.name, func(t *testing.T) {
			_, err := ddb(t).CreateTable(ctx(t), &dynamodb.CreateTableInput{
				TableName: aws.String(uniqueName("mkbad")), BillingMode: types.BillingModePayPerRequest,
				AttributeDefinitions: defs, KeySchema: hashKey("id"),
				GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{IndexName: aws.String("gsi"), KeySchema: c.ks, Projection: projectAll()}},
			})
			wantAPIError(t, err, "ValidationException", c.msg)
		})
	}
}

func TestIndexMultiKeyUpdateTableBackfill(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	seed(t, table,
		attrs{"pk": avS("1"), "h": avS("H"), "n": avN("1"), "a": avS("b")},
		attrs{"pk": avS("2"), "h": avS("H"), "n": avN("1"), "a": avS("a")},
		attrs{"pk": avS("3"), "h": avS("H"), "a": avS("a")},
	)
	c := ddb(t)
	_, err := c.UpdateTable(ctx(t), &dynamodb.UpdateTableInput{
		TableName: aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS),
			attrDef("h", types.ScalarAttributeTypeS), attrDef("n", types.ScalarAttributeTypeN), attrDef("a", types.ScalarAttributeTypeS)},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("gsi"), KeySchema: keyElems([]string{"h", "n"}, "a"), Projection: projectAll(),
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitTableSettled(t, table)
	items, _, _ := queryAll(t, indexQuery(table, "gsi", "h = :h AND n = :n", attrs{":h": avS("H"), ":n": avN("1")}))
	wantColumn(t, "backfilled", items, "pk", "2 1")
	_, err = c.UpdateTable(ctx(t), &dynamodb.UpdateTableInput{
		TableName:                   aws.String(table),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("gsi")}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Once the deletion is over, DescribeTable lists no index and a query of
	// it is refused as one of an index the table never had (the text of
	// TestQueryErrors' missing index, dynalite test/query.js).
	deadline := time.Now().Add(60 * time.Second)
	for d := waitTableSettled(t, table); len(d.GlobalSecondaryIndexes) > 0; d = waitTableSettled(t, table) {
		if time.Now().After(deadline) {
			t.Fatalf("GSI still described after its deletion: %+v", d.GlobalSecondaryIndexes)
		}
		time.Sleep(100 * time.Millisecond)
	}
	_, err = c.Query(ctx(t), indexQuery(table, "gsi", "h = :h AND n = :n", attrs{":h": avS("H"), ":n": avN("1")}))
	wantAPIError(t, err, "ValidationException", "The table does not have the specified index: gsi")
}
