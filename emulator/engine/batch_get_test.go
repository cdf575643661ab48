package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// newBatchEngine returns an Engine holding one table per def.
func newBatchEngine(tb testing.TB, defs ...store.TableDef) *Engine {
	tb.Helper()
	e := New(Options{})
	for _, def := range defs {
		if _, err := e.CreateTable(context.Background(), createInputOf(def)); err != nil {
			tb.Fatalf("CreateTable: %v", err)
		}
	}
	return e
}

// pk is the key {"pk": S(s)} of the hash tables.
func pk(s string) attr.Item { return attr.Item{"pk": itemS(s)} }

// hashKeys returns n keys pk0, pk1, ...
func hashKeys(n int) []attr.Item {
	keys := make([]attr.Item, n)
	for i := range keys {
		keys[i] = pk("k" + strconv.Itoa(i))
	}
	return keys
}

func TestBatchGetItemValidation(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("bg1"), itemHashDef("bg2"))
	ka := func(keys ...attr.Item) *KeysAndAttributes { return &KeysAndAttributes{Keys: keys} }
	cases := []struct {
		name string
		in   *BatchGetItemInput
		code Code
		want string
	}{
		{"null", &BatchGetItemInput{ReturnConsumedCapacity: itemStr("hi")}, Validation,
			"2 validation errors detected: Value 'hi' at 'returnConsumedCapacity' failed to satisfy constraint: " +
				"Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value null at 'requestItems' " +
				"failed to satisfy constraint: Member must not be null"},
		{"empty", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{}}, Validation,
			"1 validation error detected: Value at 'RequestItems' failed to satisfy constraint: " +
				"Member must have length greater than or equal to 1"},
		{"bad name", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{"bad!name": ka(pk("a"))}},
			Validation, `1 validation error detected: Value '{"bad!name":{"Keys":[{"pk":{"S":"a"}}]}}' at ` +
				`'requestItems' failed to satisfy constraint: ` + tableMapKeysRule},
		{"no keys", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{"bg1": {}}}, Validation,
			"1 validation error detected: Value null at 'requestItems.bg1.member.keys' failed to satisfy " +
				"constraint: Member must not be null"},
		{"empty keys", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{"bg1": {Keys: []attr.Item{}}}}, Validation,
			"1 validation error detected: Value at 'RequestItems.bg1.member.Keys' failed to satisfy constraint: " +
				"Member must have length greater than or equal to 1"},
		{"101 keys", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{"bg1": ka(hashKeys(101)...)}},
			Validation, "1 validation error detected: Value at 'RequestItems.bg1.member.Keys' " +
				"failed to satisfy constraint: Member must have length less than or equal to 100"},
		{"101 keys over two tables", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": ka(hashKeys(100)...), "bg2": ka(pk("x"))}}, Validation, msgTooManyBatchKeys},
		{"duplicates", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": ka(pk("a"), pk("b"), pk("a"))}}, Validation, msgDuplicateKeys},
		{"duplicate AttributesToGet", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": {Keys: []attr.Item{pk("a")}, AttributesToGet: []string{"a", "a"}}}}, Validation,
			"One or more parameter values were invalid: Duplicate value in attribute name: a"},
		{"both projections", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": {Keys: []attr.Item{pk("a")}, AttributesToGet: []string{"pk"}, ProjectionExpression: itemStr("pk")}}},
			Validation, "Can not use both expression and non-expression parameters in the same request: " +
				"Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"mixed projections", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": {Keys: []attr.Item{pk("a")}, AttributesToGet: []string{"pk"}},
			"bg2": {Keys: []attr.Item{pk("a")}, ProjectionExpression: itemStr("pk")}}},
			Validation, "Can not use both expression and non-expression parameters in the same request: " +
				"Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}"},
		{"overlapping paths", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": {Keys: []attr.Item{pk("a")}, ProjectionExpression: itemStr("a, a")}}}, Validation,
			"Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite " +
				"one of these paths; path one: [a], path two: [a]"},
		{"unused name", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": {Keys: []attr.Item{pk("a")}, ProjectionExpression: itemStr("#p"),
				ExpressionAttributeNames: map[string]string{"#p": "pk", "#u": "u"}}}}, Validation,
			"Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"},
		{"missing table", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{"nope": ka(pk("a"))}},
			ResourceNotFound, "Requested resource not found"},
		{"key schema", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
			"bg1": ka(pk("a")), "bg2": ka(attr.Item{"pk": itemN("1")})}}, Validation, msgKeySchema},
		{"empty key", &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{"bg1": ka(pk(""))}}, Validation,
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain " +
				"an empty string value. Key: pk"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.BatchGetItem(context.Background(), c.in)
			wantItemErr(t, err, c.code, c.want)
		})
	}
}

func TestBatchGetItemReads(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("bga"), itemRangeDef("bgb"))
	a1 := attr.Item{"pk": itemS("1"), "x": itemS("x1"), "y": itemN("1")}
	a2 := attr.Item{"pk": itemS("2"), "x": itemS("x2")}
	b1 := attr.Item{"pk": itemS("1"), "sk": itemN("1"), "x": itemS("bx")}
	mustPut(t, e, "bga", a1)
	mustPut(t, e, "bga", a2)
	mustPut(t, e, "bgb", b1)
	out, err := e.BatchGetItem(context.Background(), &BatchGetItemInput{
		ReturnConsumedCapacity: itemStr("TOTAL"),
		RequestItems: map[string]*KeysAndAttributes{
			"bga": {Keys: []attr.Item{pk("1"), pk("missing"), pk("2")}, ProjectionExpression: itemStr("x, y")},
			"bgb": {Keys: []attr.Item{{"pk": itemS("1"), "sk": itemN("1")}, {"pk": itemS("1"), "sk": itemN("2")}},
				ProjectionExpression: itemStr("#s, x"), ExpressionAttributeNames: map[string]string{"#s": "sk"},
				ConsistentRead: itemBool(true)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.UnprocessedKeys == nil || len(out.UnprocessedKeys) != 0 {
		t.Fatalf("UnprocessedKeys = %v, want {}", out.UnprocessedKeys)
	}
	got := out.Responses["bga"]
	if len(got) != 2 {
		t.Fatalf("bga responses = %v", got)
	}
	wantItem(t, got[0].Item(), attr.Item{"x": itemS("x1"), "y": itemN("1")})
	wantItem(t, got[1].Item(), attr.Item{"x": itemS("x2")})
	if g := out.Responses["bgb"]; len(g) != 1 {
		t.Fatalf("bgb responses = %v", g)
	} else {
		wantItem(t, g[0].Item(), attr.Item{"sk": itemN("1"), "x": itemS("bx")})
	}
	// Three eventually consistent reads of small or missing items (0.5
	// each), two strongly consistent ones (1 each).
	if len(out.ConsumedCapacity) != 2 {
		t.Fatalf("ConsumedCapacity = %+v", out.ConsumedCapacity)
	}
	wantCapacity(t, out.ConsumedCapacity[0], &ConsumedCapacity{TableName: "bga", CapacityUnits: 1.5})
	wantCapacity(t, out.ConsumedCapacity[1], &ConsumedCapacity{TableName: "bgb", CapacityUnits: 2})

	out, err = e.BatchGetItem(context.Background(), &BatchGetItemInput{
		RequestItems: map[string]*KeysAndAttributes{"bga": {Keys: []attr.Item{pk("none")}}}})
	if err != nil || out.Responses["bga"] == nil || len(out.Responses["bga"]) != 0 || out.ConsumedCapacity != nil {
		t.Fatalf("all missing: %+v, %v; want an empty list", out, err)
	}
}

func TestBatchGetItemResponseLimit(t *testing.T) {
	t.Parallel()
	e := newBatchEngine(t, itemHashDef("bgbig"))
	payload := strings.Repeat("v", 390*1024)
	keys := hashKeys(50)
	for _, k := range keys {
		mustPut(t, e, "bgbig", attr.Item{"pk": k["pk"], "v": itemS(payload)})
	}
	in := &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
		"bgbig": {Keys: keys, ConsistentRead: itemBool(true), ProjectionExpression: itemStr("pk")}}}
	out, err := e.BatchGetItem(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	read := len(out.Responses["bgbig"])
	rest := out.UnprocessedKeys["bgbig"]
	if read == 0 || rest == nil || read+len(rest.Keys) != len(keys) {
		t.Fatalf("read %d, unprocessed %+v", read, rest)
	}
	if read*(390*1024) > maxResponseBytes || (read+1)*(390*1024+10) <= maxResponseBytes {
		t.Fatalf("read %d items of 390 KB, want as many as fit in 16 MB", read)
	}
	if rest.ConsistentRead == nil || !*rest.ConsistentRead || str(rest.ProjectionExpression) != "pk" {
		t.Fatalf("unprocessed entry lost its parameters: %+v", rest)
	}
	out, err = e.BatchGetItem(context.Background(), &BatchGetItemInput{RequestItems: out.UnprocessedKeys})
	if err != nil || len(out.Responses["bgbig"]) != len(rest.Keys) || len(out.UnprocessedKeys) != 0 {
		t.Fatalf("second call: %d items, %v", len(out.Responses["bgbig"]), err)
	}
}
