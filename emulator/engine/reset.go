package engine

// DropAllTables removes every table at once, as if each had been deleted,
// together with every stream (also the still readable streams of deleted
// tables), the tables still described as DELETING and the remembered
// transaction client tokens: the data, the
// indexes and the table settings are gone. It is the data part of the
// admin reset.
func (e *Engine) DropAllTables() {
	e.catalog.Reset()
	e.ResetStreams()
	e.idem.reset()
	e.deleting.reset()
}
