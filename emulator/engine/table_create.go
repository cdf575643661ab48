package engine

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Per-table index limits (default quotas).
const (
	maxLSIs             = 5
	maxGSIs             = 20
	maxProjectedNonKeys = 100
	maxCapacityUnits    = 1_000_000_000_000
)

// CreateTable creates a table. The response reports TableStatus CREATING;
// the table is usable at once and DescribeTable reports it ACTIVE.
func (e *Engine) CreateTable(ctx context.Context, in *CreateTableInput) (*CreateTableOutput, error) {
	if err := checkCreateConstraints(in); err != nil {
		return nil, err
	}
	def, meta, err := e.planCreate(in)
	if err != nil {
		return nil, err
	}
	if _, ok := e.deleting.get(def.Name, e.clock.Now()); ok {
		return nil, NewError(ResourceInUse, "Table already exists: "+def.Name)
	}
	undoStream := e.streams.register(def, meta)
	t, err := e.catalog.Create(def, meta)
	if err != nil {
		undoStream()
		if errors.Is(err, store.ErrTableExists) {
			return nil, NewError(ResourceInUse, "Table already exists: "+def.Name)
		}
		return nil, err
	}
	var desc *TableDescription
	err = t.View(func(tx *store.Tx) error {
		o := describeOpts{tableStatus: statusCreating, indexStatus: map[string]string{}}
		for _, g := range meta.GSIs {
			o.indexStatus[g.Name] = statusCreating
		}
		desc = e.describe(tx, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CreateTableOutput{TableDescription: desc}, nil
}

// checkCreateConstraints applies the parameter constraints of CreateTable.
func checkCreateConstraints(in *CreateTableInput) error {
	if err := checkTableNameFirst(in.TableName, false); err != nil {
		return err
	}
	var v violations
	v.checkNotNull(in.AttributeDefinitions != nil, "attributeDefinitions")
	for i, d := range in.AttributeDefinitions {
		p := "attributeDefinitions." + strconv.Itoa(i+1) + ".member"
		v.checkNotNull(d.AttributeName != nil, p+".attributeName")
		v.checkLen(d.AttributeName, p+".attributeName", 1, 255)
		v.checkNotNull(d.AttributeType != nil, p+".attributeType")
		v.checkEnum(d.AttributeType, p+".attributeType", "B", "N", "S")
	}
	v.checkName(in.TableName, "tableName")
	// DynamoDB lists billing mode and throughput before the key schema
	// (dynalite test/createTable.js).
	v.checkEnum(in.BillingMode, "billingMode", billingProvisioned, billingPayPerRequest)
	v.checkThroughput(in.ProvisionedThroughput, "provisionedThroughput")
	v.checkKeySchema(in.KeySchema, in.KeySchema != nil, "keySchema", true)
	// The global secondary indexes before the local ones, whatever the
	// order of the request (paritysuite tier3 validation-ordering/createTable,
	// AWS October 2026).
	for i, x := range in.GlobalSecondaryIndexes {
		p := "globalSecondaryIndexes." + strconv.Itoa(i+1) + ".member"
		v.checkIndexName(x.IndexName, p+".indexName")
		v.checkGSIKeySchema(x.KeySchema, x.KeySchema != nil, p+".keySchema")
		v.checkProjection(x.Projection, p+".projection")
		v.checkThroughput(x.ProvisionedThroughput, p+".provisionedThroughput")
	}
	for i, x := range in.LocalSecondaryIndexes {
		p := "localSecondaryIndexes." + strconv.Itoa(i+1) + ".member"
		v.checkIndexName(x.IndexName, p+".indexName")
		v.checkKeySchema(x.KeySchema, x.KeySchema != nil, p+".keySchema", false)
		v.checkProjection(x.Projection, p+".projection")
	}
	v.checkStreamSpec(in.StreamSpecification, "streamSpecification")
	v.checkSSE(in.SSESpecification, "sSESpecification")
	return v.err()
}

// planCreate applies CreateTable's semantic checks and returns the store
// definition and the metadata of the new table.
func (e *Engine) planCreate(in *CreateTableInput) (store.TableDef, *tableMeta, error) {
	var def store.TableDef
	ppr := in.BillingMode != nil && *in.BillingMode == billingPayPerRequest
	if err := checkCreateBilling(ppr, in.ProvisionedThroughput); err != nil {
		return def, nil, err
	}
	defs, err := attrDefMap(in.AttributeDefinitions)
	if err != nil {
		return def, nil, err
	}
	key, err := checkTableKeySchema(in.KeySchema, in.AttributeDefinitions, defs)
	if err != nil {
		return def, nil, err
	}
	if err := checkUnusedDefs(in); err != nil {
		return def, nil, err
	}
	indexes, err := planIndexes(in, key, defs, ppr)
	if err != nil {
		return def, nil, err
	}
	if err := checkCreateExtras(in); err != nil {
		return def, nil, err
	}
	if err := checkCreateOnDemand(in); err != nil {
		return def, nil, err
	}
	def = store.TableDef{Name: *in.TableName, Key: key, Indexes: indexes}
	return def, e.newMeta(in, ppr), nil
}

// checkCreateBilling applies the billing-mode rules of CreateTable.
func checkCreateBilling(ppr bool, pt *ProvisionedThroughput) error {
	if ppr {
		if pt != nil {
			return invalidParam("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
		return nil
	}
	if pt == nil || pt.ReadCapacityUnits == nil || pt.WriteCapacityUnits == nil {
		return invalidParam("ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
	}
	return checkCapacityBounds(pt)
}

// checkCapacityBounds rejects capacities beyond DynamoDB's absolute bound.
func checkCapacityBounds(pt *ProvisionedThroughput) error {
	if *pt.ReadCapacityUnits > maxCapacityUnits {
		return validationErr("Given value " + strconv.FormatInt(*pt.ReadCapacityUnits, 10) + " for ReadCapacityUnits is out of bounds")
	}
	if *pt.WriteCapacityUnits > maxCapacityUnits {
		return validationErr("Given value " + strconv.FormatInt(*pt.WriteCapacityUnits, 10) + " for WriteCapacityUnits is out of bounds")
	}
	return nil
}

// attrDefMap returns name -> type of the AttributeDefinitions, rejecting duplicates.
func attrDefMap(ads []AttributeDefinition) (map[string]string, error) {
	m := make(map[string]string, len(ads))
	for _, d := range ads {
		if _, dup := m[*d.AttributeName]; dup {
			return nil, validationErr("Attribute Name is duplicated: " + *d.AttributeName)
		}
		m[*d.AttributeName] = *d.AttributeType
	}
	return m, nil
}

// defNames lists the names of the AttributeDefinitions in request order.
func defNames(ads []AttributeDefinition) []string {
	names := make([]string, len(ads))
	for i, d := range ads {
		names[i] = *d.AttributeName
	}
	return names
}

// schemaNames lists the attribute names of a key schema.
func schemaNames(ks []KeySchemaElement) []string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = *k.AttributeName
	}
	return names
}

// checkTableKeySchema validates the table's KeySchema against the definitions.
func checkTableKeySchema(ks []KeySchemaElement, ads []AttributeDefinition, defs map[string]string) (store.KeySchema, error) {
	if len(ks) > len(ads) {
		return store.KeySchema{}, validationErr("Invalid KeySchema: Some index key attribute have no definition")
	}
	return checkKeyElements(ks, ads, defs)
}

// checkKeyElements applies the definition, duplicate-name and HASH/RANGE
// order rules to a table or index key schema.
func checkKeyElements(ks []KeySchemaElement, ads []AttributeDefinition, defs map[string]string) (store.KeySchema, error) {
	var key store.KeySchema
	names := schemaNames(ks)
	for _, n := range names {
		if _, ok := defs[n]; !ok {
			return key, invalidParam("Some index key attributes are not defined in AttributeDefinitions. Keys: [" +
				strings.Join(names, ", ") + "], AttributeDefinitions: [" + strings.Join(defNames(ads), ", ") + "]")
		}
	}
	if len(names) == 2 && names[0] == names[1] {
		return key, validationErr("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	}
	if *ks[0].KeyType != "HASH" {
		return key, validationErr("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	if len(ks) == 2 && *ks[1].KeyType != "RANGE" {
		return key, validationErr("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
	}
	key.Hash, key.HashType = names[0], parseKeyType(defs[names[0]])
	if len(names) == 2 {
		key.Range, key.RangeType = names[1], parseKeyType(defs[names[1]])
	}
	return key, nil
}

// parseKeyType maps "S", "N" or "B" to its attr.Type.
func parseKeyType(s string) attr.Type {
	t, _ := attr.ParseType(s)
	return t
}

// checkUnusedDefs rejects AttributeDefinitions no key schema uses.
func checkUnusedDefs(in *CreateTableInput) error {
	used := schemaNames(in.KeySchema)
	for _, x := range in.LocalSecondaryIndexes {
		used = appendNew(used, schemaNames(x.KeySchema)...)
	}
	for _, x := range in.GlobalSecondaryIndexes {
		used = appendNew(used, schemaNames(x.KeySchema)...)
	}
	names := defNames(in.AttributeDefinitions)
	if in.LocalSecondaryIndexes == nil && in.GlobalSecondaryIndexes == nil {
		if len(in.KeySchema) != len(names) {
			return invalidParam("Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions")
		}
		return nil
	}
	for _, n := range names {
		if !slices.Contains(used, n) {
			return invalidParam("Some AttributeDefinitions are not used. AttributeDefinitions: [" +
				strings.Join(names, ", ") + "], keys used: [" + strings.Join(used, ", ") + "]")
		}
	}
	return nil
}

// appendNew appends the names not already in list.
func appendNew(list []string, names ...string) []string {
	for _, n := range names {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// checkCreateExtras validates streams, tags and the table class.
func checkCreateExtras(in *CreateTableInput) error {
	if s := in.StreamSpecification; s != nil {
		if *s.StreamEnabled && s.StreamViewType == nil {
			return invalidParam("Table is being created with a stream enabled, UpdateViewType is required")
		}
		if !*s.StreamEnabled && s.StreamViewType != nil {
			return invalidParam("Table is being created with a stream disabled, UpdateViewType should not be specified")
		}
	}
	if in.Tags != nil {
		if err := checkTags(in.Tags); err != nil {
			return err
		}
	}
	return checkTableClass(in.TableClass)
}

// newMeta builds the metadata of a table being created.
func (e *Engine) newMeta(in *CreateTableInput, ppr bool) *tableMeta {
	now := e.clock.Now()
	m := &tableMeta{
		ARN:        e.tableARN(*in.TableName),
		ID:         newUUID(),
		Created:    now,
		Billing:    billingProvisioned,
		BillingSet: in.BillingMode != nil,
	}
	if ppr {
		m.Billing, m.LastToPPR = billingPayPerRequest, now
	} else {
		m.Throughput = throughput{Read: *in.ProvisionedThroughput.ReadCapacityUnits, Write: *in.ProvisionedThroughput.WriteCapacityUnits}
	}
	for _, g := range in.GlobalSecondaryIndexes {
		gm := gsiMeta{Name: *g.IndexName, Status: statusActive, Since: now}
		gm.OnDemand.set(g.OnDemandThroughput)
		gm.Warm.raise(g.WarmThroughput)
		if pt := g.ProvisionedThroughput; pt != nil && !ppr {
			gm.Throughput = throughput{Read: *pt.ReadCapacityUnits, Write: *pt.WriteCapacityUnits}
		}
		m.GSIs = append(m.GSIs, gm)
	}
	m.OnDemand.set(in.OnDemandThroughput)
	m.Warm.raise(in.WarmThroughput)
	if in.DeletionProtectionEnabled != nil {
		m.DeletionProtection = *in.DeletionProtectionEnabled
	}
	if in.TableClass != nil {
		m.TableClass = *in.TableClass
	}
	m.KMSKey = e.kmsKeyARN(in.SSESpecification)
	if s := in.StreamSpecification; s != nil && *s.StreamEnabled {
		m.Stream = e.newStream(m.ARN, *s.StreamViewType, now, "")
	}
	for _, t := range in.Tags {
		m.Tags = setTag(m.Tags, *t.Key, *t.Value)
	}
	return m
}

// newStream returns an enabled stream created at now. Its label differs
// from prev (the table's previous label) even when the clock has not moved.
func (e *Engine) newStream(tableARN, viewType string, now time.Time, prev string) streamMeta {
	if l := e.streams.latestLabel(tableNameOf(tableARN)); l > prev {
		prev = l // a re-created table's new stream gets a new ARN
	}
	label := streamLabel(now)
	for label <= prev {
		now = now.Add(time.Millisecond)
		label = streamLabel(now)
	}
	return streamMeta{Enabled: true, ViewType: viewType, Label: label, ARN: tableARN + "/stream/" + label, Created: now}
}
