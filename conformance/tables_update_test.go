package conformance

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// UpdateTable: billing mode and throughput, GSI creation and deletion, and
// the stream specification rules. Texts are AWS-captured (dynalite
// test/updateTable.js) or AWS-verified patterns (scylladb test_streams.py,
// test_gsi_updatetable.py).

// waitTableSettled polls DescribeTable until the table and all its GSIs are
// ACTIVE, and returns the last description.
func waitTableSettled(t testing.TB, name string) *types.TableDescription {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		out, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
		if err != nil {
			t.Fatalf("DescribeTable %s: %v", name, err)
		}
		settled := out.Table.TableStatus == types.TableStatusActive
		for _, g := range out.Table.GlobalSecondaryIndexes {
			settled = settled && g.IndexStatus == types.IndexStatusActive
		}
		if settled {
			return out.Table
		}
		if time.Now().After(deadline) {
			t.Fatalf("table %s not settled: status %s", name, out.Table.TableStatus)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func updateTable(t testing.TB, in *dynamodb.UpdateTableInput) (*types.TableDescription, error) {
	t.Helper()
	out, err := ddb(t).UpdateTable(ctx(t), in)
	if err != nil {
		return nil, err
	}
	return out.TableDescription, nil
}

func TestTableUpdateBillingAndThroughput(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	tp := &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(7)}
	if _, err := updateTable(t, &dynamodb.UpdateTableInput{
		TableName: aws.String(name), BillingMode: types.BillingModeProvisioned, ProvisionedThroughput: tp,
	}); err != nil {
		t.Fatalf("UpdateTable to PROVISIONED: %v", err)
	}
	d := waitTableSettled(t, name)
	if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != types.BillingModeProvisioned {
		t.Errorf("BillingModeSummary = %+v, want PROVISIONED", d.BillingModeSummary)
	}
	if r, w := aws.ToInt64(d.ProvisionedThroughput.ReadCapacityUnits), aws.ToInt64(d.ProvisionedThroughput.WriteCapacityUnits); r != 5 || w != 7 {
		t.Errorf("ProvisionedThroughput = %d/%d, want 5/7", r, w)
	}
	_, err := updateTable(t, &dynamodb.UpdateTableInput{TableName: aws.String(name), ProvisionedThroughput: tp})
	wantAPIError(t, err, "ValidationException",
		"The provisioned throughput for the table will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. "+
			"Current WriteCapacityUnits provisioned for the table: 7. Requested WriteCapacityUnits: 7. "+
			"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")
}

// TestTableUpdateThroughputResponse: UpdateTable describes the capacity
// before the change, with the new LastIncreaseDateTime or
// LastDecreaseDateTime, and the decrease is counted once the update is
// done (dynalite test/updateTable.js "should triple rates and then reduce",
// captured from DynamoDB).
func TestTableUpdateThroughputResponse(t *testing.T) {
	t.Parallel()
	name := createTable(t, &dynamodb.CreateTableInput{
		TableName: aws.String("tput"), BillingMode: types.BillingModeProvisioned,
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)},
		AttributeDefinitions:  []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)}, KeySchema: hashKey("pk"),
	})
	update := func(r, w int64) *types.TableDescription {
		t.Helper()
		d, err := updateTable(t, &dynamodb.UpdateTableInput{TableName: aws.String(name),
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(r), WriteCapacityUnits: aws.Int64(w)}})
		if err != nil {
			t.Fatalf("UpdateTable %d/%d: %v", r, w, err)
		}
		return d
	}
	units := func(p *types.ProvisionedThroughputDescription) [2]int64 {
		return [2]int64{aws.ToInt64(p.ReadCapacityUnits), aws.ToInt64(p.WriteCapacityUnits)}
	}
	d := update(3, 3)
	if p := d.ProvisionedThroughput; d.TableStatus != types.TableStatusUpdating || units(p) != [2]int64{1, 1} || p.LastIncreaseDateTime == nil {
		t.Errorf("raise: %s %v, LastIncreaseDateTime %v; want UPDATING 1/1 with the increase time", d.TableStatus, units(p), p.LastIncreaseDateTime)
	}
	settled := waitTableSettled(t, name).ProvisionedThroughput
	if units(settled) != [2]int64{3, 3} {
		t.Fatalf("after the raise: %v, want 3/3", units(settled))
	}
	decreases := aws.ToInt64(settled.NumberOfDecreasesToday)
	d = update(3, 2)
	if p := d.ProvisionedThroughput; units(p) != [2]int64{3, 3} || p.LastDecreaseDateTime == nil || aws.ToInt64(p.NumberOfDecreasesToday) != decreases {
		t.Errorf("decrease: %v, LastDecreaseDateTime %v, %d decreases; want 3/3, the decrease time, %d",
			units(p), p.LastDecreaseDateTime, aws.ToInt64(p.NumberOfDecreasesToday), decreases)
	}
	settled = waitTableSettled(t, name).ProvisionedThroughput
	if units(settled) != [2]int64{3, 2} || aws.ToInt64(settled.NumberOfDecreasesToday) != decreases+1 {
		t.Errorf("after the decrease: %v, %d decreases; want 3/2, %d", units(settled), aws.ToInt64(settled.NumberOfDecreasesToday), decreases+1)
	}
}

func TestTableUpdateMissingTable(t *testing.T) {
	t.Parallel()
	name := uniqueName("missing")
	_, err := updateTable(t, &dynamodb.UpdateTableInput{
		TableName:             aws.String(name),
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)},
	})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: "+name+" not found")
}

func TestTableUpdateNothing(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	_, err := updateTable(t, &dynamodb.UpdateTableInput{TableName: aws.String(name)})
	// dynalite's capture lists the options of its time; newer services list
	// more, so only the stable start is asserted.
	wantAPIErrorContains(t, err, "ValidationException", "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates")
}

func gsiCreate(name, key string) types.GlobalSecondaryIndexUpdate {
	return types.GlobalSecondaryIndexUpdate{Create: &types.CreateGlobalSecondaryIndexAction{
		IndexName: aws.String(name), KeySchema: hashKey(key), Projection: projectAll(),
	}}
}

func findGSI(d *types.TableDescription, name string) *types.GlobalSecondaryIndexDescription {
	for i := range d.GlobalSecondaryIndexes {
		if aws.ToString(d.GlobalSecondaryIndexes[i].IndexName) == name {
			return &d.GlobalSecondaryIndexes[i]
		}
	}
	return nil
}

func TestTableUpdateGSICreateAndDelete(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	d, err := updateTable(t, &dynamodb.UpdateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("pk", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS),
		},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{gsiCreate("byG", "g")},
	})
	if err != nil {
		t.Fatalf("UpdateTable create GSI: %v", err)
	}
	if g := findGSI(d, "byG"); g == nil || g.IndexStatus != types.IndexStatusCreating {
		t.Errorf("UpdateTable response GSI = %+v, want IndexStatus CREATING", g)
	}
	d = waitTableSettled(t, name)
	g := findGSI(d, "byG")
	if g == nil {
		t.Fatalf("GSI byG missing after creation: %+v", d.GlobalSecondaryIndexes)
	}
	if arn := aws.ToString(g.IndexArn); arn != aws.ToString(d.TableArn)+"/index/byG" {
		t.Errorf("IndexArn = %q, want %q", arn, aws.ToString(d.TableArn)+"/index/byG")
	}
	if g.Projection == nil || g.Projection.ProjectionType != types.ProjectionTypeAll {
		t.Errorf("Projection = %+v, want ALL", g.Projection)
	}
	d, err = updateTable(t, &dynamodb.UpdateTableInput{
		TableName: aws.String(name),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{
			Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byG")},
		}},
	})
	if err != nil {
		t.Fatalf("UpdateTable delete GSI: %v", err)
	}
	if g := findGSI(d, "byG"); g != nil && g.IndexStatus != types.IndexStatusDeleting {
		t.Errorf("UpdateTable response GSI status = %s, want DELETING", g.IndexStatus)
	}
	deadline := time.Now().Add(60 * time.Second)
	for findGSI(waitTableSettled(t, name), "byG") != nil {
		if time.Now().After(deadline) {
			t.Fatalf("GSI byG still present after deletion")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestTableUpdateGSIOneAtATime(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	_, err := updateTable(t, &dynamodb.UpdateTableInput{
		TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{
			attrDef("pk", types.ScalarAttributeTypeS), attrDef("g", types.ScalarAttributeTypeS), attrDef("h", types.ScalarAttributeTypeS),
		},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{gsiCreate("byG", "g"), gsiCreate("byH", "h")},
	})
	wantAPIError(t, err, "LimitExceededException",
		"Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
}

var streamARNPattern = regexp.MustCompile(`^arn:aws:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[^/]+/stream/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$`)

func streamTable(t testing.TB, view types.StreamViewType) (string, *types.TableDescription) {
	t.Helper()
	name := uniqueName("st")
	out, err := ddb(t).CreateTable(ctx(t), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)},
		KeySchema:            hashKey("pk"),
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view},
	})
	if err != nil {
		t.Fatalf("CreateTable with stream: %v", err)
	}
	t.Cleanup(func() { _, _ = ddb(t).DeleteTable(ctx(t), &dynamodb.DeleteTableInput{TableName: aws.String(name)}) })
	waitTableSettled(t, name)
	return name, out.TableDescription
}

func streamSummary(d *types.TableDescription) string {
	spec := "<nil>"
	if s := d.StreamSpecification; s != nil {
		spec = fmt.Sprintf("{%v %s}", aws.ToBool(s.StreamEnabled), s.StreamViewType)
	}
	return fmt.Sprintf("spec=%s arn=%s label=%s", spec, aws.ToString(d.LatestStreamArn), aws.ToString(d.LatestStreamLabel))
}

func TestTableStreamSpecificationReported(t *testing.T) {
	t.Parallel()
	name, created := streamTable(t, types.StreamViewTypeNewAndOldImages)
	arn := aws.ToString(created.LatestStreamArn)
	if !streamARNPattern.MatchString(arn) || !strings.Contains(arn, ":table/"+name+"/stream/") {
		t.Errorf("LatestStreamArn = %q, want arn:aws:dynamodb:<region>:<account>:table/%s/stream/<label>", arn, name)
	}
	if label := aws.ToString(created.LatestStreamLabel); !strings.HasSuffix(arn, "/stream/"+label) {
		t.Errorf("LatestStreamLabel = %q does not end the ARN %q", label, arn)
	}
	if s := created.StreamSpecification; s == nil || !aws.ToBool(s.StreamEnabled) || s.StreamViewType != types.StreamViewTypeNewAndOldImages {
		t.Errorf("CreateTable StreamSpecification = %+v", s)
	}
	described, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	if got, want := streamSummary(described.Table), streamSummary(created); got != want {
		t.Errorf("DescribeTable %s, CreateTable %s", got, want)
	}
	// Tag changes do not change the stream (scylladb test_stream_arn_unchanging).
	if _, err := ddb(t).TagResource(ctx(t), &dynamodb.TagResourceInput{
		ResourceArn: described.Table.TableArn, Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}},
	}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	again, err := ddb(t).DescribeTable(ctx(t), &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		t.Fatalf("DescribeTable: %v", err)
	}
	if aws.ToString(again.Table.LatestStreamArn) != arn {
		t.Errorf("LatestStreamArn changed after TagResource: %q -> %q", arn, aws.ToString(again.Table.LatestStreamArn))
	}
}

func streamUpdate(t testing.TB, name string, enabled bool, view types.StreamViewType) (*types.TableDescription, error) {
	t.Helper()
	return updateTable(t, &dynamodb.UpdateTableInput{
		TableName:           aws.String(name),
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(enabled), StreamViewType: view},
	})
}

func TestTableStreamUpdateRules(t *testing.T) {
	t.Parallel()
	name, created := streamTable(t, types.StreamViewTypeKeysOnly)
	_, err := streamUpdate(t, name, true, types.StreamViewTypeKeysOnly)
	wantAPIErrorMatching(t, err, "ValidationException", `already.*enabled`)
	_, err = streamUpdate(t, name, true, types.StreamViewTypeNewImage)
	wantAPIErrorMatching(t, err, "ValidationException", `already`)
	_, err = streamUpdate(t, name, true, "BOGUS")
	wantAPIError(t, err, "ValidationException", "")

	if _, err := streamUpdate(t, name, false, ""); err != nil {
		t.Fatalf("disable stream: %v", err)
	}
	d := waitTableSettled(t, name)
	if s := d.StreamSpecification; s != nil && aws.ToBool(s.StreamEnabled) {
		t.Errorf("after disabling, StreamSpecification = %+v", s)
	}
	if got := aws.ToString(d.LatestStreamArn); got != aws.ToString(created.LatestStreamArn) {
		t.Errorf("after disabling, LatestStreamArn = %q, want the old %q", got, aws.ToString(created.LatestStreamArn))
	}
	_, err = streamUpdate(t, name, false, "")
	wantAPIErrorMatching(t, err, "ValidationException", `(?i)stream.*disable`)

	// Stream labels have millisecond resolution; make sure the new one differs.
	time.Sleep(5 * time.Millisecond)
	if _, err := streamUpdate(t, name, true, types.StreamViewTypeNewImage); err != nil {
		t.Fatalf("re-enable stream: %v", err)
	}
	d = waitTableSettled(t, name)
	if aws.ToString(d.LatestStreamArn) == aws.ToString(created.LatestStreamArn) || !streamARNPattern.MatchString(aws.ToString(d.LatestStreamArn)) {
		t.Errorf("re-enabled LatestStreamArn = %q, want a new stream ARN (old %q)", aws.ToString(d.LatestStreamArn), aws.ToString(created.LatestStreamArn))
	}
	if s := d.StreamSpecification; s == nil || !aws.ToBool(s.StreamEnabled) || s.StreamViewType != types.StreamViewTypeNewImage {
		t.Errorf("re-enabled StreamSpecification = %+v", s)
	}
}

func TestTableStreamDisableWithoutStream(t *testing.T) {
	t.Parallel()
	name := hashTable(t)
	_, err := streamUpdate(t, name, false, "")
	wantAPIErrorMatching(t, err, "ValidationException", `(?i)stream.*disable`)
}

// TestTableEncryptionDescription: a table encrypted with a KMS key (here
// the AWS managed key) is described with an SSEDescription naming the key;
// one with the AWS owned key has none (API reference, SSEDescription;
// developer guide, encryption at rest).
func TestTableEncryptionDescription(t *testing.T) {
	t.Parallel()
	name := createTable(t, &dynamodb.CreateTableInput{
		TableName: aws.String("sse"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{attrDef("pk", types.ScalarAttributeTypeS)}, KeySchema: hashKey("pk"),
		SSESpecification: &types.SSESpecification{Enabled: aws.Bool(true)},
	})
	d := waitTableSettled(t, name).SSEDescription
	if d == nil || d.Status != types.SSEStatusEnabled || d.SSEType != types.SSETypeKms ||
		!strings.HasPrefix(aws.ToString(d.KMSMasterKeyArn), "arn:aws:kms:") || !strings.Contains(aws.ToString(d.KMSMasterKeyArn), ":key/") {
		t.Fatalf("SSEDescription = %+v, want ENABLED KMS with a key ARN", d)
	}
	if d := waitTableSettled(t, hashTable(t)).SSEDescription; d != nil {
		t.Errorf("SSEDescription of a table with the AWS owned key = %+v, want none", d)
	}
	if _, err := updateTable(t, &dynamodb.UpdateTableInput{TableName: aws.String(name),
		SSESpecification: &types.SSESpecification{Enabled: aws.Bool(false)}}); err != nil {
		t.Fatalf("UpdateTable to the AWS owned key: %v", err)
	}
	if d := waitTableSettled(t, name).SSEDescription; d != nil && d.Status == types.SSEStatusEnabled {
		t.Errorf("SSEDescription after the switch = %+v", d)
	}
}
