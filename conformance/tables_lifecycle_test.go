package conformance

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynafault/dynafault/emulator"
	"github.com/dynafault/dynafault/faults/client"
)

// Table lifecycle on the clock: with durations set (here through
// PUT /_admin/lifecycle, which only dynafault has), CreateTable,
// UpdateTable and DeleteTable leave the table CREATING, UPDATING and
// DELETING until the clock passes the duration, with DynamoDB's answers
// for operations meanwhile: data operations on a CREATING table are
// ResourceNotFoundException "Requested resource not found" (dynalite
// db/index.js getTable); UpdateTable and DeleteTable on a CREATING or
// UPDATING table ResourceInUseException "Attempt to change a resource
// which is still in use: Table is being created: <name>" (dynalite
// actions/deleteTable.js, captured from DynamoDB; "being updated" for
// UPDATING is not captured). DeleteTable of a DELETING table answers
// without error (API reference, DeleteTable).

func TestTableLifecycleOnTheClock(t *testing.T) {
	t.Parallel()
	env := newFaultEnv(t, emulator.Options{})
	if _, err := env.adm.SetClockMode(ctx(t), client.ClockFrozen); err != nil {
		t.Fatal(err)
	}
	if _, err := env.adm.SetLifecycle(ctx(t), client.Lifecycle{Create: 10 * time.Second, Update: 5 * time.Second, Delete: 5 * time.Second}); err != nil {
		t.Fatal(err)
	}
	c := env.db
	name := "lifecycle"
	_, err := c.CreateTable(ctx(t), &dynamodb.CreateTableInput{
		TableName: aws.String(name), BillingMode: types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)},
		AttributeDefinitions:  []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)}, KeySchema: hashKey("pk"),
	})
	if err != nil {
		t.Fatal(err)
	}
	status := func() types.TableStatus {
		out, err := c.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeTable: %v", err)
		}
		return out.Table.TableStatus
	}
	if s := status(); s != types.TableStatusCreating {
		t.Fatalf("status after CreateTable = %s, want CREATING", s)
	}
	_, err = c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(name), Item: attrs{"pk": avS("a")}})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
	_, err = c.Scan(ctx(t), &dynamodb.ScanInput{TableName: aws.String(name)})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
	_, err = c.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	wantAPIError(t, err, "ResourceInUseException", "Attempt to change a resource which is still in use: Table is being created: "+name)
	raise := &dynamodb.UpdateTableInput{TableName: aws.String(name),
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(2)}}
	_, err = c.UpdateTable(ctx(t), raise)
	wantAPIError(t, err, "ResourceInUseException", "Attempt to change a resource which is still in use: Table is being created: "+name)

	env.advance(10 * time.Second)
	if s := status(); s != types.TableStatusActive {
		t.Fatalf("status after the creation time = %s, want ACTIVE", s)
	}
	if _, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String(name), Item: attrs{"pk": avS("a")}}); err != nil {
		t.Fatal(err)
	}

	out, err := c.UpdateTable(ctx(t), raise)
	if err != nil || out.TableDescription.TableStatus != types.TableStatusUpdating {
		t.Fatalf("UpdateTable: %v %v", err, out)
	}
	if s := status(); s != types.TableStatusUpdating {
		t.Fatalf("status after UpdateTable = %s, want UPDATING", s)
	}
	// The new capacity applies when the update is done.
	capacity := func() int64 {
		out, err := c.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeTable: %v", err)
		}
		return aws.ToInt64(out.Table.ProvisionedThroughput.ReadCapacityUnits)
	}
	if r := capacity(); r != 1 {
		t.Errorf("ReadCapacityUnits while UPDATING = %d, want the former 1", r)
	}
	// Reads and writes go on while UPDATING; changes wait.
	if _, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(name), Key: attrs{"pk": avS("a")}}); err != nil {
		t.Fatalf("GetItem while UPDATING: %v", err)
	}
	raise.ProvisionedThroughput.ReadCapacityUnits = aws.Int64(3)
	_, err = c.UpdateTable(ctx(t), raise)
	wantAPIError(t, err, "ResourceInUseException", "Attempt to change a resource which is still in use: Table is being updated: "+name)
	_, err = c.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	wantAPIError(t, err, "ResourceInUseException", "Attempt to change a resource which is still in use: Table is being updated: "+name)
	env.advance(5 * time.Second)
	if r := capacity(); r != 2 {
		t.Errorf("ReadCapacityUnits after the update = %d, want 2", r)
	}

	del, err := c.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	if err != nil || del.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Fatalf("DeleteTable: %v %v", err, del)
	}
	if s := status(); s != types.TableStatusDeleting {
		t.Fatalf("status after DeleteTable = %s, want DELETING", s)
	}
	if again, err := c.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil || again.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Fatalf("DeleteTable of a DELETING table: %v %v", err, again)
	}
	list, err := c.ListTables(ctx(t), &dynamodb.ListTablesInput{})
	if err != nil || len(list.TableNames) != 1 || list.TableNames[0] != name {
		t.Fatalf("ListTables while DELETING: %v %v", err, list)
	}
	_, err = c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: aws.String(name), Key: attrs{"pk": avS("a")}})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
	_, err = c.CreateTable(ctx(t), &dynamodb.CreateTableInput{TableName: aws.String(name), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)}, KeySchema: hashKey("pk")})
	wantAPIError(t, err, "ResourceInUseException", "Table already exists: "+name)

	env.advance(5 * time.Second)
	_, err = c.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	wantAPIErrorContains(t, err, "ResourceNotFoundException", "Requested resource not found")
	if l, err := env.adm.Lifecycle(ctx(t)); err != nil || l.Create != 10*time.Second || l.Delete != 5*time.Second {
		t.Fatalf("GET /_admin/lifecycle: %+v %v", l, err)
	}
}

// The SDK's table-exists waiter waits out the CREATING state.
func TestTableLifecycleWaiter(t *testing.T) {
	t.Parallel()
	env := newFaultEnv(t, emulator.Options{})
	if _, err := env.adm.SetLifecycle(ctx(t), client.Lifecycle{Create: 300 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	c := env.db
	_, err := c.CreateTable(ctx(t), &dynamodb.CreateTableInput{TableName: aws.String("waited"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)}, KeySchema: hashKey("pk")})
	if err != nil {
		t.Fatal(err)
	}
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 100*time.Millisecond
	})
	if err := w.Wait(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String("waited")}, 20*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: aws.String("waited"), Item: attrs{"pk": avS("a")}}); err != nil {
		t.Fatalf("PutItem once ACTIVE: %v", err)
	}
}
