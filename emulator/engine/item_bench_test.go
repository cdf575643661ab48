package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

func BenchmarkPutItem(b *testing.B) {
	e := newItemEngine(b, itemHashDef("bench"))
	ctx := context.Background()
	in := &PutItemInput{TableName: itemStr("bench")}
	for i := 0; b.Loop(); i++ {
		in.Item = attr.Item{"pk": itemS(strconv.Itoa(i % 1000)), "v": itemN(strconv.Itoa(i)), "s": itemS("payload")}
		if _, err := e.PutItem(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItem(b *testing.B) {
	e := newItemEngine(b, itemHashDef("bench"))
	ctx := context.Background()
	for i := range 1000 {
		mustPut(b, e, "bench", attr.Item{"pk": itemS(strconv.Itoa(i)), "v": itemN(strconv.Itoa(i))})
	}
	keys := make([]attr.Item, 1000)
	for i := range keys {
		keys[i] = attr.Item{"pk": itemS(strconv.Itoa(i))}
	}
	in := &GetItemInput{TableName: itemStr("bench")}
	for i := 0; b.Loop(); i++ {
		in.Key = keys[i%len(keys)]
		if _, err := e.GetItem(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdateItemConditional(b *testing.B) {
	e := newItemEngine(b, itemHashDef("bench"))
	ctx := context.Background()
	mustPut(b, e, "bench", attr.Item{"pk": itemS("a"), "n": itemN("0")})
	in := &UpdateItemInput{TableName: itemStr("bench"), Key: attr.Item{"pk": itemS("a")},
		UpdateExpression:          itemStr("SET n = n + :one"),
		ConditionExpression:       itemStr("attribute_exists(pk) AND n >= :zero"),
		ExpressionAttributeValues: map[string]attr.Value{":one": itemN("1"), ":zero": itemN("0")}}
	for b.Loop() {
		if _, err := e.UpdateItem(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}
