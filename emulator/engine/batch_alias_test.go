package engine

import (
	"context"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// aliasARN is the ARN of table name in the default region and account.
func aliasARN(name string) string { return "arn:aws:dynamodb:us-east-1:000000000000:table/" + name }

// A table named once by name and once by ARN in one BatchWriteItem is one
// table: a key in both entries is a duplicate (and nothing is written);
// distinct keys are all written.
func TestBatchWriteItemTableByNameAndARN(t *testing.T) {
	t.Parallel()
	const tbl = "bwalias"
	e := newBatchEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	item := func(pk, v string) attr.Item { return attr.Item{"pk": itemS(pk), "v": itemS(v)} }

	_, err := e.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{
		tbl:           {putReq(item("a", "by name"))},
		aliasARN(tbl): {putReq(item("a", "by arn"))},
	}})
	wantValidation(t, err, msgDuplicateKeys)
	_, err = e.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{
		tbl:           {putReq(item("b", "x"))},
		aliasARN(tbl): {delReq(pk("b"))},
	}})
	wantValidation(t, err, msgDuplicateKeys)
	if got := mustGet(t, e, tbl, pk("a")); got != nil {
		t.Errorf("rejected batch wrote %v", got)
	}

	_, err = e.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{
		tbl:           {putReq(item("a", "by name"))},
		aliasARN(tbl): {putReq(item("c", "by arn"))},
	}})
	if err != nil {
		t.Fatalf("BatchWriteItem of distinct keys: %v", err)
	}
	wantItem(t, mustGet(t, e, tbl, pk("a")), item("a", "by name"))
	wantItem(t, mustGet(t, e, tbl, pk("c")), item("c", "by arn"))
}

// The same holds for BatchGetItem: a key asked for under the name and under
// the ARN is a duplicate; distinct keys are all read.
func TestBatchGetItemTableByNameAndARN(t *testing.T) {
	t.Parallel()
	const tbl = "bgalias"
	e := newBatchEngine(t, itemHashDef(tbl))
	ctx := context.Background()
	mustPut(t, e, tbl, pk("a"))
	mustPut(t, e, tbl, pk("b"))
	ka := func(keys ...attr.Item) *KeysAndAttributes { return &KeysAndAttributes{Keys: keys} }

	_, err := e.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
		tbl: ka(pk("a")), aliasARN(tbl): ka(pk("b"), pk("a")),
	}})
	wantValidation(t, err, msgDuplicateKeys)

	out, err := e.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]*KeysAndAttributes{
		tbl: ka(pk("a")), aliasARN(tbl): ka(pk("b")),
	}})
	if err != nil {
		t.Fatalf("BatchGetItem of distinct keys: %v", err)
	}
	if n := len(out.Responses[tbl]) + len(out.Responses[aliasARN(tbl)]); n != 2 {
		t.Errorf("read %d items, want 2: %v", n, out.Responses)
	}
}
