package engine

import (
	"context"
	"strconv"
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// UpdateTable changes a table's billing, throughput, GSIs, stream, deletion
// protection or class. The response reports the table UPDATING (and a new
// or removed GSI CREATING or DELETING); see Options.IndexTransition.
func (e *Engine) UpdateTable(ctx context.Context, in *UpdateTableInput) (*UpdateTableOutput, error) {
	if err := checkUpdateConstraints(in); err != nil {
		return nil, err
	}
	if err := checkUpdateShape(in); err != nil {
		return nil, err
	}
	t, err := e.lookupNamed(*in.TableName)
	if err != nil {
		return nil, err
	}
	var desc *TableDescription
	err = t.Update(func(tx *store.Tx) error {
		u := &tableUpdate{e: e, tx: tx, in: in, now: e.clock.Now(), m: e.tableMetaOf(tx).clone()}
		if err := u.m.errInUse(t.Name(), u.now, e.Lifecycle()); err != nil {
			return err
		}
		u.m.settleGSIs(u.now, e.indexTransition())
		u.m.Throughput.Changing = false
		for i := range u.m.GSIs {
			u.m.GSIs[i].Throughput.Changing = false
		}
		if err := u.apply(); err != nil {
			return err
		}
		if u.opts.tableStatus == statusUpdating {
			u.m.Updated = u.now
		}
		tx.SetMeta(u.m)
		e.streams.sync(tx.Def(), u.m)
		e.limiter.Reconfigure(t.Name(), u.m, tx.SizeBytes())
		desc = e.describe(tx, u.opts)
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errTableNotFoundNamed(t.Name()))
	}
	return &UpdateTableOutput{TableDescription: desc}, nil
}

// checkUpdateConstraints applies the parameter constraints of UpdateTable.
func checkUpdateConstraints(in *UpdateTableInput) error {
	if err := checkTableNameFirst(in.TableName, true); err != nil {
		return err
	}
	var v violations
	for i, d := range in.AttributeDefinitions {
		p := "attributeDefinitions." + strconv.Itoa(i+1) + ".member"
		v.checkNotNull(d.AttributeName != nil, p+".attributeName")
		v.checkLen(d.AttributeName, p+".attributeName", 1, 255)
		v.checkNotNull(d.AttributeType != nil, p+".attributeType")
		v.checkEnum(d.AttributeType, p+".attributeType", "B", "N", "S")
	}
	v.checkTableName(in.TableName, "tableName")
	v.checkEnum(in.BillingMode, "billingMode", billingProvisioned, billingPayPerRequest)
	v.checkThroughput(in.ProvisionedThroughput, "provisionedThroughput")
	for i, x := range in.GlobalSecondaryIndexUpdates {
		p := "globalSecondaryIndexUpdates." + strconv.Itoa(i+1) + ".member"
		if c := x.Create; c != nil {
			v.checkIndexName(c.IndexName, p+".create.indexName")
			v.checkGSIKeySchema(c.KeySchema, c.KeySchema != nil, p+".create.keySchema")
			v.checkProjection(c.Projection, p+".create.projection")
			v.checkThroughput(c.ProvisionedThroughput, p+".create.provisionedThroughput")
		}
		if x.Update != nil {
			v.checkIndexName(x.Update.IndexName, p+".update.indexName")
			v.checkThroughput(x.Update.ProvisionedThroughput, p+".update.provisionedThroughput")
		}
		if x.Delete != nil {
			v.checkIndexName(x.Delete.IndexName, p+".delete.indexName")
		}
	}
	v.checkStreamSpec(in.StreamSpecification, "streamSpecification")
	v.checkSSE(in.SSESpecification, "sSESpecification")
	return v.err()
}

// checkUpdateShape applies the request-level rules of UpdateTable that do
// not depend on the table.
func checkUpdateShape(in *UpdateTableInput) error {
	indexOps := len(in.GlobalSecondaryIndexUpdates) > 0
	if in.BillingMode == nil && in.ProvisionedThroughput == nil && !indexOps && in.StreamSpecification == nil &&
		in.SSESpecification == nil && in.TableClass == nil && in.DeletionProtectionEnabled == nil && in.OnDemandThroughput == nil &&
		in.WarmThroughput == nil {
		return validationErr("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, " +
			"SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, " +
			"DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required")
	}
	onlyErr := func(what string) error {
		return invalidParam(what + " must be the only operation in the request")
	}
	others := func(n int) bool { return n > 1 }
	n := countSet(in.BillingMode != nil, in.ProvisionedThroughput != nil, indexOps, in.StreamSpecification != nil,
		in.SSESpecification != nil, in.TableClass != nil, in.DeletionProtectionEnabled != nil, in.OnDemandThroughput != nil,
		in.WarmThroughput != nil)
	switch {
	case in.SSESpecification != nil && others(n):
		return onlyErr("Server-Side Encryption modification")
	case in.TableClass != nil && others(n):
		return onlyErr("TableClass modification")
	case in.DeletionProtectionEnabled != nil && others(n):
		return onlyErr("DeletionProtection modification")
	}
	creates, err := checkIndexUpdateList(in.GlobalSecondaryIndexUpdates)
	if err != nil {
		return err
	}
	switch {
	case creates > 0 && in.ProvisionedThroughput != nil:
		return invalidParam("You cannot create or delete index while updating table IOPS")
	case creates > 0 && in.StreamSpecification != nil:
		return invalidParam("You cannot create or delete index while changing stream status")
	case in.StreamSpecification != nil && in.ProvisionedThroughput != nil:
		return invalidParam("You cannot modify stream status while updating table IOPS")
	}
	if err := checkUpdateStreamSpec(in.StreamSpecification); err != nil {
		return err
	}
	if err := checkUpdateOnDemand(in); err != nil {
		return err
	}
	if in.ProvisionedThroughput != nil {
		if in.BillingMode != nil && *in.BillingMode == billingPayPerRequest {
			return invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		if err := checkCapacityBounds(in.ProvisionedThroughput); err != nil {
			return err
		}
	}
	return checkTableClass(in.TableClass)
}

// countSet counts the true values.
func countSet(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// checkIndexUpdateList checks the GlobalSecondaryIndexUpdates entries and
// returns how many create or delete an index.
func checkIndexUpdateList(list []GlobalSecondaryIndexUpdate) (int, error) {
	seen := map[string]bool{}
	creates := 0
	for _, x := range list {
		switch countSet(x.Create != nil, x.Update != nil, x.Delete != nil) {
		case 0:
			return 0, invalidParam("One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null")
		case 1:
		default:
			return 0, invalidParam("Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object")
		}
		name := indexUpdateName(x)
		if seen[name] {
			return 0, invalidParam("Only one global secondary index update per index is allowed simultaneously. Index: " + name)
		}
		seen[name] = true
		if x.Create != nil || x.Delete != nil {
			creates++
		}
	}
	if creates > 1 {
		return 0, errOneOnlineIndex()
	}
	return creates, nil
}

// indexUpdateName is the index an update names.
func indexUpdateName(x GlobalSecondaryIndexUpdate) string {
	switch {
	case x.Create != nil:
		return *x.Create.IndexName
	case x.Update != nil:
		return *x.Update.IndexName
	}
	return *x.Delete.IndexName
}

// errOneOnlineIndex is the LimitExceededException for concurrent index builds.
func errOneOnlineIndex() *Error {
	return NewError(LimitExceeded, "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table")
}

// checkUpdateStreamSpec applies the StreamViewType rules of UpdateTable.
func checkUpdateStreamSpec(s *StreamSpecification) error {
	switch {
	case s == nil:
	case *s.StreamEnabled && s.StreamViewType == nil:
		return invalidParam("If stream is being enabled then UpdateViewType is required")
	case !*s.StreamEnabled && s.StreamViewType != nil:
		return invalidParam("If stream is being disabled, then UpdateViewType must not be specified")
	}
	return nil
}

// tableUpdate is one UpdateTable being applied inside Table.Update.
type tableUpdate struct {
	e    *Engine
	tx   *store.Tx
	in   *UpdateTableInput
	now  time.Time
	m    *tableMeta // the copy being changed
	opts describeOpts
	// switched is set when the request moves the table from on-demand to
	// PROVISIONED (GSI throughputs are then set, not changed).
	switched bool
}

// apply checks the request against the table and changes u.m and the store.
func (u *tableUpdate) apply() error {
	dpOnly := u.in.DeletionProtectionEnabled != nil
	if !dpOnly {
		u.opts.tableStatus = statusUpdating
	}
	u.opts.indexStatus = map[string]string{}
	steps := []func() error{u.billing, u.indexes, u.stream}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if dp := u.in.DeletionProtectionEnabled; dp != nil {
		u.m.DeletionProtection = *dp
	}
	u.m.OnDemand.set(u.in.OnDemandThroughput)
	u.m.Warm.raise(u.in.WarmThroughput)
	if tc := u.in.TableClass; tc != nil {
		u.m.TableClass = *tc
	}
	if s := u.in.SSESpecification; s != nil {
		u.m.KMSKey = u.e.updatedKMSKey(u.m.KMSKey, s)
	}
	return nil
}

// stream enables or disables the table's stream.
func (u *tableUpdate) stream() error {
	s := u.in.StreamSpecification
	if s == nil {
		return nil
	}
	name := u.tx.Def().Name
	if *s.StreamEnabled {
		if u.m.Stream.Enabled {
			return validationErr("Table already has an enabled stream: TableName: " + name)
		}
		if u.m.Stream.Label != "" {
			u.m.OldStreams = append(u.m.OldStreams, u.m.Stream)
		}
		u.m.Stream = u.e.newStream(u.m.ARN, *s.StreamViewType, u.now, u.m.Stream.Label)
		return nil
	}
	if !u.m.Stream.Enabled {
		return validationErr("Table has no stream to disable: TableName: " + name)
	}
	u.m.Stream.Enabled, u.m.Stream.Disabled = false, u.now
	return nil
}
