package engine

import (
	"strconv"
	"strings"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Limits and messages shared by BatchGetItem, BatchWriteItem and the
// transactions.
const (
	maxBatchGetKeys     = 100
	maxBatchWrites      = 25
	maxResponseBytes    = 16 << 20
	msgDuplicateKeys    = "Provided list of item keys contains duplicates"
	msgTooManyBatchKeys = "Too many items requested for the BatchGetItem call"
	tableMapKeysRule    = "Map keys must satisfy constraint: [Member must have length less than or equal to 255, " +
		"Member must have length greater than or equal to 3, Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]"
)

// addBare records a violation in the wording DynamoDB uses when it does not
// echo the value ("Value at 'RequestItems' failed to satisfy ...").
func (v *violations) addBare(path, constraint string) {
	v.list = append(v.list, "Value at '"+path+"' failed to satisfy constraint: "+constraint)
}

// validTableKey reports whether a RequestItems map key is a valid table
// name or table ARN.
func validTableKey(name string) bool {
	if strings.HasPrefix(name, "arn:") {
		return len(name) <= 1024
	}
	return len(name) >= 3 && len(name) <= 255 && tableNameRE.MatchString(name)
}

// checkTableMap applies the constraints on a RequestItems map: present, not
// empty, valid table names as keys. echo renders the map for the message.
func (v *violations) checkTableMap(present bool, names []string, echo func() string) {
	switch {
	case !present:
		v.add(null, "requestItems", mustNotBeNull)
		return
	case len(names) == 0:
		v.addBare("RequestItems", minLengthFmt+"1")
		return
	}
	for _, n := range names {
		if !validTableKey(n) {
			v.add(quote(echo()), "requestItems", tableMapKeysRule)
			return
		}
	}
}

// lookupAll returns the tables named by names (names or ARNs), in order, or
// ResourceNotFound for the first missing one.
func (e *Engine) lookupAll(names []string) ([]*store.Table, error) {
	tables := make([]*store.Table, len(names))
	for i, n := range names {
		t, err := e.lookup(n)
		if err != nil {
			return nil, err
		}
		tables[i] = t
	}
	return tables, nil
}

// checkAliasedKeys rejects a key that two RequestItems entries naming one
// table (once by name, once by ARN: tables[i] == tables[j]) both hold:
// they are one table, so the key is a duplicate. keysOf returns the keys
// of entry i. Requests naming each table once cost only pointer compares.
func checkAliasedKeys(tables []*store.Table, keysOf func(i int) []attr.Item) error {
	for i := range tables {
		for j := i + 1; j < len(tables); j++ {
			if tables[i] != tables[j] {
				continue
			}
			seen := make(map[string]bool, len(keysOf(i)))
			for _, k := range keysOf(i) {
				seen[string(attr.AppendItemJSON(nil, k))] = true
			}
			for _, k := range keysOf(j) {
				if seen[string(attr.AppendItemJSON(nil, k))] {
					return validationErr(msgDuplicateKeys)
				}
			}
		}
	}
	return nil
}

// keyString is a canonical encoding of the values of item's table key
// attributes, for duplicate detection. ok is false when one is missing or
// of another type than the schema's.
func keyString(ks store.KeySchema, item attr.Item) (string, bool) {
	var b strings.Builder
	for _, k := range keyAttrs(ks) {
		v, ok := item[k.name]
		if !ok || v.Type != k.typ {
			return "", false
		}
		enc := attr.EncodeKey(v)
		b.WriteString(v.Type.String())
		b.WriteString(strconv.Itoa(len(enc)))
		b.WriteByte(':')
		b.WriteString(enc)
	}
	return b.String(), true
}

// capacityByTable sums the capacity consumed per table.
type capacityByTable map[string]*ConsumedCapacity

// add adds cc (nil: nothing) to the total of its table.
func (m capacityByTable) add(cc *ConsumedCapacity) {
	if cc == nil {
		return
	}
	cur, ok := m[cc.TableName]
	if !ok {
		cur = &ConsumedCapacity{TableName: cc.TableName}
		m[cc.TableName] = cur
	}
	cur.CapacityUnits += cc.CapacityUnits
	cur.ReadCapacityUnits += cc.ReadCapacityUnits
	cur.WriteCapacityUnits += cc.WriteCapacityUnits
	if cc.Table != nil {
		if cur.Table == nil {
			cur.Table = &Capacity{}
		}
		cur.Table.add(*cc.Table)
	}
	cur.LocalSecondaryIndexes = addCapacities(cur.LocalSecondaryIndexes, cc.LocalSecondaryIndexes)
	cur.GlobalSecondaryIndexes = addCapacities(cur.GlobalSecondaryIndexes, cc.GlobalSecondaryIndexes)
}

// list returns the totals in table-name order, nil when there are none.
func (m capacityByTable) list() []*ConsumedCapacity {
	if len(m) == 0 {
		return nil
	}
	out := make([]*ConsumedCapacity, 0, len(m))
	for _, name := range sortedKeys(m) {
		out = append(out, m[name])
	}
	return out
}

// add adds o to c.
func (c *Capacity) add(o Capacity) {
	c.CapacityUnits += o.CapacityUnits
	c.ReadCapacityUnits += o.ReadCapacityUnits
	c.WriteCapacityUnits += o.WriteCapacityUnits
}

// addCapacities adds the per-index capacities of src to dst.
func addCapacities(dst, src map[string]Capacity) map[string]Capacity {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]Capacity, len(src))
	}
	for name, c := range src {
		cur := dst[name]
		cur.add(c)
		dst[name] = cur
	}
	return dst
}

// transactional turns a single-item capacity report into a transactional
// one: twice the units, reported as read or write units as well.
func transactional(cc *ConsumedCapacity, write bool) *ConsumedCapacity {
	if cc == nil {
		return nil
	}
	cc.CapacityUnits *= 2
	cc.ReadCapacityUnits, cc.WriteCapacityUnits = split(cc.CapacityUnits, write)
	if cc.Table != nil {
		cc.Table = transactionalUnits(*cc.Table, write)
	}
	for _, m := range []map[string]Capacity{cc.LocalSecondaryIndexes, cc.GlobalSecondaryIndexes} {
		for name, c := range m {
			m[name] = *transactionalUnits(c, write)
		}
	}
	return cc
}

// transactionalUnits doubles c and splits it into read or write units.
func transactionalUnits(c Capacity, write bool) *Capacity {
	u := c.CapacityUnits * 2
	r, w := split(u, write)
	return &Capacity{CapacityUnits: u, ReadCapacityUnits: r, WriteCapacityUnits: w}
}

// split returns (0, u) for writes and (u, 0) for reads.
func split(u float64, write bool) (read, wr float64) {
	if write {
		return 0, u
	}
	return u, 0
}

// metricsByTable collects item collection metrics per table.
type metricsByTable map[string][]*ItemCollectionMetrics

// add records m (nil: nothing) for table.
func (mt metricsByTable) add(table string, m *ItemCollectionMetrics) {
	if m != nil {
		mt[table] = append(mt[table], m)
	}
}

// orNil returns mt, or nil when it is empty (so the member is left out).
func (mt metricsByTable) orNil() map[string][]*ItemCollectionMetrics {
	if len(mt) == 0 {
		return nil
	}
	return mt
}
