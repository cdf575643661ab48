package engine

import (
	"context"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Overrides change how one operation call behaves. The wire layer's fault
// hook sets them per request in the call's context; the engine only reads
// them and keeps nothing.
type Overrides struct {
	// Unprocessed, when set, is asked for each item of a BatchWriteItem or
	// BatchGetItem, after the request passed validation, in request order
	// within a table and tables by name, whether to leave it unprocessed:
	// a write is then not applied and comes back in UnprocessedItems, a
	// key is not read and comes back in UnprocessedKeys. key holds the
	// item's table key attributes only.
	Unprocessed func(table string, key attr.Item) bool
	// EmptyRecords: GetRecords returns no records and a NextShardIterator
	// at the iterator's position (errors of the iterator still apply).
	EmptyRecords bool
}

type overridesKey struct{}

// WithOverrides returns ctx carrying o.
func WithOverrides(ctx context.Context, o Overrides) context.Context {
	return context.WithValue(ctx, overridesKey{}, &o)
}

// overridesFrom returns the Overrides in ctx (zero if none).
func overridesFrom(ctx context.Context) Overrides {
	if o, ok := ctx.Value(overridesKey{}).(*Overrides); ok {
		return *o
	}
	return Overrides{}
}

// leftUnprocessed reports whether o leaves the item with key in table
// unprocessed.
func (o Overrides) leftUnprocessed(def store.TableDef, table string, item attr.Item) bool {
	return o.Unprocessed != nil && o.Unprocessed(table, keyOf(def, item))
}

// TableARN returns the ARN of the named table (which need not exist).
func (e *Engine) TableARN(name string) string { return e.tableARN(name) }
