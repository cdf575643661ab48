package engine

import (
	"context"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// Warm throughput DynamoDB reports for on-demand tables and their GSIs.
const (
	warmReadUnits  = 12000
	warmWriteUnits = 4000
)

// DescribeTable returns the description of a table.
func (e *Engine) DescribeTable(ctx context.Context, in *DescribeTableInput) (*DescribeTableOutput, error) {
	if err := checkTableNameFirst(in.TableName, true); err != nil {
		return nil, err
	}
	var v violations
	v.checkTableName(in.TableName, "tableName")
	if err := v.err(); err != nil {
		return nil, err
	}
	if d, ok := e.deleting.get(tableNameOf(*in.TableName), e.clock.Now()); ok && e.catalog.Table(tableNameOf(*in.TableName)) == nil {
		return &DescribeTableOutput{Table: d}, nil
	}
	t, err := e.lookupNamed(*in.TableName)
	if err != nil {
		return nil, err
	}
	var desc *TableDescription
	err = t.View(func(tx *store.Tx) error {
		desc = e.describe(tx, describeOpts{})
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errTableNotFoundNamed(t.Name()))
	}
	return &DescribeTableOutput{Table: desc}, nil
}

// ListTables lists table names in byte order, paged.
func (e *Engine) ListTables(ctx context.Context, in *ListTablesInput) (*ListTablesOutput, error) {
	var v violations
	if in.ExclusiveStartTableName != nil {
		v.checkName(in.ExclusiveStartTableName, "exclusiveStartTableName")
	}
	if in.Limit != nil {
		v.checkMin(in.Limit, "limit", 1)
		v.checkMax(in.Limit, "limit", 100)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	limit := 100
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	names := e.catalog.Names()
	if gone := e.deleting.names(e.clock.Now()); len(gone) > 0 {
		names = slices.Compact(slices.Sorted(slices.Values(append(names, gone...))))
	}
	if in.ExclusiveStartTableName != nil {
		start := *in.ExclusiveStartTableName
		i := sort.Search(len(names), func(i int) bool { return names[i] > start })
		names = names[i:]
	}
	out := &ListTablesOutput{TableNames: []string{}}
	if len(names) > limit {
		names = names[:limit]
		out.LastEvaluatedTableName = sp(names[limit-1])
	}
	out.TableNames = append(out.TableNames, names...)
	return out, nil
}

// describeOpts adjusts a description for the response of the operation
// that made a change.
type describeOpts struct {
	tableStatus string            // overrides the table status when not ""
	indexStatus map[string]string // overrides GSI statuses (transient states)
}

// describe builds the TableDescription of the table tx works on.
func (e *Engine) describe(tx *store.Tx, o describeOpts) *TableDescription {
	m := e.tableMetaOf(tx)
	def := tx.Def()
	now := e.clock.Now()
	d := &TableDescription{
		TableName:                 def.Name,
		KeySchema:                 keySchemaOut(def.Key),
		TableStatus:               statusActive,
		CreationDateTime:          epochPtr(m.Created),
		ProvisionedThroughput:     throughputOut(m.Throughput, now),
		TableSizeBytes:            tx.SizeBytes(),
		ItemCount:                 tx.ItemCount(),
		TableArn:                  m.ARN,
		TableID:                   m.ID,
		DeletionProtectionEnabled: m.DeletionProtection,
	}
	d.AttributeDefinitions = attrDefsOf(def)
	if m.BillingSet || m.Billing == billingPayPerRequest {
		d.BillingModeSummary = &BillingModeSummary{BillingMode: m.Billing}
		if m.Billing == billingPayPerRequest {
			d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = epochPtr(m.LastToPPR)
			d.OnDemandThroughput = m.OnDemand.out()
		}
	}
	d.WarmThroughput = m.Warm.out(m.Billing == billingPayPerRequest)
	if m.TableClass != "" {
		d.TableClassSummary = &TableClassSummary{TableClass: m.TableClass}
	}
	d.SSEDescription = sseOut(m.KMSKey)
	if m.Stream.Label != "" {
		d.LatestStreamLabel, d.LatestStreamArn = m.Stream.Label, m.Stream.ARN
		if m.Stream.Enabled {
			d.StreamSpecification = &StreamSpecification{StreamEnabled: bp(true), StreamViewType: sp(m.Stream.ViewType)}
		}
	}
	e.describeIndexes(tx, m, def, d, o, now)
	if o.tableStatus != "" {
		d.TableStatus = o.tableStatus
	} else if st := m.tableStatus(now, e.Lifecycle()); st != statusActive {
		d.TableStatus = st
	} else if m.pendingGSI(now, e.indexTransition()) != "" {
		d.TableStatus = statusUpdating
	}
	if d.TableStatus == statusUpdating {
		d.ProvisionedThroughput = throughputOut(m.Throughput.inProgress(), now)
	}
	return d
}

// describeIndexes adds the LSI and GSI descriptions to d.
func (e *Engine) describeIndexes(tx *store.Tx, m *tableMeta, def store.TableDef, d *TableDescription, o describeOpts, now time.Time) {
	for _, x := range def.Indexes {
		if !x.Local {
			continue
		}
		count, size := tx.IndexStats(x.Name)
		d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, LocalSecondaryIndexDescription{
			IndexName: x.Name, KeySchema: keySchemaOut(x.Key), Projection: projectionOut(x.Projection),
			IndexSizeBytes: size, ItemCount: count, IndexArn: m.ARN + "/index/" + x.Name,
		})
	}
	for i := range m.GSIs {
		g := &m.GSIs[i]
		status := g.indexStatus(now, e.indexTransition())
		if s, ok := o.indexStatus[g.Name]; ok {
			status = s
		}
		x := findIndex(def, g.Name)
		if status == statusActive && g.Status == statusDeleting || x == nil && g.Removed == nil {
			continue
		}
		if x == nil {
			x = g.Removed
		}
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, e.gsiOut(tx, m, *x, g, status))
	}
}

// gsiOut describes one GSI.
func (e *Engine) gsiOut(tx *store.Tx, m *tableMeta, x store.IndexDef, g *gsiMeta, status string) GlobalSecondaryIndexDescription {
	var count, size int64
	if g.Removed == nil && status != statusCreating {
		count, size = tx.IndexStats(x.Name)
	}
	out := GlobalSecondaryIndexDescription{
		IndexName: x.Name, KeySchema: keySchemaOut(x.Key), Projection: projectionOut(x.Projection),
		IndexStatus: status, ProvisionedThroughput: throughputOut(g.Throughput, e.clock.Now()),
		IndexSizeBytes: size, ItemCount: count, IndexArn: m.ARN + "/index/" + x.Name,
	}
	if status == statusUpdating {
		out.ProvisionedThroughput = throughputOut(g.Throughput.inProgress(), e.clock.Now())
	}
	if status == statusCreating && g.Backfill {
		out.Backfilling = bp(true)
	}
	if m.Billing == billingPayPerRequest {
		out.OnDemandThroughput = g.OnDemand.out()
	}
	out.WarmThroughput = g.Warm.out(m.Billing == billingPayPerRequest)
	return out
}

// attrDefsOf returns the AttributeDefinitions of def: every attribute of
// the table's and its indexes' key schemas, sorted by name.
func attrDefsOf(def store.TableDef) []AttributeDefinition {
	types := map[string]string{}
	add := func(k store.KeySchema) {
		for _, a := range indexKeyAttrs(k) {
			types[a.name] = a.typ.String()
		}
	}
	add(def.Key)
	for _, x := range def.Indexes {
		add(x.Key)
	}
	out := make([]AttributeDefinition, 0, len(types))
	for _, n := range slices.Sorted(maps.Keys(types)) {
		out = append(out, AttributeDefinition{AttributeName: sp(n), AttributeType: sp(types[n])})
	}
	return out
}

// findIndex returns the named index of def, or nil.
func findIndex(def store.TableDef, name string) *store.IndexDef {
	for i := range def.Indexes {
		if def.Indexes[i].Name == name {
			return &def.Indexes[i]
		}
	}
	return nil
}

// keySchemaOut renders a key schema.
func keySchemaOut(k store.KeySchema) []KeySchemaElement {
	var out []KeySchemaElement
	for _, a := range indexKeyAttrs(k) {
		typ := "RANGE"
		if a.isHash {
			typ = "HASH"
		}
		out = append(out, KeySchemaElement{AttributeName: sp(a.name), KeyType: sp(typ)})
	}
	return out
}

// projectionOut renders a projection; NonKeyAttributes come back sorted.
func projectionOut(p store.Projection) *Projection {
	out := &Projection{ProjectionType: sp(p.Type)}
	if len(p.NonKey) > 0 {
		out.NonKeyAttributes = slices.Sorted(slices.Values(p.NonKey))
	}
	return out
}

// throughputOut renders a provisioned throughput as of now.
func throughputOut(t throughput, now time.Time) *ProvisionedThroughputDescription {
	return &ProvisionedThroughputDescription{
		LastIncreaseDateTime:   epochPtr(t.LastIncrease),
		LastDecreaseDateTime:   epochPtr(t.LastDecrease),
		NumberOfDecreasesToday: t.decreasesOn(now),
		ReadCapacityUnits:      t.Read,
		WriteCapacityUnits:     t.Write,
	}
}
