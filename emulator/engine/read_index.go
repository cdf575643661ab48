package engine

import (
	"slices"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// readTarget is the table or index a Query or Scan reads, with what it
// stores of each item.
type readTarget struct {
	def store.TableDef
	// index is the index name, "" for the table; ix its definition.
	index string
	ix    store.IndexDef
	// key is the key schema of what is read (the index's or the table's).
	key store.KeySchema
	// attrs are the attributes a non-ALL index projection keeps (nil:
	// the whole item).
	attrs []string
	// startNames are the attributes of an exclusive start key and of
	// LastEvaluatedKey: the table key, then the index key attributes.
	startNames []string
}

// msgNoIndex is the error for an IndexName the table does not have.
const msgNoIndex = "The table does not have the specified index: "

// resolveTarget looks up the index named by indexName (nil: the table)
// and applies the checks that depend on the index alone: existence, no
// consistent reads on a GSI, no reads from a GSI that is still being
// backfilled.
func (e *Engine) resolveTarget(tx *store.Tx, indexName *string, consistent bool) (*readTarget, error) {
	def := tx.Def()
	t := &readTarget{def: def, key: def.Key}
	t.startNames = keyNames(def.Key)
	if indexName == nil {
		return t, nil
	}
	ix, ok := def.Index(*indexName)
	if !ok {
		return nil, validationErr(msgNoIndex + *indexName)
	}
	if !ix.Local && consistent {
		return nil, validationErr("Consistent reads are not supported on global secondary indexes")
	}
	if g := e.tableMetaOf(tx).gsi(ix.Name); g != nil && g.Backfill &&
		g.indexStatus(e.clock.Now(), e.indexTransition()) == statusCreating {
		return nil, validationErr("Cannot read from backfilling global secondary index: " + ix.Name)
	}
	t.index, t.ix, t.key = ix.Name, ix, ix.Key
	for _, n := range keyNames(ix.Key) {
		if !slices.Contains(t.startNames, n) {
			t.startNames = append(t.startNames, n)
		}
	}
	if ix.Projection.Type != store.ProjectAll {
		t.attrs = append(append([]string(nil), t.startNames...), ix.Projection.NonKey...)
	}
	return t, nil
}

// keyNames lists the attribute names of ks, partition key first.
func keyNames(ks store.KeySchema) []string {
	if ks.Range == "" && !ks.Multi() {
		return []string{ks.Hash}
	}
	if !ks.Multi() {
		return []string{ks.Hash, ks.Range}
	}
	var out []string
	for _, k := range indexKeyAttrs(ks) {
		out = append(out, k.name)
	}
	return out
}

// isGSI reports whether the target is a global secondary index.
func (t *readTarget) isGSI() bool { return t.index != "" && !t.ix.Local }

// partial reports whether the target stores less than whole items.
func (t *readTarget) partial() bool { return t.attrs != nil }

// checkSelectAll rejects Select=ALL_ATTRIBUTES on a GSI that does not
// project every attribute.
func (t *readTarget) checkSelectAll(sel string) error {
	if sel == selectAll && t.isGSI() && t.partial() {
		return validationErr(msgInvalidParams + "Select type ALL_ATTRIBUTES is not supported for global secondary index " +
			t.index + " because its projection type is not ALL")
	}
	return nil
}

// entry returns what the target stores of item: the item itself, or its
// projection onto the index's attributes.
func (t *readTarget) entry(item attr.Item) attr.Item {
	if t.attrs == nil {
		return item
	}
	out := make(attr.Item, len(t.attrs))
	for _, n := range t.attrs {
		if v, ok := item[n]; ok {
			out[n] = v
		}
	}
	return out
}

// projects reports whether every name is stored by the target.
func (t *readTarget) projects(names []string) bool {
	if t.attrs == nil {
		return true
	}
	for _, n := range names {
		if !slices.Contains(t.attrs, n) {
			return false
		}
	}
	return true
}

// lastKeyPacked is the LastEvaluatedKey of a packed item, read without
// unpacking it: the table key and the index key attributes.
func (t *readTarget) lastKeyPacked(packed string) attr.Item {
	out := make(attr.Item, len(t.startNames))
	for _, n := range t.startNames {
		if v, ok := attr.PackedAttr(packed, n); ok {
			out[n] = v
		}
	}
	return out
}
