package engine

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

func TestDescribeTableMissingAndValidation(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	_, err := e.DescribeTable(ctx, &DescribeTableInput{TableName: sp("no_such_table")})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Table: no_such_table not found")
	_, err = e.DescribeTable(ctx, &DescribeTableInput{TableName: sp("arn:aws:dynamodb:us-east-1:000000000000:table/gone_table")})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Table: gone_table not found")
	_, err = e.DescribeTable(ctx, &DescribeTableInput{})
	wantErr(t, err, Validation, msgTableNameRequired)
	_, err = e.DescribeTable(ctx, &DescribeTableInput{TableName: sp("ab")})
	wantErr(t, err, Validation, msgTableNameLength)
	_, err = e.DescribeTable(ctx, &DescribeTableInput{TableName: sp("abc;")})
	wantErr(t, err, Validation, "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
}

// TestTableNameChecksOfTableOperations pins, for every table-level
// operation, which TableName check wins: missing, then length, then the
// composite message (dynalite test/<op>.js validations).
func TestTableNameChecksOfTableOperations(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	ops := map[string]func(name *string) error{
		"DeleteTable": func(n *string) error { _, err := e.DeleteTable(ctx, &DeleteTableInput{TableName: n}); return err },
		"UpdateTable": func(n *string) error { _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: n}); return err },
		"UpdateTimeToLive": func(n *string) error {
			_, err := e.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: n})
			return err
		},
		"DescribeTimeToLive": func(n *string) error {
			_, err := e.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: n})
			return err
		},
	}
	pattern := "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: " +
		"Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
	for op, call := range ops {
		wantErr(t, call(nil), Validation, msgTableNameRequired)
		for _, n := range []string{"", "a;", strings.Repeat("a", 256)} {
			wantErr(t, call(sp(n)), Validation, msgTableNameLength)
		}
		if err := call(sp("abc;")); err == nil || AsError(err).Message != pattern {
			t.Errorf("%s(abc;) = %v, want %q", op, err, pattern)
		}
	}
}

func TestTableARNAcceptedAsName(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	arn := mustCreate(t, e, simpleTable("arn_named")).TableArn
	if d := mustDescribe(t, e, arn); d.TableName != "arn_named" {
		t.Fatalf("TableName = %s", d.TableName)
	}
	if _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp(arn), DeletionProtectionEnabled: bp(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: sp(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DescribeContinuousBackups(ctx, &DescribeContinuousBackupsInput{TableName: sp(arn)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DeleteTable(ctx, &DeleteTableInput{TableName: sp(arn)}); err != nil {
		t.Fatal(err)
	}
}

func TestDescribeTableCounts(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	in := simpleTable("counted")
	in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
	in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("by_g"), KeySchema: ks("g"), Projection: projAll()}}
	mustCreate(t, e, in)
	err := e.catalog.Table("counted").Update(func(tx *store.Tx) error {
		tx.Put(attr.Item{"pk": attr.Str("a"), "g": attr.Str("x")})
		tx.Put(attr.Item{"pk": attr.Str("b")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d := mustDescribe(t, e, "counted")
	want := int64(attr.ItemSize(attr.Item{"pk": attr.Str("a"), "g": attr.Str("x")}) + attr.ItemSize(attr.Item{"pk": attr.Str("b")}))
	if d.ItemCount != 2 || d.TableSizeBytes != want {
		t.Errorf("ItemCount, TableSizeBytes = %d, %d; want 2, %d", d.ItemCount, d.TableSizeBytes, want)
	}
	if g := d.GlobalSecondaryIndexes[0]; g.ItemCount != 1 || g.IndexSizeBytes == 0 {
		t.Errorf("index counts = %d, %d", g.ItemCount, g.IndexSizeBytes)
	}
}

func TestListTables(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	for _, n := range []string{"lt_c", "lt_a", "lt_B", "lt_b"} {
		mustCreate(t, e, simpleTable(n))
	}
	out, err := e.ListTables(ctx, &ListTablesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"lt_B", "lt_a", "lt_b", "lt_c"}; !slices.Equal(out.TableNames, want) || out.LastEvaluatedTableName != nil {
		t.Fatalf("ListTables = %v %v, want %v", out.TableNames, out.LastEvaluatedTableName, want)
	}
	var got []string
	var start *string
	for range 10 {
		out, err := e.ListTables(ctx, &ListTablesInput{Limit: i64(3), ExclusiveStartTableName: start})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, out.TableNames...)
		if start = out.LastEvaluatedTableName; start == nil {
			break
		}
	}
	if want := []string{"lt_B", "lt_a", "lt_b", "lt_c"}; !slices.Equal(got, want) {
		t.Fatalf("paged = %v, want %v", got, want)
	}
	empty, _ := e.ListTables(ctx, &ListTablesInput{ExclusiveStartTableName: sp("zzz")})
	if b, _ := json.Marshal(empty); string(b) != `{"TableNames":[]}` {
		t.Errorf("empty page = %s", b)
	}
	_, err = e.ListTables(ctx, &ListTablesInput{Limit: i64(0)})
	wantErr(t, err, Validation, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
	_, err = e.ListTables(ctx, &ListTablesInput{Limit: i64(101)})
	wantErr(t, err, Validation, "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100")
	_, err = e.ListTables(ctx, &ListTablesInput{ExclusiveStartTableName: sp("a")})
	wantErr(t, err, Validation, "1 validation error detected: Value 'a' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3")
}

func TestEpochTime(t *testing.T) {
	t.Parallel()
	for in, want := range map[time.Time]string{
		time.Unix(1732181683, 123_456_789): "1732181683.123",
		time.Unix(1732181683, 0):           "1732181683.000",
		time.Unix(0, 5_000_000):            "0.005",
	} {
		b, err := json.Marshal(epochTime(in))
		if err != nil || string(b) != want {
			t.Errorf("marshal %v = %s, %v; want %s", in, b, err, want)
		}
	}
}

func TestDeleteTable(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("to_delete"))
	out, err := e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("to_delete")})
	if err != nil {
		t.Fatal(err)
	}
	if out.TableDescription.TableStatus != statusDeleting || out.TableDescription.TableName != "to_delete" {
		t.Errorf("description = %+v", out.TableDescription)
	}
	_, err = e.DescribeTable(ctx, &DescribeTableInput{TableName: sp("to_delete")})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Table: to_delete not found")
	_, err = e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("to_delete")})
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Table: to_delete not found")
	mustCreate(t, e, simpleTable("to_delete")) // the name is free again

	in := simpleTable("protected")
	in.DeletionProtectionEnabled = bp(true)
	mustCreate(t, e, in)
	_, err = e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("protected")})
	wantErr(t, err, Validation, "Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	if _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("protected"), DeletionProtectionEnabled: bp(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("protected")}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(e.catalog.Names(), ","), "protected") {
		t.Fatal("protected table still listed")
	}
}
