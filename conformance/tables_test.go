package conformance

import (
	"errors"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

// Control plane: CreateTable validation, DescribeTable shape, ListTables
// paging, DeleteTable, UpdateTable (billing, throughput, GSIs, streams),
// account-level operations. Texts are AWS-captured (dynalite
// test/createTable.js, validations/createTable.js, test/updateTable.js,
// test/listTables.js), AWS-verified (LocalStack snapshots for duplicate and
// missing tables; scylladb test_streams.py patterns) or as cited.

// wantAPIErrorMatching is wantAPIError with a regular expression for the
// message, for cases where AWS-verified sources only pin a pattern.
func wantAPIErrorMatching(t testing.TB, err error, code, pattern string) {
	t.Helper()
	var ae smithy.APIError
	if err == nil || !errors.As(err, &ae) {
		t.Fatalf("got %v, want %s matching %q", err, code, pattern)
	}
	if ae.ErrorCode() != code || !regexp.MustCompile(pattern).MatchString(ae.ErrorMessage()) {
		t.Fatalf("got %s %q, want %s matching %q", ae.ErrorCode(), ae.ErrorMessage(), code, pattern)
	}
}

func attrDef(name string, typ types.ScalarAttributeType) types.AttributeDefinition {
	return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: typ}
}

func keyElem(name string, typ types.KeyType) types.KeySchemaElement {
	return types.KeySchemaElement{AttributeName: aws.String(name), KeyType: typ}
}

func hashKey(name string) []types.KeySchemaElement {
	return []types.KeySchemaElement{keyElem(name, types.KeyTypeHash)}
}

func hashRangeKey(h, r string) []types.KeySchemaElement {
	return []types.KeySchemaElement{keyElem(h, types.KeyTypeHash), keyElem(r, types.KeyTypeRange)}
}

func projectAll() *types.Projection {
	return &types.Projection{ProjectionType: types.ProjectionTypeAll}
}

// createTableErr sends CreateTable as given (a unique name is filled in when
// TableName is nil; on-demand billing when neither billing field is set) and
// deletes the table if it was unexpectedly created.
func createTableErr(t testing.TB, in *dynamodb.CreateTableInput) error {
	t.Helper()
	if in.TableName == nil {
		in.TableName = aws.String(uniqueName("ct"))
	}
	if in.BillingMode == "" && in.ProvisionedThroughput == nil {
		in.BillingMode = types.BillingModePayPerRequest
	}
	_, err := ddb(t).CreateTable(ctx(t), in)
	if err == nil {
		name := in.TableName
		t.Cleanup(func() { _, _ = ddb(t).DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: name}) })
	}
	return err
}

// lsiTableInput is a valid table (a S, b S) with one LSI "abc" on (a, c).
func lsiTableInput() *dynamodb.CreateTableInput {
	return &dynamodb.CreateTableInput{
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("a", types.ScalarAttributeTypeS), attrDef("b", types.ScalarAttributeTypeS), attrDef("c", types.ScalarAttributeTypeS),
		},
		KeySchema: hashRangeKey("a", "b"),
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{
			IndexName: aws.String("abc"), KeySchema: hashRangeKey("a", "c"), Projection: projectAll(),
		}},
	}
}

type createTableCase struct {
	name string
	in   func() *dynamodb.CreateTableInput
	want string
}

func createTableValidationCases() []createTableCase {
	s := types.ScalarAttributeTypeS
	return []createTableCase{
		{"key attribute not defined", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{AttributeDefinitions: []types.AttributeDefinition{attrDef("b", s)}, KeySchema: hashKey("a")}
		}, msgInvalid + "Some index key attributes are not defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]"},
		{"hash and range same name", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s), attrDef("b", s)},
				KeySchema:            []types.KeySchemaElement{keyElem("a", types.KeyTypeHash), keyElem("a", types.KeyTypeRange)},
			}
		}, "Both the Hash Key and the Range Key element in the KeySchema have the same name"},
		{"first not HASH", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s), attrDef("b", s)},
				KeySchema:            []types.KeySchemaElement{keyElem("a", types.KeyTypeRange), keyElem("b", types.KeyTypeHash)},
			}
		}, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"second not RANGE", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s), attrDef("b", s)},
				KeySchema:            []types.KeySchemaElement{keyElem("a", types.KeyTypeHash), keyElem("b", types.KeyTypeHash)},
			}
		}, "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"},
		{"unused attribute definition", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s), attrDef("b", s)},
				KeySchema:            hashKey("a"),
			}
		}, msgInvalid + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"},
		{"LSI without table range key", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.KeySchema = hashKey("a")
			in.AttributeDefinitions = []types.AttributeDefinition{attrDef("a", s), attrDef("c", s)}
			return in
		}, msgInvalid + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"},
		{"LSI other hash key", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.LocalSecondaryIndexes[0].KeySchema = hashRangeKey("b", "c")
			return in
		}, msgInvalid + "Index KeySchema does not have the same leading hash key as table KeySchema for index: abc. index hash key: b, table hash key: a"},
		{"LSI without range key", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.LocalSecondaryIndexes[0].KeySchema = hashKey("a")
			in.AttributeDefinitions = in.AttributeDefinitions[:2]
			return in
		}, msgInvalid + "Index KeySchema does not have a range key for index: abc"},
		{"LSI projection type missing", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.LocalSecondaryIndexes[0].Projection = &types.Projection{}
			return in
		}, msgInvalid + "Unknown ProjectionType: null"},
		{"ALL with NonKeyAttributes", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.LocalSecondaryIndexes[0].Projection = &types.Projection{ProjectionType: types.ProjectionTypeAll, NonKeyAttributes: []string{"x"}}
			return in
		}, msgInvalid + "ProjectionType is ALL, but NonKeyAttributes is specified"},
		{"KEYS_ONLY with NonKeyAttributes", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.LocalSecondaryIndexes[0].Projection = &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly, NonKeyAttributes: []string{"x"}}
			return in
		}, msgInvalid + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"},
		{"duplicate index name", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, in.LocalSecondaryIndexes[0])
			return in
		}, msgInvalid + "Duplicate index name: abc"},
		{"too many LSIs", func() *dynamodb.CreateTableInput {
			in := lsiTableInput()
			for _, n := range []string{"ab1", "ab2", "ab3", "ab4", "ab5"} {
				in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, types.LocalSecondaryIndex{
					IndexName: aws.String(n), KeySchema: hashRangeKey("a", "c"), Projection: projectAll(),
				})
			}
			return in
		}, msgInvalid + "Number of LocalSecondaryIndexes exceeds per-table limit of 5"},
		{"PAY_PER_REQUEST with throughput", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
				BillingMode:           types.BillingModePayPerRequest,
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)},
			}
		}, msgInvalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"PROVISIONED without throughput", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
				BillingMode: types.BillingModeProvisioned,
			}
		}, msgInvalid + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
		{"read capacity out of bounds", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1000000000001), WriteCapacityUnits: aws.Int64(1000000000001)},
			}
		}, "Given value 1000000000001 for ReadCapacityUnits is out of bounds"},
		{"write capacity out of bounds", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
				ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1000000000000), WriteCapacityUnits: aws.Int64(1000000000001)},
			}
		}, "Given value 1000000000001 for WriteCapacityUnits is out of bounds"},
		{"GSI throughput with PAY_PER_REQUEST", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s), attrDef("g", s)}, KeySchema: hashKey("a"),
				BillingMode: types.BillingModePayPerRequest,
				GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
					IndexName: aws.String("gsi"), KeySchema: hashKey("g"), Projection: projectAll(),
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)},
				}},
			}
		}, msgInvalid + "ProvisionedThroughput should not be specified for index: gsi when BillingMode is PAY_PER_REQUEST"},
		{"attribute type enum", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", "SS")}, KeySchema: hashKey("a"),
			}
		}, "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"},
		{"table name pattern", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				TableName:            aws.String("abc;"),
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
			}
		}, "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"table name too short", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				TableName:            aws.String("ab"),
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
			}
		}, "TableName must be at least 3 characters long and at most 255 characters long"},
		{"table name too long", func() *dynamodb.CreateTableInput {
			return &dynamodb.CreateTableInput{
				TableName:            aws.String(strings.Repeat("a", 256)),
				AttributeDefinitions: []types.AttributeDefinition{attrDef("a", s)}, KeySchema: hashKey("a"),
			}
		}, "TableName must be at least 3 characters long and at most 255 characters long"},
	}
}

func TestTableCreateValidation(t *testing.T) {
	t.Parallel()
	for _, c := range createTableValidationCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			wantAPIError(t, createTableErr(t, c.in()), "ValidationException", c.want)
		})
	}
}

func TestTableCreateDuplicate(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	err := createTableErr(t, &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)},
		KeySchema:            hashKey("pk"),
	})
	wantAPIError(t, err, "ResourceInUseException", "Table already exists: "+name)
}

var (
	tableARNPattern = regexp.MustCompile(`^arn:aws:dynamodb:[a-z0-9-]+:[0-9]{12}:table/`)
	uuidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// wantTableShape checks the fields every TableDescription of an on-demand
// table keyed by pk (S) carries.
func wantTableShape(t testing.TB, d *types.TableDescription, name string) {
	t.Helper()
	if got := aws.ToString(d.TableName); got != name {
		t.Errorf("TableName = %q, want %q", got, name)
	}
	arn := aws.ToString(d.TableArn)
	if !tableARNPattern.MatchString(arn) || !strings.HasSuffix(arn, ":table/"+name) {
		t.Errorf("TableArn = %q, want arn:aws:dynamodb:<region>:<account>:table/%s", arn, name)
	}
	if id := aws.ToString(d.TableId); !uuidPattern.MatchString(id) {
		t.Errorf("TableId = %q, want a UUID", id)
	}
	if d.CreationDateTime == nil || time.Since(*d.CreationDateTime) > 10*time.Minute || time.Until(*d.CreationDateTime) > time.Minute {
		t.Errorf("CreationDateTime = %v, want about now", d.CreationDateTime)
	}
	if len(d.KeySchema) != 1 || aws.ToString(d.KeySchema[0].AttributeName) != "pk" || d.KeySchema[0].KeyType != types.KeyTypeHash {
		t.Errorf("KeySchema = %+v", d.KeySchema)
	}
	if len(d.AttributeDefinitions) != 1 || d.AttributeDefinitions[0].AttributeType != types.ScalarAttributeTypeS {
		t.Errorf("AttributeDefinitions = %+v", d.AttributeDefinitions)
	}
	pt := d.ProvisionedThroughput
	if pt == nil || aws.ToInt64(pt.ReadCapacityUnits) != 0 || aws.ToInt64(pt.WriteCapacityUnits) != 0 || aws.ToInt64(pt.NumberOfDecreasesToday) != 0 {
		t.Errorf("ProvisionedThroughput = %+v, want 0/0/0 for on-demand", pt)
	}
	if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != types.BillingModePayPerRequest {
		t.Errorf("BillingModeSummary = %+v, want PAY_PER_REQUEST", d.BillingModeSummary)
	}
	if d.DeletionProtectionEnabled == nil || *d.DeletionProtectionEnabled {
		t.Errorf("DeletionProtectionEnabled = %v, want false", d.DeletionProtectionEnabled)
	}
}

func TestTableCreateResponseShape(t *testing.T) {
	t.Parallel()
	name := uniqueName("shape")
	out, err := ddb(t).CreateTable(ctx(t), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)},
		KeySchema:            hashKey("pk"),
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	t.Cleanup(func() { _, _ = ddb(t).DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)}) })
	d := out.TableDescription
	wantTableShape(t, d, name)
	if s := d.TableStatus; s != types.TableStatusCreating && s != types.TableStatusActive {
		t.Errorf("TableStatus = %s, want CREATING (or ACTIVE)", s)
	}
	if aws.ToInt64(d.ItemCount) != 0 || aws.ToInt64(d.TableSizeBytes) != 0 {
		t.Errorf("ItemCount/TableSizeBytes = %d/%d, want 0/0", aws.ToInt64(d.ItemCount), aws.ToInt64(d.TableSizeBytes))
	}
}

func TestTableDescribeShape(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	out, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	wantTableShape(t, out.Table, name)
	if out.Table.TableStatus != types.TableStatusActive {
		t.Errorf("TableStatus = %s, want ACTIVE", out.Table.TableStatus)
	}
	// The same table described twice keeps its identity.
	again, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	if aws.ToString(again.Table.TableId) != aws.ToString(out.Table.TableId) {
		t.Errorf("TableId changed between calls")
	}
}

func TestTableDescribeCountsAfterWrites(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	putOK(t, name, attrs{"pk": avS("a"), "v": avS("12345")}) // 2+1 + 1+5 = 9 bytes
	putOK(t, name, attrs{"pk": avS("bb"), "n": avN("1")})    // 2+2 + 1+len(N)
	out, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	// AWS refreshes these about every six hours; an emulator can be exact.
	if got := aws.ToInt64(out.Table.ItemCount); got != 2 {
		t.Errorf("ItemCount = %d, want 2", got)
	}
	if got := aws.ToInt64(out.Table.TableSizeBytes); got <= 9 {
		t.Errorf("TableSizeBytes = %d, want the size of both items (> 9)", got)
	}
}

func TestTableDescribeMissing(t *testing.T) {
	t.Parallel()
	name := uniqueName("missing")
	_, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: "+name+" not found")
}

func TestTableListPaging(t *testing.T) {
	t.Parallel()
	base := uniqueName("lt")
	var names []string
	for range 3 {
		names = append(names, createTable(t, &dynamodb.CreateTableInput{
			TableName:            aws.String(base),
			AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)},
			KeySchema:            hashKey("pk"),
		}))
	}
	sort.Strings(names)
	c := ddb(t)
	page, err := c.ListTables(ctx(t), &dynamodb.ListTablesInput{ExclusiveStartTableName: aws.String(base), Limit: aws.Int32(2)})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if strings.Join(page.TableNames, ",") != strings.Join(names[:2], ",") {
		t.Fatalf("page 1 = %v, want %v", page.TableNames, names[:2])
	}
	if got := aws.ToString(page.LastEvaluatedTableName); got != names[1] {
		t.Fatalf("LastEvaluatedTableName = %q, want %q", got, names[1])
	}
	page, err = c.ListTables(ctx(t), &dynamodb.ListTablesInput{ExclusiveStartTableName: page.LastEvaluatedTableName, Limit: aws.Int32(1)})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if len(page.TableNames) != 1 || page.TableNames[0] != names[2] {
		t.Fatalf("page 2 = %v, want [%s]", page.TableNames, names[2])
	}
	// Without a limit every table is listed in order.
	all, err := c.ListTables(ctx(t), &dynamodb.ListTablesInput{ExclusiveStartTableName: aws.String(base)})
	if err != nil {
		t.Fatalf("ListTables: %v", err)
	}
	if !sort.StringsAreSorted(all.TableNames) || len(all.TableNames) < 3 || all.TableNames[2] != names[2] {
		t.Fatalf("ListTables from %s = %v, want sorted, starting with %v", base, all.TableNames, names)
	}
}

func TestTableListLimitValidation(t *testing.T) {
	t.Parallel()
	_, err := ddb(t).ListTables(ctx(t), &dynamodb.ListTablesInput{Limit: aws.Int32(101)})
	wantAPIError(t, err, "ValidationException",
		"1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100")
}

func TestTableDelete(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	c := ddb(t)
	out, err := c.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DeleteTable: %v", err)
	}
	if aws.ToString(out.TableDescription.TableName) != name {
		t.Errorf("DeleteTable TableName = %q", aws.ToString(out.TableDescription.TableName))
	}
	if s := out.TableDescription.TableStatus; s != types.TableStatusDeleting {
		t.Errorf("DeleteTable TableStatus = %s, want DELETING", s)
	}
	w := dynamodb.NewTableNotExistsWaiter(c, func(o *dynamodb.TableNotExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 500*time.Millisecond
	})
	if err := w.Wait(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
		t.Fatalf("waiting for deletion: %v", err)
	}
	_, err = c.DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: "+name+" not found")
}

func TestTableARNAsTableName(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	c := ddb(t)
	d, err := c.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	arn := d.Table.TableArn
	byARN, err := c.DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: arn})
	if err != nil {
		t.Fatalf("DescribeTable by ARN: %v", err)
	}
	if aws.ToString(byARN.Table.TableName) != name {
		t.Errorf("DescribeTable by ARN: TableName = %q, want %q", aws.ToString(byARN.Table.TableName), name)
	}
	if _, err := c.PutItem(ctx(t), &dynamodb.PutItemInput{TableName: arn, Item: attrs{"pk": avS("arn"), "v": avN("1")}}); err != nil {
		t.Fatalf("PutItem by ARN: %v", err)
	}
	got, err := c.GetItem(ctx(t), &dynamodb.GetItemInput{TableName: arn, Key: pk("arn"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatalf("GetItem by ARN: %v", err)
	}
	wantAttrs(t, "GetItem by ARN", got.Item, attrs{"pk": avS("arn"), "v": avN("1")})
	wantAttrs(t, "GetItem by name", getOK(t, name, pk("arn")), attrs{"pk": avS("arn"), "v": avN("1")})
}
