package engine

import (
	"strconv"

	"github.com/dynafault/dynafault/emulator/store"
)

// planIndexes applies the secondary-index rules of CreateTable and returns
// the index definitions (LSIs first, then GSIs, each in request order).
func planIndexes(in *CreateTableInput, key store.KeySchema, defs map[string]string, ppr bool) ([]store.IndexDef, error) {
	var out []store.IndexDef
	seen := map[string]bool{}
	nonKeys := 0
	if in.LocalSecondaryIndexes != nil {
		if len(in.LocalSecondaryIndexes) == 0 {
			return nil, invalidParam("List of LocalSecondaryIndexes is empty")
		}
		if key.Range == "" {
			return nil, invalidParam("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
		}
		for _, x := range in.LocalSecondaryIndexes {
			d, err := planLSI(x, key, in.AttributeDefinitions, defs)
			if err != nil {
				return nil, err
			}
			if err := addIndex(seen, &out, d, &nonKeys); err != nil {
				return nil, err
			}
		}
		if len(in.LocalSecondaryIndexes) > maxLSIs {
			return nil, invalidParam("Number of LocalSecondaryIndexes exceeds per-table limit of " + strconv.Itoa(maxLSIs))
		}
	}
	if in.GlobalSecondaryIndexes != nil {
		if len(in.GlobalSecondaryIndexes) == 0 {
			return nil, invalidParam("List of GlobalSecondaryIndexes is empty")
		}
		for _, x := range in.GlobalSecondaryIndexes {
			d, err := planGSI(x.IndexName, x.KeySchema, x.Projection, in.AttributeDefinitions, defs)
			if err != nil {
				return nil, err
			}
			if err := checkGSIThroughputCreate(*x.IndexName, x.ProvisionedThroughput, ppr); err != nil {
				return nil, err
			}
			if err := addIndex(seen, &out, d, &nonKeys); err != nil {
				return nil, err
			}
		}
		if len(in.GlobalSecondaryIndexes) > maxGSIs {
			return nil, invalidParam("GlobalSecondaryIndex count exceeds the per-table limit of " + strconv.Itoa(maxGSIs))
		}
	}
	if nonKeys > maxProjectedNonKeys {
		return nil, errTooManyProjected(nonKeys)
	}
	return out, nil
}

// errTooManyProjected is the error for more than 100 INCLUDE attributes
// across a table's indexes.
func errTooManyProjected(n int) *Error {
	return invalidParam("Number of projected attributes in all indexes exceeds limit of " +
		strconv.Itoa(maxProjectedNonKeys) + ", provided: " + strconv.Itoa(n))
}

// addIndex appends d to out unless its name is a duplicate.
func addIndex(seen map[string]bool, out *[]store.IndexDef, d store.IndexDef, nonKeys *int) error {
	if seen[d.Name] {
		return invalidParam("Duplicate index name: " + d.Name)
	}
	seen[d.Name] = true
	*nonKeys += len(d.Projection.NonKey)
	*out = append(*out, d)
	return nil
}

// planLSI validates one LocalSecondaryIndex.
func planLSI(x LocalSecondaryIndex, table store.KeySchema, ads []AttributeDefinition, defs map[string]string) (store.IndexDef, error) {
	name := *x.IndexName
	key, err := checkKeyElements(x.KeySchema, ads, defs)
	if err != nil {
		return store.IndexDef{}, err
	}
	if key.Range == "" {
		return store.IndexDef{}, invalidParam("Index KeySchema does not have a range key for index: " + name)
	}
	if key.Hash != table.Hash {
		return store.IndexDef{}, invalidParam("Index KeySchema does not have the same leading hash key as table KeySchema for index: " +
			name + ". index hash key: " + key.Hash + ", table hash key: " + table.Hash)
	}
	proj, err := checkIndexProjection(x.Projection)
	if err != nil {
		return store.IndexDef{}, err
	}
	return store.IndexDef{Name: name, Local: true, Key: key, Projection: proj}, nil
}

// planGSI validates the key schema and projection of a GSI.
func planGSI(name *string, ks []KeySchemaElement, p *Projection, ads []AttributeDefinition, defs map[string]string) (store.IndexDef, error) {
	key, err := checkGSIKeyElements(ks, ads, defs)
	if err != nil {
		return store.IndexDef{}, err
	}
	proj, err := checkIndexProjection(p)
	if err != nil {
		return store.IndexDef{}, err
	}
	return store.IndexDef{Name: *name, Key: key, Projection: proj}, nil
}

// checkGSIThroughputCreate applies the billing rules to a GSI of CreateTable.
func checkGSIThroughputCreate(name string, pt *ProvisionedThroughput, ppr bool) error {
	if ppr && pt != nil {
		return invalidParam("ProvisionedThroughput should not be specified for index: " + name + " when BillingMode is PAY_PER_REQUEST")
	}
	if !ppr && pt == nil {
		return invalidParam("ProvisionedThroughput is not specified for index: " + name)
	}
	if pt != nil {
		return checkCapacityBounds(pt)
	}
	return nil
}

// checkIndexProjection applies the projection rules.
func checkIndexProjection(p *Projection) (store.Projection, error) {
	if p.ProjectionType == nil {
		return store.Projection{}, invalidParam("Unknown ProjectionType: null")
	}
	typ := *p.ProjectionType
	if typ != "INCLUDE" && p.NonKeyAttributes != nil {
		return store.Projection{}, invalidParam("ProjectionType is " + typ + ", but NonKeyAttributes is specified")
	}
	if typ == "INCLUDE" && p.NonKeyAttributes == nil {
		return store.Projection{}, invalidParam("ProjectionType is INCLUDE, but NonKeyAttributes is not specified")
	}
	seen := map[string]bool{}
	for _, a := range p.NonKeyAttributes {
		if seen[a] {
			return store.Projection{}, invalidParam("Duplicate element in NonKeyAttributes: " + a)
		}
		seen[a] = true
	}
	return store.Projection{Type: typ, NonKey: append([]string(nil), p.NonKeyAttributes...)}, nil
}
