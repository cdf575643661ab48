package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// BenchmarkQueryPartition100 reads a 100-item partition, among other
// partitions, in one page with a KeyConditionExpression.
func BenchmarkQueryPartition100(b *testing.B) {
	const tbl = "bench"
	e := newItemEngine(b, itemRangeDef(tbl))
	for p := range 10 {
		for i := range 100 {
			mustPut(b, e, tbl, attr.Item{"pk": itemS("p" + strconv.Itoa(p)), "sk": itemN(strconv.Itoa(i)),
				"v": itemS("payload-" + strconv.Itoa(i))})
		}
	}
	ctx := context.Background()
	in := &QueryInput{TableName: itemStr(tbl), KeyConditionExpression: itemStr("pk = :p"),
		ExpressionAttributeValues: ExpressionValues{":p": itemS("p5")}}
	for b.Loop() {
		out, err := e.Query(ctx, in)
		if err != nil {
			b.Fatal(err)
		}
		if out.Count != 100 || out.LastEvaluatedKey != nil {
			b.Fatalf("Count %d, LastEvaluatedKey %v", out.Count, out.LastEvaluatedKey)
		}
	}
}
