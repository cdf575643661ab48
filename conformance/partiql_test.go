package conformance

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// PartiQL: ExecuteStatement (SELECT, INSERT, UPDATE, DELETE with
// parameters; NextToken paging), BatchExecuteStatement and
// ExecuteTransaction. The empty-parameters text is AWS-verified (LocalStack
// snapshot test_dynamodb_execute_statement_empy_parameter); other errors
// are checked by code only.

func execStmt(t testing.TB, stmt string, params ...types.AttributeValue) (*dynamodb.ExecuteStatementOutput, error) {
	t.Helper()
	in := &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt)}
	if len(params) > 0 {
		in.Parameters = params
	}
	return ddb(t).ExecuteStatement(ctx(t), in)
}

func execOK(t testing.TB, stmt string, params ...types.AttributeValue) *dynamodb.ExecuteStatementOutput {
	t.Helper()
	out, err := execStmt(t, stmt, params...)
	if err != nil {
		t.Fatalf("ExecuteStatement %q: %v", stmt, err)
	}
	return out
}

func TestPartiQLStatements(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	q := fmt.Sprintf("%q", table)
	execOK(t, "INSERT INTO "+q+" VALUE {'pk': ?, 'a': ?, 'n': ?}", avS("k1"), avS("one"), avN("1"))
	execOK(t, "INSERT INTO "+q+" VALUE {'pk': 'k2', 'a': 'two', 'n': 2}")
	wantAttrs(t, "inserted", getOK(t, table, pk("k1")), attrs{"pk": avS("k1"), "a": avS("one"), "n": avN("1")})
	wantAttrs(t, "inserted literal", getOK(t, table, pk("k2")), attrs{"pk": avS("k2"), "a": avS("two"), "n": avN("2")})

	out := execOK(t, "SELECT * FROM "+q+" WHERE pk = ?", avS("k1"))
	wantItems(t, "SELECT *", out.Items, []attrs{{"pk": avS("k1"), "a": avS("one"), "n": avN("1")}})
	out = execOK(t, "SELECT a, n FROM "+q+" WHERE pk = ?", avS("k2"))
	wantItems(t, "SELECT a, n", out.Items, []attrs{{"a": avS("two"), "n": avN("2")}})
	out = execOK(t, "SELECT * FROM "+q+" WHERE pk = ?", avS("none"))
	wantItems(t, "SELECT missing", out.Items, nil)

	execOK(t, "UPDATE "+q+" SET a = ? SET n = n + ? WHERE pk = ?", avS("uno"), avN("10"), avS("k1"))
	wantAttrs(t, "updated", getOK(t, table, pk("k1")), attrs{"pk": avS("k1"), "a": avS("uno"), "n": avN("11")})
	execOK(t, "UPDATE "+q+" REMOVE a WHERE pk = ?", avS("k1"))
	wantAttrs(t, "removed", getOK(t, table, pk("k1")), attrs{"pk": avS("k1"), "n": avN("11")})

	execOK(t, "DELETE FROM "+q+" WHERE pk = ?", avS("k2"))
	wantAttrs(t, "deleted", getOK(t, table, pk("k2")), nil)
}

// TestPartiQLNullAndMissing: IS NULL holds for a NULL value only, not for
// an attribute the item lacks (IS MISSING), and IS NOT NULL holds for both
// the others (DynamoDB Local 3.3.1 answers the same; libraries written
// against DynamoDB combine IS NULL with IS MISSING to match both).
func TestPartiQLNullAndMissing(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	putOK(t, table, attrs{"pk": avS("null"), "z": &types.AttributeValueMemberNULL{Value: true}})
	putOK(t, table, attrs{"pk": avS("missing")})
	putOK(t, table, attrs{"pk": avS("set"), "z": avS("x")})
	q := fmt.Sprintf("%q", table)
	for cond, want := range map[string][]string{
		"z IS NULL":        {"null"},
		"z IS NOT NULL":    {"missing", "set"},
		"z IS MISSING":     {"missing"},
		"z IS NOT MISSING": {"null", "set"},
	} {
		var keys []attrs
		for _, k := range want {
			keys = append(keys, pk(k))
		}
		wantItemSet(t, cond, execOK(t, "SELECT pk FROM "+q+" WHERE "+cond).Items, keys)
	}
}

func TestPartiQLErrors(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	q := fmt.Sprintf("%q", table)
	putOK(t, table, attrs{"pk": avS("k"), "a": avS("x")})
	t.Run("empty Parameters", func(t *testing.T) {
		// Sent raw: the SDK may drop an empty list.
		r := ddbCall(t, "ExecuteStatement", map[string]any{"Statement": "SELECT * FROM " + q, "Parameters": []any{}})
		wantRawMatching(t, r, "ValidationException", "^"+regexp.QuoteMeta(
			"1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1")+"$")
	})
	t.Run("duplicate INSERT", func(t *testing.T) {
		_, err := execStmt(t, "INSERT INTO "+q+" VALUE {'pk': ?}", avS("k"))
		wantAPIError(t, err, "DuplicateItemException", "")
	})
	t.Run("UPDATE of a missing item", func(t *testing.T) {
		_, err := execStmt(t, "UPDATE "+q+" SET a = ? WHERE pk = ?", avS("y"), avS("missing"))
		wantAPIError(t, err, "ConditionalCheckFailedException", "")
		wantAttrs(t, "not created", getOK(t, table, pk("missing")), nil)
	})
	t.Run("syntax", func(t *testing.T) {
		_, err := execStmt(t, "SELEKT * FROM "+q)
		wantAPIError(t, err, "ValidationException", "")
	})
	t.Run("missing table", func(t *testing.T) {
		_, err := execStmt(t, fmt.Sprintf("SELECT * FROM %q WHERE pk = 'a'", uniqueName("absent")))
		wantAPIError(t, err, "ResourceNotFoundException", "")
	})
	// Unlike Query and Scan, PartiQL names no index in this text
	// (nubo-db/dynamodb-conformance tier3 error-messages partiql, run
	// against DynamoDB); the table named as its own index is no index.
	t.Run("unknown index", func(t *testing.T) {
		for _, ix := range []string{`"nope"`, q} {
			_, err := execStmt(t, "SELECT * FROM "+q+"."+ix+" WHERE pk = 'k'")
			wantAPIError(t, err, "ValidationException", "The table does not have the specified index")
		}
	})
	// PartiQL's reserved words name attributes only in double quotes
	// (developer guide, PartiQL reserved words). The detail after the colon
	// is DynamoDB's parser's ("Unexpected keyword" here; DynamoDB Local
	// repeats the statement).
	t.Run("reserved words", func(t *testing.T) {
		for _, stmt := range []string{"SELECT user FROM " + q, "SELECT * FROM " + q + " WHERE pk = 'k' AND date = 1",
			"UPDATE " + q + " SET key = 1 WHERE pk = 'k'"} {
			_, err := execStmt(t, stmt)
			wantAPIErrorContains(t, err, "ValidationException", "Statement wasn't well formed, can't be processed: ")
		}
		execOK(t, "UPDATE "+q+` SET "key" = 1 WHERE pk = 'k'`)
		out := execOK(t, `SELECT "key", "user" FROM `+q+` WHERE pk = 'k' AND "date" IS MISSING`)
		wantItems(t, "quoted keywords", out.Items, []attrs{{"key": avN("1")}})
	})
}

func TestPartiQLSelectPaging(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	all := seedNumbered(t, table, 23)
	var got []attrs
	in := &dynamodb.ExecuteStatementInput{Statement: aws.String(fmt.Sprintf("SELECT * FROM %q", table)), Limit: aws.Int32(5)}
	pages := 0
	for ; pages < maxPages; pages++ {
		out, err := ddb(t).ExecuteStatement(ctx(t), in)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		if len(out.Items) > 5 {
			t.Fatalf("page %d: %d items, Limit 5", pages, len(out.Items))
		}
		got = append(got, out.Items...)
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if pages < 4 {
		t.Fatalf("%d pages, want at least 5 for 23 items with Limit 5", pages+1)
	}
	wantItemSet(t, "paged SELECT", got, all)
}

func TestPartiQLBatchExecuteStatement(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	q := fmt.Sprintf("%q", table)
	putOK(t, table, attrs{"pk": avS("old"), "a": avS("x")})
	putOK(t, table, attrs{"pk": avS("other"), "a": avS("x")})
	out, err := ddb(t).BatchExecuteStatement(ctx(t), &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String("INSERT INTO " + q + " VALUE {'pk': ?}"), Parameters: []types.AttributeValue{avS("new")}},
		{Statement: aws.String("INSERT INTO " + q + " VALUE {'pk': ?}"), Parameters: []types.AttributeValue{avS("old")}},
		{Statement: aws.String("UPDATE " + q + " SET a = ? WHERE pk = ?"), Parameters: []types.AttributeValue{avS("y"), avS("other")}},
	}})
	if err != nil {
		t.Fatalf("BatchExecuteStatement: %v", err)
	}
	if len(out.Responses) != 3 {
		t.Fatalf("%d Responses, want 3", len(out.Responses))
	}
	// Errors are per statement; the other statements still apply.
	if out.Responses[0].Error != nil || out.Responses[2].Error != nil {
		t.Fatalf("unexpected errors: %+v, %+v", out.Responses[0].Error, out.Responses[2].Error)
	}
	if e := out.Responses[1].Error; e == nil || e.Code != types.BatchStatementErrorCodeEnumDuplicateItem {
		t.Fatalf("Responses[1].Error = %+v, want DuplicateItem", e)
	}
	wantAttrs(t, "inserted", getOK(t, table, pk("new")), pk("new"))
	wantAttrs(t, "not replaced", getOK(t, table, pk("old")), attrs{"pk": avS("old"), "a": avS("x")})
	wantAttrs(t, "updated", getOK(t, table, pk("other")), attrs{"pk": avS("other"), "a": avS("y")})

	sel, err := ddb(t).BatchExecuteStatement(ctx(t), &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String("SELECT * FROM " + q + " WHERE pk = ?"), Parameters: []types.AttributeValue{avS("old")}},
		{Statement: aws.String("SELECT * FROM " + q + " WHERE pk = ?"), Parameters: []types.AttributeValue{avS("nope")}},
	}})
	if err != nil {
		t.Fatalf("BatchExecuteStatement SELECT: %v", err)
	}
	wantAttrs(t, "Responses[0].Item", sel.Responses[0].Item, attrs{"pk": avS("old"), "a": avS("x")})
	wantAttrs(t, "Responses[1].Item", sel.Responses[1].Item, nil)
}

func TestPartiQLExecuteTransaction(t *testing.T) {
	t.Parallel()
	table := hashTable(t)
	q := fmt.Sprintf("%q", table)
	putOK(t, table, attrs{"pk": avS("c"), "n": avN("1")})
	stmt := func(s string, p ...types.AttributeValue) types.ParameterizedStatement {
		return types.ParameterizedStatement{Statement: aws.String(s), Parameters: p}
	}
	_, err := ddb(t).ExecuteTransaction(ctx(t), &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		stmt("INSERT INTO "+q+" VALUE {'pk': ?}", avS("t1")),
		stmt("UPDATE "+q+" SET n = n + ? WHERE pk = ?", avN("1"), avS("c")),
	}})
	if err != nil {
		t.Fatalf("ExecuteTransaction: %v", err)
	}
	wantAttrs(t, "t1", getOK(t, table, pk("t1")), pk("t1"))
	wantAttrs(t, "c", getOK(t, table, pk("c")), attrs{"pk": avS("c"), "n": avN("2")})

	_, err = ddb(t).ExecuteTransaction(ctx(t), &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		stmt("INSERT INTO "+q+" VALUE {'pk': ?}", avS("t2")),
		stmt("UPDATE "+q+" SET n = ? WHERE pk = ? AND n = ?", avN("9"), avS("c"), avN("100")),
	}})
	wantCanceled(t, err, "None", "ConditionalCheckFailed")
	wantAttrs(t, "t2 not inserted", getOK(t, table, pk("t2")), nil)
	wantAttrs(t, "c unchanged", getOK(t, table, pk("c")), attrs{"pk": avS("c"), "n": avN("2")})
}
