package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/dynafault/dynafault/emulator/attr"
	"github.com/dynafault/dynafault/emulator/store"
)

// Snapshot is a parsed and checked snapshot (see WriteSnapshot), ready for
// LoadSnapshot.
type Snapshot struct {
	tables []snapshotTable
}

// Tables returns the names of the snapshot's tables, in its order.
func (s *Snapshot) Tables() []string {
	names := make([]string, len(s.tables))
	for i, t := range s.tables {
		names[i] = t.Name
	}
	return names
}

// Items counts the snapshot's items.
func (s *Snapshot) Items() int {
	n := 0
	for _, t := range s.tables {
		n += len(t.Items)
	}
	return n
}

// ErrSnapshot wraps every reason ReadSnapshot refuses a snapshot.
var ErrSnapshot = errors.New("snapshot")

// snapshotError is a refused snapshot.
func snapshotError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSnapshot, fmt.Sprintf(format, args...))
}

// ReadSnapshot reads and checks a snapshot without changing anything: the
// format and version, then every table definition, setting and item as
// CreateTable and PutItem would check them. A newer version, a corrupt or
// truncated document, an unknown field or an invalid table or item is an
// error wrapping ErrSnapshot that says what and where.
func (e *Engine) ReadSnapshot(r io.Reader) (*Snapshot, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: reading: %v", ErrSnapshot, err)
	}
	var head struct {
		snapshotHeader
		Tables json.RawMessage `json:"tables"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, snapshotError("not a dynafault snapshot, or a corrupt one: %v", err)
	}
	switch {
	case head.Format != SnapshotFormat:
		return nil, snapshotError("not a dynafault snapshot (format %q, want %q)", head.Format, SnapshotFormat)
	case head.Version > SnapshotVersion:
		return nil, snapshotError("format version %d is newer than this dynafault reads (%d); use a newer dynafault", head.Version, SnapshotVersion)
	case head.Version != SnapshotVersion:
		return nil, snapshotError("unknown format version %d (this dynafault reads %d)", head.Version, SnapshotVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var doc struct {
		snapshotHeader
		Tables []snapshotTable `json:"tables"`
	}
	if err := dec.Decode(&doc); err != nil {
		return nil, snapshotError("corrupt: %v", err)
	}
	for i := range doc.Tables {
		if err := e.planSnapshotTable(i, &doc.Tables[i]); err != nil {
			return nil, err
		}
	}
	if err := checkSnapshotTables(doc.Tables); err != nil {
		return nil, err
	}
	return &Snapshot{tables: doc.Tables}, nil
}

// planSnapshotTable turns a table given as a CreateTable request (a
// fixture) into its definition and settings, checked as CreateTable and
// UpdateTimeToLive check them.
func (e *Engine) planSnapshotTable(i int, t *snapshotTable) error {
	if t.CreateTable == nil {
		if t.TimeToLive != nil {
			return snapshotError("table %d: timeToLive goes with createTable; a saved table has its TTL in its settings", i+1)
		}
		return nil
	}
	in := t.CreateTable
	name := ""
	if in.TableName != nil {
		name = *in.TableName
	}
	where := "table " + strconv.Quote(name)
	switch {
	case t.Definition.Name != "" || t.Settings.ARN != "" || t.Settings.Billing != "":
		return snapshotError("%s: give createTable, or definition and settings, not both", where)
	case t.Name != "" && t.Name != name:
		return snapshotError("table %q: its createTable names table %q", t.Name, name)
	}
	if err := checkCreateConstraints(in); err != nil {
		return snapshotError("%s: createTable: %s", where, AsError(err).Message)
	}
	def, meta, err := e.planCreate(in)
	if err != nil {
		return snapshotError("%s: createTable: %s", where, AsError(err).Message)
	}
	if ttl := t.TimeToLive; ttl != nil {
		if ttl.AttributeName == nil || *ttl.AttributeName == "" || ttl.Enabled == nil {
			return snapshotError("%s: timeToLive needs AttributeName and Enabled", where)
		}
		if *ttl.Enabled {
			meta.TTL = ttlMeta{Enabled: true, Attr: *ttl.AttributeName, LastChange: meta.Created}
		}
	}
	t.Name, t.Definition, t.Settings = name, def, *meta
	t.CreateTable, t.TimeToLive = nil, nil
	return nil
}

// checkSnapshotTables checks every table of a snapshot.
func checkSnapshotTables(tables []snapshotTable) error {
	seen := map[string]bool{}
	for i, t := range tables {
		where := "table " + strconv.Quote(t.Name)
		switch {
		case t.Name == "":
			return snapshotError("table %d has no name", i+1)
		case seen[t.Name]:
			return snapshotError("%s appears twice", where)
		case t.Definition.Name != t.Name:
			return snapshotError("%s: its definition names table %q", where, t.Definition.Name)
		}
		seen[t.Name] = true
		if v := checkTableName(&t.Name, "tableName"); v != nil {
			return snapshotError("%s: %v", where, v)
		}
		if err := t.Definition.Validate(); err != nil {
			return snapshotError("%s: %v", where, err)
		}
		if b := t.Settings.Billing; b != billingProvisioned && b != billingPayPerRequest {
			return snapshotError("%s: billing mode %q", where, b)
		}
		if err := checkSnapshotItems(t); err != nil {
			return snapshotError("%s: %v", where, err)
		}
	}
	return nil
}

// checkSnapshotItems checks the items of a table as PutItem would, and
// that no two share a key.
func checkSnapshotItems(t snapshotTable) error {
	keys := make(map[string]bool, len(t.Items))
	for i, it := range t.Items {
		if it == nil {
			return fmt.Errorf("item %d is null", i+1)
		}
		if err := checkItem(t.Definition, it); err != nil {
			return fmt.Errorf("item %d: %v", i+1, AsError(err).Message)
		}
		if attr.ItemSize(it) > maxItemSize {
			return fmt.Errorf("item %d: %s", i+1, msgItemTooBig)
		}
		k := string(attr.AppendItemJSON(nil, keyOf(t.Definition, it)))
		if keys[k] {
			return fmt.Errorf("item %d: a second item with the key %s", i+1, k)
		}
		keys[k] = true
	}
	return nil
}

// checkTableName applies CreateTable's table-name constraints.
func checkTableName(name *string, path string) error {
	var v violations
	v.checkName(name, path)
	return v.err()
}

// LoadSnapshot replaces every table, stream and transaction client token
// with the tables of s: definitions, settings and items as saved; ARNs
// in the server's region and account; each stream enabled as saved, under
// its saved label, with no records. Requests served while it runs may see
// some tables loaded and others not.
func (e *Engine) LoadSnapshot(s *Snapshot) error {
	e.DropAllTables()
	for _, t := range s.tables {
		if err := e.loadTable(t); err != nil {
			return fmt.Errorf("loading table %s: %w", t.Name, err)
		}
	}
	return nil
}

// loadTable creates one table of a snapshot with its items. The items go
// in while the table's stream is off, so they make no stream records; the
// stream is registered afterwards.
func (e *Engine) loadTable(st snapshotTable) error {
	meta := st.Settings
	meta.ARN = e.tableARN(st.Name)
	meta.OldStreams = nil
	if meta.Stream.Label != "" {
		meta.Stream.ARN = meta.ARN + "/stream/" + meta.Stream.Label
	}
	quiet := meta.clone()
	quiet.Stream.Enabled = false
	t, err := e.catalog.Create(st.Definition, quiet)
	if err != nil {
		return err
	}
	err = t.Update(func(tx *store.Tx) error {
		for _, it := range st.Items {
			tx.Put(it)
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = t.Update(func(tx *store.Tx) error {
		tx.SetMeta(&meta)
		return nil
	})
	if err != nil {
		return err
	}
	e.streams.register(st.Definition, &meta)
	return nil
}
