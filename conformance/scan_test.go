package conformance

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Scan: filters, Select, paging, 1 MB pages and parallel scans. Texts are
// AWS-captured (dynalite test/scan.js) or AWS-verified behaviour (scylladb
// test_scan.py) unless a comment says otherwise.

// seedNumbered stores n items pk=k000.., n=i, odd=i%2==1 in table and returns
// them.
func seedNumbered(t testing.TB, table string, n int) []attrs {
	t.Helper()
	items := make([]attrs, n)
	for i := range items {
		items[i] = attrs{"pk": avS(fmt.Sprintf("k%03d", i)), "n": avN(fmt.Sprint(i)), "odd": avBool(i%2 == 1)}
		putOK(t, table, items[i])
	}
	return items
}

func TestScanFilterCountAndProjection(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	items := seedNumbered(t, table, 20)
	in := &dynamodb.ScanInput{
		TableName:                 aws.String(table),
		FilterExpression:          aws.String("odd = :t AND n >= :ten"),
		ExpressionAttributeValues: attrs{":t": avBool(true), ":ten": avN("10")},
	}
	out := scanOK(t, in)
	if out.Count != 5 || out.ScannedCount != 20 {
		t.Fatalf("Count/ScannedCount = %d/%d, want 5/20", out.Count, out.ScannedCount)
	}
	var want []attrs
	for i := 11; i < 20; i += 2 {
		want = append(want, items[i])
	}
	wantItemSet(t, "filtered", out.Items, want)

	// Unlike Query, a Scan filter may use key attributes.
	in.FilterExpression = aws.String("begins_with(pk, :p) AND odd = :t")
	in.ExpressionAttributeValues = attrs{":p": avS("k01"), ":t": avBool(true)}
	wantItemSet(t, "filter on the key", scanOK(t, in).Items, []attrs{items[11], items[13], items[15], items[17], items[19]})

	in.ProjectionExpression = aws.String("n")
	wantItemSet(t, "projected", scanOK(t, in).Items, project([]attrs{items[11], items[13], items[15], items[17], items[19]}, "n"))

	cnt := scanOK(t, &dynamodb.ScanInput{TableName: aws.String(table), Select: types.SelectCount})
	if cnt.Items != nil || cnt.Count != 20 || cnt.ScannedCount != 20 {
		t.Fatalf("COUNT: Items %v, Count %d, ScannedCount %d; want no Items, 20, 20", cnt.Items, cnt.Count, cnt.ScannedCount)
	}

	legacy := scanOK(t, &dynamodb.ScanInput{TableName: aws.String(table), ScanFilter: map[string]types.Condition{
		"n": {ComparisonOperator: types.ComparisonOperatorBetween, AttributeValueList: []types.AttributeValue{avN("3"), avN("5")}},
	}})
	wantItemSet(t, "ScanFilter", legacy.Items, items[3:6])
}

func TestScanLimitBeforeFilter(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	seedNumbered(t, table, 30)
	in := &dynamodb.ScanInput{
		TableName: aws.String(table), Limit: aws.Int32(4),
		FilterExpression: aws.String("n < :zero"), ExpressionAttributeValues: attrs{":zero": avN("0")},
	}
	out := scanOK(t, in)
	// Nothing matches, yet the page is not empty-and-final: 4 were read.
	if out.Count != 0 || out.ScannedCount != 4 || out.LastEvaluatedKey == nil {
		t.Fatalf("Count/ScannedCount/LastEvaluatedKey = %d/%d/%v, want 0/4/a key", out.Count, out.ScannedCount, out.LastEvaluatedKey)
	}
	items, pages, scanned := scanAll(t, in)
	if len(items) != 0 || scanned != 30 || pages < 8 {
		t.Fatalf("items/scanned/pages = %d/%d/%d, want 0/30/>=8", len(items), scanned, pages)
	}
}

func TestScanPagingEveryItemOnce(t *testing.T) {
	t.Parallel()
	table := rangeTable(t, types.ScalarAttributeTypeN)
	var want []attrs
	for p := 0; p < 30; p++ {
		for s := 0; s < 10; s++ {
			it := attrs{"pk": avS(fmt.Sprintf("p%02d", p)), "sk": avN(fmt.Sprint(s))}
			putOK(t, table, it)
			want = append(want, it)
		}
	}
	for _, limit := range []int32{1, 13, 300, 1000} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			items, _, scanned := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table), Limit: aws.Int32(limit)})
			wantItemSet(t, "scan", items, want)
			if scanned != int32(len(want)) {
				t.Fatalf("ScannedCount total = %d, want %d", scanned, len(want))
			}
			// Within a partition, items come in sort-key order.
			last := map[string]string{}
			for _, it := range items {
				p, s := scalar(it["pk"]), scalar(it["sk"])
				if prev, ok := last[p]; ok && len(prev) == len(s) && prev > s {
					t.Fatalf("partition %s: sk %s after %s", p, s, prev)
				}
				last[p] = s
			}
		})
	}
}

func TestScanPagesOfOneMegabyte(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	const n, size = 30, 100 * 1024
	for i := 0; i < n; i++ {
		putOK(t, table, attrs{"pk": avS(fmt.Sprint(i)), "big": avS(strings.Repeat("y", size))})
	}
	in := &dynamodb.ScanInput{TableName: aws.String(table), Select: types.SelectCount}
	pages, total := 0, int32(0)
	for ; pages <= n; pages++ {
		out := scanOK(t, in)
		if out.ScannedCount > 11 {
			t.Fatalf("page %d read %d items of 100 KB, more than 1 MB", pages, out.ScannedCount)
		}
		total += out.Count
		if out.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	if pages < 2 || total != n {
		t.Fatalf("pages/total = %d/%d, want at least 3 pages and %d items", pages+1, total, n)
	}
}

func TestScanParallelSegments(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	all := seedNumbered(t, table, 200)
	for _, total := range []int32{1, 2, 4, 7} {
		t.Run(fmt.Sprint(total), func(t *testing.T) {
			seen := map[string]int32{}
			var union []attrs
			for seg := int32(0); seg < total; seg++ {
				items, _, _ := scanAll(t, &dynamodb.ScanInput{
					TableName: aws.String(table), Segment: aws.Int32(seg), TotalSegments: aws.Int32(total), Limit: aws.Int32(9),
				})
				for _, it := range items {
					k := scalar(it["pk"])
					if prev, dup := seen[k]; dup {
						t.Fatalf("item %s in segments %d and %d", k, prev, seg)
					}
					seen[k] = seg
				}
				// Segments split the key space by a hash of the partition
				// key: with 200 partitions none of a few segments is empty.
				if len(items) == 0 {
					t.Errorf("segment %d of %d is empty", seg, total)
				}
				union = append(union, items...)
			}
			wantItemSet(t, "union of segments", union, all)
		})
	}
	t.Run("start key of another segment", func(t *testing.T) {
		out := scanOK(t, &dynamodb.ScanInput{TableName: aws.String(table), Segment: aws.Int32(1), TotalSegments: aws.Int32(2)})
		if len(out.Items) == 0 {
			t.Fatal("segment 1 of 2 is empty")
		}
		_, err := ddb(t).Scan(ctx(t), &dynamodb.ScanInput{
			TableName: aws.String(table), Segment: aws.Int32(0), TotalSegments: aws.Int32(2),
			ExclusiveStartKey: attrs{"pk": out.Items[0]["pk"]},
		})
		wantAPIError(t, err, "ValidationException", "The provided starting key is invalid: "+
			"Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0")
	})
}

func TestScanOrderIsNotInsertionOrder(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	all := seedNumbered(t, table, 50)
	items, _, _ := scanAll(t, &dynamodb.ScanInput{TableName: aws.String(table)})
	wantItemSet(t, "scan", items, all)
	// Scan order follows a hash of the partition key; applications must not
	// rely on it. This is only reported, never required.
	if column(items, "pk") == column(all, "pk") {
		t.Logf("scan returned the items in insertion order")
	}
}

func TestScanSegmentErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	cases := []struct {
		name       string
		seg, total *int32
		msg        string
	}{
		{"segment alone", aws.Int32(1), nil,
			"The TotalSegments parameter is required but was not present in the request when Segment parameter is present"},
		{"total alone", nil, aws.Int32(2),
			"The Segment parameter is required but was not present in the request when parameter TotalSegments is present"},
		{"segment = total", aws.Int32(2), aws.Int32(2),
			"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 2 is not less than TotalSegments: 2"},
		{"segment > total", aws.Int32(5), aws.Int32(1),
			"The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 1"},
		{"negative segment", aws.Int32(-1), aws.Int32(2),
			"1 validation error detected: Value '-1' at 'segment' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"zero total", aws.Int32(0), aws.Int32(0),
			"1 validation error detected: Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"total too large", aws.Int32(0), aws.Int32(1000001),
			"1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ddb(t).Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(table), Segment: tc.seg, TotalSegments: tc.total})
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
	t.Run("largest TotalSegments", func(t *testing.T) {
		scanOK(t, &dynamodb.ScanInput{TableName: aws.String(table), Segment: aws.Int32(999999), TotalSegments: aws.Int32(1000000)})
	})
}

func TestScanErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	cases := []struct {
		name string
		in   *dynamodb.ScanInput
		msg  string
	}{
		{"empty filter", &dynamodb.ScanInput{FilterExpression: aws.String("")}, "Invalid FilterExpression: The expression can not be empty;"},
		{"limit 0", &dynamodb.ScanInput{Limit: aws.Int32(0)},
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"start key type", &dynamodb.ScanInput{ExclusiveStartKey: attrs{"pk": avN("1")}}, "The provided starting key is invalid: " + keyMismatch},
		{"start key attribute", &dynamodb.ScanInput{ExclusiveStartKey: attrs{"b": avS("a")}}, "The provided starting key is invalid: " + keyMismatch},
		{"nested key path in filter", &dynamodb.ScanInput{
			FilterExpression: aws.String("attribute_exists(#a.b.c)"), ExpressionAttributeNames: map[string]string{"#a": "pk"},
		}, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"},
		{"missing index", &dynamodb.ScanInput{IndexName: aws.String("nope")}, "The table does not have the specified index: nope"},
		{"mixed", &dynamodb.ScanInput{
			ScanFilter:       map[string]types.Condition{"a": {ComparisonOperator: types.ComparisonOperatorNull}},
			FilterExpression: aws.String("attribute_exists(a)"),
		}, "Can not use both expression and non-expression parameters in the same request: " +
			"Non-expression parameters: {ScanFilter} Expression parameters: {FilterExpression}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.TableName = aws.String(table)
			_, err := ddb(t).Scan(ctx(t), tc.in)
			wantAPIError(t, err, "ValidationException", tc.msg)
		})
	}
}
