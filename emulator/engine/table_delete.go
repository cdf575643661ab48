package engine

import (
	"context"

	"github.com/dynafault/dynafault/emulator/store"
)

// DeleteTable deletes a table. The response describes it as DELETING; the
// table is gone at once.
func (e *Engine) DeleteTable(ctx context.Context, in *DeleteTableInput) (*DeleteTableOutput, error) {
	if err := checkTableNameFirst(in.TableName, true); err != nil {
		return nil, err
	}
	var v violations
	v.checkTableName(in.TableName, "tableName")
	if err := v.err(); err != nil {
		return nil, err
	}
	name := tableNameOf(*in.TableName)
	if desc, ok := e.deleting.get(name, e.clock.Now()); ok {
		return &DeleteTableOutput{TableDescription: desc}, nil // already DELETING: no error
	}
	t, err := e.lookupNamed(name)
	if err != nil {
		return nil, err
	}
	// The checks and the removal are one step under the table's write lock:
	// no UpdateTable can protect the table in between, and a concurrent
	// DeleteTable (and CreateTable of the same name) cannot make this one
	// remove another table.
	var desc *TableDescription
	err = t.Update(func(tx *store.Tx) error {
		m := e.tableMetaOf(tx)
		now, l := e.clock.Now(), e.Lifecycle()
		if err := m.errInUse(name, now, l); err != nil {
			return err
		}
		if m.DeletionProtection {
			return validationErr("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
		}
		if m.pendingGSI(e.clock.Now(), e.indexTransition()) != "" {
			return NewError(ResourceInUse, "Attempt to change a resource which is still in use: Cannot delete table while indexes are being created, updated, or deleted.")
		}
		desc = e.describe(tx, describeOpts{tableStatus: statusDeleting})
		if !e.catalog.Drop(tx) {
			return errTableNotFoundNamed(name)
		}
		// Every write committed before the drop is in the stream; none
		// can follow (the store refuses the dropped table).
		e.streams.tableDropped(m)
		if l.Delete > 0 {
			e.deleting.add(name, desc, now.Add(l.Delete))
		}
		return nil
	})
	if err != nil {
		return nil, droppedAs(err, errTableNotFoundNamed(name))
	}
	return &DeleteTableOutput{TableDescription: desc}, nil
}
