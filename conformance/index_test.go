package conformance

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Local and global secondary indexes: sparse indexes, projections, the
// errors of index queries, LastEvaluatedKey shape, key type checks on
// write, and a GSI added by UpdateTable. Texts are AWS-captured (dynalite
// test/query.js, test/batchWriteItem.js) or AWS-verified behaviour
// (scylladb test_gsi.py, test_lsi.py, test_gsi_updatetable.py).

// indexTable creates a table keyed by pk/sk (S) with
//   - LSI lsi on (pk, l S), KEYS_ONLY
//   - GSI gKeys on (g S, r N), KEYS_ONLY
//   - GSI gInc on (g), INCLUDE [x]
//   - GSI gAll on (g, sk), ALL
func indexTable(t testing.TB) string {
	t.Helper()
	keysOnly := &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}
	return createTable(t, &dynamodb.CreateTableInput{
		TableName: aws.String("ix"),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("pk", types.ScalarAttributeTypeS), attrDef("sk", types.ScalarAttributeTypeS),
			attrDef("l", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS), attrDef("r", types.ScalarAttributeTypeN),
		},
		KeySchema: hashRangeKey("pk", "sk"),
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{
			{IndexName: aws.String("lsi"), KeySchema: hashRangeKey("pk", "l"), Projection: keysOnly},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("gKeys"), KeySchema: hashRangeKey("g", "r"), Projection: keysOnly},
			{IndexName: aws.String("gInc"), KeySchema: hashKey("g"), Projection: &types.Projection{
				ProjectionType: types.ProjectionTypeInclude, NonKeyAttributes: []string{"x"},
			}},
			{IndexName: aws.String("gAll"), KeySchema: hashRangeKey("g", "sk"), Projection: projectAll()},
		},
	})
}

// indexItems are the items of TestIndex*: i0..i3 are in every GSI, i4 has
// g but no r (absent from gKeys), i5 has neither (absent from every GSI);
// only i1 and i3 have l.
func indexItems() []attrs {
	return []attrs{
		{"pk": avS("p"), "sk": avS("0"), "g": avS("G"), "r": avN("30"), "x": avS("x0"), "y": avS("y0")},
		{"pk": avS("p"), "sk": avS("1"), "g": avS("G"), "r": avN("10"), "x": avS("x1"), "y": avS("y1"), "l": avS("b")},
		{"pk": avS("q"), "sk": avS("2"), "g": avS("G"), "r": avN("-5"), "y": avS("y2")},
		{"pk": avS("p"), "sk": avS("3"), "g": avS("G"), "r": avN("20"), "x": avS("x3"), "l": avS("a")},
		{"pk": avS("p"), "sk": avS("4"), "g": avS("G"), "x": avS("x4")},
		{"pk": avS("p"), "sk": avS("5"), "x": avS("x5")},
	}
}

func indexQuery(table, index, kce string, vals attrs) *dynamodb.QueryInput {
	in := qIn(table, kce, vals)
	in.IndexName = aws.String(index)
	return in
}

func TestIndexGSIProjectionsAndSparseness(t *testing.T) {
	t.Parallel()
	table := indexTable(t)
	it := indexItems()
	seed(t, table, it...)
	g := attrs{":g": avS("G")}

	items, _, _ := queryAll(t, indexQuery(table, "gKeys", "g = :g", g))
	wantItems(t, "gKeys (ordered by r)", items, project([]attrs{it[2], it[1], it[3], it[0]}, "pk", "sk", "g", "r"))

	items, _, _ = queryAll(t, indexQuery(table, "gInc", "g = :g", g))
	wantItemSet(t, "gInc", items, project(it[:5], "pk", "sk", "g", "x"))

	items, _, _ = queryAll(t, indexQuery(table, "gAll", "g = :g", g))
	wantItems(t, "gAll (ordered by sk)", items, it[:5])

	in := indexQuery(table, "gKeys", "g = :g AND r BETWEEN :lo AND :hi", attrs{":g": avS("G"), ":lo": avN("0"), ":hi": avN("25")})
	in.ScanIndexForward = aws.Bool(false)
	items, _, _ = queryAll(t, in)
	wantColumn(t, "gKeys range, backward", items, "r", "20 10")

	in = indexQuery(table, "gInc", "g = :g", g)
	in.Select = types.SelectAllProjectedAttributes
	items, _, _ = queryAll(t, in)
	wantItemSet(t, "ALL_PROJECTED_ATTRIBUTES", items, project(it[:5], "pk", "sk", "g", "x"))

	in = indexQuery(table, "gInc", "g = :g", g)
	in.ProjectionExpression = aws.String("x, pk")
	items, _, _ = queryAll(t, in)
	wantItemSet(t, "projection within the index", items, project(it[:5], "x", "pk"))

	scanned, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table), IndexName: aws.String("gKeys")})
	wantItemSet(t, "Scan gKeys", scanned, project(it[:4], "pk", "sk", "g", "r"))
}

func TestIndexLSI(t *testing.T) {
	t.Parallel()
	table := indexTable(t)
	it := indexItems()
	seed(t, table, it...)
	in := indexQuery(table, "lsi", "pk = :p", attrs{":p": avS("p")})
	in.ConsistentRead = aws.Bool(true) // allowed on an LSI
	items, _, _ := queryAll(t, in)
	wantItems(t, "lsi (ordered by l, sparse)", items, project([]attrs{it[3], it[1]}, "pk", "sk", "l"))

	// An LSI query may ask for attributes outside its projection: they are
	// fetched from the table.
	in = indexQuery(table, "lsi", "pk = :p AND l > :a", attrs{":p": avS("p"), ":a": avS("a")})
	in.Select = types.SelectAllAttributes
	items, _, _ = queryAll(t, in)
	wantItems(t, "lsi ALL_ATTRIBUTES", items, []attrs{it[1]})
}

func TestIndexLastEvaluatedKey(t *testing.T) {
	t.Parallel()
	table := indexTable(t)
	it := indexItems()
	seed(t, table, it...)
	in := indexQuery(table, "gKeys", "g = :g", attrs{":g": avS("G")})
	in.Limit = aws.Int32(1)
	out := queryOK(t, in)
	wantAttrs(t, "gKeys LastEvaluatedKey", out.LastEvaluatedKey, project([]attrs{it[2]}, "pk", "sk", "g", "r")[0])
	items, _, _ := queryAll(t, in)
	wantColumn(t, "gKeys paged", items, "sk", "2 1 3 0")

	in = indexQuery(table, "lsi", "pk = :p", attrs{":p": avS("p")})
	in.Limit = aws.Int32(1)
	out = queryOK(t, in)
	wantAttrs(t, "lsi LastEvaluatedKey", out.LastEvaluatedKey, attrs{"pk": avS("p"), "sk": avS("3"), "l": avS("a")})

	sc := scanOK(t, &dynamodb.ScanInput{TableName: aws.String(table), IndexName: aws.String("gInc"), Limit: aws.Int32(1)})
	if k := sc.LastEvaluatedKey; len(k) != 3 || k["g"] == nil || k["pk"] == nil || k["sk"] == nil {
		t.Fatalf("Scan gInc LastEvaluatedKey = %s, want g, pk and sk", attrsRender(k))
	}
}

func TestIndexQueryErrors(t *testing.T) {
	t.Parallel()
	table := indexTable(t)
	g := attrs{":g": avS("G")}
	t.Run("ConsistentRead on GSI", func(t *testing.T) {
		in := indexQuery(table, "gAll", "g = :g", g)
		in.ConsistentRead = aws.Bool(true)
		wantAPIError(t, queryErr(t, in), "ValidationException", "Consistent reads are not supported on global secondary indexes")
	})
	for _, index := range []string{"gKeys", "gInc"} {
		t.Run("ALL_ATTRIBUTES on "+index, func(t *testing.T) {
			in := indexQuery(table, index, "g = :g", g)
			in.Select = types.SelectAllAttributes
			wantAPIError(t, queryErr(t, in), "ValidationException", "One or more parameter values were invalid: "+
				"Select type ALL_ATTRIBUTES is not supported for global secondary index "+index+" because its projection type is not ALL")
		})
	}
	t.Run("table key on GSI", func(t *testing.T) {
		err := queryErr(t, indexQuery(table, "gKeys", "pk = :p", attrs{":p": avS("p")}))
		wantAPIError(t, err, "ValidationException", "Query condition missed key schema element: g")
	})
	t.Run("missing index", func(t *testing.T) {
		err := queryErr(t, indexQuery(table, "nope", "g = :g", g))
		wantAPIError(t, err, "ValidationException", "The table does not have the specified index: nope")
	})
	t.Run("ConsistentRead on GSI scan", func(t *testing.T) {
		_, err := ddb(t).Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(table), IndexName: aws.String("gAll"), ConsistentRead: aws.Bool(true)})
		wantAPIError(t, err, "ValidationException", "Consistent reads are not supported on global secondary indexes")
	})
}

func TestIndexKeyTypeMismatchOnWrite(t *testing.T) {
	t.Parallel()
	table := indexTable(t)
	c := ddb(t)
	cases := []struct {
		name string
		item attrs
		re   string
	}{
		{"GSI hash", attrs{"pk": avS("a"), "sk": avS("a"), "g": avN("1")},
			`^One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: g(Keys|Inc|All)$`},
		{"GSI range", attrs{"pk": avS("a"), "sk": avS("a"), "r": avS("x")},
			`^One or more parameter values were invalid: Type mismatch for Index Key r Expected: N Actual: S IndexName: gKeys$`},
		{"LSI range", attrs{"pk": avS("a"), "sk": avS("a"), "l": avB([]byte("x"))},
			`^One or more parameter values were invalid: Type mismatch for Index Key l Expected: S Actual: B IndexName: lsi$`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: tc.item})
			wantAPIErrorMatching(t, err, "ValidationException", tc.re)
		})
	}
	t.Run("UpdateItem", func(t *testing.T) {
		_, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: attrs{"pk": avS("a"), "sk": avS("b")},
			UpdateExpression: aws.String("SET r = :v"), ExpressionAttributeValues: attrs{":v": avS("x")},
		})
		wantAPIErrorMatching(t, err, "ValidationException",
			`^One or more parameter values were invalid: Type mismatch for Index Key r Expected: N Actual: S IndexName: gKeys$`)
	})
	t.Run("BatchWriteItem", func(t *testing.T) {
		_, err := c.BatchWriteItem(ctx(t), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{
			table: {{PutRequest: &types.PutRequest{Item: attrs{"pk": avS("a"), "sk": avS("a"), "g": avN("1")}}}},
		}})
		wantAPIErrorMatching(t, err, "ValidationException", `Type mismatch for Index Key g Expected: S Actual: N IndexName: g(Keys|Inc|All)$`)
	})
	if got := getOK(t, table, attrs{"pk": avS("a"), "sk": avS("a")}); got != nil {
		t.Fatalf("rejected item was stored: %s", attrsRender(got))
	}
}

func TestIndexGSIAddedByUpdateTableIsBackfilled(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	var want []attrs
	for i := 0; i < 30; i++ {
		it := attrs{"pk": avS(fmt.Sprint(i)), "v": avN(fmt.Sprint(i))}
		if i%3 == 0 {
			it["g"] = avS("G")
			want = append(want, it)
		}
		putOK(t, table, it)
	}
	_, err := updateTable(t, &dynamodb.UpdateTableInput{
		TableName:                   aws.String(table),
		AttributeDefinitions:        []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS)},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{gsiCreate("byG", "g")},
	})
	if err != nil {
		t.Fatalf("UpdateTable: %v", err)
	}
	waitTableSettled(t, table)
	items, _, _ := queryAll(t, indexQuery(table, "byG", "g = :g", attrs{":g": avS("G")}))
	wantItemSet(t, "backfilled GSI", items, want)

	late := attrs{"pk": avS("late"), "g": avS("G")}
	putOK(t, table, late)
	items, _, _ = queryAll(t, indexQuery(table, "byG", "g = :g", attrs{":g": avS("G")}))
	wantItemSet(t, "GSI after a later write", items, append(want, late))
}
