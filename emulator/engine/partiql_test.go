package engine

import (
	"context"
	"strconv"
	"testing"

	"github.com/dynafault/dynafault/emulator/attr"
)

// pq runs one statement and fails on an error.
func pq(tb testing.TB, e *Engine, stmt string, params ...attr.Value) *ExecuteStatementOutput {
	tb.Helper()
	out, err := pqErr(e, stmt, params...)
	if err != nil {
		tb.Fatalf("ExecuteStatement(%s): %v", stmt, err)
	}
	return out
}

// pqErr runs one statement.
func pqErr(e *Engine, stmt string, params ...attr.Value) (*ExecuteStatementOutput, error) {
	in := &ExecuteStatementInput{Statement: &stmt}
	if len(params) > 0 {
		in.Parameters = params
	}
	return e.ExecuteStatement(context.Background(), in)
}

// newPartiQLEngine returns an Engine with a hash table "hhh" (pk S) and a
// composite table "rrr" (pk S, sk N, GSI "gsi" on g, LSI "lsi" on l).
func newPartiQLEngine(tb testing.TB) *Engine {
	tb.Helper()
	e := newItemEngine(tb, itemHashDef("hhh"))
	if _, err := e.CreateTable(context.Background(), createInputOf(itemRangeDef("rrr"))); err != nil {
		tb.Fatal(err)
	}
	return e
}

func TestPartiQLInsertSelect(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	out := pq(t, e, `INSERT INTO "hhh" VALUE {'pk': 'a', 'n': 1, 'l': [1, 'x'], 'm': {'k': true}, 's': <<'x', 'y'>>, 'z': null}`)
	if out.Items == nil || len(out.Items) != 0 {
		t.Fatalf("INSERT Items = %v, want []", out.Items)
	}
	want := attr.Item{
		"pk": itemS("a"), "n": itemN("1"), "l": attr.List(itemN("1"), itemS("x")),
		"m": attr.Map(map[string]attr.Value{"k": attr.Boolean(true)}), "s": itemSS("x", "y"), "z": attr.Null(),
	}
	wantItem(t, mustGet(t, e, "hhh", attr.Item{"pk": itemS("a")}), want)

	_, err := pqErr(e, `INSERT INTO "hhh" VALUE {'pk': 'a'}`)
	wantItemErr(t, err, DuplicateItem, "Duplicate primary key exists in table")

	got := pq(t, e, `SELECT * FROM hhh WHERE pk = 'a'`)
	if len(got.Items) != 1 {
		t.Fatalf("SELECT = %v", got.Items)
	}
	wantItem(t, got.Items[0], want)
	got = pq(t, e, `select n, m.k, l[1] from "hhh" where "pk" = ?`, itemS("a"))
	wantItem(t, got.Items[0], attr.Item{"n": itemN("1"), "m": attr.Map(map[string]attr.Value{"k": attr.Boolean(true)}),
		"l": attr.List(itemS("x"))})
}

func TestPartiQLInsertChecks(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	cases := []struct{ stmt, msg string }{
		{`INSERT INTO "rrr" VALUE {'pk': 'a'}`, "Key attribute should be present in the item: Key sk"},
		{`INSERT INTO "rrr" VALUE {'pk': 'a', 'sk': 'x'}`,
			"Key attribute's data type should match its data type in table's schema: Key sk"},
		{`INSERT INTO "rrr" VALUE {'pk': '', 'sk': 1}`, "One or more parameter values are not valid. " +
			"The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{`INSERT INTO "rrr" VALUE {'pk': 'a', 'sk': 1, 'g': 1}`, "One or more parameter values were invalid: " +
			"Type mismatch for Index Key g Expected: S Actual: N IndexName: gsi"},
		{`INSERT INTO "hhh" VALUE {'pk': 'a', 'n': 1e126}`,
			"Number overflow. Attempting to store a number with magnitude larger than supported range under root.n"},
		{`INSERT INTO "hhh" VALUE {'pk': ?}`, "Number of parameters in request and statement don't match."},
	}
	for _, c := range cases {
		_, err := pqErr(e, c.stmt)
		wantValidation(t, err, c.msg)
	}
	_, err := pqErr(e, `INSERT INTO "nope" VALUE {'pk': 'a'}`)
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")
}

func TestPartiQLUpdate(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	mustPut(t, e, "rrr", attr.Item{"pk": itemS("a"), "sk": itemN("1"), "n": itemN("5"), "c": itemS("gone"),
		"s": itemSS("x"), "ls": attr.List(itemN("1"))})
	out := pq(t, e, `UPDATE "rrr" SET a = 'new', n = n + 2 REMOVE c SET s = set_add(s, <<'y'>>), ls = list_append(ls, [2])
		WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *`)
	want := attr.Item{"pk": itemS("a"), "sk": itemN("1"), "n": itemN("7"), "a": itemS("new"),
		"s": itemSS("x", "y"), "ls": attr.List(itemN("1"), itemN("2"))}
	if len(out.Items) != 1 {
		t.Fatalf("RETURNING ALL NEW * = %v", out.Items)
	}
	wantItem(t, out.Items[0], want)
	wantItem(t, mustGet(t, e, "rrr", attr.Item{"pk": itemS("a"), "sk": itemN("1")}), want)

	out = pq(t, e, `UPDATE "rrr" SET s = set_delete(s, <<'x'>>) WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED OLD *`)
	wantItem(t, out.Items[0], attr.Item{"s": itemSS("x", "y")})
	out = pq(t, e, `UPDATE "rrr" SET n = 1 WHERE pk = 'a' AND sk = 1 AND n = 7`)
	if len(out.Items) != 0 {
		t.Fatalf("UPDATE without RETURNING Items = %v", out.Items)
	}

	_, err := pqErr(e, `UPDATE "rrr" SET n = 2 WHERE pk = 'a' AND sk = 1 AND n = 99`)
	wantItemErr(t, err, ConditionalCheckFailed, "The conditional request failed")
	_, err = pqErr(e, `UPDATE "rrr" SET n = 2 WHERE pk = 'missing' AND sk = 1`)
	wantItemErr(t, err, ConditionalCheckFailed, "The conditional request failed")
	if mustGet(t, e, "rrr", attr.Item{"pk": itemS("missing"), "sk": itemN("1")}) != nil {
		t.Fatal("UPDATE of a missing item created it")
	}

	stmt := `UPDATE "rrr" SET n = 2 WHERE pk = 'a' AND sk = 1 AND n = 99`
	onFail := "ALL_OLD"
	_, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt,
		ReturnValuesOnConditionCheckFailure: &onFail})
	if AsError(err).Item == nil {
		t.Fatalf("ALL_OLD on failure gave no Item: %v", err)
	}

	cases := []struct{ stmt, msg string }{
		{`UPDATE "rrr" SET n = 1 WHERE pk = 'a'`, msgIncompleteKey},
		{`UPDATE "rrr" SET n = 1`, msgIncompleteKey},
		{`UPDATE "rrr" SET n = 1 WHERE pk = 'a' AND sk = 1 AND sk = 2`,
			"Multiple conditions on same key sk. Only single item Update/Insert/Delete are supported"},
		{`UPDATE "rrr" SET sk = 2 WHERE pk = 'a' AND sk = 1`,
			"One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key"},
		{`UPDATE "rrr" SET n = a + 1 WHERE pk = 'a' AND sk = 1`,
			"An operand in the update expression has an incorrect data type"},
		{`UPDATE "rrr" SET s = set_add(t, <<'x'>>) WHERE pk = 'a' AND sk = 1`,
			"The first argument to SET_ADD must equal the assignment value"},
		{`UPDATE "rrr" SET s = set_add(s, 'x') WHERE pk = 'a' AND sk = 1`,
			"The second argument to SET_ADD must be a value with type SET"},
		{`UPDATE "rrr" SET n = foo(n) WHERE pk = 'a' AND sk = 1`, "Unrecognized function: foo"},
	}
	for _, c := range cases {
		_, err := pqErr(e, c.stmt)
		wantValidation(t, err, c.msg)
	}
}

func TestPartiQLDelete(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	mustPut(t, e, "hhh", attr.Item{"pk": itemS("a"), "n": itemN("1")})
	_, err := pqErr(e, `DELETE FROM "hhh" WHERE pk = 'a' AND n = 2`)
	wantItemErr(t, err, ConditionalCheckFailed, "The conditional request failed")
	pq(t, e, `DELETE FROM "hhh" WHERE pk = 'missing' AND n = 2`) // a missing item is no error
	out := pq(t, e, `DELETE FROM "hhh" WHERE pk = 'a' AND n = 1 RETURNING ALL OLD *`)
	wantItem(t, out.Items[0], attr.Item{"pk": itemS("a"), "n": itemN("1")})
	if mustGet(t, e, "hhh", attr.Item{"pk": itemS("a")}) != nil {
		t.Fatal("DELETE left the item")
	}
	_, err = pqErr(e, `DELETE FROM "hhh" WHERE n = 1`)
	wantValidation(t, err, msgIncompleteKey)
}

func TestPartiQLSelectConditions(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	for i := 0; i < 10; i++ {
		item := attr.Item{"pk": itemS("p"), "sk": itemN(strconv.Itoa(i)), "g": itemS("g" + strconv.Itoa(i%2))}
		if i%3 == 0 {
			item["tag"] = itemS("t" + strconv.Itoa(i))
		}
		mustPut(t, e, "rrr", item)
	}
	mustPut(t, e, "rrr", attr.Item{"pk": itemS("q"), "sk": itemN("1")})
	cases := []struct {
		where string
		want  []string // sort keys (pk p) in order
	}{
		{`pk = 'p' AND sk BETWEEN 2 AND 4`, []string{"2", "3", "4"}},
		{`pk = 'p' AND sk > 7`, []string{"8", "9"}},
		{`pk = 'p' AND sk <= 1`, []string{"0", "1"}},
		{`pk = 'p' AND sk IN [1, 5, 42]`, []string{"1", "5"}},
		{`pk = 'p' AND tag IS NOT MISSING`, []string{"0", "3", "6", "9"}},
		{`pk = 'p' AND tag IS MISSING AND sk < 3`, []string{"1", "2"}},
		{`pk = 'p' AND begins_with(tag, 't6')`, []string{"6"}},
		{`pk = 'p' AND attribute_exists(tag) AND NOT sk = 0`, []string{"3", "6", "9"}},
		{`pk = 'p' AND (sk = 1 OR sk = 2) AND g = 'g1'`, []string{"1"}},
		{`pk = 'p' AND size(tag) = 2 AND contains(tag, '9')`, []string{"9"}},
		{`pk = 'p' AND sk <> 0 AND sk NOT BETWEEN 2 AND 9`, []string{"1"}},
		{`pk = 'p' AND sk = 3 ORDER BY sk DESC`, []string{"3"}},
	}
	for _, c := range cases {
		out := pq(t, e, `SELECT * FROM "rrr" WHERE `+c.where)
		wantStrings(t, sks(out.Items), c.want)
	}
	out := pq(t, e, `SELECT sk FROM "rrr" WHERE pk = 'p' AND sk >= 7 ORDER BY sk DESC`)
	wantStrings(t, sks(out.Items), []string{"9", "8", "7"})
	out = pq(t, e, `SELECT * FROM "rrr" WHERE sk = 1`) // a scan
	if len(out.Items) != 2 {
		t.Fatalf("scan for sk = 1 = %v", out.Items)
	}
	out = pq(t, e, `SELECT * FROM "rrr"."gsi" WHERE g = 'g1'`)
	if len(out.Items) != 5 || out.Items[0]["tag"].Type != attr.Invalid {
		t.Fatalf("KEYS_ONLY index read = %v", out.Items)
	}
}

func TestPartiQLSelectPaging(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	for i := 0; i < 7; i++ {
		mustPut(t, e, "rrr", attr.Item{"pk": itemS("p"), "sk": itemN(strconv.Itoa(i))})
	}
	stmt := `SELECT * FROM "rrr" WHERE pk = ?`
	limit := int32(3)
	in := &ExecuteStatementInput{Statement: &stmt, Parameters: []attr.Value{itemS("p")}, Limit: &limit}
	var all []string
	for pages := 0; ; pages++ {
		out, err := e.ExecuteStatement(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, sks(out.Items)...)
		if out.NextToken == nil {
			break
		}
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		in.NextToken = out.NextToken
	}
	wantStrings(t, all, seq(0, 6))

	first, _ := e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt,
		Parameters: []attr.Value{itemS("p")}, Limit: &limit})
	other := `SELECT * FROM "rrr"`
	_, err := e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &other, NextToken: first.NextToken})
	wantValidation(t, err, "NextToken does not match request")
	bad := "!!"
	_, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt,
		Parameters: []attr.Value{itemS("p")}, NextToken: &bad})
	wantValidation(t, err, "Invalid NextToken")
}

func TestPartiQLStatementErrors(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	cases := []struct{ stmt, msg string }{
		{`SELECT * FROM "hhh" WHERE pk = 'a' foo`,
			"Statement wasn't well formed, can't be processed: Unexpected token after expression"},
		{`SELECT * FROM "hhh" WHERE pk = ?`, "Number of parameters in request and statement don't match."},
		{`SELECT * FROM "rrr" ORDER BY sk`, "Must have WHERE clause in the statement when using ORDER BY clause."},
		{`SELECT * FROM "rrr" WHERE sk = 1 ORDER BY sk`,
			"Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."},
		{`SELECT * FROM "rrr" WHERE pk = 'a' ORDER BY g`, "Variable reference g in ORDER BY clause must be part of the primary key"},
		{`SELECT * FROM "rrr"."nope"`, "The table does not have the specified index"},
		{`SELECT * FROM "rrr".""`, "Path component cannot be an empty string"},
		{`SELECT * FROM "" WHERE pk = 'a'`, "Path component cannot be an empty string"},
		{`SELECT * FROM "hhh" WHERE pk`, "WHERE clause must contain an expression that resolves to a boolean"},
		{`SELECT * FROM "hhh" WHERE pk = MISSING`, "MISSING must be compared using IS operator"},
		{`SELECT * FROM "hhh" WHERE pk IN []`, msgInOperator},
		{`EXISTS(SELECT * FROM "hhh" WHERE pk = 'a' AND x = 1)`, "EXISTS can only be used in ExecuteTransaction write requests."},
	}
	for _, c := range cases {
		_, err := pqErr(e, c.stmt)
		wantValidation(t, err, c.msg)
	}
	_, err := pqErr(e, `SELECT * FROM "nope"`)
	wantItemErr(t, err, ResourceNotFound, "Requested resource not found")

	stmt := `SELECT * FROM "rrr"."gsi" WHERE g = 'x'`
	_, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt, ConsistentRead: itemBool(true)})
	wantValidation(t, err, "Strongly consistent read is not supported on Global Secondary Indexes")
	_, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt, Parameters: []attr.Value{}})
	wantValidation(t, err, "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "+
		"Member must have length greater than or equal to 1")
	ins := `INSERT INTO "hhh" VALUE {'pk': 'a', 'x': ?}`
	_, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &ins, Parameters: []attr.Value{{}}})
	wantValidation(t, err, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	_, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{})
	wantValidation(t, err, "1 validation error detected: Value null at 'statement' failed to satisfy constraint: "+
		"Member must not be null")
}

func TestPartiQLConsumedCapacity(t *testing.T) {
	t.Parallel()
	e := newPartiQLEngine(t)
	total := "TOTAL"
	stmt := `INSERT INTO "hhh" VALUE {'pk': 'a'}`
	out, err := e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt, ReturnConsumedCapacity: &total})
	if err != nil || out.ConsumedCapacity == nil || out.ConsumedCapacity.CapacityUnits != 1 {
		t.Fatalf("INSERT capacity = %+v, %v", out, err)
	}
	stmt = `SELECT * FROM "hhh" WHERE pk = 'a'`
	out, err = e.ExecuteStatement(context.Background(), &ExecuteStatementInput{Statement: &stmt, ReturnConsumedCapacity: &total})
	if err != nil || out.ConsumedCapacity == nil || out.ConsumedCapacity.CapacityUnits != 0.5 {
		t.Fatalf("SELECT capacity = %+v, %v", out, err)
	}
}
