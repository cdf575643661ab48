package engine

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/clock"
)

var testEpoch = time.Date(2026, 11, 21, 9, 34, 43, 123_000_000, time.UTC)

// newTestEngine returns an engine on a frozen clock.
func newTestEngine(t *testing.T, opts ...func(*Options)) *Engine {
	t.Helper()
	o := Options{Clock: clock.NewFrozen(testEpoch)}
	for _, f := range opts {
		f(&o)
	}
	return New(o)
}

func i64(n int64) *int64 { return &n }

func ad(name, typ string) AttributeDefinition {
	return AttributeDefinition{AttributeName: sp(name), AttributeType: sp(typ)}
}

func ks(names ...string) []KeySchemaElement {
	out := []KeySchemaElement{}
	for i, n := range names {
		typ := "HASH"
		if i == 1 {
			typ = "RANGE"
		}
		out = append(out, KeySchemaElement{AttributeName: sp(n), KeyType: sp(typ)})
	}
	return out
}

func pt(r, w int64) *ProvisionedThroughput {
	return &ProvisionedThroughput{ReadCapacityUnits: i64(r), WriteCapacityUnits: i64(w)}
}

func projAll() *Projection { return &Projection{ProjectionType: sp("ALL")} }

// simpleTable is a PAY_PER_REQUEST table keyed on pk (S).
func simpleTable(name string) *CreateTableInput {
	return &CreateTableInput{
		TableName:            sp(name),
		AttributeDefinitions: []AttributeDefinition{ad("pk", "S")},
		KeySchema:            ks("pk"),
		BillingMode:          sp(billingPayPerRequest),
	}
}

func mustCreate(t *testing.T, e *Engine, in *CreateTableInput) *TableDescription {
	t.Helper()
	out, err := e.CreateTable(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	return out.TableDescription
}

func mustDescribe(t *testing.T, e *Engine, name string) *TableDescription {
	t.Helper()
	out, err := e.DescribeTable(context.Background(), &DescribeTableInput{TableName: sp(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	return out.Table
}

// wantErr checks that err is an *Error with code and message.
func wantErr(t *testing.T, err error, code Code, msg string) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error = %v (%T), want %s: %s", err, err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("error =\n  %s: %s\nwant\n  %s: %s", e.Code, e.Message, code, msg)
	}
}

func TestCreateTableValidation(t *testing.T) {
	t.Parallel()
	const inv = "One or more parameter values were invalid: "
	mod := func(f func(in *CreateTableInput)) *CreateTableInput {
		in := simpleTable("valid_table")
		f(in)
		return in
	}
	withRange := func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, ad("sk", "N"))
		in.KeySchema = ks("pk", "sk")
	}
	cases := []struct {
		name string
		in   *CreateTableInput
		msg  string
	}{
		{"all null", &CreateTableInput{}, "The parameter 'TableName' is required but was not present in the request"},
		{"only a bad name", &CreateTableInput{TableName: sp("abc;")}, "3 validation errors detected: " +
			"Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null; " +
			"Value 'abc;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
			"Value null at 'keySchema' failed to satisfy constraint: Member must not be null"},
		{"billing and throughput before key schema", &CreateTableInput{TableName: sp("abc"), AttributeDefinitions: []AttributeDefinition{},
			KeySchema: []KeySchemaElement{}, ProvisionedThroughput: pt(-1, -1), BillingMode: sp("A")}, "4 validation errors detected: " +
			"Value 'A' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]; " +
			"Value '-1' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
			"Value '-1' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1; " +
			"Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"short name", mod(func(in *CreateTableInput) { in.TableName = sp("a;") }),
			"TableName must be at least 3 characters long and at most 255 characters long"},
		{"long name", mod(func(in *CreateTableInput) { in.TableName = sp(strings.Repeat("a", 256)) }),
			"TableName must be at least 3 characters long and at most 255 characters long"},
		{"short name wins over other violations", &CreateTableInput{TableName: sp("")},
			"TableName must be at least 3 characters long and at most 255 characters long"},
		{"bad name", mod(func(in *CreateTableInput) { in.TableName = sp("a b!") }),
			"1 validation error detected: Value 'a b!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"bad attr type", mod(func(in *CreateTableInput) { in.AttributeDefinitions[0].AttributeType = sp("X") }),
			"1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"},
		{"empty key schema", mod(func(in *CreateTableInput) { in.KeySchema = []KeySchemaElement{} }),
			"1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"bad key type", mod(func(in *CreateTableInput) { in.KeySchema[0].KeyType = sp("SORT") }),
			"1 validation error detected: Value 'SORT' at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"},
		{"bad billing", mod(func(in *CreateTableInput) { in.BillingMode = sp("FREE") }),
			"1 validation error detected: Value 'FREE' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"},
		{"zero capacity", mod(func(in *CreateTableInput) { in.BillingMode = nil; in.ProvisionedThroughput = pt(0, 1) }),
			"1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"ppr with throughput", mod(func(in *CreateTableInput) { in.ProvisionedThroughput = pt(1, 1) }),
			inv + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"provisioned without throughput", mod(func(in *CreateTableInput) { in.BillingMode = nil }),
			inv + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
		{"duplicate definition", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("pk", "N"))
		}), "Attribute Name is duplicated: pk"},
		{"no definitions", mod(func(in *CreateTableInput) { in.AttributeDefinitions = []AttributeDefinition{} }),
			"Invalid KeySchema: Some index key attribute have no definition"},
		{"undefined key", mod(func(in *CreateTableInput) { in.AttributeDefinitions = []AttributeDefinition{ad("other", "S")} }),
			inv + "Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [other]"},
		{"range first", mod(func(in *CreateTableInput) {
			withRange(in)
			in.KeySchema[0].KeyType, in.KeySchema[1].KeyType = sp("RANGE"), sp("HASH")
		}), "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"two hash", mod(func(in *CreateTableInput) {
			withRange(in)
			in.KeySchema[1].KeyType = sp("HASH")
		}), "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"},
		{"same key twice", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("x", "S"))
			in.KeySchema = ks("pk", "pk")
		}), "Both the Hash Key and the Range Key element in the KeySchema have the same name"},
		{"unused definition", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("x", "S"))
		}), inv + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"},
		{"lsi without table range", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("l", "S"))
			in.LocalSecondaryIndexes = []LocalSecondaryIndex{{IndexName: sp("lsi"), KeySchema: ks("pk", "l"), Projection: projAll()}}
		}), inv + "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"},
		{"lsi other hash", mod(func(in *CreateTableInput) {
			withRange(in)
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("l", "S"))
			in.LocalSecondaryIndexes = []LocalSecondaryIndex{{IndexName: sp("lsi"), KeySchema: ks("l", "sk"), Projection: projAll()}}
		}), inv + "Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi. index hash key: l, table hash key: pk"},
		{"unused with index", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"), ad("x", "N"))
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks("g"), Projection: projAll()}}
		}), inv + "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, g, x], keys used: [pk, g]"},
		{"gsi no projection type", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks("g"), Projection: &Projection{}}}
		}), inv + "Unknown ProjectionType: null"},
		{"keys only with attributes", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks("g"),
				Projection: &Projection{ProjectionType: sp("KEYS_ONLY"), NonKeyAttributes: []string{"a"}}}}
		}), inv + "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"},
		{"include without attributes", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks("g"),
				Projection: &Projection{ProjectionType: sp("INCLUDE")}}}
		}), inv + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified"},
		{"gsi throughput on demand", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks("g"), Projection: projAll(), ProvisionedThroughput: pt(1, 1)}}
		}), inv + "ProvisionedThroughput should not be specified for index: gsi when BillingMode is PAY_PER_REQUEST"},
		{"gsi missing throughput", mod(func(in *CreateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = nil, pt(1, 1)
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks("g"), Projection: projAll()}}
		}), inv + "ProvisionedThroughput is not specified for index: gsi"},
		{"duplicate index", mod(func(in *CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
			g := GlobalSecondaryIndex{IndexName: sp("gsi"), KeySchema: ks("g"), Projection: projAll()}
			in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{g, g}
		}), inv + "Duplicate index name: gsi"},
		{"empty gsi list", mod(func(in *CreateTableInput) { in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{} }),
			inv + "List of GlobalSecondaryIndexes is empty"},
		{"stream without view", mod(func(in *CreateTableInput) { in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true)} }),
			inv + "Table is being created with a stream enabled, UpdateViewType is required"},
		{"disabled stream with view", mod(func(in *CreateTableInput) {
			in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(false), StreamViewType: sp("KEYS_ONLY")}
		}), inv + "Table is being created with a stream disabled, UpdateViewType should not be specified"},
		{"bad view type", mod(func(in *CreateTableInput) {
			in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("ALL")}
		}), "1 validation error detected: Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]"},
		{"stream enabled null", mod(func(in *CreateTableInput) { in.StreamSpecification = &StreamSpecification{} }),
			"1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null"},
		{"aws tag", mod(func(in *CreateTableInput) { in.Tags = []Tag{{Key: sp("aws:x"), Value: sp("v")}} }),
			"Tag Key cannot be prefixed with aws:, Key: aws:x"},
		{"bad table class", mod(func(in *CreateTableInput) { in.TableClass = sp("COLD") }),
			"Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS]."},
	}
	e := newTestEngine(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.CreateTable(context.Background(), c.in)
			wantErr(t, err, Validation, c.msg)
		})
	}
	if names := e.catalog.Names(); len(names) != 0 {
		t.Fatalf("failed creates left tables %v", names)
	}
}

func TestCreateTableKeySchemaTooLong(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	in := simpleTable("three_keys")
	in.KeySchema = append(ks("pk", "a"), KeySchemaElement{AttributeName: sp("b"), KeyType: sp("RANGE")})
	_, err := e.CreateTable(context.Background(), in)
	re := regexp.MustCompile(`^1 validation error detected: Value '\[com\.amazonaws\.dynamodb\.v20120810\.KeySchemaElement@[0-9a-f]+(, com\.amazonaws\.dynamodb\.v20120810\.KeySchemaElement@[0-9a-f]+){2}\]' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2$`)
	if e, ok := err.(*Error); !ok || !re.MatchString(e.Message) {
		t.Fatalf("error = %v", err)
	}
}

func TestCreateTableTooManyIndexes(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	in := simpleTable("many_gsis")
	for i := range 21 {
		n := "g" + string(rune('a'+i))
		in.AttributeDefinitions = append(in.AttributeDefinitions, ad(n, "S"))
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, GlobalSecondaryIndex{IndexName: sp("idx_" + n), KeySchema: ks(n), Projection: projAll()})
	}
	_, err := e.CreateTable(context.Background(), in)
	wantErr(t, err, Validation, "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20")
}

func TestCreateTableExists(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	mustCreate(t, e, simpleTable("dup_table"))
	_, err := e.CreateTable(context.Background(), simpleTable("dup_table"))
	wantErr(t, err, ResourceInUse, "Table already exists: dup_table")
}

func TestCreateTableDescription(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	in := &CreateTableInput{
		TableName:             sp("full_table"),
		AttributeDefinitions:  []AttributeDefinition{ad("sk", "N"), ad("pk", "S"), ad("l", "B"), ad("g", "S")},
		KeySchema:             ks("pk", "sk"),
		ProvisionedThroughput: pt(5, 7),
		LocalSecondaryIndexes: []LocalSecondaryIndex{{IndexName: sp("by_l"), KeySchema: ks("pk", "l"),
			Projection: &Projection{ProjectionType: sp("INCLUDE"), NonKeyAttributes: []string{"z", "a"}}}},
		GlobalSecondaryIndexes: []GlobalSecondaryIndex{{IndexName: sp("by_g"), KeySchema: ks("g"),
			Projection: &Projection{ProjectionType: sp("KEYS_ONLY")}, ProvisionedThroughput: pt(2, 3)}},
		TableClass:                sp("STANDARD_INFREQUENT_ACCESS"),
		DeletionProtectionEnabled: bp(true),
	}
	created := mustCreate(t, e, in)
	if created.TableStatus != statusCreating || created.GlobalSecondaryIndexes[0].IndexStatus != statusCreating ||
		created.GlobalSecondaryIndexes[0].Backfilling != nil {
		t.Errorf("CreateTable status = %s, index %+v; want CREATING", created.TableStatus, created.GlobalSecondaryIndexes[0])
	}
	d := mustDescribe(t, e, "full_table")
	if d.TableStatus != statusActive {
		t.Errorf("DescribeTable status = %s, want ACTIVE", d.TableStatus)
	}
	if d.TableArn != "arn:aws:dynamodb:us-east-1:000000000000:table/full_table" {
		t.Errorf("TableArn = %s", d.TableArn)
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(d.TableID) || d.TableID != created.TableID {
		t.Errorf("TableId = %s (created %s)", d.TableID, created.TableID)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		`"AttributeDefinitions":[{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"B"},{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}]`,
		`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]`,
		`"CreationDateTime":1795253683.123`,
		`"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":7}`,
		`"TableSizeBytes":0,"ItemCount":0`,
		`"LocalSecondaryIndexes":[{"IndexName":"by_l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","z"]},"IndexSizeBytes":0,"ItemCount":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/full_table/index/by_l"}]`,
		`"GlobalSecondaryIndexes":[{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},"IndexStatus":"ACTIVE","ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":2,"WriteCapacityUnits":3},"IndexSizeBytes":0,"ItemCount":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/full_table/index/by_g"}]`,
		`"TableClassSummary":{"TableClass":"STANDARD_INFREQUENT_ACCESS"}`,
		`"DeletionProtectionEnabled":true`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("description lacks %s\nin %s", want, got)
		}
	}
	for _, absent := range []string{"BillingModeSummary", "StreamSpecification", "LatestStreamArn", "WarmThroughput", "Backfilling"} {
		if strings.Contains(got, absent) {
			t.Errorf("description has %s: %s", absent, got)
		}
	}
}

func TestCreateTableOnDemand(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	mustCreate(t, e, simpleTable("ppr_table"))
	b, _ := json.Marshal(mustDescribe(t, e, "ppr_table"))
	got := string(b)
	for _, want := range []string{
		`"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0}`,
		`"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1795253683.123}`,
		`"WarmThroughput":{"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"}`,
		`"DeletionProtectionEnabled":false`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("description lacks %s\nin %s", want, got)
		}
	}
}

func TestCreateTableStream(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	in := simpleTable("streamed")
	in.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("NEW_AND_OLD_IMAGES")}
	created := mustCreate(t, e, in)
	const label = "2026-11-21T09:34:43.123"
	if created.LatestStreamLabel != label {
		t.Errorf("label = %s, want %s", created.LatestStreamLabel, label)
	}
	if want := created.TableArn + "/stream/" + label; created.LatestStreamArn != want {
		t.Errorf("arn = %s, want %s", created.LatestStreamArn, want)
	}
	d := mustDescribe(t, e, "streamed")
	if d.LatestStreamArn != created.LatestStreamArn || d.LatestStreamLabel != label ||
		!*d.StreamSpecification.StreamEnabled || *d.StreamSpecification.StreamViewType != "NEW_AND_OLD_IMAGES" {
		t.Errorf("describe stream = %+v %s %s", d.StreamSpecification, d.LatestStreamArn, d.LatestStreamLabel)
	}
}

// TestCreateTableViolationsCappedAtTen: DynamoDB lists at most ten
// violations (dynalite test/createTable.js, nine empty LSIs).
func TestCreateTableViolationsCappedAtTen(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	_, err := e.CreateTable(context.Background(), &CreateTableInput{
		TableName:             sp("abc"),
		AttributeDefinitions:  []AttributeDefinition{ad("a", "S"), ad("b", "S")},
		KeySchema:             ks("a", "b"),
		LocalSecondaryIndexes: make([]LocalSecondaryIndex, 9),
		ProvisionedThroughput: pt(1, 1),
	})
	msg := AsError(err).Message
	if !strings.HasPrefix(msg, "10 validation errors detected: ") || strings.Count(msg, "; ") != 9 {
		t.Fatalf("message = %q, want exactly ten violations", msg)
	}
}

// FuzzGSIKeySchema creates tables whose GSI key schema is spelled by the
// input, two bytes an element (H or R, then a name from a to f): no schema
// may panic or answer an internal error, and an accepted one describes
// itself as given and indexes the items that have every key attribute.
func FuzzGSIKeySchema(f *testing.F) {
	for _, s := range []string{"Ha", "HaRb", "HaHbRcRd", "HaHbHcHdReRf", "HaRbRcRdRe", "RaHb", "HaRbHc", "HaHa", "HaHbHcHdHe", "Hz", "XaRb", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 40 {
			return
		}
		e := New(Options{Clock: clock.NewFrozen(testEpoch)})
		var ks []KeySchemaElement
		ads := []AttributeDefinition{ad("id", "S")}
		seen := map[string]bool{}
		for i := 0; i+1 < len(s); i += 2 {
			kind := map[byte]string{'H': "HASH", 'R': "RANGE"}[s[i]]
			if kind == "" {
				kind = string(s[i])
			}
			name := string(s[i+1])
			ks = append(ks, KeySchemaElement{AttributeName: sp(name), KeyType: sp(kind)})
			if name >= "a" && name <= "f" && !seen[name] {
				seen[name] = true
				ads = append(ads, ad(name, []string{"S", "N", "B"}[int(name[0])%3]))
			}
		}
		in := &CreateTableInput{
			TableName: sp("fuzz"), BillingMode: sp(billingPayPerRequest), AttributeDefinitions: ads,
			KeySchema: []KeySchemaElement{{AttributeName: sp("id"), KeyType: sp("HASH")}},
			GlobalSecondaryIndexes: []GlobalSecondaryIndex{{IndexName: sp("gsi"), KeySchema: ks,
				Projection: &Projection{ProjectionType: sp("ALL")}}},
		}
		out, err := e.CreateTable(context.Background(), in)
		if err != nil {
			if AsError(err).Code == InternalServerError {
				t.Fatalf("CreateTable(%q): %v", s, err)
			}
			return
		}
		got := out.TableDescription.GlobalSecondaryIndexes[0].KeySchema
		if len(got) != len(ks) {
			t.Fatalf("%q described as %d elements", s, len(got))
		}
		for i := range ks {
			if *got[i].AttributeName != *ks[i].AttributeName || *got[i].KeyType != *ks[i].KeyType {
				t.Fatalf("%q element %d described as %s %s", s, i, *got[i].AttributeName, *got[i].KeyType)
			}
		}
		item := attr.Item{"id": itemS("1")}
		for n := range seen {
			item[n] = map[string]attr.Value{"S": itemS("x"), "N": itemN("1"), "B": {Type: attr.B, S: "b"}}[[]string{"S", "N", "B"}[int(n[0])%3]]
		}
		if _, err := e.PutItem(context.Background(), &PutItemInput{TableName: sp("fuzz"), Item: item}); err != nil {
			t.Fatalf("PutItem: %v", err)
		}
		sc, err := e.Scan(context.Background(), &ScanInput{TableName: sp("fuzz"), IndexName: sp("gsi")})
		if err != nil || sc.Count != 1 {
			t.Fatalf("Scan of the index: %v, count %v", err, sc)
		}
	})
}
