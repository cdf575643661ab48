package conformance

import (
	"encoding/hex"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Helpers shared by the Query, Scan, index, batch, transaction, TTL and
// PartiQL tests.

// maxPages bounds every paging loop so that a server that never stops
// returning LastEvaluatedKey fails the test instead of hanging it.
const maxPages = 2000

// rangeTable creates a table keyed by pk (S) and sk of the given type.
func rangeTable(t testing.TB, sk types.ScalarAttributeType) string {
	t.Helper()
	return createTable(t, &dynamodb.CreateTableInput{
		TableName: aws.String("r"),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("pk", types.ScalarAttributeTypeS), attrDef("sk", sk),
		},
		KeySchema: hashRangeKey("pk", "sk"),
	})
}

// seed stores every item with PutItem.
func seed(t testing.TB, table string, items ...attrs) {
	t.Helper()
	for _, it := range items {
		putOK(t, table, it)
	}
}

// queryOK runs one Query and fails the test on error.
func queryOK(t testing.TB, in *dynamodb.QueryInput) *dynamodb.QueryOutput {
	t.Helper()
	out, err := ddb(t).Query(ctx(t), in)
	if err != nil {
		t.Fatalf("Query %s: %v", aws.ToString(in.KeyConditionExpression), err)
	}
	return out
}

// queryAll follows LastEvaluatedKey from in (which it modifies) to the end
// and returns every item and the number of pages. scanned sums ScannedCount.
func queryAll(t testing.TB, in *dynamodb.QueryInput) (items []attrs, pages int, scanned int32) {
	t.Helper()
	for pages < maxPages {
		out := queryOK(t, in)
		pages++
		items = append(items, out.Items...)
		scanned += out.ScannedCount
		if int(out.Count) != len(out.Items) && in.Select != types.SelectCount {
			t.Fatalf("page %d: Count %d, %d Items", pages, out.Count, len(out.Items))
		}
		if out.LastEvaluatedKey == nil {
			return items, pages, scanned
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	t.Fatalf("Query still paging after %d pages", maxPages)
	return nil, 0, 0
}

// scanOK runs one Scan and fails the test on error.
func scanOK(t testing.TB, in *dynamodb.ScanInput) *dynamodb.ScanOutput {
	t.Helper()
	out, err := ddb(t).Scan(ctx(t), in)
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return out
}

// scanAll follows LastEvaluatedKey from in (which it modifies) to the end.
func scanAll(t testing.TB, in *dynamodb.ScanInput) (items []attrs, pages int, scanned int32) {
	t.Helper()
	for pages < maxPages {
		out := scanOK(t, in)
		pages++
		items = append(items, out.Items...)
		scanned += out.ScannedCount
		if out.LastEvaluatedKey == nil {
			return items, pages, scanned
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	t.Fatalf("Scan still paging after %d pages", maxPages)
	return nil, 0, 0
}

// scalar renders a scalar value compactly: S and N as their text, B as hex.
func scalar(v types.AttributeValue) string {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return x.Value
	case *types.AttributeValueMemberN:
		return x.Value
	case *types.AttributeValueMemberB:
		return hex.EncodeToString(x.Value)
	case nil:
		return "<absent>"
	default:
		return avRender(v)
	}
}

// column returns the scalar renderings of attribute name across items, in
// order, separated by spaces.
func column(items []attrs, name string) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = scalar(it[name])
	}
	return strings.Join(parts, " ")
}

// wantColumn fails unless the attribute name across items, in order, is
// want (space separated).
func wantColumn(t testing.TB, what string, items []attrs, name, want string) {
	t.Helper()
	if got := column(items, name); got != want {
		t.Fatalf("%s: %s =\n  %s\nwant\n  %s", what, name, got, want)
	}
}

// renderAll renders items in order, one per line.
func renderAll(items []attrs) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = attrsRender(it)
	}
	return strings.Join(parts, "\n  ")
}

// wantItems fails unless got holds exactly want, in order.
func wantItems(t testing.TB, what string, got, want []attrs) {
	t.Helper()
	if g, w := renderAll(got), renderAll(want); g != w || len(got) != len(want) {
		t.Fatalf("%s =\n  %s\nwant\n  %s", what, g, w)
	}
}

// wantItemSet fails unless got holds exactly want, in any order, each once.
func wantItemSet(t testing.TB, what string, got, want []attrs) {
	t.Helper()
	g, w := sortedRenders(got), sortedRenders(want)
	if strings.Join(g, "\n  ") != strings.Join(w, "\n  ") {
		t.Fatalf("%s (any order) =\n  %s\nwant\n  %s", what, strings.Join(g, "\n  "), strings.Join(w, "\n  "))
	}
}

func sortedRenders(items []attrs) []string {
	r := make([]string, len(items))
	for i, it := range items {
		r[i] = attrsRender(it)
	}
	sort.Strings(r)
	return r
}

// project keeps only the named attributes of each item.
func project(items []attrs, names ...string) []attrs {
	out := make([]attrs, len(items))
	for i, it := range items {
		p := attrs{}
		for _, n := range names {
			if v, ok := it[n]; ok {
				p[n] = v
			}
		}
		out[i] = p
	}
	return out
}
