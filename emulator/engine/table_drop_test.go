package engine

import (
	"context"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// dropAfterLookup arms e so that the next lookup of a table deletes it
// (with DeleteTable) before the operation takes the table's lock: the
// interleaving of a request racing a DeleteTable, made deterministic.
func dropAfterLookup(t *testing.T, e *Engine) {
	t.Helper()
	armed := true
	e.afterLookup = func(tb *store.Table) {
		if !armed {
			return
		}
		armed = false
		if _, err := e.DeleteTable(context.Background(), &DeleteTableInput{TableName: sp(tb.Name())}); err != nil {
			t.Errorf("DeleteTable: %v", err)
		}
	}
}

// An operation that looked its table up just before a DeleteTable answers
// as if it came after it: ResourceNotFound in the operation's own words,
// nothing written and no stream record.
func TestOperationRacingDeleteTable(t *testing.T) {
	t.Parallel()
	const tbl = "racedrop"
	key := attr.Item{"pk": itemS("a")}
	arn := "arn:aws:dynamodb:us-east-1:000000000000:table/" + tbl
	const dataPlane = "Requested resource not found"
	const controlPlane = "Requested resource not found: Table: " + tbl + " not found"
	ops := []struct {
		name string
		run  func(e *Engine) error
		msg  string
	}{
		{"PutItem", func(e *Engine) error {
			_, err := e.PutItem(context.Background(), &PutItemInput{TableName: sp(tbl), Item: key})
			return err
		}, dataPlane},
		{"UpdateItem", func(e *Engine) error {
			_, err := e.UpdateItem(context.Background(), &UpdateItemInput{TableName: sp(tbl), Key: key,
				UpdateExpression: sp("SET v = :v"), ExpressionAttributeValues: ExpressionValues{":v": itemN("1")}})
			return err
		}, dataPlane},
		{"DeleteItem", func(e *Engine) error {
			_, err := e.DeleteItem(context.Background(), &DeleteItemInput{TableName: sp(tbl), Key: key})
			return err
		}, dataPlane},
		{"GetItem", func(e *Engine) error {
			_, err := e.GetItem(context.Background(), &GetItemInput{TableName: sp(tbl), Key: key})
			return err
		}, dataPlane},
		{"BatchWriteItem", func(e *Engine) error {
			_, err := e.BatchWriteItem(context.Background(), &BatchWriteItemInput{
				RequestItems: map[string][]WriteRequest{tbl: {putReq(key)}}})
			return err
		}, dataPlane},
		{"TransactWriteItems", func(e *Engine) error {
			_, err := e.TransactWriteItems(context.Background(), &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
				{Put: &TransactPut{transactCommon: transactCommon{TableName: sp(tbl)}, Item: key}}}})
			return err
		}, dataPlane},
		{"ExecuteStatement", func(e *Engine) error {
			_, err := e.ExecuteStatement(context.Background(), &ExecuteStatementInput{
				Statement: sp(`INSERT INTO "` + tbl + `" VALUE {'pk': 'a'}`)})
			return err
		}, dataPlane},
		{"DescribeTable", func(e *Engine) error {
			_, err := e.DescribeTable(context.Background(), &DescribeTableInput{TableName: sp(tbl)})
			return err
		}, controlPlane},
		{"UpdateTimeToLive", func(e *Engine) error {
			_, err := e.UpdateTimeToLive(context.Background(), &UpdateTimeToLiveInput{TableName: sp(tbl),
				TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: sp("exp"), Enabled: bp(true)}})
			return err
		}, controlPlane},
		{"TagResource", func(e *Engine) error {
			_, err := e.TagResource(context.Background(), &TagResourceInput{ResourceArn: sp(arn),
				Tags: []Tag{{Key: sp("k"), Value: sp("v")}}})
			return err
		}, "Requested resource not found: ResourceArn: " + arn + " not found"},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			t.Parallel()
			e, streamARN := newStreamEngine(t, tbl, "NEW_AND_OLD_IMAGES")
			dropAfterLookup(t, e)
			// The wire layer answers every error through AsError.
			wantItemErr(t, AsError(op.run(e)), ResourceNotFound, op.msg)
			if names := e.catalog.Names(); len(names) != 0 {
				t.Errorf("tables after DeleteTable = %q", names)
			}
			for _, sh := range shardsOf(t, e, streamARN) {
				if recs := readShard(t, e, streamARN, sh.ShardId); len(recs) != 0 {
					t.Errorf("shard %s has %d records of a write after the drop", sh.ShardId, len(recs))
				}
			}
		})
	}
}

// Writes committed before a DeleteTable are in the stream it disables.
func TestDeleteTableKeepsEarlierRecords(t *testing.T) {
	t.Parallel()
	const tbl = "dropkeeps"
	e, streamARN := newStreamEngine(t, tbl, "KEYS_ONLY")
	mustPut(t, e, tbl, attr.Item{"pk": itemS("a")})
	if _, err := e.DeleteTable(context.Background(), &DeleteTableInput{TableName: sp(tbl)}); err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	n := 0
	for _, sh := range shardsOf(t, e, streamARN) {
		n += len(readShard(t, e, streamARN, sh.ShardId))
	}
	if n != 1 {
		t.Errorf("stream holds %d records, want the 1 INSERT", n)
	}
}
