package conformance

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ReturnConsumedCapacity on single-item operations. Item size is the sum of
// attribute name and value lengths; writes cost one unit per started KB of
// the larger of the old and new item, reads one unit per started 4 KB, half
// for eventually consistent reads. Expected numbers are from dynalite's
// live-captured tests (putItem.js, getItem.js, deleteItem.js,
// updateItem.js).

// sizedItem returns a hashTable item of exactly size bytes: "pk" + key +
// "b" + filler.
func sizedItem(t testing.TB, key string, size int) attrs {
	t.Helper()
	n := size - len("pk") - len(key) - len("b")
	if n < 1 {
		t.Fatalf("size %d too small", size)
	}
	return attrs{"pk": avS(key), "b": avS(strings.Repeat("b", n))}
}

// wantCapacity checks TableName and CapacityUnits, and Table.CapacityUnits
// when INDEXES was requested.
func wantCapacity(t testing.TB, what, table string, cc *types.ConsumedCapacity, units float64, indexes bool) {
	t.Helper()
	if cc == nil {
		t.Fatalf("%s: ConsumedCapacity missing", what)
	}
	if aws.ToString(cc.TableName) != table {
		t.Fatalf("%s: TableName = %q, want %q", what, aws.ToString(cc.TableName), table)
	}
	if got := aws.ToFloat64(cc.CapacityUnits); got != units {
		t.Fatalf("%s: CapacityUnits = %v, want %v", what, got, units)
	}
	if !indexes {
		return
	}
	if cc.Table == nil {
		t.Fatalf("%s: Table missing with INDEXES", what)
	}
	if got := aws.ToFloat64(cc.Table.CapacityUnits); got != units {
		t.Fatalf("%s: Table.CapacityUnits = %v, want %v", what, got, units)
	}
}

func TestCapacityPutItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	put := func(t *testing.T, item attrs, rcc types.ReturnConsumedCapacity) *types.ConsumedCapacity {
		t.Helper()
		out, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item, ReturnConsumedCapacity: rcc})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	t.Run("1024 bytes", func(t *testing.T) {
		wantCapacity(t, "TOTAL", table, put(t, sizedItem(t, "small", 1024), types.ReturnConsumedCapacityTotal), 1, false)
		wantCapacity(t, "INDEXES", table, put(t, sizedItem(t, "small", 1024), types.ReturnConsumedCapacityIndexes), 1, true)
	})
	t.Run("1025 bytes", func(t *testing.T) {
		wantCapacity(t, "TOTAL", table, put(t, sizedItem(t, "large", 1025), types.ReturnConsumedCapacityTotal), 2, false)
		wantCapacity(t, "INDEXES", table, put(t, sizedItem(t, "large", 1025), types.ReturnConsumedCapacityIndexes), 2, true)
	})
	t.Run("overwrite counts the larger item", func(t *testing.T) {
		putOK(t, table, sizedItem(t, "shrink", 1025))
		wantCapacity(t, "replace large", table, put(t, pk("shrink"), types.ReturnConsumedCapacityTotal), 2, false)
		wantCapacity(t, "replace small", table, put(t, pk("shrink"), types.ReturnConsumedCapacityTotal), 1, false)
	})
	t.Run("NONE", func(t *testing.T) {
		if cc := put(t, pk("none"), types.ReturnConsumedCapacityNone); cc != nil {
			t.Fatalf("ConsumedCapacity = %+v, want absent", cc)
		}
		if cc := put(t, pk("none"), ""); cc != nil {
			t.Fatalf("ConsumedCapacity = %+v, want absent by default", cc)
		}
	})
}

func TestCapacityGetItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	putOK(t, table, sizedItem(t, "r4096", 4096))
	putOK(t, table, sizedItem(t, "r4097", 4097))
	get := func(t *testing.T, key string, consistent bool, rcc types.ReturnConsumedCapacity) *types.ConsumedCapacity {
		t.Helper()
		out, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{
			TableName: aws.String(table), Key: pk(key), ConsistentRead: aws.Bool(consistent), ReturnConsumedCapacity: rcc,
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	cases := []struct {
		key        string
		consistent bool
		units      float64
	}{
		{"missing", false, 0.5},
		{"missing", true, 1},
		{"r4096", false, 0.5},
		{"r4096", true, 1},
		{"r4097", false, 1},
		{"r4097", true, 2},
	}
	for _, tc := range cases {
		name := tc.key
		if tc.consistent {
			name += "/consistent"
		} else {
			name += "/eventual"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			wantCapacity(t, "TOTAL", table, get(t, tc.key, tc.consistent, types.ReturnConsumedCapacityTotal), tc.units, false)
			wantCapacity(t, "INDEXES", table, get(t, tc.key, tc.consistent, types.ReturnConsumedCapacityIndexes), tc.units, true)
		})
	}
	t.Run("projection does not reduce the cost", func(t *testing.T) {
		t.Parallel()
		out, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{
			TableName: aws.String(table), Key: pk("r4097"), ConsistentRead: aws.Bool(true),
			ProjectionExpression: aws.String("pk"), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		})
		if err != nil {
			t.Fatal(err)
		}
		wantCapacity(t, "TOTAL", table, out.ConsumedCapacity, 2, false)
	})
}

func TestCapacityDeleteItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	del := func(t *testing.T, key string, rcc types.ReturnConsumedCapacity) *types.ConsumedCapacity {
		t.Helper()
		out, err := c.DeleteItem(ctx(t), &dynamodb.DeleteItemInput{TableName: aws.String(table), Key: pk(key), ReturnConsumedCapacity: rcc})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	wantCapacity(t, "missing TOTAL", table, del(t, "missing", types.ReturnConsumedCapacityTotal), 1, false)
	wantCapacity(t, "missing INDEXES", table, del(t, "missing", types.ReturnConsumedCapacityIndexes), 1, true)
	putOK(t, table, sizedItem(t, "d1024", 1024))
	wantCapacity(t, "1024 bytes", table, del(t, "d1024", types.ReturnConsumedCapacityTotal), 1, false)
	putOK(t, table, sizedItem(t, "d1025", 1025))
	wantCapacity(t, "1025 bytes", table, del(t, "d1025", types.ReturnConsumedCapacityTotal), 2, false)
}

func TestCapacityUpdateItem(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	c := ddb(t)
	update := func(t *testing.T, key, filler string, rcc types.ReturnConsumedCapacity) *types.ConsumedCapacity {
		t.Helper()
		out, err := c.UpdateItem(ctx(t), &dynamodb.UpdateItemInput{
			TableName: aws.String(table), Key: pk(key), UpdateExpression: aws.String("SET b = :b"),
			ExpressionAttributeValues: attrs{":b": avS(filler)}, ReturnConsumedCapacity: rcc,
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	// "pk" + "u1" + "b" + filler: 1024 bytes with 1019 filler bytes.
	small := strings.Repeat("b", 1019)
	wantCapacity(t, "create 1024", table, update(t, "u1", small, types.ReturnConsumedCapacityTotal), 1, false)
	wantCapacity(t, "update to 1024", table, update(t, "u1", small, types.ReturnConsumedCapacityIndexes), 1, true)
	wantCapacity(t, "grow to 1025", table, update(t, "u1", small+"b", types.ReturnConsumedCapacityTotal), 2, false)
	wantCapacity(t, "shrink from 1025", table, update(t, "u1", "b", types.ReturnConsumedCapacityTotal), 2, false)
	wantCapacity(t, "small again", table, update(t, "u1", "b", types.ReturnConsumedCapacityTotal), 1, false)
}

func TestCapacityEnum(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	_, err := ddb(t).GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(table), Key: pk("k"), ReturnConsumedCapacity: "hi"})
	wantAPIError(t, err, "ValidationException", "1 validation error detected: Value 'hi' at 'returnConsumedCapacity' "+
		"failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")
}
