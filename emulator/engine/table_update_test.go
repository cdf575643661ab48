package engine

import (
	"context"
	"testing"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

const invalid = "One or more parameter values were invalid: "

func provisionedTable(name string) *CreateTableInput {
	in := simpleTable(name)
	in.BillingMode, in.ProvisionedThroughput = nil, pt(5, 5)
	return in
}

func TestUpdateTableRequestRules(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	mustCreate(t, e, simpleTable("upd_rules"))
	name := sp("upd_rules")
	stream := &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("KEYS_ONLY")}
	create := GlobalSecondaryIndexUpdate{Create: &CreateGlobalSecondaryIndexAction{IndexName: sp("gsi"), KeySchema: ks("g"), Projection: projAll()}}
	cases := []struct {
		name string
		in   *UpdateTableInput
		code Code
		msg  string
	}{
		{"nothing", &UpdateTableInput{TableName: name}, Validation, "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, " +
			"GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, " +
			"MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required"},
		{"empty index updates", &UpdateTableInput{TableName: name, GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{}}, Validation,
			"At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, " +
				"ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, " +
				"OnDemandThroughput, WarmThroughput or TableClass is required"},
		{"missing table", &UpdateTableInput{TableName: sp("no_table"), DeletionProtectionEnabled: bp(true)}, ResourceNotFound,
			"Requested resource not found: Table: no_table not found"},
		{"protection and stream", &UpdateTableInput{TableName: name, DeletionProtectionEnabled: bp(true), StreamSpecification: stream}, Validation,
			invalid + "DeletionProtection modification must be the only operation in the request"},
		{"class and billing", &UpdateTableInput{TableName: name, TableClass: sp("STANDARD"), BillingMode: sp(billingPayPerRequest)}, Validation,
			invalid + "TableClass modification must be the only operation in the request"},
		{"index and iops", &UpdateTableInput{TableName: name, ProvisionedThroughput: pt(1, 1), BillingMode: sp(billingProvisioned),
			GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{create}}, Validation, invalid + "You cannot create or delete index while updating table IOPS"},
		{"index and stream", &UpdateTableInput{TableName: name, StreamSpecification: stream,
			GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{create}}, Validation, invalid + "You cannot create or delete index while changing stream status"},
		{"stream and iops", &UpdateTableInput{TableName: name, StreamSpecification: stream, ProvisionedThroughput: pt(1, 1)}, Validation,
			invalid + "You cannot modify stream status while updating table IOPS"},
		{"empty index update", &UpdateTableInput{TableName: name, GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{}}}, Validation,
			invalid + "One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null"},
		{"two actions", &UpdateTableInput{TableName: name, GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{
			Create: create.Create, Delete: &DeleteGlobalSecondaryIndexAction{IndexName: sp("other")}}}}, Validation,
			invalid + "Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object"},
		{"same index twice", &UpdateTableInput{TableName: name, GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{create,
			{Delete: &DeleteGlobalSecondaryIndexAction{IndexName: sp("gsi")}}}}, Validation,
			invalid + "Only one global secondary index update per index is allowed simultaneously. Index: gsi"},
		{"two creates", &UpdateTableInput{TableName: name, GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{create,
			{Delete: &DeleteGlobalSecondaryIndexAction{IndexName: sp("other")}}}}, LimitExceeded,
			"Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table"},
		{"enable without view", &UpdateTableInput{TableName: name, StreamSpecification: &StreamSpecification{StreamEnabled: bp(true)}}, Validation,
			invalid + "If stream is being enabled then UpdateViewType is required"},
		{"disable with view", &UpdateTableInput{TableName: name, StreamSpecification: &StreamSpecification{StreamEnabled: bp(false), StreamViewType: sp("KEYS_ONLY")}}, Validation,
			invalid + "If stream is being disabled, then UpdateViewType must not be specified"},
		{"ppr with throughput", &UpdateTableInput{TableName: name, ProvisionedThroughput: pt(1, 1)}, Validation,
			invalid + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"to provisioned without throughput", &UpdateTableInput{TableName: name, BillingMode: sp(billingProvisioned)}, Validation,
			invalid + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"},
		{"zero capacity", &UpdateTableInput{TableName: name, ProvisionedThroughput: pt(0, 1)}, Validation,
			"1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"bad index name", &UpdateTableInput{TableName: name, GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{Delete: &DeleteGlobalSecondaryIndexAction{IndexName: sp("x")}}}}, Validation,
			"1 validation error detected: Value 'x' at 'globalSecondaryIndexUpdates.1.member.delete.indexName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.UpdateTable(context.Background(), c.in)
			wantErr(t, err, c.code, c.msg)
		})
	}
}

func TestUpdateTableThroughput(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, provisionedTable("upd_pt"))
	_, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_pt"), ProvisionedThroughput: pt(5, 5)})
	wantErr(t, err, Validation, "The provisioned throughput for the table will not change. The requested value equals the current value. "+
		"Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. "+
		"Current WriteCapacityUnits provisioned for the table: 5. Requested WriteCapacityUnits: 5. "+
		"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")
	out, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_pt"), ProvisionedThroughput: pt(10, 2)})
	if err != nil {
		t.Fatal(err)
	}
	// The response describes the capacity before the change, with the new
	// increase and decrease times; the decrease counts once it is done.
	p := out.TableDescription.ProvisionedThroughput
	if out.TableDescription.TableStatus != statusUpdating || p.ReadCapacityUnits != 5 || p.WriteCapacityUnits != 5 ||
		p.NumberOfDecreasesToday != 0 || p.LastIncreaseDateTime == nil || p.LastDecreaseDateTime == nil {
		t.Errorf("response = %s %+v", out.TableDescription.TableStatus, p)
	}
	if d := mustDescribe(t, e, "upd_pt"); d.TableStatus != statusActive || d.ProvisionedThroughput.ReadCapacityUnits != 10 ||
		d.ProvisionedThroughput.WriteCapacityUnits != 2 || d.ProvisionedThroughput.NumberOfDecreasesToday != 1 {
		t.Errorf("describe = %s %+v", d.TableStatus, d.ProvisionedThroughput)
	}

	out, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_pt"), BillingMode: sp(billingPayPerRequest)})
	if err != nil {
		t.Fatal(err)
	}
	d := out.TableDescription
	if d.BillingModeSummary == nil || d.BillingModeSummary.BillingMode != billingPayPerRequest ||
		d.BillingModeSummary.LastUpdateToPayPerRequestDateTime == nil || d.ProvisionedThroughput.ReadCapacityUnits != 0 {
		t.Errorf("after switch: %+v %+v", d.BillingModeSummary, d.ProvisionedThroughput)
	}
	out, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_pt"), BillingMode: sp(billingProvisioned), ProvisionedThroughput: pt(3, 4)})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.TableDescription; d.BillingModeSummary.BillingMode != billingProvisioned || d.ProvisionedThroughput.WriteCapacityUnits != 4 {
		t.Errorf("back to provisioned: %+v %+v", d.BillingModeSummary, d.ProvisionedThroughput)
	}
}

func TestUpdateTableProvisionedNeedsIndexThroughput(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	in := simpleTable("ppr_gsi")
	in.AttributeDefinitions = append(in.AttributeDefinitions, ad("g", "S"))
	in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: sp("by_g"), KeySchema: ks("g"), Projection: projAll()}}
	mustCreate(t, e, in)
	_, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("ppr_gsi"), GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{
		{Update: &UpdateGlobalSecondaryIndexAction{IndexName: sp("by_g"), ProvisionedThroughput: pt(1, 1)}}}})
	wantErr(t, err, Validation, invalid+"The only Updates for index: by_g when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput")
	_, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("ppr_gsi"), BillingMode: sp(billingProvisioned), ProvisionedThroughput: pt(1, 1)})
	wantErr(t, err, Validation, invalid+"ProvisionedThroughput must be specified for index: by_g")
	out, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("ppr_gsi"), BillingMode: sp(billingProvisioned), ProvisionedThroughput: pt(1, 1),
		GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{Update: &UpdateGlobalSecondaryIndexAction{IndexName: sp("by_g"), ProvisionedThroughput: pt(2, 2)}}}})
	if err != nil {
		t.Fatal(err)
	}
	g := out.TableDescription.GlobalSecondaryIndexes[0]
	if g.ProvisionedThroughput.ReadCapacityUnits != 2 || g.IndexStatus != statusUpdating || g.WarmThroughput != nil {
		t.Errorf("index = %+v", g)
	}
	_, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("ppr_gsi"), GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{
		{Update: &UpdateGlobalSecondaryIndexAction{IndexName: sp("by_g"), ProvisionedThroughput: pt(2, 2)}}}})
	wantErr(t, err, Validation, "The provisioned throughput for the index by_g will not change. The requested value equals the current value. "+
		"Current ReadCapacityUnits provisioned for the index: 2. Requested ReadCapacityUnits: 2. "+
		"Current WriteCapacityUnits provisioned for the index: 2. Requested WriteCapacityUnits: 2. "+
		"Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")
	// A change of an index's capacity is described as the table's is: the
	// former capacity while the index is UPDATING.
	out, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("ppr_gsi"), GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{
		{Update: &UpdateGlobalSecondaryIndexAction{IndexName: sp("by_g"), ProvisionedThroughput: pt(4, 1)}}}})
	if err != nil {
		t.Fatal(err)
	}
	g = out.TableDescription.GlobalSecondaryIndexes[0]
	if p := g.ProvisionedThroughput; g.IndexStatus != statusUpdating || p.ReadCapacityUnits != 2 || p.WriteCapacityUnits != 2 || p.LastDecreaseDateTime == nil {
		t.Errorf("index change response = %s %+v", g.IndexStatus, p)
	}
	g = mustDescribe(t, e, "ppr_gsi").GlobalSecondaryIndexes[0]
	if p := g.ProvisionedThroughput; g.IndexStatus != statusActive || p.ReadCapacityUnits != 4 || p.WriteCapacityUnits != 1 || p.NumberOfDecreasesToday != 1 {
		t.Errorf("index after the change = %s %+v", g.IndexStatus, p)
	}
}

func TestUpdateTableStream(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("upd_stream"))
	name := sp("upd_stream")
	enable := &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("NEW_IMAGE")}
	disable := &StreamSpecification{StreamEnabled: bp(false)}

	_, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: name, StreamSpecification: disable})
	wantErr(t, err, Validation, "Table has no stream to disable: TableName: upd_stream")
	out, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: name, StreamSpecification: enable})
	if err != nil {
		t.Fatal(err)
	}
	first := out.TableDescription
	if first.LatestStreamLabel != "2026-11-21T09:34:43.123" || first.LatestStreamArn != first.TableArn+"/stream/"+first.LatestStreamLabel {
		t.Fatalf("stream = %s %s", first.LatestStreamLabel, first.LatestStreamArn)
	}
	if d := mustDescribe(t, e, "upd_stream"); d.LatestStreamArn != first.LatestStreamArn || *d.StreamSpecification.StreamViewType != "NEW_IMAGE" {
		t.Fatalf("describe stream = %s", d.LatestStreamArn)
	}
	_, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: name, StreamSpecification: enable})
	wantErr(t, err, Validation, "Table already has an enabled stream: TableName: upd_stream")
	_, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: name, StreamSpecification: &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp("KEYS_ONLY")}})
	wantErr(t, err, Validation, "Table already has an enabled stream: TableName: upd_stream")

	// Tags never change the stream.
	if _, err := e.TagResource(ctx, &TagResourceInput{ResourceArn: sp(first.TableArn), Tags: []Tag{{Key: sp("k"), Value: sp("v")}}}); err != nil {
		t.Fatal(err)
	}
	if d := mustDescribe(t, e, "upd_stream"); d.LatestStreamArn != first.LatestStreamArn {
		t.Fatalf("tagging changed the stream: %s", d.LatestStreamArn)
	}

	out, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: name, StreamSpecification: disable})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.TableDescription; d.StreamSpecification != nil || d.LatestStreamArn != first.LatestStreamArn || d.LatestStreamLabel != first.LatestStreamLabel {
		t.Fatalf("after disable: %+v %s", d.StreamSpecification, d.LatestStreamArn)
	}
	out, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: name, StreamSpecification: enable})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.TableDescription; d.LatestStreamLabel == first.LatestStreamLabel || d.LatestStreamArn != d.TableArn+"/stream/"+d.LatestStreamLabel {
		t.Fatalf("re-enabled stream = %s (first %s)", d.LatestStreamLabel, first.LatestStreamLabel)
	}
}

func TestUpdateTableDeletionProtectionAndClass(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("upd_dp"))
	out, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_dp"), DeletionProtectionEnabled: bp(true)})
	if err != nil {
		t.Fatal(err)
	}
	if !out.TableDescription.DeletionProtectionEnabled || out.TableDescription.TableStatus != statusActive {
		t.Errorf("response = %v %s", out.TableDescription.DeletionProtectionEnabled, out.TableDescription.TableStatus)
	}
	out, err = e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_dp"), TableClass: sp("STANDARD_INFREQUENT_ACCESS")})
	if err != nil {
		t.Fatal(err)
	}
	if d := mustDescribe(t, e, "upd_dp"); !d.DeletionProtectionEnabled || d.TableClassSummary.TableClass != "STANDARD_INFREQUENT_ACCESS" {
		t.Errorf("describe = %v %+v", d.DeletionProtectionEnabled, d.TableClassSummary)
	}
}

func createGSI(name, key string) *UpdateTableInput {
	return &UpdateTableInput{
		TableName:            sp(name),
		AttributeDefinitions: []AttributeDefinition{ad(key, "N")},
		GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{Create: &CreateGlobalSecondaryIndexAction{
			IndexName: sp("by_" + key), KeySchema: ks(key), Projection: projAll()}}},
	}
}

func deleteGSI(name, index string) *UpdateTableInput {
	return &UpdateTableInput{TableName: sp(name), GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{
		{Delete: &DeleteGlobalSecondaryIndexAction{IndexName: sp(index)}}}}
}

func TestUpdateTableIndexInstant(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, simpleTable("gsi_instant"))
	err := e.catalog.Table("gsi_instant").Update(func(tx *store.Tx) error {
		tx.Put(attr.Item{"pk": attr.Str("a"), "n": attr.Num("1")})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.UpdateTable(ctx, createGSI("gsi_instant", "n"))
	if err != nil {
		t.Fatal(err)
	}
	d := out.TableDescription
	if d.TableStatus != statusUpdating || len(d.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("response = %s %+v", d.TableStatus, d.GlobalSecondaryIndexes)
	}
	if g := d.GlobalSecondaryIndexes[0]; g.IndexStatus != statusCreating || g.Backfilling == nil || !*g.Backfilling {
		t.Errorf("new index = %+v", g)
	}
	if len(d.AttributeDefinitions) != 2 {
		t.Errorf("AttributeDefinitions = %d", len(d.AttributeDefinitions))
	}
	d = mustDescribe(t, e, "gsi_instant")
	if g := d.GlobalSecondaryIndexes[0]; d.TableStatus != statusActive || g.IndexStatus != statusActive || g.Backfilling != nil || g.ItemCount != 1 {
		t.Errorf("describe = %s %+v", d.TableStatus, g)
	}
	_, err = e.UpdateTable(ctx, createGSI("gsi_instant", "n"))
	wantErr(t, err, Validation, "Attempting to create an index which already exists")

	out, err = e.UpdateTable(ctx, deleteGSI("gsi_instant", "by_n"))
	if err != nil {
		t.Fatal(err)
	}
	if g := out.TableDescription.GlobalSecondaryIndexes; len(g) != 1 || g[0].IndexStatus != statusDeleting {
		t.Fatalf("delete response = %+v", g)
	}
	d = mustDescribe(t, e, "gsi_instant")
	if len(d.GlobalSecondaryIndexes) != 0 || len(d.AttributeDefinitions) != 1 || d.TableStatus != statusActive {
		t.Fatalf("after delete = %s %+v %d", d.TableStatus, d.GlobalSecondaryIndexes, len(d.AttributeDefinitions))
	}
	_, err = e.UpdateTable(ctx, deleteGSI("gsi_instant", "by_n"))
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Index by_n for table gsi_instant")
	if _, err := e.UpdateTable(ctx, createGSI("gsi_instant", "n")); err != nil { // the name is free again
		t.Fatal(err)
	}
}

func TestUpdateTableIndexTransition(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t, func(o *Options) { o.IndexTransition = 5 * time.Minute })
	ctx := context.Background()
	mustCreate(t, e, simpleTable("gsi_slow"))
	if _, err := e.UpdateTable(ctx, createGSI("gsi_slow", "a")); err != nil {
		t.Fatal(err)
	}
	d := mustDescribe(t, e, "gsi_slow")
	if d.TableStatus != statusUpdating || d.GlobalSecondaryIndexes[0].IndexStatus != statusCreating {
		t.Fatalf("during creation = %s %s", d.TableStatus, d.GlobalSecondaryIndexes[0].IndexStatus)
	}
	_, err := e.UpdateTable(ctx, createGSI("gsi_slow", "b"))
	wantErr(t, err, LimitExceeded, "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
	_, err = e.DeleteTable(ctx, &DeleteTableInput{TableName: sp("gsi_slow")})
	wantErr(t, err, ResourceInUse, "Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.")

	e.clock.Advance(5 * time.Minute)
	d = mustDescribe(t, e, "gsi_slow")
	if d.TableStatus != statusActive || d.GlobalSecondaryIndexes[0].IndexStatus != statusActive {
		t.Fatalf("after transition = %s %s", d.TableStatus, d.GlobalSecondaryIndexes[0].IndexStatus)
	}
	if _, err := e.UpdateTable(ctx, deleteGSI("gsi_slow", "by_a")); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if d := mustDescribe(t, e, "gsi_slow"); len(d.GlobalSecondaryIndexes) != 1 || d.GlobalSecondaryIndexes[0].IndexStatus != statusDeleting {
		t.Fatalf("while deleting = %+v", d.GlobalSecondaryIndexes)
	}
	e.clock.Advance(4 * time.Minute)
	if d := mustDescribe(t, e, "gsi_slow"); len(d.GlobalSecondaryIndexes) != 0 || d.TableStatus != statusActive {
		t.Fatalf("after deletion = %s %+v", d.TableStatus, d.GlobalSecondaryIndexes)
	}
}

func TestUpdateTableIndexErrors(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	in := simpleTable("gsi_errors")
	in.AttributeDefinitions = append(in.AttributeDefinitions, ad("sk", "S"), ad("l", "S"))
	in.KeySchema = ks("pk", "sk")
	in.LocalSecondaryIndexes = []LocalSecondaryIndex{{IndexName: sp("by_l"), KeySchema: ks("pk", "l"), Projection: projAll()}}
	mustCreate(t, e, in)
	_, err := e.UpdateTable(ctx, deleteGSI("gsi_errors", "by_l"))
	wantErr(t, err, Validation, "Cannot delete an index that is not a GlobalSecondaryIndex: by_l")
	_, err = e.UpdateTable(ctx, deleteGSI("gsi_errors", "ghost"))
	wantErr(t, err, ResourceNotFound, "Requested resource not found: Index ghost for table gsi_errors")
	noDefs := createGSI("gsi_errors", "g")
	noDefs.AttributeDefinitions = nil
	_, err = e.UpdateTable(ctx, noDefs)
	wantErr(t, err, Validation, invalid+"AttributeDefinitions is not specified for index: by_g")
	wrongDefs := createGSI("gsi_errors", "g")
	wrongDefs.AttributeDefinitions = []AttributeDefinition{ad("other", "S")}
	_, err = e.UpdateTable(ctx, wrongDefs)
	wantErr(t, err, Validation, invalid+"Some index key attributes are not defined in AttributeDefinitions. Keys: [g], AttributeDefinitions: [other]")
	withPT := createGSI("gsi_errors", "g")
	withPT.GlobalSecondaryIndexUpdates[0].Create.ProvisionedThroughput = pt(1, 1)
	_, err = e.UpdateTable(ctx, withPT)
	wantErr(t, err, Validation, invalid+"Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: by_g when BillingMode is PAY_PER_REQUEST")
	lsiName := createGSI("gsi_errors", "l")
	lsiName.GlobalSecondaryIndexUpdates[0].Create.IndexName = sp("by_l")
	_, err = e.UpdateTable(ctx, lsiName)
	wantErr(t, err, Validation, "Attempting to create an index which already exists")

	mustCreate(t, e, provisionedTable("gsi_errors_pt"))
	_, err = e.UpdateTable(ctx, createGSI("gsi_errors_pt", "g"))
	wantErr(t, err, Validation, invalid+"ProvisionedThroughput must be specified for index: by_g")
}

// TestDecreasesTodayStartsAgainAtMidnight: NumberOfDecreasesToday counts
// the decreases of the current UTC day, in every description, and starts
// at 0 on the next day without another update.
func TestDecreasesTodayStartsAgainAtMidnight(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	ctx := context.Background()
	mustCreate(t, e, provisionedTable("upd_dec"))
	for _, w := range []int64{4, 3} {
		if _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_dec"), ProvisionedThroughput: pt(5, w)}); err != nil {
			t.Fatal(err)
		}
	}
	if n := mustDescribe(t, e, "upd_dec").ProvisionedThroughput.NumberOfDecreasesToday; n != 2 {
		t.Fatalf("decreases today = %d, want 2", n)
	}
	now := e.clock.Now().UTC()
	e.clock.Advance(time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 1, 0, time.UTC).Sub(now))
	if n := mustDescribe(t, e, "upd_dec").ProvisionedThroughput.NumberOfDecreasesToday; n != 0 {
		t.Fatalf("decreases the next day = %d, want 0", n)
	}
	if _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_dec"), ProvisionedThroughput: pt(5, 2)}); err != nil {
		t.Fatal(err)
	}
	if n := mustDescribe(t, e, "upd_dec").ProvisionedThroughput.NumberOfDecreasesToday; n != 1 {
		t.Fatalf("decreases after one the next day = %d, want 1", n)
	}
}

// TestThroughputChangeAppliesWhenTheUpdateIsDone: with an update duration,
// the table is described with its former capacity while UPDATING and with
// the new one after; the next UpdateTable describes the new one as former.
func TestThroughputChangeAppliesWhenTheUpdateIsDone(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t)
	if err := e.SetLifecycle(Lifecycle{Update: time.Minute}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	mustCreate(t, e, provisionedTable("upd_slow"))
	if _, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_slow"), ProvisionedThroughput: pt(8, 9)}); err != nil {
		t.Fatal(err)
	}
	d := mustDescribe(t, e, "upd_slow")
	if p := d.ProvisionedThroughput; d.TableStatus != statusUpdating || p.ReadCapacityUnits != 5 || p.WriteCapacityUnits != 5 {
		t.Errorf("while updating: %s %+v", d.TableStatus, p)
	}
	e.clock.Advance(time.Minute)
	d = mustDescribe(t, e, "upd_slow")
	if p := d.ProvisionedThroughput; d.TableStatus != statusActive || p.ReadCapacityUnits != 8 || p.WriteCapacityUnits != 9 {
		t.Errorf("after: %s %+v", d.TableStatus, p)
	}
	out, err := e.UpdateTable(ctx, &UpdateTableInput{TableName: sp("upd_slow"), ProvisionedThroughput: pt(8, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if p := out.TableDescription.ProvisionedThroughput; p.ReadCapacityUnits != 8 || p.WriteCapacityUnits != 9 || p.NumberOfDecreasesToday != 0 {
		t.Errorf("second response: %+v", p)
	}
	e.clock.Advance(time.Minute)
	if p := mustDescribe(t, e, "upd_slow").ProvisionedThroughput; p.WriteCapacityUnits != 1 || p.NumberOfDecreasesToday != 1 {
		t.Errorf("after the decrease: %+v", p)
	}
}
