package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// batch builds a BatchExecuteStatement request of statements.
func batch(stmts ...string) *BatchExecuteStatementInput {
	in := &BatchExecuteStatementInput{}
	for _, s := range stmts {
		in.Statements = append(in.Statements, BatchStatementRequest{Statement: itemStr(s)})
	}
	return in
}

// transaction builds an ExecuteTransaction request of statements.
func transaction(stmts ...string) *ExecuteTransactionInput {
	in := &ExecuteTransactionInput{}
	for _, s := range stmts {
		in.TransactStatements = append(in.TransactStatements, ParameterizedStatement{Statement: itemStr(s)})
	}
	return in
}

func TestBatchExecuteStatementWrites(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	mustPut(t, e, "hhh", attr.Item{"pk": itemS("dup")})
	out, err := e.BatchExecuteStatement(context.Background(), batch(
		`INSERT INTO "hhh" VALUE {'pk': 'a'}`,
		`INSERT INTO "hhh" VALUE {'pk': 'dup'}`,
		`UPDATE "hhh" SET n = 1 WHERE pk = 'missing'`,
		`SELEC * FROM "hhh"`,
		`DELETE FROM "nope" WHERE pk = 'a'`,
		`UPDATE "hhh" SET n = 1 WHERE pk = 'dup'`,
	))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, msg string }{
		{"", ""},
		{"DuplicateItem", "Duplicate primary key exists in table"},
		{"ConditionalCheckFailed", "The conditional request failed"},
		{"ValidationError", "Statement wasn't well formed, can't be processed: Expected data manipulation"},
		{"ResourceNotFound", "Requested resource not found"},
		{"", ""},
	}
	if len(out.Responses) != len(want) {
		t.Fatalf("Responses = %+v", out.Responses)
	}
	for i, w := range want {
		r := out.Responses[i]
		switch {
		case w.code == "" && (r.Error != nil || r.TableName != "hhh"):
			t.Errorf("response %d = %+v, want success on hhh", i, r)
		case w.code != "" && (r.Error == nil || r.Error.Code != w.code || r.Error.Message != w.msg):
			t.Errorf("response %d = %+v, want %s: %s", i, r.Error, w.code, w.msg)
		}
	}
	wantItem(t, mustGet(t, e, "hhh", attr.Item{"pk": itemS("a")}), attr.Item{"pk": itemS("a")})
	wantItem(t, mustGet(t, e, "hhh", attr.Item{"pk": itemS("dup")}), attr.Item{"pk": itemS("dup"), "n": itemN("1")})
}

func TestBatchExecuteStatementReads(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	mustPut(t, e, "hhh", attr.Item{"pk": itemS("a"), "n": itemN("1")})
	out, err := e.BatchExecuteStatement(context.Background(), batch(
		`SELECT * FROM "hhh" WHERE pk = 'a'`,
		`SELECT n FROM "hhh" WHERE pk = 'missing'`,
		`SELECT * FROM "hhh" WHERE n = 1`,
		`SELECT * FROM "hhh" WHERE pk = 'a' AND n = 2`,
	))
	if err != nil {
		t.Fatal(err)
	}
	r := out.Responses
	wantItem(t, r[0].Item, attr.Item{"pk": itemS("a"), "n": itemN("1")})
	if r[1].Item != nil || r[1].Error != nil || r[3].Item != nil || r[3].Error != nil {
		t.Fatalf("responses = %+v", r)
	}
	if r[2].Error == nil || r[2].Error.Message != msgIncompleteKey {
		t.Fatalf("non-key read = %+v", r[2])
	}

	_, err = e.BatchExecuteStatement(context.Background(), batch(
		`SELECT * FROM "hhh" WHERE pk = 'a'`, `DELETE FROM "hhh" WHERE pk = 'a'`))
	wantValidation(t, err, "Read and write requests together in the same batch is not supported.")
	_, err = e.BatchExecuteStatement(context.Background(), &BatchExecuteStatementInput{Statements: []BatchStatementRequest{}})
	wantValidation(t, err, "1 validation error detected: Value '[]' at 'statements' failed to satisfy constraint: "+
		"Member must have length greater than or equal to 1")
	_, err = e.BatchExecuteStatement(context.Background(), batch(strings.Split(strings.Repeat("x,", 26)[:51], ",")...))
	wantValidation(t, err, "1 validation error detected: Value at 'Statements' failed to satisfy constraint: "+
		"Member must have length less than or equal to 25")
}

func TestExecuteTransactionWrites(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	mustPut(t, e, "hhh", attr.Item{"pk": itemS("cond"), "ok": attr.Boolean(true)})
	_, err := e.ExecuteTransaction(context.Background(), transaction(
		`INSERT INTO "hhh" VALUE {'pk': 'new'}`,
		`EXISTS(SELECT * FROM "hhh" WHERE pk = 'cond' AND ok = true)`,
		`UPDATE "rrr" SET n = 1 WHERE pk = 'missing' AND sk = 1`,
	))
	wantItemErr(t, err, TransactionCanceled,
		"Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]")
	if reasons := AsError(err).CancellationReasons; len(reasons) != 3 || reasons[2].Message != msgConditionFailed {
		t.Fatalf("reasons = %+v", reasons)
	}
	if mustGet(t, e, "hhh", attr.Item{"pk": itemS("new")}) != nil {
		t.Fatal("a cancelled transaction kept its INSERT")
	}

	_, err = e.ExecuteTransaction(context.Background(), transaction(
		`INSERT INTO "hhh" VALUE {'pk': 'cond'}`, `DELETE FROM "hhh" WHERE pk = 'x'`))
	wantItemErr(t, err, TransactionCanceled,
		"Transaction cancelled, please refer cancellation reasons for specific reasons [DuplicateItem, None]")

	in := transaction(
		`INSERT INTO "hhh" VALUE {'pk': 'new'}`,
		`EXISTS(SELECT * FROM "hhh" WHERE pk = 'cond' AND ok = true)`,
		`DELETE FROM "hhh" WHERE pk = 'gone'`,
	)
	in.ClientRequestToken = itemStr("token-1")
	if _, err := e.ExecuteTransaction(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	wantItem(t, mustGet(t, e, "hhh", attr.Item{"pk": itemS("new")}), attr.Item{"pk": itemS("new")})
	in.ReturnConsumedCapacity = itemStr("TOTAL")
	in.ClientRequestToken = itemStr("token-2")
	in.TransactStatements[0].Statement = itemStr(`INSERT INTO "hhh" VALUE {'pk': 'new2'}`)
	first, err := e.ExecuteTransaction(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.ExecuteTransaction(context.Background(), in)
	if err != nil {
		t.Fatalf("same token again: %v", err) // the INSERT would fail if it ran again
	}
	// The first call writes (the EXISTS check too), the repeat reads.
	if c := first.ConsumedCapacity; len(c) != 1 || c[0].WriteCapacityUnits != 6 || c[0].ReadCapacityUnits != 0 {
		t.Fatalf("first call capacity = %+v", c)
	}
	if c := again.ConsumedCapacity; len(c) != 1 || c[0].ReadCapacityUnits != 6 || c[0].WriteCapacityUnits != 0 {
		t.Fatalf("repeat capacity = %+v", c)
	}
	in.TransactStatements = in.TransactStatements[:2]
	_, err = e.ExecuteTransaction(context.Background(), in)
	wantItemErr(t, err, IdempotentParameterMismatch, msgTokenMismatch)
}

func TestExecuteTransactionReads(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	mustPut(t, e, "hhh", attr.Item{"pk": itemS("a"), "n": itemN("1")})
	out, err := e.ExecuteTransaction(context.Background(), transaction(
		`SELECT * FROM "hhh" WHERE pk = 'a'`, `SELECT * FROM "hhh" WHERE pk = 'b'`))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Responses) != 2 || out.Responses[1].Item != nil {
		t.Fatalf("Responses = %+v", out.Responses)
	}
	wantItem(t, out.Responses[0].Item, attr.Item{"pk": itemS("a"), "n": itemN("1")})
}

func TestExecuteTransactionErrors(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	cases := []struct {
		in  *ExecuteTransactionInput
		msg string
	}{
		{transaction(`SELECT * FROM "hhh" WHERE pk = 'a'`, `DELETE FROM "hhh" WHERE pk = 'a'`), msgTxMixed},
		{transaction(`SELECT * FROM "hhh" WHERE`),
			"Validation failed in TransactStatements[0]: Statement wasn't well formed, can't be processed: Unexpected term"},
		{transaction(`SELECT * FROM "hhh" WHERE n = 1`), "Validation failed in TransactStatements[0]: " + msgTxReadKey},
		{transaction(`SELECT * FROM "rrr"."gsi" WHERE g = 'a'`), "Validation failed in TransactStatements[0]: " + msgTxReadIndex},
		{transaction(`DELETE FROM "hhh" WHERE pk = 'a'`, `UPDATE "hhh" SET n = 1 WHERE pk = 'a'`), msgMultipleOps},
		{transaction(`EXISTS(SELECT * FROM "hhh" WHERE pk = 'a')`), "Validation failed in TransactStatements[0]: " + msgTxExistsKey},
		{&ExecuteTransactionInput{}, "1 validation error detected: Value null at 'transactStatements' " +
			"failed to satisfy constraint: Member must not be null"},
	}
	for _, c := range cases {
		_, err := e.ExecuteTransaction(context.Background(), c.in)
		wantValidation(t, err, c.msg)
	}
}
