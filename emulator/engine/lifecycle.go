package engine

import (
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/dynafault/dynafault/emulator/store"
)

// Lifecycle is how long, in clock time, tables and global secondary
// indexes stay in DynamoDB's transient states. The zero Lifecycle is
// instant: the CreateTable, UpdateTable and DeleteTable responses report
// CREATING, UPDATING and DELETING, and the next request sees the table
// settled, which keeps tests fast.
type Lifecycle struct {
	// Create: a new table is CREATING (data operations answer
	// ResourceNotFoundException; UpdateTable and DeleteTable
	// ResourceInUseException).
	Create time.Duration `json:"create"`
	// Update: a table changed by UpdateTable is UPDATING (reads and writes
	// go on; UpdateTable and DeleteTable answer ResourceInUseException).
	Update time.Duration `json:"update"`
	// Delete: a deleted table is still described and listed as DELETING
	// (its data is gone at once; its name cannot be reused until then).
	Delete time.Duration `json:"delete"`
	// Index: a GSI added or removed by UpdateTable is CREATING or DELETING.
	Index time.Duration `json:"index"`
}

// ErrNegativeDuration is returned by SetLifecycle for a negative duration.
var ErrNegativeDuration = errors.New("engine: lifecycle durations must not be negative")

// SetLifecycle changes the lifecycle durations; they apply to tables
// already in a transient state too (their states are computed from the
// time of the change that started them).
func (e *Engine) SetLifecycle(l Lifecycle) error {
	if l.Create < 0 || l.Update < 0 || l.Delete < 0 || l.Index < 0 {
		return ErrNegativeDuration
	}
	e.lifecycle.Store(&l)
	return nil
}

// Lifecycle returns the lifecycle durations in force.
func (e *Engine) Lifecycle() Lifecycle { return *e.lifecycle.Load() }

// Messages of operations on tables in a transient state (dynalite
// actions/deleteTable.js, captured from DynamoDB, for CREATING).
const (
	msgTableBeingCreated = "Attempt to change a resource which is still in use: Table is being created: "
	msgTableBeingUpdated = "Attempt to change a resource which is still in use: Table is being updated: "
)

// tableStatus is the status of the table whose metadata is m at now.
func (m *tableMeta) tableStatus(now time.Time, l Lifecycle) string {
	if l.Create > 0 && now.Sub(m.Created) < l.Create {
		return statusCreating
	}
	if l.Update > 0 && !m.Updated.IsZero() && now.Sub(m.Updated) < l.Update {
		return statusUpdating
	}
	return statusActive
}

// errInUse is the ResourceInUseException for changing the table m while it
// is CREATING or UPDATING, or nil.
func (m *tableMeta) errInUse(name string, now time.Time, l Lifecycle) error {
	switch m.tableStatus(now, l) {
	case statusCreating:
		return NewError(ResourceInUse, msgTableBeingCreated+name)
	case statusUpdating:
		return NewError(ResourceInUse, msgTableBeingUpdated+name)
	}
	return nil
}

// deletingTables are the tables DeleteTable removed that are still
// described and listed as DELETING.
type deletingTables struct {
	mu     sync.Mutex
	tables map[string]deletingTable // by name
}

type deletingTable struct {
	desc  *TableDescription // as the DeleteTable response described it
	until time.Time
}

// add records a deleted table until until.
func (d *deletingTables) add(name string, desc *TableDescription, until time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tables == nil {
		d.tables = map[string]deletingTable{}
	}
	d.tables[name] = deletingTable{desc: desc, until: until}
}

// get returns the description of the named table if it is DELETING at
// now, forgetting tables whose time is over.
func (d *deletingTables) get(name string, now time.Time) (*TableDescription, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	t, ok := d.tables[name]
	if ok && !now.Before(t.until) {
		delete(d.tables, name)
		return nil, false
	}
	return t.desc, ok
}

// names lists the tables DELETING at now, sorted.
func (d *deletingTables) names(now time.Time) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []string
	for n, t := range d.tables {
		if now.Before(t.until) {
			out = append(out, n)
		} else {
			delete(d.tables, n)
		}
	}
	sort.Strings(out)
	return out
}

// reset forgets every DELETING table.
func (d *deletingTables) reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tables = nil
}

// creating reports whether t is still CREATING: data operations answer
// ResourceNotFoundException for it. It costs one atomic load unless a
// creation duration is set.
func (e *Engine) creating(t *store.Table) bool {
	l := e.lifecycle.Load()
	if l.Create == 0 {
		return false
	}
	var m *tableMeta
	_ = t.View(func(tx *store.Tx) error {
		m, _ = tx.Meta().(*tableMeta)
		return nil
	})
	return m != nil && m.tableStatus(e.clock.Now(), *l) == statusCreating
}
